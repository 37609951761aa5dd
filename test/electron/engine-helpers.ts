import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildElectron, type ElectronBuild } from '../../main/rpc/build-electron';
import { Engine } from '../../main/engine/engine';
import { ensureDefaultOrganizer } from '../../main/engine/organizers/organizers';
import { updateDeskSettings } from '../../main/engine/preferences';

export const root = resolve(__dirname, '../..');

/** The desktop bundles, built inside the project so the engine process finds node_modules. */
export async function buildDesktopBundles(): Promise<ElectronBuild> {
  return buildElectron(
    root,
    join(root, '.tmp', `electron-${process.pid}-${Math.random().toString(36).slice(2)}`),
  );
}

/** A fresh database whose desk settings keep the local REST API off, so tests bind no fixed port. */
export function freshDatabase(): { dir: string; dbPath: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-desktop-'));
  const dbPath = join(dir, 'guichet.sqlite');
  const engine = Engine.open(dbPath);
  engine.command((ctx) => ensureDefaultOrganizer(ctx), 'test');
  engine.command(
    (ctx) => updateDeskSettings(ctx, { api: { enabled: false, host: '127.0.0.1', port: 8787 } }),
    'test',
  );
  engine.close();
  return { dir, dbPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A Node `--import` module that makes the engine process look like Electron run as Node whose
 * better-sqlite3 was built for another ABI: `process.versions.electron` is set and loading any native
 * module fails with Node's own "compiled against a different Node.js version" message.
 */
export function fakeElectronWithForeignBinding(dir: string, builtFor: string): string {
  const file = join(dir, 'fake-electron-runtime.mjs');
  writeFileSync(
    file,
    `Object.defineProperty(process.versions, 'electron', { value: '45.4.1', enumerable: true });
process.dlopen = (module, filename) => {
  const error = new Error(\`The module '\${filename}'
was compiled against a different Node.js version using
NODE_MODULE_VERSION ${builtFor}. This version of Node.js requires
NODE_MODULE_VERSION \${process.versions.modules}. Please try re-compiling or re-installing
the module (for instance, using \\\`npm rebuild\\\` or \\\`npm install\\\`).\`);
  error.code = 'ERR_DLOPEN_FAILED';
  throw error;
};
`,
  );
  return file;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The code of a paid order with a ticket in the database file, read from a read-only connection. */
export function paidOrderCode(dbPath: string): string {
  const check = new Database(dbPath, { readonly: true });
  try {
    const row = check
      .prepare(
        "SELECT o.code FROM orders o WHERE o.status = 'p' AND EXISTS (SELECT 1 FROM order_positions p WHERE p.order_id = o.id) LIMIT 1",
      )
      .get() as { code: string };
    return row.code;
  } finally {
    check.close();
  }
}
