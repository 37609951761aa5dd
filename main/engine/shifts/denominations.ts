import { Decimal, money, type Money } from '../money';

/** The notes and coins a drawer is counted in, largest first, as decimal text. */
const DENOMINATIONS: Record<string, string[]> = {
  EUR: ['500', '200', '100', '50', '20', '10', '5', '2', '1', '0.50', '0.20', '0.10', '0.05', '0.02', '0.01'],
  USD: ['100', '50', '20', '10', '5', '2', '1', '0.25', '0.10', '0.05', '0.01'],
  GBP: ['50', '20', '10', '5', '2', '1', '0.50', '0.20', '0.10', '0.05', '0.02', '0.01'],
  CHF: ['1000', '200', '100', '50', '20', '10', '5', '2', '1', '0.50', '0.20', '0.10', '0.05'],
  DKK: ['1000', '500', '200', '100', '50', '20', '10', '5', '2', '1', '0.50'],
  SEK: ['1000', '500', '200', '100', '50', '20', '10', '5', '2', '1'],
  NOK: ['1000', '500', '200', '100', '50', '20', '10', '5', '1'],
  PLN: ['500', '200', '100', '50', '20', '10', '5', '2', '1', '0.50', '0.20', '0.10', '0.05', '0.02', '0.01'],
  CZK: ['5000', '2000', '1000', '500', '200', '100', '50', '20', '10', '5', '2', '1'],
};

/** Denominations of a currency (EUR's series where a currency is not listed). */
export function denominationsOf(currency: string): string[] {
  return DENOMINATIONS[currency.toUpperCase()] ?? DENOMINATIONS.EUR!;
}

export type DenominationCount = Record<string, number>;

/** The total of a count; refuses denominations the currency does not have and counts that are not whole. */
export function countedTotal(
  currency: string,
  count: DenominationCount,
): { ok: true; total: Money; count: DenominationCount } | { ok: false; message: string } {
  const known = new Map(denominationsOf(currency).map((d) => [new Decimal(d).toFixed(2), d]));
  let total = money(0);
  const normalised: DenominationCount = {};
  for (const [key, n] of Object.entries(count)) {
    let denomination: string | undefined;
    try {
      denomination = known.get(new Decimal(key).toFixed(2));
    } catch {
      denomination = undefined;
    }
    if (!denomination) return { ok: false, message: `${currency} has no ${key} note or coin.` };
    if (!Number.isInteger(n) || n < 0 || n > 1_000_000)
      return { ok: false, message: `Count the ${denomination} in whole pieces.` };
    if (n === 0) continue;
    normalised[denomination] = (normalised[denomination] ?? 0) + n;
    total = total.plus(new Decimal(denomination).times(n));
  }
  return { ok: true, total, count: normalised };
}
