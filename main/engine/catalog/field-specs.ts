import type { ReadableDB, WritableDB } from '../db/handles';
import { catalogRowInEvent, type CatalogTable } from '../db/queries/catalog/tables';
import { writeRow } from './stored-fields';
import { invalidFields, type FieldErrors, shown } from '../errors';
import { Decimal, moneyText } from '../money';
import {
  NOT_NULL,
  REQUIRED,
  isPlainObject,
  parseBoolean,
  parseDate,
  parseDatetime,
  parseDecimal,
  parseInteger,
  parsePk,
  parseString,
  typeName,
  type Parsed,
} from '../orders/fields';

/**
 * Declarative request parsing for the catalog resources, with Django REST framework's messages. A resource
 * lists its writable fields; `parseFields` turns a request body into column values (or DRF's per-field
 * errors), and `insertRow` / `updateRow` write them, keeping fields without a column in the row's `extra`.
 */
type FieldKind =
  'i18n' | 'text' | 'bool' | 'int' | 'decimal' | 'datetime' | 'date' | 'json' | 'stringlist' | 'choice';

interface FieldSpec {
  kind: FieldKind;
  /** Column name; `extra.<key>` keeps the value in the row's `extra` JSON. Defaults to the field name. */
  column?: string;
  nullable?: boolean;
  required?: boolean;
  allowBlank?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  /** A decimal's max_digits (13 unless said). */
  digits?: number;
  choices?: readonly string[];
  /** Stored as money text with two places ("23.00"). */
  money?: boolean;
}

export type FieldSpecs = Record<string, FieldSpec>;

interface ParseOptions {
  /** PATCH: only the fields sent are parsed, nothing is required. */
  partial?: boolean;
  timeZone?: string;
}

interface Parsed2 {
  /** Field name → database value (0/1 for booleans, JSON text for objects). */
  values: Record<string, unknown>;
  errors: FieldErrors;
}

/** DRF's I18nField: a string or an object of language → string. */
export function parseI18n(input: unknown): Parsed<Record<string, string>> {
  if (typeof input === 'string') return { value: { en: input } };
  if (isPlainObject(input)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(input)) {
      if (v === null || v === undefined) continue;
      if (typeof v !== 'string') return { error: 'Invalid i18n string.' };
      out[k] = v;
    }
    return { value: out };
  }
  return { error: 'Invalid i18n string.' };
}

function parseOne(spec: FieldSpec, input: unknown, options: ParseOptions): Parsed<unknown> {
  if (input === null) {
    if (spec.nullable) return { value: null };
    return { error: NOT_NULL };
  }
  switch (spec.kind) {
    case 'i18n': {
      const r = parseI18n(input);
      if (r.error !== undefined) return r;
      if (!spec.allowBlank && spec.required && Object.values(r.value).every((v) => v.trim() === ''))
        return { error: REQUIRED };
      return { value: JSON.stringify(r.value) };
    }
    case 'text': {
      const r = parseString(input, {
        allowBlank: spec.allowBlank ?? false,
        ...(spec.maxLength !== undefined ? { maxLength: spec.maxLength } : {}),
      });
      return r;
    }
    case 'bool': {
      const r = parseBoolean(input);
      return r.error !== undefined ? r : { value: r.value ? 1 : 0 };
    }
    case 'int': {
      const r = parseInteger(input);
      if (r.error !== undefined) return r;
      if (spec.min !== undefined && r.value < spec.min)
        return { error: `Ensure this value is greater than or equal to ${spec.min}.` };
      if (spec.max !== undefined && r.value > spec.max)
        return { error: `Ensure this value is less than or equal to ${spec.max}.` };
      return r;
    }
    case 'decimal': {
      const r = parseDecimal(input, spec.digits);
      if (r.error !== undefined) return r;
      // DRF names the limit as the model's Decimal does ("0.00").
      const limit = (n: number) => (spec.money === false ? String(n) : moneyText(n));
      if (spec.min !== undefined && new Decimal(r.value).lessThan(spec.min))
        return { error: `Ensure this value is greater than or equal to ${limit(spec.min)}.` };
      if (spec.max !== undefined && new Decimal(r.value).greaterThan(spec.max))
        return { error: `Ensure this value is less than or equal to ${limit(spec.max)}.` };
      return { value: spec.money === false ? r.value : moneyText(r.value) };
    }
    case 'datetime': {
      const r = parseDatetime(input, options.timeZone ?? 'UTC');
      return r.error !== undefined ? r : { value: r.value.toISOString() };
    }
    case 'date':
      return parseDate(input);
    case 'json':
      if (!isPlainObject(input))
        return { error: `Expected a dictionary of items but got type "${typeName(input)}".` };
      return { value: JSON.stringify(input) };
    case 'stringlist': {
      if (!Array.isArray(input))
        return { error: `Expected a list of items but got type "${typeName(input)}".` };
      if (!input.every((v) => typeof v === 'string')) return { error: 'Not a valid string.' };
      return { value: JSON.stringify(input) };
    }
    case 'choice': {
      const text = typeof input === 'string' || typeof input === 'number' ? String(input) : undefined;
      if (text === undefined || !(spec.choices ?? []).includes(text))
        return { error: `"${shown(input)}" is not a valid choice.` };
      return { value: text };
    }
  }
}

/** Parses the writable fields of a request body; unknown keys are ignored, as DRF does. */
export function parseFields(body: unknown, specs: FieldSpecs, options: ParseOptions = {}): Parsed2 {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  if (!isPlainObject(body)) {
    errors.non_field_errors = [`Invalid data. Expected a dictionary, but got ${typeName(body)}.`];
    return { values, errors };
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (!(name in body) || body[name] === undefined) {
      if (spec.required && !options.partial) errors[name] = [REQUIRED];
      continue;
    }
    const r = parseOne(spec, body[name], options);
    if (r.error !== undefined) errors[name] = [r.error];
    else values[name] = r.value;
  }
  return { values, errors };
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

export function throwIfErrors(errors: FieldErrors): void {
  if (hasErrors(errors)) throw invalidFields('invalid', errors);
}

/** Splits parsed values into table columns and `extra` keys. */
function columnsOf(values: Record<string, unknown>, specs: FieldSpecs) {
  const columns: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const spec = specs[name];
    const column = spec?.column ?? name;
    if (column.startsWith('extra.')) {
      const key = column.slice(6);
      extra[key] =
        typeof value === 'string' &&
        (spec?.kind === 'json' || spec?.kind === 'stringlist' || spec?.kind === 'i18n')
          ? JSON.parse(value)
          : spec?.kind === 'bool'
            ? value === 1
            : value;
    } else columns[column] = value;
  }
  return { columns, extra };
}

export function insertRow(
  db: WritableDB,
  table: CatalogTable,
  values: Record<string, unknown>,
  specs: FieldSpecs,
  fixed: Record<string, unknown>,
): number {
  const { columns, extra } = columnsOf(values, specs);
  return writeRow(db, table, undefined, { ...columns, ...fixed }, extra);
}

export function updateRow(
  db: WritableDB,
  table: CatalogTable,
  id: number,
  values: Record<string, unknown>,
  specs: FieldSpecs,
  fixed: Record<string, unknown> = {},
): void {
  const { columns, extra } = columnsOf(values, specs);
  writeRow(db, table, id, { ...columns, ...fixed }, extra);
}

/** A primary key naming a row of this event (or null when allowed); DRF's messages otherwise. */
export function parseEventPk(
  db: ReadableDB,
  table: CatalogTable,
  eventId: number,
  input: unknown,
  options: { nullable?: boolean; eventColumn?: string } = {},
): Parsed<number | null> {
  if (input === null) return options.nullable ? { value: null } : { error: NOT_NULL };
  const pk = parsePk(input);
  if (pk.error !== undefined) return pk;
  const eventColumn = options.eventColumn ?? 'event_id';
  if (!catalogRowInEvent(db, table, pk.value, eventId, { eventColumn }))
    return { error: `Invalid pk "${pk.value}" - object does not exist.` };
  return { value: pk.value };
}

/** A list of primary keys, each naming a row of this event. */
export function parseEventPkList(
  db: ReadableDB,
  table: CatalogTable,
  eventId: number,
  input: unknown,
  options: { eventColumn?: string; join?: string } = {},
): Parsed<number[]> {
  if (!Array.isArray(input)) return { error: `Expected a list of items but got type "${typeName(input)}".` };
  const out: number[] = [];
  for (const v of input) {
    const pk = parsePk(v);
    if (pk.error !== undefined) return pk;
    if (!catalogRowInEvent(db, table, pk.value, eventId, options))
      return { error: `Invalid pk "${pk.value}" - object does not exist.` };
    if (!out.includes(pk.value)) out.push(pk.value);
  }
  return { value: out };
}
