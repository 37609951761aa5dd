import Decimal from 'decimal.js';

/** Money is decimal.js in memory and exact decimal text ("23.00") in the database and the API. */
export type Money = Decimal;

const CURRENCY_PLACES: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function currencyPlaces(currency: string): number {
  return CURRENCY_PLACES[currency.toUpperCase()] ?? 2;
}

export function money(value: Decimal.Value): Money {
  return new Decimal(value);
}

export const ZERO: Money = new Decimal(0);

/** Round half up to the currency's places, as pretix's `round_decimal` does. */
export function roundMoney(value: Decimal.Value, currency = 'EUR'): Money {
  return new Decimal(value).toDecimalPlaces(currencyPlaces(currency), Decimal.ROUND_HALF_UP);
}

/** Text form for storage and the API: always two places (pretix's decimal fields are (13,2)). */
export function moneyText(value: Decimal.Value, places = 2): string {
  return new Decimal(value).toFixed(places, Decimal.ROUND_HALF_UP);
}

/** Parses an amount someone typed; returns undefined for anything that is not a finite decimal. */
export function parseMoney(input: string | number): Money | undefined {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    return new Decimal(String(input));
  }
  const text = input.trim();
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
  return new Decimal(text);
}

export function sumMoney(values: Iterable<Decimal.Value>): Money {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return total;
}

export { Decimal };

// Building an Intl.NumberFormat is costly; one per currency is enough.
const amountFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount as receipts and reports print it: Intl.NumberFormat's digits for the currency (its own
 * number of decimals, grouped thousands, half away from zero as `moneyText` rounds), followed by the
 * currency code unless `withCode` is false ("1,234.50 EUR"). Intl reads the decimal text exactly.
 */
export function formatAmount(value: Decimal.Value, currency: string, withCode = true): string {
  let format = amountFormats.get(currency);
  try {
    if (!format) {
      format = new Intl.NumberFormat('en', { style: 'currency', currency, currencyDisplay: 'code' });
      amountFormats.set(currency, format);
    }
  } catch {
    return withCode ? `${moneyText(value)} ${currency}` : moneyText(value);
  }
  const digits = format
    .formatToParts(new Decimal(value).toFixed() as Intl.StringNumericLiteral)
    .filter((part) => part.type !== 'currency' && part.type !== 'literal')
    .map((part) => part.value)
    .join('');
  return withCode ? `${digits} ${currency}` : digits;
}
