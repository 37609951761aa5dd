/**
 * The display name pretix caches from name parts (`attendee_name_cached`, invoice `name_cached`): the
 * legacy single string if present, else the scheme's components joined as the scheme concatenates them.
 */
const SCHEME_FIELDS: Record<string, { fields: string[]; join?: (parts: string[]) => string }> = {
  full: { fields: ['full_name'] },
  calling_full: { fields: ['full_name'] },
  full_transcription: { fields: ['full_name'] },
  given_family: { fields: ['given_name', 'family_name'] },
  title_given_family: { fields: ['title', 'given_name', 'family_name'] },
  title_given_middle_family: { fields: ['title', 'given_name', 'middle_name', 'family_name'] },
  given_middle_family: { fields: ['given_name', 'middle_name', 'family_name'] },
  salutation_given_family: { fields: ['given_name', 'family_name'] },
  salutation_title_given_family: { fields: ['title', 'given_name', 'family_name'] },
  salutation_title_given_family_degree: { fields: ['title', 'given_name', 'family_name'] },
  family_nospace_given: { fields: ['family_name', 'given_name'], join: (p) => p.join('') },
  family_comma_given: { fields: ['family_name', 'given_name'], join: (p) => p.join(', ') },
  family_given: { fields: ['family_name', 'given_name'] },
};

export function nameFromParts(parts: Record<string, unknown> | null | undefined): string | null {
  if (!parts) return null;
  if (typeof parts._legacy === 'string' && parts._legacy) return parts._legacy;
  const scheme = SCHEME_FIELDS[String(parts._scheme ?? '')];
  let values: string[];
  if (scheme) {
    values = scheme.fields.map((f) => parts[f]).filter((v): v is string => typeof v === 'string' && v !== '');
    const joined = (scheme.join ?? ((p: string[]) => p.join(' ')))(values);
    return joined.trim() === '' ? null : joined.trim();
  }
  values = Object.entries(parts)
    .filter(([k, v]) => !k.startsWith('_') && k !== 'salutation' && typeof v === 'string' && v !== '')
    .map(([, v]) => v as string);
  const joined = values.join(' ').trim();
  return joined === '' ? null : joined;
}
