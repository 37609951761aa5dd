import type { Database } from 'better-sqlite3';

/**
 * An order with everything its API resource shows, read in a handful of queries. The same shape is built
 * in memory for a simulated order (ids 0, code "PREVIEW"), so one serializer renders both.
 */
export interface OrderData {
  id: number;
  organizerSlug: string;
  eventId: number;
  eventSlug: string;
  code: string;
  status: 'n' | 'p' | 'e' | 'c';
  testmode: boolean;
  secret: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  datetime: string | null;
  expires: string;
  total: string;
  comment: string;
  custom_followup_at: string | null;
  checkin_attention: boolean;
  checkin_text: string | null;
  require_approval: boolean;
  valid_if_pending: boolean;
  sales_channel: string;
  last_modified: string;
  cancellation_date: string | null;
  api_meta: Record<string, unknown>;
  invoice_address: InvoiceAddressData | null;
  positions: PositionData[];
  fees: FeeData[];
  payments: PaymentData[];
  refunds: RefundData[];
  simulated: boolean;
}

export interface InvoiceAddressData {
  last_modified: string;
  is_business: boolean;
  company: string;
  name_cached: string;
  name_parts: Record<string, unknown>;
  street: string;
  zipcode: string;
  city: string;
  country: string;
  state: string;
  vat_id: string;
  vat_id_validated: boolean;
  internal_reference: string;
  custom_field: string | null;
}

export interface AnswerData {
  question: number;
  question_identifier: string;
  answer: string;
  options: number[];
  option_identifiers: string[];
}

export interface CheckinData {
  id: number;
  datetime: string;
  list: number;
  auto_checked_in: boolean;
  gate: number | null;
  /** The device's primary key and its organizer-internal number (pretix's `device` and `device_id`). */
  device: number | null;
  device_id: number | null;
  type: 'entry' | 'exit';
}

export interface PositionData {
  id: number;
  positionid: number;
  item: number;
  variation: number | null;
  subevent: number | null;
  price: string;
  tax_rate: string;
  tax_value: string;
  tax_rule: number | null;
  secret: string;
  pseudonymization_id: string;
  attendee_name_cached: string | null;
  attendee_name_parts: Record<string, unknown>;
  attendee_email: string | null;
  company: string | null;
  street: string | null;
  zipcode: string | null;
  city: string | null;
  country: string | null;
  state: string | null;
  voucher: number | null;
  addon_to: number | null;
  /** The parent's positionid; a simulated order shows this instead of the parent's id. */
  addon_to_positionid: number | null;
  is_bundled: boolean;
  canceled: boolean;
  blocked: string[] | null;
  valid_from: string | null;
  valid_until: string | null;
  seat: string | null;
  /** Item flags deciding whether this position gets a ticket (pretix's `generate_ticket`). */
  item_admission: boolean;
  item_generate_tickets: boolean | null;
  answers: AnswerData[];
  checkins: CheckinData[];
}

export interface FeeData {
  id: number;
  fee_type: string;
  value: string;
  description: string;
  internal_type: string;
  tax_rate: string;
  tax_value: string;
  tax_rule: number | null;
  canceled: boolean;
}

export interface PaymentData {
  id: number;
  local_id: number;
  state: string;
  amount: string;
  created: string;
  payment_date: string | null;
  provider: string | null;
  info: string;
}

export interface RefundData {
  local_id: number;
  state: string;
  source: string;
  amount: string;
  payment: number | null;
  created: string;
  execution_date: string | null;
  comment: string | null;
  provider: string | null;
  info: string;
}

interface OrderRow {
  id: number;
  organizer_slug: string;
  event_id: number;
  event_slug: string;
  code: string;
  status: 'n' | 'p' | 'e' | 'c';
  testmode: number;
  secret: string;
  email: string | null;
  phone: string | null;
  locale: string | null;
  datetime: string;
  expires: string;
  total: string;
  comment: string;
  custom_followup_at: string | null;
  checkin_attention: number;
  checkin_text: string | null;
  require_approval: number;
  valid_if_pending: number;
  sales_channel: string;
  last_modified: string;
  cancellation_date: string | null;
  api_meta: string;
}

const ORDER_SELECT = `
  SELECT o.*, e.slug AS event_slug, og.slug AS organizer_slug
  FROM orders o JOIN events e ON e.id = o.event_id JOIN organizers og ON og.id = o.organizer_id`;

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function orderIdByCode(db: Database, eventId: number, code: string): number | undefined {
  const row = db.prepare('SELECT id FROM orders WHERE event_id = ? AND code = ?').get(eventId, code) as
    { id: number } | undefined;
  return row?.id;
}

export function loadOrder(db: Database, orderId: number): OrderData | undefined {
  return loadOrders(db, [orderId])[0];
}

/** Loads many orders at once (a list page), keeping the order of `ids`. */
export function loadOrders(db: Database, ids: number[]): OrderData[] {
  if (ids.length === 0) return [];
  const marks = ids.map(() => '?').join(',');
  const rows = db.prepare(`${ORDER_SELECT} WHERE o.id IN (${marks})`).all(...ids) as OrderRow[];
  const byId = new Map<number, OrderData>();
  for (const r of rows) {
    byId.set(r.id, {
      id: r.id,
      organizerSlug: r.organizer_slug,
      eventId: r.event_id,
      eventSlug: r.event_slug,
      code: r.code,
      status: r.status,
      testmode: Boolean(r.testmode),
      secret: r.secret,
      email: r.email,
      phone: r.phone,
      locale: r.locale,
      datetime: r.datetime,
      expires: r.expires,
      total: r.total,
      comment: r.comment,
      custom_followup_at: r.custom_followup_at,
      checkin_attention: Boolean(r.checkin_attention),
      checkin_text: r.checkin_text,
      require_approval: Boolean(r.require_approval),
      valid_if_pending: Boolean(r.valid_if_pending),
      sales_channel: r.sales_channel,
      last_modified: r.last_modified,
      cancellation_date: r.cancellation_date,
      api_meta: parseJson(r.api_meta, {}),
      invoice_address: null,
      positions: [],
      fees: [],
      payments: [],
      refunds: [],
      simulated: false,
    });
  }

  for (const a of db
    .prepare(`SELECT * FROM invoice_addresses WHERE order_id IN (${marks})`)
    .all(...ids) as (Record<string, unknown> & { order_id: number })[]) {
    const order = byId.get(a.order_id);
    if (!order) continue;
    order.invoice_address = {
      last_modified: a.last_modified as string,
      is_business: Boolean(a.is_business),
      company: a.company as string,
      name_cached: a.name_cached as string,
      name_parts: parseJson(a.name_parts as string, {}),
      street: a.street as string,
      zipcode: a.zipcode as string,
      city: a.city as string,
      country: a.country as string,
      state: a.state as string,
      vat_id: a.vat_id as string,
      vat_id_validated: Boolean(a.vat_id_validated),
      internal_reference: a.internal_reference as string,
      custom_field: (a.custom_field as string | null) ?? null,
    };
  }

  interface PositionRow {
    id: number;
    order_id: number;
    positionid: number;
    item_id: number;
    variation_id: number | null;
    subevent_id: number | null;
    price: string;
    tax_rate: string;
    tax_value: string;
    tax_rule_id: number | null;
    secret: string;
    pseudonymization_id: string;
    attendee_name_cached: string | null;
    attendee_name_parts: string;
    attendee_email: string | null;
    company: string | null;
    street: string | null;
    zipcode: string | null;
    city: string | null;
    country: string | null;
    state: string | null;
    voucher_id: number | null;
    addon_to_id: number | null;
    parent_positionid: number | null;
    is_bundled: number;
    canceled: number;
    blocked: string | null;
    valid_from: string | null;
    valid_until: string | null;
    seat: string | null;
    admission: number;
    generate_tickets: number | null;
  }
  const positions = db
    .prepare(
      `SELECT op.*, parent.positionid AS parent_positionid, i.admission, i.generate_tickets
       FROM order_positions op
       JOIN items i ON i.id = op.item_id
       LEFT JOIN order_positions parent ON parent.id = op.addon_to_id
       WHERE op.order_id IN (${marks}) ORDER BY op.positionid, op.id`,
    )
    .all(...ids) as PositionRow[];
  const positionById = new Map<number, PositionData>();
  for (const p of positions) {
    const order = byId.get(p.order_id);
    if (!order) continue;
    const data: PositionData = {
      id: p.id,
      positionid: p.positionid,
      item: p.item_id,
      variation: p.variation_id,
      subevent: p.subevent_id,
      price: p.price,
      tax_rate: p.tax_rate,
      tax_value: p.tax_value,
      tax_rule: p.tax_rule_id,
      secret: p.secret,
      pseudonymization_id: p.pseudonymization_id,
      attendee_name_cached: p.attendee_name_cached,
      attendee_name_parts: parseJson(p.attendee_name_parts, {}),
      attendee_email: p.attendee_email,
      company: p.company,
      street: p.street,
      zipcode: p.zipcode,
      city: p.city,
      country: p.country,
      state: p.state,
      voucher: p.voucher_id,
      addon_to: p.addon_to_id,
      addon_to_positionid: p.parent_positionid,
      is_bundled: Boolean(p.is_bundled),
      canceled: Boolean(p.canceled),
      blocked: parseJson<string[] | null>(p.blocked, null),
      valid_from: p.valid_from,
      valid_until: p.valid_until,
      seat: p.seat,
      item_admission: Boolean(p.admission),
      item_generate_tickets: p.generate_tickets === null ? null : Boolean(p.generate_tickets),
      answers: [],
      checkins: [],
    };
    order.positions.push(data);
    positionById.set(p.id, data);
  }

  if (positionById.size > 0) {
    const posMarks = `SELECT id FROM order_positions WHERE order_id IN (${marks})`;
    const answers = db
      .prepare(
        `SELECT qa.id, qa.orderposition_id, qa.question_id, qa.answer, qa.options, q.identifier
         FROM question_answers qa JOIN questions q ON q.id = qa.question_id
         WHERE qa.orderposition_id IN (${posMarks}) ORDER BY qa.id`,
      )
      .all(...ids) as {
      orderposition_id: number;
      question_id: number;
      answer: string;
      options: string;
      identifier: string;
    }[];
    const optionIdentifier = db.prepare('SELECT identifier FROM question_options WHERE id = ?');
    for (const a of answers) {
      const pos = positionById.get(a.orderposition_id);
      if (!pos) continue;
      const options = parseJson<number[]>(a.options, []);
      pos.answers.push({
        question: a.question_id,
        question_identifier: a.identifier,
        answer: a.answer,
        options,
        option_identifiers: options.map(
          (id) => (optionIdentifier.get(id) as { identifier: string } | undefined)?.identifier ?? '',
        ),
      });
    }
    const checkins = db
      .prepare(
        `SELECT c.id, c.position_id, c.datetime, c.list_id, c.auto_checked_in, c.gate_id, c.device_id,
                d.device_id AS device_number, c.type
         FROM checkins c LEFT JOIN devices d ON d.id = c.device_id
         WHERE c.successful = 1 AND c.position_id IN (${posMarks}) ORDER BY c.datetime, c.id`,
      )
      .all(...ids) as {
      id: number;
      position_id: number;
      datetime: string;
      list_id: number;
      auto_checked_in: number;
      gate_id: number | null;
      device_id: number | null;
      device_number: number | null;
      type: 'entry' | 'exit';
    }[];
    for (const c of checkins) {
      positionById.get(c.position_id)?.checkins.push({
        id: c.id,
        datetime: c.datetime,
        list: c.list_id,
        auto_checked_in: Boolean(c.auto_checked_in),
        gate: c.gate_id,
        device: c.device_id,
        device_id: c.device_number,
        type: c.type,
      });
    }
  }

  for (const f of db
    .prepare(`SELECT * FROM order_fees WHERE order_id IN (${marks}) ORDER BY id`)
    .all(...ids) as (Record<string, unknown> & { order_id: number })[]) {
    byId.get(f.order_id)?.fees.push({
      id: f.id as number,
      fee_type: f.fee_type as string,
      value: f.value as string,
      description: f.description as string,
      internal_type: f.internal_type as string,
      tax_rate: f.tax_rate as string,
      tax_value: f.tax_value as string,
      tax_rule: (f.tax_rule_id as number | null) ?? null,
      canceled: Boolean(f.canceled),
    });
  }

  for (const p of db
    .prepare(`SELECT * FROM order_payments WHERE order_id IN (${marks}) ORDER BY local_id`)
    .all(...ids) as (Record<string, unknown> & { order_id: number })[]) {
    byId.get(p.order_id)?.payments.push({
      id: p.id as number,
      local_id: p.local_id as number,
      state: p.state as string,
      amount: p.amount as string,
      created: p.created as string,
      payment_date: (p.payment_date as string | null) ?? null,
      provider: (p.provider as string | null) ?? null,
      info: (p.info as string) ?? '{}',
    });
  }

  for (const r of db
    .prepare(
      `SELECT r.*, p.local_id AS payment_local_id FROM order_refunds r
       LEFT JOIN order_payments p ON p.id = r.payment_id
       WHERE r.order_id IN (${marks}) ORDER BY r.local_id`,
    )
    .all(...ids) as (Record<string, unknown> & { order_id: number })[]) {
    byId.get(r.order_id)?.refunds.push({
      local_id: r.local_id as number,
      state: r.state as string,
      source: r.source as string,
      amount: r.amount as string,
      payment: (r.payment_local_id as number | null) ?? null,
      created: r.created as string,
      execution_date: (r.execution_date as string | null) ?? null,
      comment: (r.comment as string | null) ?? null,
      provider: (r.provider as string | null) ?? null,
      info: (r.info as string) ?? '{}',
    });
  }

  return ids.map((id) => byId.get(id)).filter((o): o is OrderData => o !== undefined);
}

/** Bumps `last_modified`, as pretix's auto-now field does on every save of the order or its children. */
export function touchOrder(db: Database, orderId: number, now: Date): void {
  db.prepare('UPDATE orders SET last_modified = ? WHERE id = ?').run(now.toISOString(), orderId);
}
