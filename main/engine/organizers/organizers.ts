import type { Database } from 'better-sqlite3';
import type { EngineContext } from '../context';
import { invalidFields } from '../errors';

export interface Organizer {
  id: number;
  slug: string;
  name: string;
}

export const DEFAULT_ORGANIZER = { slug: 'box-office', name: 'Box office' } as const;

const SLUG_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9.-]*$/;

export function listOrganizers(db: Database): Organizer[] {
  return db.prepare('SELECT id, slug, name FROM organizers ORDER BY slug').all() as Organizer[];
}

export function organizerBySlug(db: Database, slug: string): Organizer | undefined {
  return db.prepare('SELECT id, slug, name FROM organizers WHERE slug = ?').get(slug) as
    Organizer | undefined;
}

export function organizerById(db: Database, id: number): Organizer | undefined {
  return db.prepare('SELECT id, slug, name FROM organizers WHERE id = ?').get(id) as Organizer | undefined;
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
  const id = Number(
    ctx.db.prepare('INSERT INTO organizers (slug, name) VALUES (?, ?)').run(input.slug, input.name)
      .lastInsertRowid,
  );
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
