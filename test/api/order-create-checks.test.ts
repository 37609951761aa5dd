import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../main/api/server';
import { createApiToken } from '../../main/engine/auth/tokens';
import type { Engine } from '../../main/engine/engine';
import {
  fixtureEvent,
  fixtureItem,
  fixtureQuestion,
  fixtureQuota,
  fixtureTaxRule,
  fixtureVariation,
  fixtureVoucher,
} from '../fixtures/catalog';
import { testEngine } from '../helpers';

/**
 * Every check of pretix's OrderCreateSerializer, OrderPositionCreateSerializer, AnswerSerializer,
 * OrderFeeCreateSerializer and InvoiceAddressSerializer (src/pretix/api/serializers/order.py), one case
 * each, with the pretix line it follows; docs/api.md lists the same checks. Each refused request must
 * change nothing.
 */

let app: FastifyInstance;
let engine: Engine;
let token: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  const t = testEngine();
  engine = t.engine;
  const ev = fixtureEvent(engine, t.organizerId, { slug: 'gala' });
  const other = fixtureEvent(engine, t.organizerId, { slug: 'other' });
  fixtureEvent(engine, t.organizerId, { slug: 'tour', has_subevents: true });
  ids.item = fixtureItem(engine, ev, { price: '10.00' });
  ids.inactive = fixtureItem(engine, ev, { price: '10.00' });
  engine.db.prepare('UPDATE items SET active = 0 WHERE id = ?').run(ids.inactive);
  ids.noquota = fixtureItem(engine, ev, { price: '10.00', name: 'Loose' });
  ids.withVar = fixtureItem(engine, ev, { price: '10.00' });
  ids.v1 = fixtureVariation(engine, ids.withVar, 'A');
  ids.otherItem = fixtureItem(engine, other, { price: '10.00' });
  ids.small = fixtureItem(engine, ev, { price: '10.00' });
  fixtureQuota(engine, ev, 100, { items: [ids.item, ids.inactive, ids.withVar], variations: [ids.v1] });
  fixtureQuota(engine, ev, 0, { items: [ids.small], name: 'Sold out' });
  ids.qs = fixtureQuestion(engine, ev, { type: 'S', items: [ids.item] }).id;
  const qc = fixtureQuestion(engine, ev, { type: 'C', items: [ids.item], options: ['a', 'b'] });
  ids.qc = qc.id;
  ids.o1 = qc.options[0]!;
  ids.o2 = qc.options[1]!;
  ids.qb = fixtureQuestion(engine, ev, { type: 'B', items: [ids.item] }).id;
  ids.qn = fixtureQuestion(engine, ev, { type: 'N', items: [ids.item] }).id;
  ids.qd = fixtureQuestion(engine, ev, { type: 'D', items: [ids.item] }).id;
  ids.otherTr = fixtureTaxRule(engine, other);
  fixtureVoucher(engine, ev, 'EXPIREDX', { max_usages: 1, redeemed: 0, valid_until: '2020-01-01T00:00:00Z' });
  fixtureVoucher(engine, ev, 'USEDUPXX', { max_usages: 1, redeemed: 1 });
  fixtureVoucher(engine, ev, 'OTHERITM', { max_usages: 1, redeemed: 0, item_id: ids.small });
  token = engine.command((ctx) => createApiToken(ctx, { organizerId: t.organizerId, name: 'a' })).token;
  app = await buildApiServer({ engine });
  const first = await post({
    email: 'a@b.cd',
    code: 'ABCDE',
    positions: [{ item: ids.item, secret: 'dupsecret' }],
  });
  expect(first.statusCode).toBe(201);
});
afterAll(async () => {
  await app.close();
});

function post(body: Record<string, unknown>, slug = 'gala') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/organizers/box-office/events/${slug}/orders/`,
    headers: { authorization: `Token ${token}` },
    payload: body,
  });
}

const order = (extra: Record<string, unknown> = {}) => ({
  email: 'a@b.cd',
  positions: [{ item: ids.item }],
  ...extra,
});
const pos = (extra: Record<string, unknown>) => ({
  email: 'a@b.cd',
  positions: [{ item: ids.item, ...extra }],
});
const posErr = (errors: Record<string, unknown>) => ({ positions: [errors] });

/** [pretix line, request body, expected 400 body] */
const CASES: [string, () => Record<string, unknown>, () => unknown][] = [
  [
    'validate_payment_provider: if pp not in self.context["event"].get_payment_providers()',
    () => order({ payment_provider: 'nope' }),
    () => ({ payment_provider: ['The given payment provider is not known.'] }),
  ],
  [
    'validate_sales_channel: if channel not in get_all_sales_channels()',
    () => order({ sales_channel: 'nope' }),
    () => ({ sales_channel: ['Unknown sales channel.'] }),
  ],
  [
    'validate_code: Order.objects.filter(event__organizer=..., code=code).exists()',
    () => order({ code: 'ABCDE' }),
    () => ({ code: ['This order code is already in use.'] }),
  ],
  [
    "validate_code: any(c not in 'ABCDEFGHJKLMNPQRSTUVWXYZ1234567890' for c in code)",
    () => order({ code: 'ABCDO' }),
    () => ({ code: ['This order code contains invalid characters.'] }),
  ],
  [
    'code = serializers.CharField(max_length=16, min_length=5)',
    () => order({ code: 'ABC' }),
    () => ({ code: ['Ensure this field has at least 5 characters.'] }),
  ],
  [
    'validate_positions: if not data',
    () => ({ email: 'a@b.cd', positions: [] }),
    () => ({ positions: ['An order cannot be empty.'] }),
  ],
  [
    'validate_positions: if not all([p.get("positionid") for p in data])',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.item, positionid: 1 }, { item: ids.item }] }),
    () => ({
      positions: [
        {},
        { positionid: ['If you set position IDs manually, you need to do so for all positions.'] },
      ],
    }),
  ],
  [
    'validate_positions: if p["positionid"] != last_posid + 1',
    () => ({
      email: 'a@b.cd',
      positions: [
        { item: ids.item, positionid: 1 },
        { item: ids.item, positionid: 3 },
      ],
    }),
    () => ({ positions: [{}, { positionid: ['Position IDs need to be consecutive.'] }] }),
  ],
  [
    'validate_positions: elif any([p.get("addon_to") for p in data])',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.item }, { item: ids.item, addon_to: 1 }] }),
    () => {
      const e = {
        positionid: ['If you set addon_to on any position, you need to specify position IDs manually.'],
      };
      return { positions: [e, e] };
    },
  ],
  [
    "status = serializers.ChoiceField(choices=(('n', ...), ('p', ...)))",
    () => order({ status: 'x' }),
    () => ({ status: ['"x" is not a valid choice.'] }),
  ],
  [
    'email: EmailField of the Order model',
    () => order({ email: 'nope' }),
    () => ({ email: ['Enter a valid email address.'] }),
  ],
  [
    "customer = serializers.SlugRelatedField(slug_field='identifier', ...)",
    () => order({ customer: 'ABC' }),
    () => ({ customer: ['Object with identifier=ABC does not exist.'] }),
  ],
  [
    'payment_date = serializers.DateTimeField(required=False, allow_null=True)',
    () => order({ payment_date: 'nope' }),
    () => ({
      payment_date: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
    }),
  ],
  [
    'custom_followup_at = serializers.DateField(required=False, allow_null=True)',
    () => order({ custom_followup_at: 'nope' }),
    () => ({ custom_followup_at: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] }),
  ],
  [
    'OrderPositionCreateSerializer.validate_secret: OrderPosition.all.filter(order__event=..., secret=secret).exists()',
    () => pos({ secret: 'dupsecret' }),
    () => posErr({ secret: ['You cannot assign a position secret that already exists.'] }),
  ],
  [
    'validate_item: if item.event != self.context["event"]',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.otherItem }] }),
    () => posErr({ item: ['The specified item does not belong to this event.'] }),
  ],
  [
    'validate_item: if not item.active',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.inactive }] }),
    () => posErr({ item: ['The specified item is not active.'] }),
  ],
  [
    'item: PrimaryKeyRelatedField of the OrderPosition model',
    () => ({ email: 'a@b.cd', positions: [{ item: 99999 }] }),
    () => posErr({ item: ['Invalid pk "99999" - object does not exist.'] }),
  ],
  [
    'validate_subevent: if self.context["event"].has_subevents: if not subevent',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.item }] }),
    () => ({
      positions: [
        {
          item: ['The specified item does not belong to this event.'],
          subevent: ['You need to set a subevent.'],
        },
      ],
    }),
  ],
  [
    'validate: if data.get("item").has_variations: if not data.get("variation")',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.withVar }] }),
    () => posErr({ variation: ['You should specify a variation for this item.'] }),
  ],
  [
    'validate: elif data.get("variation")',
    () => pos({ variation: ids.v1 }),
    () => posErr({ variation: ['You cannot specify a variation for this item.'] }),
  ],
  [
    'validate: if data.get("attendee_name") and data.get("attendee_name_parts")',
    () => pos({ attendee_name: 'A', attendee_name_parts: { given_name: 'B' } }),
    () => posErr({ attendee_name: ['Do not specify attendee_name if you specified attendee_name_parts.'] }),
  ],
  [
    'validate: if data.get("attendee_name_parts") and not isinstance(..., dict)',
    () => pos({ attendee_name_parts: 'x' }),
    () => posErr({ attendee_name_parts: ['Invalid data type'] }),
  ],
  [
    'CompatibleCountryField.to_internal_value: self.fail("invalid_choice", input=data)',
    () => pos({ country: 'XX' }),
    () => posErr({ country: ['"XX" is not a valid choice.'] }),
  ],
  [
    'validate: if cc not in COUNTRIES_WITH_STATE_IN_ADDRESS',
    () => pos({ country: 'DE', state: 'BY' }),
    () => posErr({ state: ['States are not supported in country "DE".'] }),
  ],
  [
    "validate: if not pycountry.subdivisions.get(code=cc + '-' + data.get('state'))",
    () => pos({ country: 'US', state: 'ZZ' }),
    () => posErr({ state: ['"ZZ" is not a known subdivision of the country "US".'] }),
  ],
  [
    "voucher = serializers.SlugRelatedField(slug_field='code', ...)",
    () => pos({ voucher: 'NOPE' }),
    () => posErr({ voucher: ['Object with code=NOPE does not exist.'] }),
  ],
  [
    "create: if v.valid_until is not None and v.valid_until < now_dt: error_messages['voucher_expired']",
    () => pos({ voucher: 'EXPIREDX' }),
    () => posErr({ voucher: ['This voucher is expired.'] }),
  ],
  [
    'create: if v_avail < voucher_usage[v]',
    () => pos({ voucher: 'USEDUPXX' }),
    () => posErr({ voucher: ['The voucher has already been used the maximum number of times.'] }),
  ],
  [
    "create: if not v.applies_to(pos_data['item'], ...): error_messages['voucher_invalid_item']",
    () => pos({ voucher: 'OTHERITM' }),
    () => posErr({ voucher: ['This voucher is not valid for this product.'] }),
  ],
  [
    "create: if pos_data.get('addon_to'): 'Vouchers are currently not supported for add-on products.'",
    () => ({
      email: 'a@b.cd',
      positions: [
        { item: ids.item, positionid: 1 },
        { item: ids.item, positionid: 2, addon_to: 1, voucher: 'EXPIREDX' },
      ],
    }),
    () => ({ positions: [{}, { voucher: ['Vouchers are currently not supported for add-on products.'] }] }),
  ],
  [
    "create: self.context['event'].seats.get(seat_guid=...) -> Seat.DoesNotExist",
    () => pos({ seat: 'abc' }),
    () => posErr({ seat: ['The specified seat does not exist.'] }),
  ],
  [
    'create: if len(new_quotas) == 0',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.noquota }] }),
    () => posErr({ item: ['The product "Loose" is not assigned to a quota.'] }),
  ],
  [
    'create: if quota_avail_cache[quota][1] < 0',
    () => ({ email: 'a@b.cd', positions: [{ item: ids.small }] }),
    () =>
      posErr({ item: ['There is not enough quota available on quota "Sold out" to perform the operation.'] }),
  ],
  [
    "AnswerSerializer.validate: if data.get('question').type in (TYPE_CHOICE, ...) and not data.get('options')",
    () => pos({ answers: [{ question: ids.qc, answer: 'x' }] }),
    () =>
      posErr({
        answers: [{ non_field_errors: ['You need to specify options if the question is of a choice type.'] }],
      }),
  ],
  [
    "AnswerSerializer.validate: if type == TYPE_CHOICE and len(data.get('options')) > 1",
    () => pos({ answers: [{ question: ids.qc, answer: 'x', options: [ids.o1, ids.o2] }] }),
    () =>
      posErr({ answers: [{ non_field_errors: ['You can specify at most one option for this question.'] }] }),
  ],
  [
    "AnswerSerializer.validate: if data.get('options') (question not of a choice type)",
    () => pos({ answers: [{ question: ids.qs, answer: 'x', options: [ids.o1] }] }),
    () =>
      posErr({
        answers: [
          { non_field_errors: ['You should not specify options if the question is not of a choice type.'] },
        ],
      }),
  ],
  [
    'AnswerSerializer.validate: TYPE_BOOLEAN and answer not in true/false',
    () => pos({ answers: [{ question: ids.qb, answer: 'maybe' }] }),
    () =>
      posErr({
        answers: [{ non_field_errors: ['Please specify "true" or "false" for boolean questions.'] }],
      }),
  ],
  [
    'AnswerSerializer.validate: TYPE_NUMBER -> serializers.DecimalField(...).to_internal_value',
    () => pos({ answers: [{ question: ids.qn, answer: 'abc' }] }),
    () => posErr({ answers: [{ non_field_errors: ['A valid number is required.'] }] }),
  ],
  [
    'AnswerSerializer.validate: TYPE_DATE -> serializers.DateField().to_internal_value',
    () => pos({ answers: [{ question: ids.qd, answer: 'abc' }] }),
    () =>
      posErr({
        answers: [
          { non_field_errors: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] },
        ],
      }),
  ],
  [
    "OrderFeeCreateSerializer.validate_tax_rule: if tr and tr.event != self.context['event']",
    () => order({ fees: [{ fee_type: 'service', value: '1.00', tax_rule: ids.otherTr }] }),
    () => ({ fees: [{ tax_rule: ['The specified tax rate does not belong to this event.'] }] }),
  ],
  [
    'OrderFee.fee_type choices',
    () => order({ fees: [{ fee_type: 'nope', value: '1.00' }] }),
    () => ({ fees: [{ fee_type: ['"nope" is not a valid choice.'] }] }),
  ],
  [
    'price = serializers.DecimalField(decimal_places=2, max_digits=13)',
    () => pos({ price: '1.234' }),
    () => posErr({ price: ['Ensure that there are no more than 2 decimal places.'] }),
  ],
  [
    "InvoiceAddressSerializer.validate: if data.get('name') and data.get('name_parts')",
    () => order({ invoice_address: { name: 'A', name_parts: { given_name: 'B' } } }),
    () => ({ invoice_address: { name: ['Do not specify name if you specified name_parts.'] } }),
  ],
  [
    'InvoiceAddressSerializer.validate: pycountry.subdivisions.get(code=cc + "-" + state)',
    () => order({ invoice_address: { country: 'CA', state: 'XX' } }),
    () => ({ invoice_address: { state: ['"XX" is not a known subdivision of the country "CA".'] } }),
  ],
];

describe('order creation checks (pretix api/serializers/order.py)', () => {
  for (const [line, body, expected] of CASES) {
    it(line, async () => {
      const before = (engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
      const slug = line.startsWith('validate_subevent') ? 'tour' : 'gala';
      const res = await post(body(), slug);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(expected());
      expect((engine.db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n).toBe(before);
    });
  }

  it('accepts a known subdivision of a country with states', async () => {
    const res = await post(pos({ country: 'US', state: 'CA' }));
    expect(res.statusCode).toBe(201);
    expect(res.json().positions[0]).toMatchObject({ country: 'US', state: 'CA' });
  });
});
