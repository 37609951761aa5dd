import type { ReadableDB } from '../db/handles';
import { eventIdOf, type CatalogObjectKind } from '../db/queries/catalog/tables';
import type { FieldErrors } from '../errors';

/**
 * The catalog objects a command's fields may name: objects of the command's own event (pretix's related
 * fields read with the event's querysets). The commands check their inputs with these rules; a door that
 * reads a request calls the same checks while it parses, so that one answer lists every field's problem.
 */

/** Which event a catalog object belongs to; undefined when there is no such object. */
export type EventOfObject = (kind: CatalogObjectKind, id: number) => number | undefined;

/** The catalog's lookup of which event an object belongs to. */
export function eventOfObjectIn(db: ReadableDB): EventOfObject {
  return (kind, id) => eventIdOf(db, kind, id);
}

/** pretix's words for an id that names no object the field may take. */
export function missingObject(id: number): string {
  return `Invalid pk "${id}" - object does not exist.`;
}

/** Whether `id` names a `kind` object of the event. */
export function isObjectOfEvent(
  eventOf: EventOfObject,
  eventId: number,
  kind: CatalogObjectKind,
  id: number,
): boolean {
  return eventOf(kind, id) === eventId;
}

/** One field naming objects: its wire name, the kind of object and the ids it names (null: none). */
export type ObjectField = readonly [
  name: string,
  kind: CatalogObjectKind,
  ids: number | number[] | null | undefined,
];

/**
 * Per field, pretix's words for the first id that names no object of the event (DRF answers a list of
 * primary keys with its first bad one); empty when every field names only objects of the event.
 */
export function foreignObjectErrors(
  eventOf: EventOfObject,
  eventId: number,
  fields: readonly ObjectField[],
): FieldErrors {
  const errors: FieldErrors = {};
  for (const [name, kind, ids] of fields) {
    if (ids === null || ids === undefined) continue;
    const bad = (Array.isArray(ids) ? ids : [ids]).find((id) => !isObjectOfEvent(eventOf, eventId, kind, id));
    if (bad !== undefined) errors[name] = [missingObject(bad)];
  }
  return errors;
}
