import { z } from 'zod';
import { createEvent, updateEvent } from '../../../engine/catalog';
import { ensureDefaultOrganizer } from '../../../engine/organizers';
import { converted, given, i18nText, instant, plainName, yesNo, type SetupKindCommands } from './setup-kind';

const event = z.object({
  name: i18nText,
  slug: plainName(50),
  currency: plainName(10),
  dateFrom: instant,
  hasSubevents: yesNo,
});

/**
 * An event of the desk's organizer. The catalog checks the short name (well formed, not used before, never
 * changed), the currency, the dates' order and that an event stays a series or a single event.
 */
export const eventSetup: SetupKindCommands<'event'> = {
  fields: event,
  changes: event.partial(),
  create: (ctx, _target, fields) =>
    createEvent(ctx, ensureDefaultOrganizer(ctx).id, { ...fields, dateFrom: new Date(fields.dateFrom) }).id,
  update(ctx, _target, id, fields) {
    const { dateFrom, ...rest } = fields;
    updateEvent(ctx, id, given({ ...rest, dateFrom: converted(dateFrom, (text) => new Date(text)) }));
  },
};
