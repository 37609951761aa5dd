import type { ItemRow, ItemVariationRow, SubeventRow } from '../rows';
import { readOne } from './statements';

/** An item as the sale checks see it, with whether it has variations. */
export type SaleItem = Pick<
  ItemRow,
  | 'id'
  | 'event_id'
  | 'name'
  | 'active'
  | 'category_id'
  | 'default_price'
  | 'available_from'
  | 'available_until'
  | 'admission'
  | 'tax_rule_id'
  | 'free_price'
  | 'require_approval'
  | 'generate_tickets'
> & { has_variations: number };

export type SaleVariation = Pick<
  ItemVariationRow,
  'id' | 'item_id' | 'value' | 'active' | 'default_price' | 'available_from' | 'available_until'
>;

export type SaleSubevent = Pick<SubeventRow, 'id' | 'event_id' | 'name' | 'active' | 'date_from'>;

/** The organizer's item, or undefined when it has none of that id. */
export const findItemOfOrganizer = readOne<[organizerId: number, itemId: number], SaleItem>(
  `SELECT i.id, i.event_id, i.name, i.active, i.category_id, i.default_price, i.available_from,
          i.available_until, i.admission, i.tax_rule_id, i.free_price, i.require_approval, i.generate_tickets,
          EXISTS (SELECT 1 FROM item_variations v WHERE v.item_id = i.id) AS has_variations
   FROM items i JOIN events e ON e.id = i.event_id
   WHERE e.organizer_id = ? AND i.id = ?`,
);

export const findVariationOfOrganizer = readOne<[organizerId: number, variationId: number], SaleVariation>(
  `SELECT v.id, v.item_id, v.value, v.active, v.default_price, v.available_from, v.available_until
   FROM item_variations v JOIN items i ON i.id = v.item_id JOIN events e ON e.id = i.event_id
   WHERE e.organizer_id = ? AND v.id = ?`,
);

export const findSubeventOfOrganizer = readOne<[organizerId: number, subeventId: number], SaleSubevent>(
  `SELECT s.id, s.event_id, s.name, s.active, s.date_from
   FROM subevents s JOIN events e ON e.id = s.event_id
   WHERE e.organizer_id = ? AND s.id = ?`,
);
