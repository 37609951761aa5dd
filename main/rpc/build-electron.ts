import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { PROJECT_ROOT } from './build';

export interface ElectronBuild {
  outDir: string;
  /** What each bundle took in and imports from outside, for checking which process loads what. */
  metafiles: { main: Metafile; engine: Metafile };
}

/**
 * Bundles the desktop app into `dist/electron/`: the Electron main process and the engine process it
 * starts (ESM; the engine finds its migrations next to it), the engine process's order writer thread, and
 * the preload (CommonJS, as a sandboxed
 * preload must be). Packages stay external: the engine process loads better-sqlite3 from node_modules,
 * built for Node in development and rebuilt for Electron's ABI when packaging.
 */
export async function buildElectron(
  root = PROJECT_ROOT,
  outDir = join(root, 'dist', 'electron'),
): Promise<ElectronBuild> {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
    metafile: true,
    // Bundled CommonJS code still finds `require` in an ES module.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  } as const;
  const main = await build({
    ...common,
    entryPoints: [join(root, 'main', 'electron', 'main.ts')],
    outfile: join(outDir, 'main.mjs'),
  });
  const engine = await build({
    ...common,
    entryPoints: [join(root, 'main', 'electron', 'engine-process.ts')],
    outfile: join(outDir, 'engine-process.mjs'),
  });
  // The REST door's order writer thread, found next to the engine process's bundle (see OrderWriter).
  await build({
    ...common,
    entryPoints: [join(root, 'main', 'api', 'order-creation', 'writer-thread.ts')],
    outfile: join(outDir, 'order-writer-thread.mjs'),
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
  return { outDir, metafiles: { main: main.metafile, engine: engine.metafile } };
}
