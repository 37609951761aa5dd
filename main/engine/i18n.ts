/**
 * pretix keeps translatable text (names, descriptions, answers) as a JSON object of language → text, or
 * as plain text in older rows. `i18nText` renders one the way pretix's `LazyI18nString` does: the wanted
 * language, else a dialect of its base language, else English, else the first non-empty translation.
 * Text that is not JSON is shown as it is.
 */
export function i18nText(value: string | null | undefined, locale = 'en'): string {
  if (value === null || value === undefined) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (typeof parsed === 'string') return parsed;
  if (!parsed || typeof parsed !== 'object') return String(parsed ?? '');
  const map = parsed as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === 'string' && v !== '';
  if (text(map[locale])) return map[locale];
  const base = locale.split('-')[0]!;
  for (const [k, v] of Object.entries(map)) if (k.split('-')[0] === base && text(v)) return v;
  if (text(map.en)) return map.en;
  for (const v of Object.values(map)) if (text(v)) return v;
  return '';
}
