import { z } from 'zod';
import { createSubevent, deleteSubevent, updateSubevent, type SubeventInput } from '../../../engine/catalog';
import type { SubeventSetup } from '../../../../shared/contract';
import { converted, given, i18nText, instant, yesNo, type SetupKindCommands } from './setup-kind';

const subevent = z.object({ name: i18nText, dateFrom: instant, active: yesNo });

function subeventInput(fields: Partial<SubeventSetup>): Partial<SubeventInput> {
  const { name, dateFrom, active } = fields;
  return given({ name, dateFrom: converted(dateFrom, (text) => new Date(text)), active });
}

/** A date of an event series; the catalog refuses one for an event that is no series. */
export const subeventSetup: SetupKindCommands<'subevent'> = {
  fields: subevent,
  changes: subevent.partial(),
  create: (ctx, { eventId }, fields) =>
    createSubevent(ctx, eventId, {
      name: fields.name,
      dateFrom: new Date(fields.dateFrom),
      active: fields.active,
      metaData: {},
    }),
  update: (ctx, { eventId }, id, fields) => updateSubevent(ctx, eventId, id, subeventInput(fields)),
  remove: (ctx, { eventId }, id) => deleteSubevent(ctx, eventId, id),
};
