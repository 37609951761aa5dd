import type { Locale } from '../../shared/contract';

/**
 * Money on the desk's screens. Amounts arrive as exact decimal text ("1234.50") and are handed to
 * Intl.NumberFormat as text, so no float ever rounds them; the digits shown are the digits the
 * engine sent. The currency is written as its code ("EUR 5.00", "5,00 EUR").
 */

const TAGS: Record<Locale, string> = { en: 'en-GB', de: 'de-DE' };
const formats = new Map<string, Intl.NumberFormat>();

function formatOf(locale: Locale, places: number, currency: string | null): Intl.NumberFormat {
  const key = `${locale}|${places}|${currency ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    const digits = { minimumFractionDigits: places, maximumFractionDigits: places };
    format = new Intl.NumberFormat(
      TAGS[locale],
      currency === null
        ? { style: 'decimal', ...digits }
        : { style: 'currency', currency, currencyDisplay: 'code', ...digits },
    );
    formats.set(key, format);
  }
  return format;
}

/** As many decimals as the text has; a whole amount is shown with cents. */
function placesOf(amount: string): number {
  return amount.split('.')[1]?.length ?? 2;
}

/** Intl's spacing is a no-break space; the desk writes an ordinary one, as its screens always did. */
function plainSpaces(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

/** Money as the locale writes it: "EUR 1,234.50" / "1.234,50 EUR". */
export function formatMoney(locale: Locale, amount: string, currency: string): string {
  // Intl takes decimal strings exactly (Intl.NumberFormat v3); its type still says number.
  const exact = amount as unknown as number;
  return plainSpaces(formatOf(locale, placesOf(amount), currency).format(exact));
}

/** An amount without its currency, where the currency is not known or not wanted: "1,234.50". */
export function formatAmount(locale: Locale, amount: string): string {
  const exact = amount as unknown as number;
  return plainSpaces(formatOf(locale, placesOf(amount), null).format(exact));
}
