import { z } from 'zod';
import { findEvent, type EventRow } from '../../../engine/catalog';
import type { EngineContext } from '../../../engine/context';
import { invalidFields, notFound } from '../../../engine/errors';
import { Decimal, type Money } from '../../../engine/money';
import type { SetupFields, SetupKind } from '../../../../shared/contract';

/** Where a Setup command acts: the event (none for a new event), the parent object of a child kind. */
export interface SetupTarget {
  eventId: number;
  parentId: number | null;
}

/**
 * How the Setup screen writes one kind of object: its fields' schema (the desk's words, camelCase) and
 * the catalog or check-in commands the fields are handed to, typed. A change sends only the fields it
 * changes (`changes`).
 */
export interface SetupKindCommands<K extends SetupKind> {
  fields: z.ZodType<SetupFields[K]>;
  changes: z.ZodType<Partial<SetupFields[K]>>;
  create(ctx: EngineContext, target: SetupTarget, fields: SetupFields[K]): number;
  update(ctx: EngineContext, target: SetupTarget, id: number, fields: Partial<SetupFields[K]>): void;
  /** Absent where the desk deletes no such object (events). */
  remove?(ctx: EngineContext, target: SetupTarget, id: number): void;
}

/** The parent object a child kind is written under (a variation's product, a choice's question). */
export function parentOf({ parentId }: SetupTarget, missing: string): number {
  if (parentId === null) throw notFound(missing);
  return parentId;
}

export function requireEvent(ctx: EngineContext, eventId: number): EventRow {
  const event = findEvent(ctx.db, eventId);
  if (!event) throw notFound(`There is no event ${eventId}.`);
  return event;
}

/** A text in the desk's languages (`{ en: 'VAT' }`), with at least one word in it. */
export const i18nText = z
  .record(z.string(), z.string({ error: 'Enter a text.' }), { error: 'Enter a text.' })
  .refine((texts) => Object.values(texts).some((t) => t.trim() !== ''), {
    error: 'This field may not be blank.',
  });

/** A decimal number as text (`"19"`, `"7.50"`, `"-1"`), at most two places; `money` reads it. */
export const decimalText = z
  .string({ error: 'A valid number is required.' })
  .trim()
  .regex(/^[+-]?(\d+\.?\d*|\.\d+)$/, { error: 'A valid number is required.' })
  .refine((text) => (text.split('.')[1] ?? '').length <= 2, {
    error: 'Ensure that there are no more than 2 decimal places.',
  })
  // pretix's amounts hold 13 digits, 2 of them after the point: a price typed with a key held down is refused.
  .refine((text) => (text.replace(/^[+-]/, '').split('.')[0] ?? '').replace(/^0+/, '').length <= 11, {
    error: 'Ensure that there are no more than 11 digits before the decimal point.',
  });

export function money(text: string): Money {
  return new Decimal(text.trim());
}

/** A yes or no (a checkbox). */
export const yesNo = z.boolean({ error: 'Must be a valid boolean.' });

/** The id of an object the fields name (a product, a date, a tax rule). */
export const objectId = z.number({ error: 'A valid integer is required.' }).int().positive();

/**
 * The desk sells nothing below zero: a negative price is refused, although pretix's API (which the REST
 * door follows) accepts one.
 */
export function priceOf(text: string): Money {
  const price = money(text);
  if (price.isNegative())
    throw invalidFields(
      'negative_price',
      { price: ['A price cannot be negative.'] },
      'A price cannot be negative.',
    );
  return price;
}

/** The fields given, without those left out: a change sends only what it changes, the rest stays as it is. */
export function given<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** A field's value converted for the command; left out (undefined) or cleared (null) as it is. */
export function converted<T, R>(
  value: T,
  convert: (value: NonNullable<T>) => R,
): R | Exclude<T, NonNullable<T>> {
  return value === undefined || value === null
    ? (value as Exclude<T, NonNullable<T>>)
    : convert(value as NonNullable<T>);
}

/** A name in one language (a quota's, a check-in list's), not blank, at most `max` characters. */
export function plainName(max: number) {
  return z
    .string({ error: 'Enter a text.' })
    .trim()
    .min(1, { error: 'This field may not be blank.' })
    .max(max, { error: `Ensure this field has no more than ${max} characters.` });
}

/** An instant as ISO text with its offset (`2030-07-01T18:00:00.000Z`), as the desk's date fields send it. */
export const instant = z.iso.datetime({ offset: true, error: 'Enter a date and time.' });
