import { z } from 'zod';
import {
  createCheckinList,
  deleteCheckinList,
  updateCheckinList,
  type CheckinListInput,
} from '../../../engine/checkin';
import type { CheckinListSetup } from '../../../../shared/contract';
import { given, plainName, yesNo, type SetupKindCommands } from './setup-kind';

const list = z.object({ name: plainName(190), allProducts: yesNo });

function listInput(fields: Partial<CheckinListSetup>): CheckinListInput {
  return given({ name: fields.name, allProducts: fields.allProducts });
}

/** A check-in list: its name and whether it admits every product; the check-in room keeps its rules. */
export const checkinListSetup: SetupKindCommands<'checkin_list'> = {
  fields: list,
  changes: list.partial(),
  create: (ctx, { eventId }, fields) =>
    createCheckinList(ctx, { eventId, data: { ...listInput(fields), name: fields.name } }).id,
  update: (ctx, { eventId }, id, fields) => {
    updateCheckinList(ctx, { eventId, listId: id, data: listInput(fields) });
  },
  remove: (ctx, { eventId }, id) => deleteCheckinList(ctx, { eventId, listId: id }),
};
