// Finds the Chromium the end-to-end tests drive, without installing anything: `CHROMIUM_PATH` if set,
// else Debian's /usr/bin/chromium if present, else the Chromium that the npm package @sparticuz/chromium
// ships inside its tarball (unpacked to the temporary folder on first use).
import { existsSync, readFileSync } from 'node:fs';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const DEFAULT_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

const SERVERLESS_ONLY = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--single-process',
]);

/** @returns {Promise<{ executablePath: string, args: string[], label: string }>} */
export async function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but there is no file there.`);
    return { executablePath: fromEnv, args: DEFAULT_ARGS, label: `CHROMIUM_PATH (${fromEnv})` };
  }
  if (existsSync(DEBIAN_CHROMIUM)) {
    return {
      executablePath: DEBIAN_CHROMIUM,
      args: DEFAULT_ARGS,
      label: `Debian's chromium (${DEBIAN_CHROMIUM})`,
    };
  }
  const { default: chromium } = await import('@sparticuz/chromium');
  const executablePath = await chromium.executablePath();
  // The package exports no package.json; its entry point is build/index.js.
  const manifest = new URL('../package.json', import.meta.resolve('@sparticuz/chromium'));
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  return {
    executablePath,
    // Its flags are made for serverless hosts: keep the browser's same-origin rules, which the desk relies
    // on, and its several processes (in one process, closing a page can take the whole browser down).
    args: chromium.args.filter((a) => !SERVERLESS_ONLY.has(a)),
    label: `@sparticuz/chromium ${version} (${executablePath})`,
  };
}
