import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './build';

/**
 * Bundles the Electron main process (ESM, so the engine finds its migrations next to it) and the preload
 * (CommonJS, as a sandboxed preload must be) into `dist/electron/`. Packages stay external: native
 * better-sqlite3 is rebuilt for Electron when packaging.
 */
export async function buildElectron(root = PROJECT_ROOT): Promise<string> {
  const { build } = await import('esbuild');
  const outDir = join(root, 'dist', 'electron');
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'main', 'electron', 'main.ts')],
    outfile: join(outDir, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(root, 'main', 'electron', 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    logLevel: 'warning',
  });
  cpSync(join(root, 'main', 'engine', 'db', 'migrations'), join(outDir, 'migrations'), { recursive: true });
  return outDir;
}
