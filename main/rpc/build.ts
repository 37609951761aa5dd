import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_OUT = join(PROJECT_ROOT, 'dist', 'renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when `dist/renderer` is missing or older than a file of `renderer/` or `shared/`. */
export function rendererIsStale(root = PROJECT_ROOT): boolean {
  const index = join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'shared'))) > built;
}

/** Builds the React renderer with Vite (esbuild's automatic JSX runtime; no plugin needed). */
export async function buildRenderer(root = PROJECT_ROOT): Promise<string> {
  const { build } = await import('vite');
  const outDir = join(root, 'dist', 'renderer');
  await build({
    root: join(root, 'renderer'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    esbuild: { jsx: 'automatic' },
    build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 2000 },
  });
  return outDir;
}

/** Builds the renderer when it is missing or stale; returns its folder, or null when it cannot be built. */
export async function ensureRenderer(
  root = PROJECT_ROOT,
  log: (line: string) => void = () => {},
): Promise<string | null> {
  if (!existsSync(join(root, 'renderer', 'index.html'))) return null;
  if (rendererIsStale(root)) {
    log('Building the desk UI...');
    await buildRenderer(root);
  }
  return join(root, 'dist', 'renderer');
}
