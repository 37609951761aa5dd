import type { ReadableDB } from '../db/handles';
import {
  listEventName,
  listPositionStates,
  listProducts,
  variationsOfItem,
} from '../db/queries/checkin/positions';
import { i18nText } from '../i18n';
import type { CheckinList } from './lists';

export interface ListStatus {
  event: { name: string };
  checkin_count: number;
  position_count: number;
  inside_count: number;
  items: {
    id: number;
    name: string;
    admission: boolean;
    checkin_count: number;
    position_count: number;
    variations: { id: number; value: string; checkin_count: number; position_count: number }[];
  }[];
}

/** Live statistics of a list, as pretix's `checkinlists/{id}/status/`. */
export function checkinListStatus(db: ReadableDB, list: CheckinList): ListStatus {
  const rows = listPositionStates(db, list);
  const eventName = listEventName(db, list);
  const items = listProducts(db, list);
  return {
    event: { name: i18nText(eventName) },
    checkin_count: rows.filter((r) => r.entered === 1).length,
    position_count: rows.length,
    inside_count: rows.filter((r) => r.last_type === 'entry').length,
    items: items.map((item) => {
      const ofItem = rows.filter((r) => r.item_id === item.id);
      const variations = variationsOfItem(db, item.id);
      return {
        id: item.id,
        name: i18nText(item.name),
        admission: item.admission === 1,
        checkin_count: ofItem.filter((r) => r.entered === 1).length,
        position_count: ofItem.length,
        variations: variations.map((v) => {
          const ofVariation = ofItem.filter((r) => r.variation_id === v.id);
          return {
            id: v.id,
            value: i18nText(v.value),
            checkin_count: ofVariation.filter((r) => r.entered === 1).length,
            position_count: ofVariation.length,
          };
        }),
      };
    }),
  };
}

/** `checkin_count` and `position_count` of the list resource. */
export function checkinListCounts(
  db: ReadableDB,
  list: CheckinList,
): { checkin_count: number; position_count: number } {
  const status = checkinListStatus(db, list);
  return { checkin_count: status.checkin_count, position_count: status.position_count };
}
