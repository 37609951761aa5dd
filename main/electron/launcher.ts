import { spawn as nodeSpawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { electronExitLine, parseShellStatus } from './runtime';

/**
 * `npm start`'s side of Electron: finding its binary without the on-demand download (which needs the
 * network), and running it while telling a start that failed (and why, in one line) from an app that ran.
 */

/** Electron's executable as the electron package names it in `path.txt`, where it was installed. */
export function findElectronBinary(
  electronPackageJson: string | null,
  env: Record<string, string | undefined>,
): string | null {
  if (!electronPackageJson) return null;
  const pkgDir = dirname(electronPackageJson);
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist'), relative);
  return existsSync(binary) ? binary : null;
}

export type ElectronRun =
  /** The window opened; the app has ended since with this code. */
  | { kind: 'ran'; code: number }
  /** Electron ended before its window opened (quietly: a second instance handing over to the first). */
  | { kind: 'handed-over' }
  /**
   * It did not start. `engine`: the shell reported that the engine could not start, so the browser mode,
   * which runs the same engine on the same Node, would fail alike.
   */
  | { kind: 'failed'; line: string; engine: boolean };

export interface RunElectronOptions {
  command: string;
  args: string[];
  env: Record<string, string | undefined>;
  /** Electron's own output, minus the shell's status lines. */
  forward: (line: string) => void;
  spawn?: typeof nodeSpawn;
  /** Receives a function that passes a signal on to Electron (for Ctrl+C). */
  onStarted?: (kill: (signal: NodeJS.Signals) => void) => void;
}

export function runElectron(options: RunElectronOptions): Promise<ElectronRun> {
  const spawn = options.spawn ?? nodeSpawn;
  return new Promise((resolve) => {
    const child = spawn(options.command, options.args, {
      env: options.env,
      stdio: ['inherit', 'inherit', 'pipe'],
    });
    options.onStarted?.((signal) => child.kill(signal));
    let open = false;
    let engineFailure: string | null = null;
    const early: string[] = [];
    let settled = false;
    const settle = (run: ElectronRun) => {
      if (!settled) resolve(run);
      settled = true;
    };
    const stderrDone = new Promise<void>((done) => {
      if (!child.stderr) return done();
      const lines = createInterface({ input: child.stderr });
      lines.on('line', (line) => {
        const status = parseShellStatus(line.trim());
        if (status?.kind === 'open') open = true;
        else if (status?.kind === 'failed') engineFailure = status.reason;
        else {
          if (!open && early.length < 200) early.push(line);
          options.forward(line);
        }
      });
      lines.on('close', () => done());
    });
    child.on('error', (e) =>
      settle({ kind: 'failed', line: `Electron could not start (${e.message})`, engine: false }),
    );
    child.on('exit', (code, signal) => {
      // Electron's helper processes may hold stderr open a moment longer; the status lines come before exit.
      const drained = Promise.race([stderrDone, new Promise<void>((r) => setTimeout(r, 1000).unref())]);
      void drained.then(() => {
        if (open) return settle({ kind: 'ran', code: code ?? (signal ? 1 : 0) });
        if (engineFailure) return settle({ kind: 'failed', line: engineFailure, engine: true });
        if (code === 0) return settle({ kind: 'handed-over' });
        settle({
          kind: 'failed',
          line: electronExitLine({ code, signal, stderr: early.join('\n') }),
          engine: false,
        });
      });
    });
  });
}
