import { createHash, timingSafeEqual } from 'node:crypto';
import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  allApiTokens,
  findApiTokenByHash,
  findApiTokenOrganizer,
  insertApiToken,
  revokeApiTokenRow,
  setApiTokenLastUsed,
} from '../db/queries/api-tokens';
import { fieldError, notFound } from '../errors';
import { generateToken } from '../ids';

/** all: everything; read: GET only; checkin: what a door scanner needs. */
export type TokenScope = 'all' | 'read' | 'checkin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['all', 'read', 'checkin'];

export interface ApiTokenInfo {
  id: number;
  organizer_id: number;
  name: string;
  scope: TokenScope;
  created: string;
  revoked_at: string | null;
  last_used: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a token and returns its plain text once; only its hash is stored. */
export function createApiToken(
  ctx: EngineContext,
  input: { organizerId: number; name: string; scope?: TokenScope },
): { token: string; info: ApiTokenInfo } {
  const scope = input.scope ?? 'all';
  if (!TOKEN_SCOPES.includes(scope)) throw fieldError('scope', 'Scope must be one of all, read, checkin.');
  const name = input.name.trim();
  if (!name) throw fieldError('name', 'This field may not be blank.');
  const token = generateToken();
  const created = ctx.now.toISOString();
  const id = insertApiToken(ctx.db, {
    organizer_id: input.organizerId,
    name,
    token_hash: hashToken(token),
    scope,
    created,
  });
  ctx.audit({
    organizerId: input.organizerId,
    objectType: 'api_token',
    objectId: id,
    actionType: 'pretix.team.token.created',
    data: { name, scope },
  });
  return {
    token,
    info: { id, organizer_id: input.organizerId, name, scope, created, revoked_at: null, last_used: null },
  };
}

function tokenInfo<T extends { scope: string }>(row: T): T & { scope: TokenScope } {
  return { ...row, scope: row.scope as TokenScope };
}

export function listApiTokens(db: ReadableDB): ApiTokenInfo[] {
  return allApiTokens(db).map(tokenInfo);
}

export function revokeApiToken(ctx: EngineContext, id: number): ApiTokenInfo {
  const row = findApiTokenOrganizer(ctx.db, id);
  if (!row) throw notFound();
  revokeApiTokenRow(ctx.db, id, ctx.now.toISOString());
  ctx.audit({
    organizerId: row.organizer_id,
    objectType: 'api_token',
    objectId: id,
    actionType: 'pretix.team.token.deleted',
  });
  return listApiTokens(ctx.db).find((t) => t.id === id)!;
}

/**
 * Looks a presented token up by its hash and compares the hashes in constant time. Returns undefined for
 * unknown or revoked tokens.
 */
export function verifyApiToken(db: ReadableDB, presented: string): ApiTokenInfo | undefined {
  const digest = hashToken(presented);
  const row = findApiTokenByHash(db, digest);
  if (!row || row.revoked_at) return undefined;
  if (!timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(digest, 'hex'))) return undefined;
  const { token_hash: _ignored, ...info } = row;
  return tokenInfo(info);
}

/** How often a token's `last_used` is written at most: often enough to tell, rarely enough to cost nothing. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Records that a token was just used, unless that was already recorded within the last minute. */
export function markApiTokenUsed(ctx: EngineContext, token: ApiTokenInfo): void {
  const last = token.last_used ? Date.parse(token.last_used) : NaN;
  if (ctx.now.getTime() - last < LAST_USED_RESOLUTION_MS) return;
  setApiTokenLastUsed(ctx.db, token.id, ctx.now.toISOString());
}
