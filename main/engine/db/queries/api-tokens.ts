import type { WritableDB } from '../handles';
import type { ApiTokenRow } from '../rows';
import { readOne, readAll } from './statements';

export function insertApiToken(
  db: WritableDB,
  row: Pick<ApiTokenRow, 'organizer_id' | 'name' | 'token_hash' | 'scope' | 'created'>,
): number {
  return Number(
    db
      .prepare(
        'INSERT INTO api_tokens (organizer_id, name, token_hash, scope, created) VALUES (?, ?, ?, ?, ?)',
      )
      .run(row.organizer_id, row.name, row.token_hash, row.scope, row.created).lastInsertRowid,
  );
}

/** Every token without its hash, oldest first. */
export const allApiTokens = readAll<[], Omit<ApiTokenRow, 'token_hash'>>(
  'SELECT id, organizer_id, name, scope, created, revoked_at, last_used FROM api_tokens ORDER BY id',
);

export const findApiTokenOrganizer = readOne<[id: number], Pick<ApiTokenRow, 'organizer_id'>>(
  'SELECT organizer_id FROM api_tokens WHERE id = ?',
);

/** Marks a token revoked; a token revoked before keeps its first revocation time. */
export function revokeApiTokenRow(db: WritableDB, id: number, at: string): void {
  db.prepare('UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(at, id);
}

export const findApiTokenByHash = readOne<[tokenHash: string], ApiTokenRow>(
  'SELECT id, organizer_id, name, scope, created, revoked_at, last_used, token_hash FROM api_tokens WHERE token_hash = ?',
);

export function setApiTokenLastUsed(db: WritableDB, id: number, at: string): void {
  db.prepare('UPDATE api_tokens SET last_used = ? WHERE id = ?').run(at, id);
}
