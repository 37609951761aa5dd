import { z } from 'zod';
import { createEvent, updateEvent } from '../../../engine/catalog';
import { eventBody, eventPatch, slugsOfOrganizer } from '../../../api/schemas/catalog-events';
import { ensureDefaultOrganizer } from '../../../engine/organizers';
import { requireEvent, type SetupKindCommands } from './setup-kind';

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
