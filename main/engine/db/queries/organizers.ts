import type { ReadableDB, WritableDB } from '../handles';
import { insertRow } from './common';
import type { OrganizerRow } from '../rows';

export function allOrganizers(db: ReadableDB): OrganizerRow[] {
  return db.prepare<[], OrganizerRow>('SELECT id, slug, name FROM organizers ORDER BY slug').all();
}

export function findOrganizerBySlug(db: ReadableDB, slug: string): OrganizerRow | undefined {
  return db.prepare<[string], OrganizerRow>('SELECT id, slug, name FROM organizers WHERE slug = ?').get(slug);
}

export function insertOrganizer(db: WritableDB, row: Pick<OrganizerRow, 'slug' | 'name'>): number {
  return insertRow(db, 'organizers', { slug: row.slug, name: row.name });
}
