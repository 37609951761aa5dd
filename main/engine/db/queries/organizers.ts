import type { WritableDB } from '../handles';
import { insertRow } from './common';
import type { OrganizerRow } from '../rows';
import { readAll, readOne } from './statements';

export const allOrganizers = readAll<[], OrganizerRow>('SELECT id, slug, name FROM organizers ORDER BY slug');

export const findOrganizerBySlug = readOne<[slug: string], OrganizerRow>(
  'SELECT id, slug, name FROM organizers WHERE slug = ?',
);

export function insertOrganizer(db: WritableDB, row: Pick<OrganizerRow, 'slug' | 'name'>): number {
  return insertRow(db, 'organizers', { slug: row.slug, name: row.name });
}
