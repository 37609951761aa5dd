import { z } from 'zod';
import type { CheckinListInput, CheckinListLookups, CheckinType } from '../../engine/checkin';
import { FAILED_CHECKIN_REASONS, SOURCE_TYPES, type FailedCheckinInput } from '../../engine/checkin';
import { invalidFields, refusedList, shown } from '../../engine/errors';
import type { JsonValue } from '../../engine/json';
import { checked } from './checked';
import { DRF, drf, drfField, drfFieldErrors, drfErrorMap, parseBody } from './drf';

/**
 * Request bodies of pretix's check-in endpoints (check-in lists, redeem, annul, failed check-ins), read
 * once at the door with pretix's messages; the check-in room receives the typed values.
 */

/** pretix's JSONField for list rules: an object, a list or a boolean; null clears them. */
const rules = drfField<JsonValue>((input) =>
  typeof input === 'object' || typeof input === 'boolean'
    ? { value: input as JsonValue }
    : { error: 'Value must be valid JSON.' },
);

/** A check-in list's fields (`POST …/checkinlists/` with `create`, `PATCH`/`PUT` without). */
function checkinListSchema(lookups: CheckinListLookups & { timeZone: string }, mode: 'create' | 'update') {
  const name = drf.string({ maxLength: 190 });
  const flag = () => drf.boolean().optional();
  return z
    .object({
      name: mode === 'create' ? name : name.optional(),
      all_products: flag(),
      include_pending: flag(),
      allow_multiple_entries: flag(),
      allow_entry_after_exit: flag(),
      addon_match: flag(),
      consider_tickets_used: flag(),
      ignore_in_statistics: flag(),
      limit_products: drf.pkList(lookups.itemExists).optional(),
      gates: drf.pkList().optional(),
      subevent: drf.pk(lookups.subeventExists).nullable().optional(),
      exit_all_at: drf.datetime(lookups.timeZone).nullable().optional(),
      rules: rules
        .nullable()
        .optional()
        .transform((value) => (value === null ? {} : value)),
    })
    .transform((d): CheckinListInput => ({
      name: d.name,
      allProducts: d.all_products,
      includePending: d.include_pending,
      allowMultipleEntries: d.allow_multiple_entries,
      allowEntryAfterExit: d.allow_entry_after_exit,
      addonMatch: d.addon_match,
      considerTicketsUsed: d.consider_tickets_used,
      ignoreInStatistics: d.ignore_in_statistics,
      limitProducts: d.limit_products,
      gates: d.gates,
      subevent: d.subevent,
      exitAllAt: d.exit_all_at,
      rules: d.rules,
    }));
}

/** A check-in list's fields from a request body, or DRF's 400. */
export function checkinListBody(
  body: Record<string, unknown>,
  lookups: CheckinListLookups & { timeZone: string },
  mode: 'create',
): CheckinListInput & { name: string };
export function checkinListBody(
  body: Record<string, unknown>,
  lookups: CheckinListLookups & { timeZone: string },
  mode: 'update',
): CheckinListInput;
export function checkinListBody(
  body: Record<string, unknown>,
  lookups: CheckinListLookups & { timeZone: string },
  mode: 'create' | 'update',
): CheckinListInput {
  return parseBody(checkinListSchema(lookups, mode), body);
}

/** The lists a redeem or annul names, looked up as the caller may see them. */
export interface RedeemListLookups {
  /** The event of this list when the caller may use it; undefined for an unknown or foreign list. */
  eventOfList(id: number): number | undefined;
}

/**
 * Parses one field with `schema`; its first message (DRF's words) answers alone, as pretix's redeem view
 * reports one problem at a time.
 */
function field<S extends z.ZodType>(name: string, schema: S, input: unknown, code = 'invalid'): z.output<S> {
  const result = schema.safeParse(input, { error: drfErrorMap });
  if (result.success) return result.data;
  const errors = drfFieldErrors(result.error, input);
  throw invalidFields(input === undefined || input === null ? 'required' : code, {
    [name]: errors.non_field_errors ?? [DRF.required],
  });
}

/** `lists`: known, visible lists, at least one, one per event. */
function redeemLists(input: unknown, lookups: RedeemListLookups): number[] {
  const ids = field(
    'lists',
    drf.pkList((id) => lookups.eventOfList(id) !== undefined),
    input,
  );
  if (ids.length === 0) throw refusedList('no_list', 'No check-in list passed.');
  const events = new Set(ids.map((id) => lookups.eventOfList(id)));
  if (events.size !== ids.length)
    throw refusedList('two_lists', 'Selecting two check-in lists from the same event is unsupported.');
  return ids;
}

const checkinType = drf.choice(['entry', 'exit'] as const);
const optionalFlag = drf.boolean().nullable().optional();
const scanTime = (timeZone: string) =>
  drfField<Date | undefined>((input) => {
    if (input === '') return { value: undefined };
    const parsed = drf.datetime(timeZone).safeParse(input);
    return parsed.success ? { value: parsed.data } : { error: DRF.datetime };
  })
    .nullable()
    .optional();

/** A redeem request's fields (`checkinrpc/redeem/` and the legacy per-list endpoint), typed. */
export interface RedeemRequest {
  secret: string;
  lists: number[];
  type: CheckinType;
  datetime?: Date;
  force: boolean;
  ignoreUnpaid: boolean;
  questionsSupported: boolean;
  nonce?: string;
  answers: Record<string, JsonValue>;
}

/**
 * pretix's redeem input, field by field in its order, the first problem answering alone. On the legacy
 * endpoint (`legacy`) the secret comes from the path and a bad `type` is a plain message.
 */
export function redeemBody(
  body: Record<string, unknown>,
  lookups: RedeemListLookups,
  options: { legacy: boolean; timeZone: string },
): RedeemRequest {
  let type: CheckinType = 'entry';
  if (body.type !== undefined && body.type !== null) {
    const parsed = checkinType.safeParse(body.type);
    if (!parsed.success && options.legacy) throw refusedList('invalid_type', 'Invalid check-in type.');
    type = field('type', checkinType, body.type);
  }
  const lists = redeemLists(body.lists, lookups);
  const secret = field('secret', drf.string({ trim: false }), body.secret, 'invalid');
  const datetime = field('datetime', scanTime(options.timeZone), body.datetime) ?? undefined;
  const force = field('force', optionalFlag, body.force) ?? false;
  const ignoreUnpaid = field('ignore_unpaid', optionalFlag, body.ignore_unpaid) ?? false;
  const questionsSupported = field('questions_supported', optionalFlag, body.questions_supported) ?? true;
  // Scans from NFC media are redeemed like barcodes; the type is only checked.
  field('source_type', drf.choice(SOURCE_TYPES).nullable().optional(), body.source_type);
  const nonce =
    body.nonce === undefined || body.nonce === null || body.nonce === ''
      ? undefined
      : shown(body.nonce).slice(0, 190);
  const answers =
    body.answers && typeof body.answers === 'object' && !Array.isArray(body.answers)
      ? (body.answers as Record<string, JsonValue>)
      : {};
  return {
    secret,
    lists,
    type,
    datetime,
    force,
    ignoreUnpaid,
    questionsSupported,
    nonce,
    answers,
  };
}

/** `checkinrpc/annul/`: the lists, the check-in's nonce, when, and why. */
export function annulBody(
  body: Record<string, unknown>,
  lookups: RedeemListLookups,
): { lists: number[]; nonce: string; datetime?: Date; errorExplanation: string | null } {
  const lists = redeemLists(body.lists, lookups);
  if (typeof body.nonce !== 'string' || !body.nonce)
    throw invalidFields('required', { nonce: [DRF.required] });
  const datetime = field('datetime', scanTime('UTC'), body.datetime) ?? undefined;
  return {
    lists,
    nonce: body.nonce,
    datetime,
    errorExplanation: typeof body.error_explanation === 'string' ? body.error_explanation : null,
  };
}

/** What a failed check-in upload names, looked up in the list's event. */
export interface FailedCheckinLookups {
  positionExists(id: number): boolean;
  itemExists(id: number): boolean;
  variationExists(id: number): boolean;
  subeventExists(id: number): boolean;
}

/** `…/checkinlists/{id}/failed_checkins/`: a scan a scanner refused offline, every field's problem at once. */
export function failedCheckinBody(
  body: Record<string, unknown>,
  lookups: FailedCheckinLookups,
): FailedCheckinInput {
  const reasons = FAILED_CHECKIN_REASONS.filter((r) => r !== 'annulled');
  const schema = z.object({
    raw_barcode: checked<string>((input) =>
      input === undefined || input === null
        ? { error: DRF.required }
        : typeof input !== 'string' || !input
          ? { error: DRF.blank }
          : { value: input },
    ),
    error_reason: checked<(typeof reasons)[number]>((input) =>
      input === undefined
        ? { error: DRF.required }
        : (reasons as readonly unknown[]).includes(input)
          ? { value: input as (typeof reasons)[number] }
          : { error: DRF.choice(input) },
    ),
    type: checkinType.nullable().optional(),
    position: drf.pk(lookups.positionExists).nullable().optional(),
    raw_item: drf.pk(lookups.itemExists).nullable().optional(),
    raw_variation: drf.pk(lookups.variationExists).nullable().optional(),
    raw_subevent: drf.pk(lookups.subeventExists).nullable().optional(),
    datetime: checked<Date | undefined>((input) => {
      if (input === undefined || input === null || input === '') return { value: undefined };
      const parsed = drf.datetime('UTC').safeParse(input);
      return parsed.success ? { value: parsed.data } : { error: 'Datetime has wrong format.' };
    }).optional(),
    nonce: z.unknown().optional(),
    error_explanation: z.unknown().optional(),
  });
  const d = parseBody(schema, body);
  return {
    rawBarcode: d.raw_barcode,
    errorReason: d.error_reason,
    type: d.type ?? 'entry',
    positionId: d.position ?? null,
    rawItemId: d.raw_item ?? null,
    rawVariationId: d.raw_variation ?? null,
    rawSubeventId: d.raw_subevent ?? null,
    datetime: d.datetime ?? undefined,
    nonce: typeof d.nonce === 'string' && d.nonce ? d.nonce : null,
    errorExplanation: typeof d.error_explanation === 'string' ? d.error_explanation : null,
  };
}
