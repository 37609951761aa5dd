/**
 * What the desk's Check-in and device screens call. Reads take the database; writes take an
 * EngineContext and run through `engine.command(fn, actor)` like every other command.
 */
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { deskTicketFacts, eventSlugAndName } from '../db/queries/checkin/desk';
import { i18nText } from '../i18n';
import { listOrganizerCheckinLists, requireCheckinList, type CheckinList } from './lists';
import { checkinsOfPositions, searchPositions } from '../db/queries/checkin/positions';
import { checkinListStatus, type ListStatus } from './list-status';
import { redeem, type CheckinType, type RedeemResult } from './redeem';

export {
  createCheckinList,
  updateCheckinList,
  deleteCheckinList,
  getCheckinList,
  requireCheckinList,
  listCheckinLists,
  listOrganizerCheckinLists,
  checkinListLookups,
  type CheckinList,
  type CheckinListInput,
  type CheckinListLookups,
} from './lists';
export { checkinFilterChoiceExists, listOfOrganizer, organizerOfList } from './list-owner';
export {
  redeem,
  annulCheckin,
  recordFailedCheckin,
  eventOfRedeemableList,
  failedCheckinLookups,
  FAILED_CHECKIN_REASONS,
  SOURCE_TYPES,
  type CheckinType,
  type FailedCheckinInput,
  type RedeemInput,
  type RedeemResult,
  type RefusalReason,
} from './redeem';
export { checkinListStatus, checkinListCounts, type ListStatus } from './list-status';
export {
  checkinsOfPositions,
  eventCheckins,
  searchPositions,
  checkinPositionDetails,
  type CheckinFilters,
  type CheckinPositionDetail,
  type CheckinRecord,
  type PositionCheckin,
  type SearchFilters,
} from '../db/queries/checkin/positions';

/** A check-in list with its event, for the desk's list picker. */
export interface DeskCheckinList {
  id: number;
  name: string;
  eventId: number;
  eventSlug: string;
  eventName: string;
  subeventId: number | null;
}

export function deskCheckinLists(db: ReadableDB, organizerId: number): DeskCheckinList[] {
  return listOrganizerCheckinLists(db, organizerId).map((l) => {
    const event = eventSlugAndName(db, l.event_id);
    return {
      id: l.id,
      name: l.name,
      eventId: l.event_id,
      eventSlug: event.slug,
      eventName: i18nText(event.name),
      subeventId: l.subevent_id,
    };
  });
}

/** One ticket as the desk shows it in search results and after a scan. */
export interface DeskTicket {
  positionId: number;
  orderCode: string;
  orderStatus: string;
  positionid: number;
  itemName: string;
  variationName: string | null;
  attendeeName: string | null;
  email: string | null;
  secret: string;
  /** Successful check-ins on the list, oldest first. */
  checkins: { datetime: string; type: 'entry' | 'exit' }[];
}

export function deskTickets(db: ReadableDB, positionIds: number[], listId: number): DeskTicket[] {
  if (!positionIds.length) return [];
  const checkins = checkinsOfPositions(db, positionIds, [listId]);
  return positionIds.map((id) => {
    const r = deskTicketFacts(db, id);
    return {
      positionId: r.id,
      orderCode: r.code,
      orderStatus: r.status,
      positionid: r.positionid,
      itemName: i18nText(r.item_name),
      variationName: r.variation_name ? i18nText(r.variation_name) : null,
      attendeeName: r.attendee || null,
      email: r.email,
      secret: r.secret,
      checkins: (checkins.get(id) ?? []).map((c) => ({ datetime: c.datetime, type: c.type })),
    };
  });
}

/** Searches tickets of a list by secret, order code, attendee name or e-mail (every order status). */
export function deskSearch(
  db: ReadableDB,
  input: { eventId: number; listId: number; query: string; limit?: number },
): { count: number; tickets: DeskTicket[] } {
  const list: CheckinList = requireCheckinList(db, input.eventId, input.listId);
  const found = searchPositions(db, [list], { search: input.query.trim() || undefined, ignoreStatus: true });
  return { count: found.count, tickets: deskTickets(db, found.load(input.limit ?? 50, 0), list.id) };
}

export function deskListStatus(db: ReadableDB, input: { eventId: number; listId: number }): ListStatus {
  return checkinListStatus(db, requireCheckinList(db, input.eventId, input.listId));
}

/** Redeems a code at the desk (scanned or typed) on one list; the desk answers questions itself. */
export function deskRedeem(
  ctx: EngineContext,
  input: {
    organizerId: number;
    listId: number;
    secret: string;
    type?: CheckinType;
    force?: boolean;
    ignoreUnpaid?: boolean;
    answers?: Record<string, string>;
    nonce?: string;
  },
): { result: RedeemResult; ticket: DeskTicket | null } {
  const result = redeem(ctx, {
    organizerId: input.organizerId,
    secret: input.secret,
    lists: [input.listId],
    type: input.type ?? 'entry',
    force: input.force ?? false,
    ignoreUnpaid: input.ignoreUnpaid ?? false,
    answers: input.answers ?? {},
    nonce: input.nonce,
  });
  const ticket = result.positionId
    ? (deskTickets(ctx.db, [result.positionId], input.listId)[0] ?? null)
    : null;
  return { result, ticket };
}
