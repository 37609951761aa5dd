import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bodyBoolean, drf, parseBody, queryBoolean } from '../../../main/api/schemas/drf';
import { httpStatusOf } from '../../../main/api/errors';
import { EngineError } from '../../../main/engine/errors';

function failure(schema: z.ZodType, input: unknown): { status: number; body: unknown; message: string } {
  try {
    parseBody(schema, input);
  } catch (e) {
    if (e instanceof EngineError) return { status: httpStatusOf(e.kind), body: e.body, message: e.message };
    throw e;
  }
  throw new Error('expected the body to be refused');
}

const position = z.object({
  item: drf.pk(),
  price: drf.decimal().optional(),
  attendee_name: drf.string().nullable().optional(),
});
const order = z.object({
  email: drf.string({ allowBlank: true }).nullable().optional(),
  testmode: drf.boolean().default(false),
  status: drf.choice(['n', 'p']).default('n'),
  expires: drf.datetime('Europe/Berlin').optional(),
  positions: drf.list(position, { allowEmpty: false }),
  tags: drf.list(z.string()).optional(),
  count: drf.integer({ min: 0 }).optional(),
});

describe('DRF request parsing', () => {
  it('answers with DRF words and body shapes', () => {
    expect(failure(order, {})).toEqual({
      status: 400,
      body: { positions: ['This field is required.'] },
      message: 'positions: This field is required.',
    });
    expect(failure(order, { positions: null }).body).toEqual({ positions: ['This field may not be null.'] });
    expect(failure(order, { positions: 'x' }).body).toEqual({
      positions: ['Expected a list of items but got type "str".'],
    });
    expect(failure(order, { positions: [] }).body).toEqual({ positions: ['This list may not be empty.'] });
    expect(
      failure(order, { positions: [{ item: 1 }, { item: true, price: '1.234' }, { item: 'x' }] }).body,
    ).toEqual({
      positions: [
        {},
        {
          item: ['Incorrect type. Expected pk value, received bool.'],
          price: ['Ensure that there are no more than 2 decimal places.'],
        },
        { item: ['Invalid pk "x" - object does not exist.'] },
      ],
    });
    expect(failure(order, { positions: [{ item: 1 }], tags: ['a', 3] }).body).toEqual({
      tags: { 1: ['Not a valid string.'] },
    });
    expect(failure(order, [1]).body).toEqual({
      non_field_errors: ['Invalid data. Expected a dictionary, but got list.'],
    });
    expect(
      failure(order, {
        positions: [{ item: 1 }],
        testmode: 'maybe',
        status: 'x',
        count: -1,
        expires: '2026-13-01T10:00',
      }).body,
    ).toEqual({
      testmode: ['Must be a valid boolean.'],
      status: ['"x" is not a valid choice.'],
      expires: [
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].',
      ],
      count: ['Ensure this value is greater than or equal to 0.'],
    });
    expect(failure(z.object({ name: drf.string() }), { name: '  ' }).body).toEqual({
      name: ['This field may not be blank.'],
    });
    expect(failure(z.object({ n: drf.integer() }), { n: 1.5 }).body).toEqual({
      n: ['A valid integer is required.'],
    });
    expect(failure(z.object({ n: drf.decimal() }), { n: 'abc' }).body).toEqual({
      n: ['A valid number is required.'],
    });
  });

  it('reads what DRF reads', () => {
    const parsed = parseBody(order, {
      positions: [{ item: '7', price: 23.5 }],
      testmode: 'yes',
      expires: '2026-07-01T20:00',
    });
    expect(parsed.positions).toEqual([{ item: 7, price: '23.5' }]);
    expect(parsed.testmode).toBe(true);
    expect(parsed.status).toBe('n');
    // Without an offset, a time is the event's wall-clock time (Berlin is UTC+2 in July).
    expect(parsed.expires?.toISOString()).toBe('2026-07-01T18:00:00.000Z');
    expect(
      parseBody(order, {
        positions: [{ item: 1 }],
        expires: '2026-07-01T20:00:00+00:00',
      }).expires?.toISOString(),
    ).toBe('2026-07-01T20:00:00.000Z');
  });

  it('answers nested serializers and related keys as DRF does', () => {
    const fee = drf.serializer({ value: drf.decimal(), tax_rule: drf.relatedPk().optional() });
    const body = z.object({
      email: drf.email().optional(),
      fees: drf.many(fee, (list) => (list.length > 2 ? 'Too many.' : undefined)).optional(),
    });
    expect(failure(body, { email: 'no', fees: [1, { value: '1', tax_rule: 'x' }] }).body).toEqual({
      email: ['Enter a valid email address.'],
      fees: [
        { non_field_errors: ['Invalid data. Expected a dictionary, but got int.'] },
        { tax_rule: ['Incorrect type. Expected pk value, received str.'] },
      ],
    });
    expect(failure(body, { fees: 'x' }).body).toEqual({
      fees: { non_field_errors: ['Expected a list of items but got type "str".'] },
    });
    expect(failure(body, { fees: [1, 2, 3] }).body).toEqual({ fees: ['Too many.'] });
    expect(parseBody(body, { fees: [{ value: 2, tax_rule: ' 7 ' }] }).fees).toEqual([
      { value: '2', tax_rule: 7 },
    ]);
  });

  it('reads booleans as DRF bodies and django-filter query strings do', () => {
    for (const v of [true, 1, '1', 'true', 'True', 'TRUE', 't', 'y', 'yes', 'on'])
      expect(bodyBoolean(v)).toBe(true);
    for (const v of [false, 0, '0', 'false', 'f', 'n', 'no', 'off', 'OFF'])
      expect(bodyBoolean(v)).toBe(false);
    for (const v of ['tRuE', ' true', 2, 'maybe', null, {}]) expect(bodyBoolean(v)).toBeUndefined();
    expect(['true', 'TRUE', '1', 'false', 'False', '0', 'yes', '', undefined].map(queryBoolean)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
