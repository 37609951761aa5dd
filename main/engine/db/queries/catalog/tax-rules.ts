import type { ReadableDB, WritableDB } from '../../handles';
import type { TaxRuleRow } from '../../rows';
import { readAll, readExists } from '../statements';

/** The event's tax rule marked `default` in its `extra`, the oldest first. */
export function markedDefaultTaxRuleId(db: ReadableDB, eventId: number): number | undefined {
  const row = db
    .prepare(
      "SELECT id FROM tax_rules WHERE event_id = ? AND json_extract(extra, '$.default') = 1 ORDER BY id LIMIT 1",
    )
    .get(eventId) as Pick<TaxRuleRow, 'id'> | undefined;
  return row?.id;
}

/** The id when a tax rule with this id belongs to the event. */
export function taxRuleIdInEvent(db: ReadableDB, id: number, eventId: number): number | undefined {
  const row = db.prepare('SELECT id FROM tax_rules WHERE id = ? AND event_id = ?').get(id, eventId) as
    Pick<TaxRuleRow, 'id'> | undefined;
  return row?.id;
}

export const taxRulesOfEvent = readAll<[eventId: number], Pick<TaxRuleRow, 'id' | 'extra'>>(
  'SELECT id, extra FROM tax_rules WHERE event_id = ?',
);

/** Unmarks every other `default` rule of the event. */
export function unmarkOtherDefaultTaxRules(db: WritableDB, eventId: number, id: number): void {
  db.prepare(
    "UPDATE tax_rules SET extra = json_set(extra, '$.default', json('false')) WHERE event_id = ? AND id != ? AND json_extract(extra, '$.default') = 1",
  ).run(eventId, id);
}

/** Whether order positions, order fees or items are taxed by the rule. */
export function taxRuleReferenced(db: ReadableDB, id: number): boolean {
  return (
    (db.prepare('SELECT 1 FROM order_positions WHERE tax_rule_id = ? LIMIT 1').get(id) ??
      db.prepare('SELECT 1 FROM order_fees WHERE tax_rule_id = ? LIMIT 1').get(id) ??
      db.prepare('SELECT 1 FROM items WHERE tax_rule_id = ? LIMIT 1').get(id)) !== undefined
  );
}

export const eventHasOtherTaxRules = readExists<[eventId: number, id: number]>(
  'SELECT 1 FROM tax_rules WHERE event_id = ? AND id != ? LIMIT 1',
);

export function deleteTaxRuleRow(db: WritableDB, id: number): void {
  db.prepare('DELETE FROM tax_rules WHERE id = ?').run(id);
}
