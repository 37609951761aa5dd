import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  checkinListRowsOfEvent,
  checkinListRowsOfOrganizer,
  deleteCheckinListRow,
  eventOfItem,
  eventOfSubevent,
  eventSeriesAndOrganizer,
  findCheckinListRow,
  gateIdsOfList,
  insertCheckinList,
  organizerOfEvent,
  organizerOfGate,
  productIdsOfList,
  replaceListRelations,
  touchOrdersCheckedInOnList,
  updateCheckinListRow,
  type CheckinListFields,
} from '../db/queries/checkin/lists';
import type { CheckinListRow } from '../db/rows';
import { invalidFields, notFound } from '../errors';
import type { JsonValue } from '../json';
import { validateRules } from './rules';

/** A check-in list as stored (pretix's CheckinList). */
export interface CheckinList {
  id: number;
  event_id: number;
  name: string;
  all_products: boolean;
  limit_products: number[];
  gates: number[];
  subevent_id: number | null;
  include_pending: boolean;
  allow_multiple_entries: boolean;
  allow_entry_after_exit: boolean;
  addon_match: boolean;
  exit_all_at: string | null;
  rules: JsonValue;
  consider_tickets_used: boolean;
  ignore_in_statistics: boolean;
}

function fromRow(db: ReadableDB, row: CheckinListRow): CheckinList {
  return {
    id: row.id,
    event_id: row.event_id,
    name: row.name,
    all_products: row.all_products === 1,
    limit_products: productIdsOfList(db, row.id),
    gates: gateIdsOfList(db, row.id),
    subevent_id: row.subevent_id,
    include_pending: row.include_pending === 1,
    allow_multiple_entries: row.allow_multiple_entries === 1,
    allow_entry_after_exit: row.allow_entry_after_exit === 1,
    addon_match: row.addon_match === 1,
    exit_all_at: row.exit_all_at,
    rules: JSON.parse(row.rules) as JsonValue,
    consider_tickets_used: row.consider_tickets_used === 1,
    ignore_in_statistics: row.ignore_in_statistics === 1,
  };
}

export function getCheckinList(db: ReadableDB, listId: number): CheckinList | undefined {
  const row = findCheckinListRow(db, listId);
  return row ? fromRow(db, row) : undefined;
}

/** The list of this event, or a 404. */
export function requireCheckinList(db: ReadableDB, eventId: number, listId: number): CheckinList {
  const list = getCheckinList(db, listId);
  if (!list || list.event_id !== eventId) throw notFound();
  return list;
}

export function listCheckinLists(
  db: ReadableDB,
  eventId: number,
  filter: { subeventId?: number | null; subeventMatch?: number } = {},
): CheckinList[] {
  const rows = checkinListRowsOfEvent(db, eventId);
  return rows
    .filter((r) => {
      if (filter.subeventId !== undefined && r.subevent_id !== filter.subeventId) return false;
      // subevent_match: lists of that date and lists valid for all dates.
      if (
        filter.subeventMatch !== undefined &&
        r.subevent_id !== null &&
        r.subevent_id !== filter.subeventMatch
      )
        return false;
      return true;
    })
    .map((r) => fromRow(db, r));
}

/** All check-in lists of an organizer's events, for the desk's picker. */
export function listOrganizerCheckinLists(db: ReadableDB, organizerId: number): CheckinList[] {
  const rows = checkinListRowsOfOrganizer(db, organizerId);
  return rows.map((r) => fromRow(db, r));
}

/**
 * A check-in list's fields, typed: every field on create, some on update. The list's rules below decide
 * whether the products, dates and gates it names are the event's.
 */
export interface CheckinListInput {
  name?: string;
  allProducts?: boolean;
  limitProducts?: number[];
  gates?: number[];
  subevent?: number | null;
  includePending?: boolean;
  allowMultipleEntries?: boolean;
  allowEntryAfterExit?: boolean;
  addonMatch?: boolean;
  exitAllAt?: Date | null;
  rules?: JsonValue;
  considerTicketsUsed?: boolean;
  ignoreInStatistics?: boolean;
}

/** What a check-in list's fields name, as the door looks it up before the room runs. */
export interface CheckinListLookups {
  itemExists(id: number): boolean;
  subeventExists(id: number): boolean;
}

export function checkinListLookups(db: ReadableDB): CheckinListLookups {
  return {
    itemExists: (id) => eventOfItem(db, id) !== undefined,
    subeventExists: (id) => eventOfSubevent(db, id) !== undefined,
  };
}

/** The list's yes/no fields: the input's name and the stored list's. */
const BOOLEAN_FIELDS = [
  ['allProducts', 'all_products'],
  ['includePending', 'include_pending'],
  ['allowMultipleEntries', 'allow_multiple_entries'],
  ['allowEntryAfterExit', 'allow_entry_after_exit'],
  ['addonMatch', 'addon_match'],
  ['considerTicketsUsed', 'consider_tickets_used'],
  ['ignoreInStatistics', 'ignore_in_statistics'],
] as const;

type NormalizedList = Omit<CheckinList, 'id' | 'event_id'>;

/** A full (create) or partial (update) input over the current values, checked as pretix's serializer does. */
function normalize(
  db: ReadableDB,
  eventId: number,
  input: CheckinListInput,
  current: NormalizedList | undefined,
): NormalizedList {
  const out: NormalizedList = current
    ? { ...current }
    : {
        name: '',
        all_products: false,
        limit_products: [],
        gates: [],
        subevent_id: null,
        include_pending: false,
        allow_multiple_entries: false,
        allow_entry_after_exit: true,
        addon_match: false,
        exit_all_at: null,
        rules: {},
        consider_tickets_used: true,
        ignore_in_statistics: false,
      };

  if (input.name !== undefined) out.name = input.name;
  for (const [field, stored] of BOOLEAN_FIELDS) {
    const value = input[field];
    if (value !== undefined) out[stored] = value;
  }
  if (input.limitProducts !== undefined) out.limit_products = [...new Set(input.limitProducts)];
  if (input.gates !== undefined) out.gates = [...new Set(input.gates)];
  if (input.subevent !== undefined) out.subevent_id = input.subevent;
  if (input.exitAllAt !== undefined) out.exit_all_at = input.exitAllAt?.toISOString() ?? null;
  if (input.rules !== undefined) out.rules = input.rules;

  // Object-level checks, as pretix's CheckinListSerializer.validate.
  const nonField: string[] = [];
  for (const id of out.limit_products) {
    if (eventOfItem(db, id) !== eventId) {
      nonField.push('One or more items do not belong to this event.');
      break;
    }
  }
  const event = eventSeriesAndOrganizer(db, eventId);
  if (out.subevent_id !== null) {
    // A list of a single event cannot name a date, even one of this event.
    if (eventOfSubevent(db, out.subevent_id) !== eventId || !event.has_subevents)
      nonField.push('The subevent does not belong to this event.');
  }
  for (const gateId of out.gates) {
    const gateOrganizer = organizerOfGate(db, gateId);
    if (gateOrganizer === undefined || gateOrganizer !== event.organizer_id) {
      nonField.push('One or more gates do not belong to this organizer.');
      break;
    }
  }
  const ruleError = validateRules(out.rules);
  if (ruleError) nonField.push(ruleError);
  if (nonField.length) throw invalidFields('invalid', { non_field_errors: nonField });
  return out;
}

function storedFields(list: NormalizedList): CheckinListFields {
  return {
    name: list.name,
    all_products: list.all_products ? 1 : 0,
    subevent_id: list.subevent_id,
    include_pending: list.include_pending ? 1 : 0,
    allow_multiple_entries: list.allow_multiple_entries ? 1 : 0,
    allow_entry_after_exit: list.allow_entry_after_exit ? 1 : 0,
    addon_match: list.addon_match ? 1 : 0,
    exit_all_at: list.exit_all_at,
    rules: JSON.stringify(list.rules),
    consider_tickets_used: list.consider_tickets_used ? 1 : 0,
    ignore_in_statistics: list.ignore_in_statistics ? 1 : 0,
  };
}

export function createCheckinList(
  ctx: EngineContext,
  input: { eventId: number; data: CheckinListInput & { name: string } },
): CheckinList {
  const list = normalize(ctx.db, input.eventId, input.data, undefined);
  const id = insertCheckinList(ctx.db, input.eventId, storedFields(list));
  replaceListRelations(ctx.db, id, list.limit_products, list.gates);
  ctx.audit({
    organizerId: organizerOfEvent(ctx.db, input.eventId),
    eventId: input.eventId,
    objectType: 'checkinlist',
    objectId: id,
    actionType: 'pretix.event.checkinlist.added',
    data: input.data,
  });
  return getCheckinList(ctx.db, id)!;
}

export function updateCheckinList(
  ctx: EngineContext,
  input: { eventId: number; listId: number; data: CheckinListInput },
): CheckinList {
  const current = requireCheckinList(ctx.db, input.eventId, input.listId);
  const { id: _id, event_id: _eventId, ...fields } = current;
  const list = normalize(ctx.db, input.eventId, input.data, fields);
  updateCheckinListRow(ctx.db, input.listId, storedFields(list));
  replaceListRelations(ctx.db, input.listId, list.limit_products, list.gates);
  ctx.audit({
    organizerId: organizerOfEvent(ctx.db, input.eventId),
    eventId: input.eventId,
    objectType: 'checkinlist',
    objectId: input.listId,
    actionType: 'pretix.event.checkinlist.changed',
    data: input.data,
  });
  return getCheckinList(ctx.db, input.listId)!;
}

/** Deletes a list with its check-ins (pretix cascades them too). */
export function deleteCheckinList(ctx: EngineContext, input: { eventId: number; listId: number }): void {
  const list = requireCheckinList(ctx.db, input.eventId, input.listId);
  // Orders whose check-ins disappear change for the scanners' incremental sync.
  touchOrdersCheckedInOnList(ctx.db, list.id, ctx.now.toISOString());
  deleteCheckinListRow(ctx.db, list.id);
  ctx.audit({
    organizerId: organizerOfEvent(ctx.db, input.eventId),
    eventId: input.eventId,
    objectType: 'checkinlist',
    objectId: list.id,
    actionType: 'pretix.event.checkinlist.deleted',
    data: { name: list.name },
  });
}

/** Whether a position's product and date are admitted by the list (pretix's product and date checks). */
export function listAdmitsProduct(
  list: CheckinList,
  position: { item_id: number; subevent_id: number | null },
): boolean {
  if (!list.all_products && !list.limit_products.includes(position.item_id)) return false;
  if (list.subevent_id !== null && position.subevent_id !== list.subevent_id) return false;
  return true;
}
