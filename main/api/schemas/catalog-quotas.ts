import type { QuotaInput } from '../../engine/catalog';
import { eventObjects, readBody, type EventOfObject } from './catalog-fields';
import { drf } from './drf';

/** The body of pretix's quota endpoints (`QuotaSerializer`), its products and date looked up in the event. */
function quotaFields(eventOf: EventOfObject, eventId: number) {
  const objects = eventObjects(eventOf, eventId);
  return {
    name: drf.string({ maxLength: 200 }),
    size: drf.integer({ min: 0 }).nullable().optional(),
    closed: drf.boolean().optional(),
    close_when_sold_out: drf.boolean().optional(),
    release_after_exit: drf.boolean().optional(),
    ignore_for_event_availability: drf.boolean().optional(),
    items: objects.pkList('item').optional(),
    variations: objects.pkList('variation').optional(),
    subevent: objects.pk('subevent').nullable().optional(),
  };
}

export function quotaBody(eventOf: EventOfObject, eventId: number, body: unknown): QuotaInput {
  return readBody(quotaFields(eventOf, eventId), body);
}

export function quotaPatch(eventOf: EventOfObject, eventId: number, body: unknown): Partial<QuotaInput> {
  return readBody(quotaFields(eventOf, eventId), body, undefined, true);
}
