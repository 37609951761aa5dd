import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckinList } from '../../../main/engine/checkin/lists';
import { Engine } from '../../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../../main/engine/organizers/organizers';
import { fixtureEvent, fixtureItem } from '../../fixtures/catalog';
import { fixtureOrder } from './fixtures';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('two scanners at once', () => {
  it('admits a ticket exactly once when two connections redeem it at the same moment', async () => {
    dir = mkdtempSync(join(tmpdir(), 'guichet-checkin-'));
    const path = join(dir, 'box.sqlite');
    const engine = Engine.open(path);
    const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
    const eventId = fixtureEvent(engine, organizerId, { slug: 'race' });
    const ticket = fixtureItem(engine, eventId);
    const list = engine.command((ctx) =>
      createCheckinList(ctx, { eventId, data: { name: 'Door', allProducts: true } }),
    );
    const { positionIds, secrets } = fixtureOrder(engine, organizerId, eventId, {
      positions: [{ itemId: ticket }],
    });
    engine.close();

    const startAt = String(Date.now() + 2500);
    const scanner = (nonce: string) =>
      run(
        process.execPath,
        [
          join(root, 'bin/run-ts.mjs'),
          join(root, 'test/engine/checkin/scan-process.ts'),
          path,
          String(organizerId),
          secrets[0]!,
          String(list.id),
          startAt,
          nonce,
        ],
        { cwd: root },
      );
    const results = (await Promise.all([scanner('gate-a'), scanner('gate-b')])).map(
      (r) => JSON.parse(r.stdout) as { status: string; reason: string | null },
    );
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.reason === 'already_redeemed')).toHaveLength(1);

    const check = Engine.open(path);
    const count = check.db
      .prepare('SELECT COUNT(*) AS n FROM checkins WHERE position_id = ? AND successful = 1')
      .get(positionIds[0]) as { n: number };
    check.close();
    expect(count.n).toBe(1);
  });
});
