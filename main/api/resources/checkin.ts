import type { Database } from 'better-sqlite3';
import { positionPdfData } from '../../engine/tickets';
import {
  checkinListCounts,
  checkinPositionDetails,
  checkinsOfPositions,
  type CheckinList,
  type CheckinPositionDetail,
} from '../../engine/checkin';
import { answersByPosition } from '../../engine/orders';
import { deviceSelf, type Device } from '../../engine/devices';
import { apiDatetime } from './order';
import {
  eventSlug,
  findItem,
  subeventById,
  variationById,
  variationsInOrder,
  type ItemVariationRow,
} from '../../engine/catalog';
import { questionsWithOptions } from '../../engine/questions';

/** pretix renders i18n fields as objects; stored as JSON text. */
function i18n(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function decimal(value: string | null): string | null {
  return value;
}

/** pretix's check-in list resource; `exclude` drops fields as scanners ask (`exclude=checkin_count`). */
export function checkinListResource(
  db: Database,
  list: CheckinList,
  exclude: string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: list.id,
    name: list.name,
    all_products: list.all_products,
    limit_products: list.limit_products,
    subevent: list.subevent_id,
    include_pending: list.include_pending,
    allow_multiple_entries: list.allow_multiple_entries,
    allow_entry_after_exit: list.allow_entry_after_exit,
    exit_all_at: list.exit_all_at,
    addon_match: list.addon_match,
    ignore_in_statistics: list.ignore_in_statistics,
    consider_tickets_used: list.consider_tickets_used,
    rules: list.rules,
    gates: list.gates,
    auto_checkin_sales_channels: [],
  };
  const wantsCounts = !exclude.includes('checkin_count') || !exclude.includes('position_count');
  if (wantsCounts) Object.assign(out, checkinListCounts(db, list));
  for (const field of exclude) delete out[field];
  return out;
}

/** The list excerpt in redeem answers. */
export function listExcerpt(db: Database, list: CheckinList): Record<string, unknown> {
  return {
    id: list.id,
    name: list.name,
    event: eventSlug(db, list.event_id),
    subevent: list.subevent_id,
    include_pending: list.include_pending,
  };
}

/** pretix's question resource, with its options. */
export function questionResources(db: Database, ids: number[]): Record<string, unknown>[] {
  return questionsWithOptions(db, ids).map(({ question: q, items, options: rows }) => {
    const options = rows.map((o) => ({
      id: o.id,
      identifier: o.identifier,
      position: o.position,
      answer: i18n(o.answer),
    }));
    return {
      id: q.id,
      question: i18n(q.question),
      help_text: i18n(q.help_text),
      type: q.type,
      required: q.required === 1,
      items,
      options,
      position: q.position,
      ask_during_checkin: q.ask_during_checkin === 1,
      show_during_checkin: q.show_during_checkin === 1,
      identifier: q.identifier,
      hidden: q.hidden === 1,
      print_on_invoice: q.print_on_invoice === 1,
      valid_number_min: q.valid_number_min,
      valid_number_max: q.valid_number_max,
      valid_date_min: q.valid_date_min,
      valid_date_max: q.valid_date_max,
      valid_datetime_min: q.valid_datetime_min,
      valid_datetime_max: q.valid_datetime_max,
      valid_string_length_max: q.valid_string_length_max,
      valid_file_portrait: false,
      dependency_question: q.dependency_question_id,
      dependency_values: JSON.parse(q.dependency_values) as unknown,
    };
  });
}

function itemExcerpt(db: Database, id: number): Record<string, unknown> {
  const i = findItem(db, id)!;
  const variations = variationsInOrder(db, id);
  return {
    id: i.id,
    name: i18n(i.name),
    internal_name: i.internal_name,
    description: i18n(i.description),
    category: i.category_id,
    default_price: i.default_price,
    admission: i.admission === 1,
    active: i.active === 1,
    position: i.position,
    checkin_attention: i.checkin_attention === 1,
    checkin_text: i.checkin_text,
    has_variations: variations.length > 0,
    variations: variations.map(variationExcerpt),
  };
}

function variationExcerpt(v: ItemVariationRow): Record<string, unknown> {
  return {
    id: v.id,
    value: i18n(v.value),
    active: v.active === 1,
    position: v.position,
    price: v.default_price,
    default_price: v.default_price,
    description: i18n(v.description),
    checkin_attention: v.checkin_attention === 1,
    checkin_text: v.checkin_text,
  };
}

function subeventExcerpt(db: Database, id: number): Record<string, unknown> {
  const s = subeventById(db, id)!;
  return {
    id: s.id,
    name: i18n(s.name),
    event: eventSlug(db, s.event_id),
    date_from: s.date_from,
    date_to: s.date_to,
    active: s.active === 1,
  };
}

export interface PositionResourceOptions {
  /** Only check-ins on these lists are shown. */
  listIds?: number[];
  expand?: string[];
  pdfData?: boolean;
}

/**
 * Order positions as pretix's check-in endpoints show them: the position resource plus `require_attention`
 * and `order__*` fields, check-ins limited to the requested lists, and the attendee name falling back to
 * the parent position and the invoice address.
 */
export function checkinPositionResources(
  db: Database,
  ids: number[],
  options: PositionResourceOptions = {},
): Record<string, unknown>[] {
  if (ids.length === 0) return [];
  const rows = checkinPositionDetails(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const checkins = checkinsOfPositions(db, ids, options.listIds);
  const expand = new Set(options.expand ?? []);
  const pdf = options.pdfData ? positionPdfData(db, ids) : undefined;
  const answersOf = answersByPosition(db, ids);
  return ids
    .map((id) => byId.get(id))
    .filter((r): r is CheckinPositionDetail => r !== undefined)
    .map((r) => {
      const ownName = r.attendee_name_cached || null;
      let name = ownName;
      let parts = r.attendee_name_parts;
      if (!name && r.parent_name) {
        name = r.parent_name;
        parts = r.parent_name_parts ?? '{}';
      }
      if (!name && r.invoice_name) {
        name = r.invoice_name;
        parts = r.invoice_name_parts ?? '{}';
      }
      const answers = (answersOf.get(r.id) ?? []).map((a) => ({
        question: expand.has('answers.question') ? questionResources(db, [a.question])[0] : a.question,
        answer: a.answer,
        question_identifier: a.question_identifier,
        options: a.options,
        option_identifiers: a.option_identifiers,
      }));
      const requireAttention =
        r.order_checkin_attention === 1 ||
        r.item_checkin_attention === 1 ||
        r.variation_checkin_attention === 1;
      const blocked = r.blocked ? (JSON.parse(r.blocked) as unknown) : null;
      const out: Record<string, unknown> = {
        id: r.id,
        order: r.order_code,
        positionid: r.positionid,
        item: expand.has('item') ? itemExcerpt(db, r.item_id) : r.item_id,
        variation:
          expand.has('variation') && r.variation_id !== null
            ? variationExcerpt(variationById(db, r.variation_id)!)
            : r.variation_id,
        price: decimal(r.price),
        attendee_name: name,
        attendee_name_parts: JSON.parse(parts) as unknown,
        company: r.company,
        street: r.street,
        zipcode: r.zipcode,
        city: r.city,
        country: r.country,
        state: r.state,
        attendee_email: r.attendee_email,
        voucher: r.voucher_id,
        voucher_budget_use: r.voucher_budget_use,
        tax_rate: r.tax_rate,
        tax_value: r.tax_value,
        tax_rule: r.tax_rule_id,
        secret: r.secret,
        addon_to: r.addon_to_id,
        subevent:
          expand.has('subevent') && r.subevent_id !== null
            ? subeventExcerpt(db, r.subevent_id)
            : r.subevent_id,
        checkins: (checkins.get(r.id) ?? []).map((c) => ({ ...c, datetime: apiDatetime(c.datetime) })),
        downloads: [],
        answers,
        pseudonymization_id: r.pseudonymization_id,
        seat: r.seat ? (JSON.parse(r.seat) as unknown) : null,
        canceled: r.canceled === 1,
        valid_from: apiDatetime(r.valid_from),
        valid_until: apiDatetime(r.valid_until),
        blocked: Array.isArray(blocked) && blocked.length ? blocked : null,
        require_attention: requireAttention,
        order__status: r.order_status,
        order__valid_if_pending: r.valid_if_pending === 1,
        order__require_approval: r.require_approval === 1,
        order__locale: r.order_locale,
      };
      if (pdf) out.pdf_data = pdf.get(r.id) ?? { images: {} };
      return out;
    });
}

/** pretix's organizer-level device resource. */
export function deviceResource(device: Device): Record<string, unknown> {
  return {
    device_id: device.device_id,
    unique_serial: device.unique_serial,
    initialization_token: device.initialization_token,
    all_events: device.all_events,
    limit_events: device.limit_events,
    revoked: device.revoked,
    name: device.name,
    created: apiDatetime(device.created),
    initialized: apiDatetime(device.initialized),
    hardware_brand: device.hardware_brand,
    hardware_model: device.hardware_model,
    os_name: device.os_name,
    os_version: device.os_version,
    software_brand: device.software_brand,
    software_version: device.software_version,
    security_profile: device.security_profile,
    gate: device.gate_id,
  };
}

/** The device object of `device/initialize`, `device/info` and friends. */
export function deviceSelfResource(db: Database, device: Device, apiToken: string): Record<string, unknown> {
  const { organizerSlug, gate } = deviceSelf(db, device);
  return {
    organizer: organizerSlug,
    device_id: device.device_id,
    unique_serial: device.unique_serial,
    api_token: apiToken,
    name: device.name,
    security_profile: device.security_profile,
    gate,
  };
}
