/**
 * What the desktop app decides before and while it starts, kept free of Electron so that Node tests can
 * run every decision with faked versions, ABIs, platforms and environments.
 *
 * The rule: Electron's main process loads no native module. The engine (better-sqlite3) runs in a process
 * of its own: the system's Node.js in development, so it loads the better-sqlite3 that `npm install` built
 * for that Node and that every test uses; Electron run as Node (`ELECTRON_RUN_AS_NODE=1`) in the packaged
 * app, which loads the copy electron-builder rebuilt for Electron's ABI while packaging.
 */

export interface RuntimeVersions {
  node: string;
  /** NODE_MODULE_VERSION: the ABI a native module must be built for. */
  modules: string;
  electron?: string;
}

export interface Runtime {
  kind: 'node' | 'electron';
  name: string;
  abi: string;
}

export function runtimeOf(versions: RuntimeVersions): Runtime {
  return versions.electron
    ? { kind: 'electron', name: `Electron ${versions.electron}`, abi: versions.modules }
    : { kind: 'node', name: `Node.js ${versions.node}`, abi: versions.modules };
}

/** How the shell starts the engine process. */
export interface EngineLaunch {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** Whose ABI the engine's better-sqlite3 must be built for. */
  runtime: 'node' | 'electron-as-node';
}

export interface EngineLaunchInput {
  /** `app.isPackaged`. */
  packaged: boolean;
  /** The running executable: Electron's binary in the shell. */
  execPath: string;
  env: Record<string, string | undefined>;
  /** The engine process's entry (`dist/electron/engine-process.mjs`). */
  hostScript: string;
  dbPath: string;
}

/** The variable `npm start` sets to the Node.js it runs on, so the engine runs on the Node that built its modules. */
export const ENGINE_NODE_VARIABLE = 'GUICHET_ENGINE_NODE';

export function engineLaunch(input: EngineLaunchInput): EngineLaunch {
  const args = [input.hostScript, '--db', input.dbPath];
  if (input.packaged) {
    return {
      command: input.execPath,
      args,
      env: { ...input.env, ELECTRON_RUN_AS_NODE: '1' },
      runtime: 'electron-as-node',
    };
  }
  const env = { ...input.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return { command: input.env[ENGINE_NODE_VARIABLE] || 'node', args, env, runtime: 'node' };
}

/** The command that rebuilds better-sqlite3 for the runtime that failed to load it. */
export function bindingFixCommand(runtime: Runtime): string {
  return runtime.kind === 'node'
    ? 'npm rebuild better-sqlite3'
    : 'npx electron-builder install-app-deps (then package again)';
}

/**
 * One line for staff when better-sqlite3 cannot be loaded: which ABI it was built for, which one this
 * runtime needs and the command that fixes it. Null when the error is about something else.
 */
export function bindingFailureLine(error: unknown, runtime: Runtime): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const abi = /NODE_MODULE_VERSION\s+(\d+)[\s\S]*?requires\s+NODE_MODULE_VERSION\s+(\d+)/.exec(message);
  if (abi) {
    return (
      `better-sqlite3 was built for NODE_MODULE_VERSION ${abi[1]} but the engine runs on ${runtime.name}, ` +
      `which needs ${abi[2]}; fix it with: ${bindingFixCommand(runtime)}`
    );
  }
  if (/Could not locate the bindings file|better_sqlite3\.node/.test(message)) {
    return (
      `better-sqlite3 has no build for ${runtime.name} (NODE_MODULE_VERSION ${runtime.abi}); ` +
      `fix it with: ${bindingFixCommand(runtime)}`
    );
  }
  return null;
}

/**
 * Loads better-sqlite3 the way the engine will (`load` opens an in-memory database) and returns null, or
 * the one line saying why it cannot be loaded on this runtime.
 */
export async function bindingProblem(load: () => Promise<void>, runtime: Runtime): Promise<string | null> {
  try {
    await load();
    return null;
  } catch (e) {
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return bindingFailureLine(e, runtime) ?? `better-sqlite3 cannot be loaded on ${runtime.name}: ${first}`;
  }
}

/**
 * Why Electron cannot be started at all, before trying: no binary (the electron package downloads it at
 * install time, which needs the network) or, on Linux, no display to open a window on. Null to go ahead.
 */
export function electronStartBlocker(facts: {
  binary: string | null;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
}): string | null {
  if (!facts.binary) {
    return 'No Electron binary is installed here (npm install downloads it, which needs the network)';
  }
  if (facts.platform === 'linux' && !facts.env.DISPLAY && !facts.env.WAYLAND_DISPLAY) {
    return 'No display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  }
  return null;
}

/**
 * Status lines the shell writes to stderr for `npm start`: the desk window is open, or the app cannot
 * start and why. `npm start` hides them and shows the reason as its one line.
 */
export const SHELL_STATUS_PREFIX = 'guichet-shell: ';
export const shellStatus = {
  open: `${SHELL_STATUS_PREFIX}open`,
  failed: (reason: string) => `${SHELL_STATUS_PREFIX}failed ${reason.replace(/\s*\n\s*/g, ' ')}`,
};

export type ShellStatus = { kind: 'open' } | { kind: 'failed'; reason: string };

export function parseShellStatus(line: string): ShellStatus | null {
  if (!line.startsWith(SHELL_STATUS_PREFIX)) return null;
  const rest = line.slice(SHELL_STATUS_PREFIX.length);
  if (rest === 'open') return { kind: 'open' };
  if (rest.startsWith('failed ')) return { kind: 'failed', reason: rest.slice('failed '.length) };
  return null;
}

/**
 * One line for an Electron that ended before its window opened, from what it wrote to stderr: the
 * shell's own reason (the engine's, with the command that fixes it), a missing display, or the exit itself.
 */
export function electronExitLine(exit: {
  code: number | null;
  signal: string | null;
  stderr: string;
}): string {
  const lines = exit.stderr.split(/\r?\n/).map((l) => l.trim());
  for (const line of lines) {
    const status = parseShellStatus(line);
    if (status?.kind === 'failed') return status.reason;
  }
  const text = lines.join('\n');
  if (
    /Missing X server or \$DISPLAY|cannot open display|Failed to connect to Wayland display|Authorization required/i.test(
      text,
    )
  ) {
    return 'Electron found no display to open a window on';
  }
  const last = lines.filter((l) => l && !parseShellStatus(l)).at(-1);
  const how = exit.signal ?? `code ${exit.code ?? '?'}`;
  return `Electron exited at start (${how})${last ? `: ${last.slice(0, 200)}` : ''}`;
}
