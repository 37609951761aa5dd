import { z } from 'zod';
import {
  createEvent,
  createSubevent,
  deleteSubevent,
  updateEvent,
  updateSubevent,
} from '../../../engine/catalog';
import { eventBody, eventPatch, slugsOfOrganizer } from '../../../api/schemas/catalog-events';
import type { EngineContext } from '../../../engine/context';
import { ensureDefaultOrganizer } from '../../../engine/organizers';
import type { PretixBody } from '../../../../shared/contract';
import * as series from '../../../api/schemas/catalog-series';
import { eventsOfObjects as lookup, type EventOfObject } from '../../../api/schemas/catalog-fields';
import { requireEvent, type SetupKindCommands, type SetupTarget } from './setup-kind';

/**
 * The kinds the Setup screen still writes with pretix's request bodies, read by the REST door's schemas;
 * each moves to typed fields of its own.
 */

/** A pretix API request body: the door's schemas validate it field by field in pretix's words. */
const body = z.record(z.string(), z.unknown());
const bodies = { fields: body, changes: body };

export const eventSetup: SetupKindCommands<'event'> = {
  ...bodies,
  create(ctx, _target, data) {
    const organizerId = ensureDefaultOrganizer(ctx).id;
    return createEvent(ctx, organizerId, eventBody(slugsOfOrganizer(ctx, organizerId), data)).id;
  },
  update(ctx, _target, id, data) {
    updateEvent(ctx, id, eventPatch(ctx, requireEvent(ctx, id), data));
  },
};

/** Reads a pretix body of one event's object, naming objects of that event (the REST door's readers). */
type DoorReader<T> = (eventOf: EventOfObject, eventId: number, body: unknown) => T;

/** A kind whose pretix body the REST door's `body`/`patch` readers read before its commands run. */
function readByDoor<C, U>(
  body: DoorReader<C>,
  patch: DoorReader<U>,
  commands: {
    create(ctx: EngineContext, eventId: number, input: C): number;
    update(ctx: EngineContext, eventId: number, id: number, input: U): void;
    remove(ctx: EngineContext, eventId: number, id: number): void;
  },
) {
  return {
    ...bodies,
    create(ctx: EngineContext, { eventId }: SetupTarget, data: PretixBody): number {
      return commands.create(ctx, eventId, body(lookup(ctx), eventId, data));
    },
    update(ctx: EngineContext, { eventId }: SetupTarget, id: number, data: PretixBody): void {
      commands.update(ctx, eventId, id, patch(lookup(ctx), eventId, data));
    },
    remove: (ctx: EngineContext, { eventId }: SetupTarget, id: number) => commands.remove(ctx, eventId, id),
  };
}

export const subeventSetup: SetupKindCommands<'subevent'> = readByDoor(
  series.subeventBody,
  series.subeventPatch,
  { create: createSubevent, update: updateSubevent, remove: deleteSubevent },
);
