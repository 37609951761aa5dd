import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary, runElectron } from '../../main/electron/launcher';
import {
  bindingFailureLine,
  bindingProblem,
  electronExitLine,
  electronStartBlocker,
  engineLaunch,
  ENGINE_NODE_VARIABLE,
  runtimeOf,
  shellStatus,
} from '../../main/electron/runtime';

/** Node's own message for a native module built for another ABI. */
const abiError = (built: string, needed: string) =>
  new Error(
    `The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n` +
      `was compiled against a different Node.js version using\n` +
      `NODE_MODULE_VERSION ${built}. This version of Node.js requires\n` +
      `NODE_MODULE_VERSION ${needed}. Please try re-compiling or re-installing\n` +
      'the module (for instance, using `npm rebuild` or `npm install`).',
  );

const node20 = { node: '20.19.0', modules: '115' };
const electron45 = { node: '22.20.0', modules: '140', electron: '45.4.1' };

describe('which runtime runs the engine, and which better-sqlite3 it loads', () => {
  it('names the runtime and its ABI from process.versions', () => {
    expect(runtimeOf(node20)).toEqual({ kind: 'node', name: 'Node.js 20.19.0', abi: '115' });
    expect(runtimeOf(electron45)).toEqual({ kind: 'electron', name: 'Electron 45.4.1', abi: '140' });
  });

  it('development: the Node npm start runs on, never Electron as Node', () => {
    const launch = engineLaunch({
      packaged: false,
      execPath: '/project/node_modules/electron/dist/electron',
      env: { [ENGINE_NODE_VARIABLE]: '/usr/bin/node', ELECTRON_RUN_AS_NODE: '1', PATH: '/usr/bin' },
      hostScript: '/project/dist/electron/engine-process.mjs',
      dbPath: '/home/desk/.config/Guichet/guichet.sqlite',
    });
    expect(launch).toEqual({
      command: '/usr/bin/node',
      args: [
        '/project/dist/electron/engine-process.mjs',
        '--db',
        '/home/desk/.config/Guichet/guichet.sqlite',
      ],
      env: { [ENGINE_NODE_VARIABLE]: '/usr/bin/node', PATH: '/usr/bin' },
      runtime: 'node',
    });
    // Started without npm start (electron . by hand): the node on PATH.
    expect(
      engineLaunch({ packaged: false, execPath: 'x', env: {}, hostScript: 'h', dbPath: 'd' }).command,
    ).toBe('node');
  });

  it("packaged: Electron's own binary run as Node, loading the copy rebuilt for its ABI", () => {
    const launch = engineLaunch({
      packaged: true,
      execPath: '/opt/Guichet/guichet',
      env: { [ENGINE_NODE_VARIABLE]: '/usr/bin/node' },
      hostScript: '/opt/Guichet/resources/app.asar/dist/electron/engine-process.mjs',
      dbPath: '/data/g.sqlite',
    });
    expect(launch.command).toBe('/opt/Guichet/guichet');
    expect(launch.env.ELECTRON_RUN_AS_NODE).toBe('1');
    expect(launch.runtime).toBe('electron-as-node');
  });

  it('an ABI mismatch is one line with both ABIs and the command for that runtime', () => {
    expect(bindingFailureLine(abiError('140', '115'), runtimeOf(node20))).toBe(
      'better-sqlite3 was built for NODE_MODULE_VERSION 140 but the engine runs on Node.js 20.19.0, ' +
        'which needs 115; fix it with: npm rebuild better-sqlite3',
    );
    expect(bindingFailureLine(abiError('115', '140'), runtimeOf(electron45))).toBe(
      'better-sqlite3 was built for NODE_MODULE_VERSION 115 but the engine runs on Electron 45.4.1, ' +
        'which needs 140; fix it with: npx electron-builder install-app-deps (then package again)',
    );
    expect(
      bindingFailureLine(new Error('Could not locate the bindings file. Tried: …'), runtimeOf(node20)),
    ).toBe(
      'better-sqlite3 has no build for Node.js 20.19.0 (NODE_MODULE_VERSION 115); fix it with: npm rebuild better-sqlite3',
    );
    expect(bindingFailureLine(new Error('disk I/O error'), runtimeOf(node20))).toBeNull();
  });

  it('the check npm start makes before anything: the real better-sqlite3 loads here, a foreign build is named', async () => {
    const real = await bindingProblem(async () => {
      const { default: Database } = await import('better-sqlite3');
      new Database(':memory:').close();
    }, runtimeOf(process.versions));
    expect(real).toBeNull();
    const foreign = await bindingProblem(async () => {
      throw abiError('140', process.versions.modules);
    }, runtimeOf(process.versions));
    expect(foreign).toContain('fix it with: npm rebuild better-sqlite3');
    const other = await bindingProblem(async () => {
      throw new Error('libc.so.6: version GLIBC_2.38 not found\nmore');
    }, runtimeOf(node20));
    expect(other).toBe(
      'better-sqlite3 cannot be loaded on Node.js 20.19.0: libc.so.6: version GLIBC_2.38 not found',
    );
  });
});

describe('npm start: whether and why Electron cannot start', () => {
  it('finds the installed binary, and none where the download did not happen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-electron-pkg-'));
    try {
      const pkg = join(dir, 'package.json');
      writeFileSync(pkg, '{}');
      expect(findElectronBinary(null, {})).toBeNull(); // package not installed
      expect(findElectronBinary(pkg, {})).toBeNull(); // no path.txt: the download never ran
      writeFileSync(join(dir, 'path.txt'), 'electron');
      expect(findElectronBinary(pkg, {})).toBeNull(); // path.txt but no binary
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron'), '');
      expect(findElectronBinary(pkg, {})).toBe(join(dir, 'dist', 'electron'));
      const elsewhere = mkdtempSync(join(tmpdir(), 'guichet-electron-dist-'));
      writeFileSync(join(elsewhere, 'electron'), '');
      expect(findElectronBinary(pkg, { ELECTRON_OVERRIDE_DIST_PATH: elsewhere })).toBe(
        join(elsewhere, 'electron'),
      );
      rmSync(elsewhere, { recursive: true });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('says why before trying: no binary, or no display on Linux', () => {
    expect(electronStartBlocker({ binary: null, platform: 'linux', env: { DISPLAY: ':0' } })).toBe(
      'No Electron binary is installed here (npm install downloads it, which needs the network)',
    );
    expect(electronStartBlocker({ binary: '/e', platform: 'linux', env: {} })).toBe(
      'No display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    );
    expect(
      electronStartBlocker({ binary: '/e', platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } }),
    ).toBeNull();
    expect(electronStartBlocker({ binary: '/e', platform: 'darwin', env: {} })).toBeNull();
  });

  it('reads why an Electron ended before its window opened', () => {
    expect(
      electronExitLine({
        code: 1,
        signal: null,
        stderr: '[123:ERROR:ozone_platform_x11.cc] Missing X server or $DISPLAY\n',
      }),
    ).toBe('Electron found no display to open a window on');
    expect(
      electronExitLine({ code: null, signal: 'SIGSEGV', stderr: 'starting\nGPU process crashed\n' }),
    ).toBe('Electron exited at start (SIGSEGV): GPU process crashed');
    expect(
      electronExitLine({
        code: 1,
        signal: null,
        stderr: `${shellStatus.failed('better-sqlite3 was built for…\nfix it')}\n`,
      }),
    ).toBe('better-sqlite3 was built for… fix it');
  });
});

/** A stand-in for the Electron binary: a Node script that behaves as told. */
function fakeElectron(script: string) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-fake-electron-'));
  const file = join(dir, 'electron.mjs');
  writeFileSync(file, script);
  return { command: process.execPath, args: [file], cleanup: () => rmSync(dir, { recursive: true }) };
}

async function run(script: string) {
  const fake = fakeElectron(script);
  const forwarded: string[] = [];
  try {
    const result = await runElectron({
      command: fake.command,
      args: fake.args,
      env: process.env,
      forward: (l) => forwarded.push(l),
    });
    return { result, forwarded };
  } finally {
    fake.cleanup();
  }
}

describe('npm start running Electron (stand-in binary)', () => {
  it('a window that opened: the app ran, its exit code is kept, status lines are not shown', async () => {
    const { result, forwarded } = await run(
      `console.error(${JSON.stringify(shellStatus.open)}); console.error('The box office engine runs on Node.js'); process.exit(3);`,
    );
    expect(result).toEqual({ kind: 'ran', code: 3 });
    expect(forwarded).toEqual(['The box office engine runs on Node.js']);
  });

  it('no display: one line, and the browser mode can take over', async () => {
    const { result } = await run(`console.error('Missing X server or $DISPLAY'); process.exit(1);`);
    expect(result).toEqual({
      kind: 'failed',
      line: 'Electron found no display to open a window on',
      engine: false,
    });
  });

  it("the engine could not start: the shell's reason is the line, and the browser mode would fail alike", async () => {
    const reason = bindingFailureLine(abiError('140', '115'), runtimeOf(node20))!;
    const { result } = await run(
      `console.error(${JSON.stringify(shellStatus.failed(reason))}); process.exit(1);`,
    );
    expect(result).toEqual({ kind: 'failed', line: reason, engine: true });
  });

  it('a second instance hands over quietly', async () => {
    expect((await run('process.exit(0);')).result).toEqual({ kind: 'handed-over' });
  });

  it('an executable that cannot run says so', async () => {
    const result = await runElectron({
      command: join(tmpdir(), 'no-such-electron-binary'),
      args: [],
      env: process.env,
      forward: () => {},
    });
    expect(result).toMatchObject({ kind: 'failed', engine: false });
    expect((result as { line: string }).line).toMatch(/^Electron could not start \(spawn .* ENOENT\)$/);
  });
});
