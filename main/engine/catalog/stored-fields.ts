import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import {
  catalogRowExtra,
  catalogRowInEvent,
  insertCatalogRow,
  updateCatalogRow,
  type CatalogTable,
} from '../db/queries/catalog/tables';
import { notFound } from '../errors';
import { Decimal, moneyText } from '../money';

/** pretix's I18nField: language → text. */
export type I18nText = Record<string, string>;

/**
 * How a catalog command stores its typed input: each field in the column of the same name in snake_case
 * (`internalName` → `internal_name`), except the fields listed as `extra`, kept in the row's `extra` JSON.
 * Booleans are 0/1 in a column, times ISO text, money text with two places, objects and lists JSON text.
 */
export type ExtraFields<T> = readonly (keyof T & string)[];

function columnName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function plainValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Decimal) return moneyText(value);
  return value;
}

function columnValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const plain = plainValue(value);
  return plain !== null && typeof plain === 'object' ? JSON.stringify(plain) : plain;
}

function split(input: object, extraFields: readonly string[]) {
  const columns: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (extraFields.includes(field)) extra[columnName(field)] = plainValue(value);
    else columns[columnName(field)] = columnValue(value);
  }
  return { columns, extra };
}

/** Writes a row's columns and `extra` keys: a new row when `id` is undefined (returns its id). */
export function writeRow(
  db: WritableDB,
  table: CatalogTable,
  id: number | undefined,
  columns: Record<string, unknown>,
  extra: Record<string, unknown>,
): number {
  const all: Record<string, unknown> = { ...columns };
  if (id === undefined) {
    if (Object.keys(extra).length > 0) all.extra = JSON.stringify(extra);
    return insertCatalogRow(db, table, all);
  }
  if (Object.keys(extra).length > 0) {
    const stored = catalogRowExtra(db, table, id);
    all.extra = JSON.stringify({ ...(stored !== undefined ? (JSON.parse(stored) as object) : {}), ...extra });
  }
  updateCatalogRow(db, table, id, all);
  return id;
}

/** Inserts a catalog row from a typed input plus `fixed` columns (the event, the owner); returns its id. */
export function insertInput(
  db: WritableDB,
  table: CatalogTable,
  input: object,
  extraFields: readonly string[],
  fixed: Record<string, unknown>,
): number {
  const { columns, extra } = split(input, extraFields);
  return writeRow(db, table, undefined, { ...columns, ...fixed }, extra);
}

/** Changes the fields given in `input` (and `fixed` columns); `extra` keys not given are kept. */
export function updateInput(
  db: WritableDB,
  table: CatalogTable,
  id: number,
  input: object,
  extraFields: readonly string[],
  fixed: Record<string, unknown> = {},
): void {
  const { columns, extra } = split(input, extraFields);
  writeRow(db, table, id, { ...columns, ...fixed }, extra);
}

/** 404 unless the row `id` of `table` belongs to the event. */
export function requireRow(db: ReadableDB, table: CatalogTable, eventId: number, id: number): void {
  if (!catalogRowInEvent(db, table, id, eventId)) throw notFound();
}

/** A catalog resource as its commands store and log it. */
export interface CatalogResource<T> {
  table: CatalogTable;
  /** Fields kept in the row's `extra` JSON. */
  extra: ExtraFields<T>;
  objectType: string;
  /** The audit log's action prefix: `pretix.event.taxrule` → `pretix.event.taxrule.added`. */
  action: string;
}

export function logChange<T>(
  ctx: EngineContext,
  resource: CatalogResource<T>,
  eventId: number,
  id: number,
  what: 'added' | 'changed' | 'deleted',
  data: object,
): void {
  ctx.audit({
    eventId,
    objectType: resource.objectType,
    objectId: id,
    actionType: `${resource.action}.${what}`,
    data,
  });
}

/** How a new object is stored beyond its input's own fields. */
export interface AddOptions {
  /** Columns set besides the input's fields (the owner, a generated identifier). */
  fixed?: Record<string, unknown>;
  /** The fields stored in the row when the input also holds what lives beside it (default: all of it). */
  fields?: object;
  /** Writes what lives beside the row (quota members, sub-event prices) once the row exists. */
  writeBeside?: (id: number) => void;
}

/** Stores a new object of the event from its typed input and logs the input; returns its id. */
export function addResource<T extends object>(
  ctx: EngineContext,
  resource: CatalogResource<T>,
  eventId: number,
  input: T,
  { fixed = {}, fields = input, writeBeside }: AddOptions = {},
): number {
  const id = insertInput(ctx.db, resource.table, fields, resource.extra, { event_id: eventId, ...fixed });
  writeBeside?.(id);
  logChange(ctx, resource, eventId, id, 'added', input);
  return id;
}

/** Changes an object of the event (404 when the event has none with this id) and logs it. */
export function changeResource<T extends object>(
  ctx: EngineContext,
  resource: CatalogResource<T>,
  eventId: number,
  id: number,
  input: Partial<T>,
  fixed: Record<string, unknown> = {},
): void {
  requireRow(ctx.db, resource.table, eventId, id);
  updateInput(ctx.db, resource.table, id, input, resource.extra, fixed);
  logChange(ctx, resource, eventId, id, 'changed', input);
}

/** Deletes an object of the event (404 when the event has none with this id) and logs it. */
export function deleteResource<T>(
  ctx: EngineContext,
  resource: CatalogResource<T>,
  eventId: number,
  id: number,
  remove: () => void,
): void {
  requireRow(ctx.db, resource.table, eventId, id);
  remove();
  logChange(ctx, resource, eventId, id, 'deleted', {});
}
