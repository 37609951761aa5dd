import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBackups, verifyBackup } from '../../main/engine/backup/backup';
import { startServer } from '../../main/server/serve';

describe('scheduled backups', () => {
  it('backs the database up on a schedule while the server runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-schedule-'));
    const server = await startServer({
      dbPath: join(dir, 'box.sqlite'),
      host: '127.0.0.1',
      port: 0,
      seedDemo: false,
      desk: false,
      backupIntervalMs: 150,
      log: () => {},
    });
    try {
      const folder = join(dir, 'backups');
      const deadline = Date.now() + 10_000;
      while (listBackups(folder).length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const backups = listBackups(folder);
      expect(backups.length).toBeGreaterThan(0);
      expect(verifyBackup(backups[0]!).schemaVersion).toBeGreaterThan(0);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
