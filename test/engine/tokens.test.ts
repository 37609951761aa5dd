import { describe, expect, it } from 'vitest';
import { createApiToken, hashToken, revokeApiToken, verifyApiToken } from '../../main/engine/auth/tokens';
import { testEngine } from '../helpers';

describe('API tokens', () => {
  it('stores only a hash, verifies, and stops working once revoked', () => {
    const { engine, organizerId } = testEngine();
    const { token, info } = engine.command((ctx) =>
      createApiToken(ctx, { organizerId, name: 'scanner', scope: 'read' }),
    );
    expect(token).toMatch(/^[a-z0-9]{64}$/);
    const stored = engine.db.prepare('SELECT token_hash FROM api_tokens WHERE id = ?').get(info.id) as {
      token_hash: string;
    };
    expect(stored.token_hash).toBe(hashToken(token));
    expect(stored.token_hash).not.toContain(token);
    expect(verifyApiToken(engine.db, token)?.scope).toBe('read');
    expect(verifyApiToken(engine.db, token + 'x')).toBeUndefined();
    engine.command((ctx) => revokeApiToken(ctx, info.id));
    expect(verifyApiToken(engine.db, token)).toBeUndefined();
    const log = engine.db.prepare("SELECT action_type FROM audit_log WHERE object_type = 'api_token'").all();
    expect(log).toEqual([
      { action_type: 'pretix.team.token.created' },
      { action_type: 'pretix.team.token.deleted' },
    ]);
  });

  it('gives different tokens every time', () => {
    const { engine, organizerId } = testEngine();
    const tokens = new Set(
      Array.from(
        { length: 50 },
        () => engine.command((ctx) => createApiToken(ctx, { organizerId, name: 't' })).token,
      ),
    );
    expect(tokens.size).toBe(50);
  });
});
