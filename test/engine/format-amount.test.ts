import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../main/engine/money';

describe('formatAmount (receipts and reports)', () => {
  it('prints the currency code after Intl digits with the currency’s own decimals', () => {
    expect(formatAmount('20', 'EUR')).toBe('20.00 EUR');
    expect(formatAmount('-1.00', 'EUR')).toBe('-1.00 EUR');
    expect(formatAmount('1500', 'JPY')).toBe('1,500 JPY');
    expect(formatAmount('1234.5', 'EUR', false)).toBe('1,234.50');
  });

  it('reads the decimal text exactly and rounds half away from zero, as moneyText does', () => {
    expect(formatAmount('0.125', 'EUR')).toBe('0.13 EUR');
    expect(formatAmount('-0.125', 'EUR')).toBe('-0.13 EUR');
    expect(formatAmount('12345678901234567.125', 'EUR', false)).toBe('12,345,678,901,234,567.13');
  });
});
