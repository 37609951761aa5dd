/**
 * pretix's person name schemes (`PERSON_NAME_SCHEMES` in base/settings.py): which parts a name has and how
 * the parts become one display string. Name parts are stored as given, with `_scheme` recording the scheme
 * they were entered under, so a later change of the event's scheme does not garble old names.
 */
interface NameScheme {
  /** The parts, in the order pretix asks for them. */
  fields: readonly string[];
  /** The display form of the parts (pretix's `concatenation`). */
  concatenation: (parts: NameParts) => string;
}

export type NameParts = Record<string, unknown>;

function part(parts: NameParts, key: string): string {
  const v = parts[key];
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

function joinParts(parts: NameParts, keys: readonly string[], separator = ' '): string {
  return keys
    .map((k) => part(parts, k))
    .filter((v) => v !== '')
    .join(separator);
}

const PERSON_NAME_SCHEMES: Readonly<Record<string, NameScheme>> = {
  given_family: {
    fields: ['given_name', 'family_name'],
    concatenation: (p) => joinParts(p, ['given_name', 'family_name']),
  },
  title_given_family: {
    fields: ['title', 'given_name', 'family_name'],
    concatenation: (p) => joinParts(p, ['title', 'given_name', 'family_name']),
  },
  title_given_middle_family: {
    fields: ['title', 'given_name', 'middle_name', 'family_name'],
    concatenation: (p) => joinParts(p, ['title', 'given_name', 'middle_name', 'family_name']),
  },
  given_middle_family: {
    fields: ['given_name', 'middle_name', 'family_name'],
    concatenation: (p) => joinParts(p, ['given_name', 'middle_name', 'family_name']),
  },
  family_given: {
    fields: ['family_name', 'given_name'],
    concatenation: (p) => joinParts(p, ['family_name', 'given_name']),
  },
  family_nospace_given: {
    fields: ['given_name', 'family_name'],
    concatenation: (p) => joinParts(p, ['family_name', 'given_name'], ''),
  },
  family_comma_given: {
    fields: ['given_name', 'family_name'],
    concatenation: (p) =>
      part(p, 'family_name') && part(p, 'given_name')
        ? `${part(p, 'family_name')}, ${part(p, 'given_name')}`
        : joinParts(p, ['family_name', 'given_name']),
  },
  full: {
    fields: ['full_name'],
    concatenation: (p) => part(p, 'full_name'),
  },
  calling_full: {
    fields: ['calling_name', 'full_name'],
    concatenation: (p) => part(p, 'full_name'),
  },
  full_transcription: {
    fields: ['full_name', 'latin_transcription'],
    concatenation: (p) => part(p, 'full_name'),
  },
  salutation_given_family: {
    fields: ['salutation', 'given_name', 'family_name'],
    concatenation: (p) => joinParts(p, ['given_name', 'family_name']),
  },
  salutation_title_given_family: {
    fields: ['salutation', 'title', 'given_name', 'family_name'],
    concatenation: (p) => joinParts(p, ['title', 'given_name', 'family_name']),
  },
  salutation_title_given_family_degree: {
    fields: ['salutation', 'title', 'given_name', 'family_name', 'degree'],
    concatenation: (p) =>
      joinParts(p, ['title', 'given_name', 'family_name']) +
      (part(p, 'degree') ? `, ${part(p, 'degree')}` : ''),
  },
};

export function isNameScheme(value: unknown): value is string {
  return typeof value === 'string' && Object.hasOwn(PERSON_NAME_SCHEMES, value);
}

/**
 * pretix's `build_name`: the legacy single string if the parts carry one, else the concatenation of the
 * scheme named by `_scheme` (or `fallbackScheme` when the parts name none). Null for no name at all.
 */
export function buildName(parts: NameParts | null | undefined, fallbackScheme?: string): string | null {
  if (!parts || Object.keys(parts).length === 0) return null;
  if (typeof parts._legacy === 'string') return parts._legacy.trim() || null;
  const schemeKey = typeof parts._scheme === 'string' ? parts._scheme : fallbackScheme;
  const scheme = schemeKey !== undefined ? PERSON_NAME_SCHEMES[schemeKey] : undefined;
  const text = scheme
    ? scheme.concatenation(parts)
    : Object.entries(parts)
        .filter(([k, v]) => !k.startsWith('_') && k !== 'salutation' && typeof v === 'string' && v !== '')
        .map(([, v]) => v as string)
        .join(' ');
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Name parts as stored for an event: `_scheme` set to the event's scheme unless the caller gave one (the
 * API keeps a client's `_scheme`, as pretix does). Empty parts stay empty.
 */
export function withScheme(parts: NameParts, scheme: string): NameParts {
  if (Object.keys(parts).length === 0 || '_scheme' in parts || '_legacy' in parts) return { ...parts };
  return { ...parts, _scheme: scheme };
}
