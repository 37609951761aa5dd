import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { allOrganizers, findOrganizerBySlug, insertOrganizer } from '../db/queries/organizers';
import { invalidFields } from '../errors';

export interface Organizer {
  id: number;
  slug: string;
  name: string;
}

const DEFAULT_ORGANIZER = { slug: 'box-office', name: 'Box office' } as const;

const SLUG_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9.-]*$/;

export function listOrganizers(db: ReadableDB): Organizer[] {
  return allOrganizers(db);
}

export function organizerBySlug(db: ReadableDB, slug: string): Organizer | undefined {
  return findOrganizerBySlug(db, slug);
}

export function createOrganizer(ctx: EngineContext, input: { slug: string; name: string }): Organizer {
  if (!SLUG_PATTERN.test(input.slug) || input.slug.length > 50) {
    throw invalidFields('invalid_slug', {
      slug: ['The slug may only contain letters, numbers, dots and dashes.'],
    });
  }
  if (organizerBySlug(ctx.db, input.slug)) {
    throw invalidFields('duplicate_slug', { slug: ['This slug is already in use.'] });
  }
  const id = insertOrganizer(ctx.db, input);
  ctx.audit({
    organizerId: id,
    objectType: 'organizer',
    objectId: id,
    actionType: 'pretix.organizer.created',
  });
  return { id, slug: input.slug, name: input.name };
}

/** The organizer a fresh database starts with, so the desk and the API work on first start. */
export function ensureDefaultOrganizer(ctx: EngineContext): Organizer {
  return (
    organizerBySlug(ctx.db, DEFAULT_ORGANIZER.slug) ??
    listOrganizers(ctx.db)[0] ??
    createOrganizer(ctx, DEFAULT_ORGANIZER)
  );
}
