import { z } from 'zod';
import {
  deskCheckinLists,
  deskListStatus,
  deskRedeem,
  deskSearch,
  organizerOfList,
} from '../../engine/checkin';
import { listOrganizers } from '../../engine/organizers';
import { empty, id } from '../inputs';
import { defineMethods } from '../registry';

/** The desk's Check-in screen: the engine's own desk-facing check-in functions, nothing re-implemented. */
export const checkinMethods = defineMethods({
  'checkin.lists': {
    input: empty,
    run: (env) =>
      env.engine.read((ctx) =>
        listOrganizers(ctx.db).flatMap((o) =>
          deskCheckinLists(ctx.db, o.id).map((l) => ({
            id: l.id,
            name: l.name,
            eventId: l.eventId,
            eventName: l.eventName,
            subeventId: l.subeventId,
          })),
        ),
      ),
  },
  'checkin.status': {
    input: z.object({ eventId: id, listId: id }),
    run: (env, input) =>
      env.engine.read((ctx) => {
        const status = deskListStatus(ctx.db, input);
        return {
          checkedIn: status.checkin_count,
          expected: status.position_count,
          inside: status.inside_count,
        };
      }),
  },
  'checkin.search': {
    input: z.object({ eventId: id, listId: id, query: z.string().max(200) }),
    run: (env, input) => env.engine.read((ctx) => deskSearch(ctx.db, { ...input, limit: 25 })),
  },
  'checkin.redeem': {
    // A scanner "types" the secret; pretix secrets are at most a few hundred characters.
    input: z.object({ listId: id, secret: z.string().trim().min(1).max(1000) }),
    run: (env, input) =>
      env.engine.command((ctx) => {
        const { result, ticket } = deskRedeem(ctx, {
          organizerId: organizerOfList(ctx.db, input.listId),
          listId: input.listId,
          secret: input.secret,
        });
        return {
          status: result.status,
          reason: result.reason ?? null,
          explanation: result.reasonExplanation,
          requireAttention: result.requireAttention,
          ticket,
        };
      }, env.actor),
  },
});
