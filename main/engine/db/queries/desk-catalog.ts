import type { ReadableDB } from '../handles';
import type {
  CheckinListRow,
  EventRow,
  ItemRow,
  ItemVariationRow,
  QuestionOptionRow,
  QuestionRow,
  QuotaRow,
  SubeventRow,
  TaxRuleRow,
} from '../rows';
import { readAll, readColumn, readOne, readValue } from './statements';

/** The catalog as the desk's screens read it: events, the sales tiles' items and the Setup screen's lists. */

export type DeskEventFields = Pick<
  EventRow,
  'id' | 'slug' | 'name' | 'currency' | 'date_from' | 'has_subevents' | 'live'
>;

export const allEvents = readAll<[], DeskEventFields>(
  'SELECT id, slug, name, currency, date_from, has_subevents, live FROM events ORDER BY date_from, id',
);

export const subeventsOfEvent = readAll<
  [eventId: number],
  Pick<SubeventRow, 'id' | 'name' | 'date_from' | 'active'>
>('SELECT id, name, date_from, active FROM subevents WHERE event_id = ? ORDER BY date_from, id');

export function organizerOfEvent(db: ReadableDB, eventId: number): number | undefined {
  const row = db.prepare('SELECT organizer_id FROM events WHERE id = ?').get(eventId) as
    Pick<EventRow, 'organizer_id'> | undefined;
  return row?.organizer_id;
}

/** The currency of this event, or of the first event when none is given. */
export function currencyOfEventOrFirst(db: ReadableDB, eventId: number | null): string | undefined {
  const row = db
    .prepare('SELECT currency FROM events WHERE id = COALESCE(?, (SELECT MIN(id) FROM events))')
    .get(eventId) as Pick<EventRow, 'currency'> | undefined;
  return row?.currency;
}

export const eventNameAndSlug = readOne<[eventId: number], Pick<EventRow, 'name' | 'slug'>>(
  'SELECT name, slug FROM events WHERE id = ?',
);

export function itemName(db: ReadableDB, itemId: number): string | undefined {
  return (db.prepare('SELECT name FROM items WHERE id = ?').get(itemId) as Pick<ItemRow, 'name'> | undefined)
    ?.name;
}

export type DeskQuestionFields = Pick<QuestionRow, 'id' | 'identifier' | 'question' | 'type' | 'required'>;

/** The questions a position of this item is asked, hidden ones left out. */
export const visibleQuestionsOfItem = readAll<[itemId: number], DeskQuestionFields>(
  `SELECT q.id, q.identifier, q.question, q.type, q.required FROM questions q JOIN question_items qi ON qi.question_id = q.id WHERE qi.item_id = ? AND q.hidden = 0 ORDER BY q.position, q.id`,
);

/** The required questions of an item the desk can answer (hidden ones and file uploads left out). */
export const requiredDeskQuestionsOfItem = readAll<[itemId: number], Pick<QuestionRow, 'id' | 'type'>>(
  `SELECT q.id, q.type FROM questions q JOIN question_items qi ON qi.question_id = q.id WHERE qi.item_id = ? AND q.required = 1 AND q.hidden = 0 AND q.type != 'F' ORDER BY q.position, q.id`,
);

export const questionText = readValue<[questionId: number], QuestionRow['question']>(
  'SELECT question FROM questions WHERE id = ?',
);

export const questionType = readValue<[questionId: number], QuestionRow['type']>(
  'SELECT type FROM questions WHERE id = ?',
);

/** The text of one option of a question; undefined when the option is not the question's. */
export const optionAnswerOf = readValue<[optionId: number, questionId: number], QuestionOptionRow['answer']>(
  'SELECT answer FROM question_options WHERE id = ? AND question_id = ?',
);

export const optionsOfQuestion = readAll<
  [questionId: number],
  Pick<QuestionOptionRow, 'id' | 'identifier' | 'answer'>
>('SELECT id, identifier, answer FROM question_options WHERE question_id = ? ORDER BY position, id');

export const quotaIdsOfItem = readColumn<[itemId: number, subeventId: number | null], number>(
  'SELECT qi.quota_id FROM quota_items qi JOIN quotas q ON q.id = qi.quota_id WHERE qi.item_id = ? AND q.subevent_id IS ?',
);

export const quotaIdsOfVariation = readColumn<[variationId: number, subeventId: number | null], number>(
  'SELECT qv.quota_id FROM quota_variations qv JOIN quotas q ON q.id = qv.quota_id WHERE qv.variation_id = ? AND q.subevent_id IS ?',
);

/** An item on sale at the desk, with its price and state for one date of a series (or none). */
export interface SellableItem {
  id: number;
  name: string;
  default_price: string;
  admission: number;
  require_approval: number;
  subevent_price: string | null;
  disabled: number;
}

/** Active items an order can hold on their own (no add-ons, nothing sold only in a bundle). */
export function sellableItems(db: ReadableDB, eventId: number, subeventId: number | null): SellableItem[] {
  return db
    .prepare(
      `SELECT i.id, i.name, i.default_price, i.admission, i.require_approval,
         sp.price AS subevent_price, COALESCE(sp.disabled, 0) AS disabled
       FROM items i LEFT JOIN subevent_item_prices sp ON sp.item_id = i.id AND sp.subevent_id IS ?
       WHERE i.event_id = ? AND i.active = 1 AND i.require_bundling = 0
         AND (i.category_id IS NULL OR i.category_id NOT IN (SELECT id FROM categories WHERE is_addon = 1))
       ORDER BY i.position, i.id`,
    )
    .all(subeventId, eventId) as SellableItem[];
}

/** A variation on sale at the desk, with its price and state for one date of a series (or none). */
export interface SellableVariation {
  id: number;
  value: string;
  default_price: string | null;
  require_approval: number;
  subevent_price: string | null;
  disabled: number;
}

export function sellableVariations(
  db: ReadableDB,
  itemId: number,
  subeventId: number | null,
): SellableVariation[] {
  return db
    .prepare(
      `SELECT v.id, v.value, v.default_price, v.require_approval, sp.price AS subevent_price, COALESCE(sp.disabled, 0) AS disabled
     FROM item_variations v LEFT JOIN subevent_variation_prices sp ON sp.variation_id = v.id AND sp.subevent_id IS ?
     WHERE v.item_id = ? AND v.active = 1 ORDER BY v.position, v.id`,
    )
    .all(subeventId, itemId) as SellableVariation[];
}

export type SetupItemFields = Pick<
  ItemRow,
  'id' | 'name' | 'default_price' | 'active' | 'admission' | 'require_approval' | 'tax_rule_id'
>;

export const itemsOfEvent = readAll<[eventId: number], SetupItemFields>(
  `SELECT id, name, default_price, active, admission, require_approval, tax_rule_id FROM items WHERE event_id = ? ORDER BY position, id`,
);

export const variationsOfItem = readAll<
  [itemId: number],
  Pick<ItemVariationRow, 'id' | 'value' | 'default_price'>
>('SELECT id, value, default_price FROM item_variations WHERE item_id = ? ORDER BY position, id');

export const quotaNamesOfEvent = readAll<[eventId: number], Pick<QuotaRow, 'id' | 'name' | 'subevent_id'>>(
  'SELECT id, name, subevent_id FROM quotas WHERE event_id = ? ORDER BY subevent_id, id',
);

export const questionsOfEvent = readAll<
  [eventId: number],
  Pick<QuestionRow, 'id' | 'question' | 'type' | 'required'>
>('SELECT id, question, type, required FROM questions WHERE event_id = ? ORDER BY position, id');

export const taxRulesOfEvent = readAll<[eventId: number], Pick<TaxRuleRow, 'id' | 'name' | 'rate'>>(
  'SELECT id, name, rate FROM tax_rules WHERE event_id = ? ORDER BY id',
);

export const checkinListsOfEvent = readAll<
  [eventId: number],
  Pick<CheckinListRow, 'id' | 'name' | 'all_products'>
>('SELECT id, name, all_products FROM checkin_lists WHERE event_id = ? ORDER BY id');
