import { z } from 'zod';
import {
  eventOfObjectIn,
  isObjectOfEvent,
  type CatalogObjectKind,
  type EventOfObject,
} from '../../engine/catalog';
import type { EngineContext } from '../../engine/context';
import { invalidFields, pythonType, type FieldErrors } from '../../engine/errors';
import { Decimal, type Money } from '../../engine/money';
import { DRF, drf, drfErrorMap, drfFieldErrors } from './drf';

/**
 * Request bodies of pretix's catalog resources (events, items, quotas, questions, vouchers, ...). A resource
 * lists its writable fields as DRF fields keyed by their wire name; `readFields` reads a body field by field
 * (unknown keys are ignored, as DRF does), collecting DRF's message per field in the field order, so that a
 * serializer's own checks and lookups can add theirs to the same 400 body. The result has the fields'
 * camelCase names: the catalog room's typed inputs.
 */
export type Shape = Record<string, z.ZodType>;

/** `internal_name` → `internalName`, as a type. */
export type Camel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

type OptionalKeys<S extends Shape> = {
  [K in keyof S]: undefined extends z.output<S[K]> ? K : never;
}[keyof S];

/** The typed input a shape reads to: camelCase names, fields that may be left out optional. */
export type Fields<S extends Shape> = {
  [K in Exclude<keyof S, OptionalKeys<S>> as Camel<K & string>]: z.output<S[K]>;
} & {
  [K in OptionalKeys<S> as Camel<K & string>]?: Exclude<z.output<S[K]>, undefined>;
};

export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request body as an object, or DRF's 400 for anything else (`Invalid data. Expected a dictionary…`). */
export function bodyDict(body: unknown, code = 'invalid'): Record<string, unknown> {
  if (isPlainObject(body)) return body;
  throw invalidFields(code, { non_field_errors: [DRF.dict(body)] });
}

/** Parses one field; DRF's message(s) go under its name in `errors`. */
export function readField<T extends z.ZodType>(
  name: string,
  schema: T,
  input: unknown,
  errors: FieldErrors,
): { ok: true; value: z.output<T> } | { ok: false } {
  const result = schema.safeParse(input, { error: drfErrorMap });
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] }));
  Object.assign(errors, drfFieldErrors(new z.ZodError(issues), { [name]: input }));
  return { ok: false };
}

/**
 * Reads the fields of `shape` from `body` into camelCase values; each failing field's message goes into
 * `errors`. `partial` (PATCH): only the fields sent are read, none is required.
 */
export function readFields<S extends Shape>(
  shape: S,
  body: Record<string, unknown>,
  errors: FieldErrors,
  partial = false,
): Partial<Fields<S>> {
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(shape)) {
    const input = body[name];
    if (input === undefined && partial) continue;
    const r = readField(name, schema, input, errors);
    if (r.ok && r.value !== undefined) values[camel(name)] = r.value;
  }
  return values as Partial<Fields<S>>;
}

/** Throws the 400 when any field failed; otherwise the values are the whole typed input. */
export function complete<T>(values: Partial<T>, errors: FieldErrors, code = 'invalid'): T {
  if (Object.keys(errors).length > 0) throw invalidFields(code, errors);
  return values as T;
}

/** Reads a whole create body (or, `partial`, a PATCH body) and answers DRF's 400 on any error. */
export function readBody<S extends Shape>(shape: S, body: unknown, code?: string): Fields<S>;
export function readBody<S extends Shape>(
  shape: S,
  body: unknown,
  code: string | undefined,
  partial: true,
): Partial<Fields<S>>;
export function readBody<S extends Shape>(
  shape: S,
  body: unknown,
  code = 'invalid',
  partial = false,
): Partial<Fields<S>> {
  const errors: FieldErrors = {};
  const values = readFields(shape, bodyDict(body, code), errors, partial);
  return complete(values, errors, code);
}

/** A resource's create body and its PATCH body (every field optional), read with one field list. */
export function bodyReaders<S extends Shape>(shape: S) {
  return {
    body: (body: unknown): Fields<S> => readBody(shape, body),
    patch: (body: unknown): Partial<Fields<S>> => readBody(shape, body, undefined, true),
  };
}

/** pretix's I18nField: a text (the English one) or an object of language → text. */
export type I18n = Record<string, string>;

function i18n(options: { blankIsMissing?: boolean } = {}) {
  return drf.field<I18n>((input) => {
    if (typeof input === 'string') input = { en: input };
    if (!isPlainObject(input)) return { error: 'Invalid i18n string.' };
    const out: I18n = {};
    for (const [language, text] of Object.entries(input)) {
      if (text === null || text === undefined) continue;
      if (typeof text !== 'string') return { error: 'Invalid i18n string.' };
      out[language] = text;
    }
    // A required name given only as blanks is missing, as pretix's I18nField(required=True) says.
    if (options.blankIsMissing && Object.values(out).every((t) => t.trim() === ''))
      return { error: DRF.required };
    return { value: out };
  });
}

/** A JSONField holding an object (meta data). */
function dict() {
  return drf.field<Record<string, unknown>>((input) =>
    isPlainObject(input)
      ? { value: input }
      : { error: `Expected a dictionary of items but got type "${pythonType(input)}".` },
  );
}

/** pretix's meta data: an object of texts. */
function metaData() {
  return dict().transform((value, ctx): Record<string, string> => {
    for (const [k, v] of Object.entries(value))
      if (typeof v !== 'string') {
        ctx.addIssue({
          code: 'custom',
          input: value,
          message: `Meta data property '${k}' needs a text value.`,
        });
        return z.NEVER;
      }
    return value as Record<string, string>;
  });
}

/** A list of texts (sales channels, plugins, dependency values). */
function texts() {
  return drf.field<string[]>((input) => {
    if (!Array.isArray(input)) return { error: DRF.list(input) };
    if (!input.every((v): v is string => typeof v === 'string')) return { error: DRF.string };
    return { value: input };
  });
}

/** A money amount (13 digits, 2 places), as the engine's Money. */
function money(options: { digits?: number; min?: string; max?: string } = {}) {
  return drf.decimal(options).transform((text): Money => new Decimal(text));
}

/** A primary key that `exists` says names an object (DRF's PrimaryKeyRelatedField with its queryset). */
function pkOf(exists: (id: number) => boolean) {
  return drf.pk().superRefine((id, ctx) => {
    if (!exists(id)) ctx.addIssue({ code: 'custom', message: DRF.pkMissing(id), input: id });
  });
}

/**
 * Primary keys (DRF's ManyRelatedField): a list of ids that `exists` says name objects, each once; the
 * first bad one answers for the whole field, as DRF does.
 */
function pkListOf(exists: (id: number) => boolean) {
  const one = pkOf(exists);
  return drf.field<number[]>((input) => {
    if (!Array.isArray(input)) return { error: DRF.list(input) };
    const ids: number[] = [];
    for (const value of input) {
      const r = one.safeParse(value, { error: drfErrorMap });
      if (!r.success) return { error: r.error.issues[0]!.message };
      if (!ids.includes(r.data)) ids.push(r.data);
    }
    return { value: ids };
  });
}

/** Which catalog objects exist and in which event (the catalog room's read model). */
export type { EventOfObject };

/** The catalog's read model of which event an object belongs to, in the command's transaction. */
export function eventsOfObjects(ctx: EngineContext): EventOfObject {
  return eventOfObjectIn(ctx.db);
}

/** Fields naming catalog objects of one event: DRF's related fields with the catalog's rule of the event. */
export function eventObjects(eventOf: EventOfObject, eventId: number) {
  const inEvent = (kind: CatalogObjectKind) => (id: number) => isObjectOfEvent(eventOf, eventId, kind, id);
  return {
    pk: (kind: CatalogObjectKind) => pkOf(inEvent(kind)),
    pkList: (kind: CatalogObjectKind) => pkListOf(inEvent(kind)),
  };
}

/** The catalog's field kinds on top of DRF's own. */
export const catalogField = { i18n, dict, metaData, texts, money, pkOf, pkListOf };
