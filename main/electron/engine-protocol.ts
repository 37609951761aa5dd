/**
 * Messages between the desktop shell (Electron main) and the engine process it owns, over the Node IPC
 * channel. Desk calls themselves go over loopback HTTP (`POST /rpc/<method>` with the session token), as
 * in the browser mode; this channel only carries the handshake, printing and the request to stop.
 */

export interface PrintRequestOptions {
  silent: boolean;
  deviceName?: string;
  copies?: number;
}

export type EngineMessage =
  /** The engine is open and its desk RPC answers at `rpcUrl` for callers presenting `sessionToken`. */
  | { type: 'ready'; rpcUrl: string; sessionToken: string; pid: number; runtime: string; abi: string }
  /** The engine could not start; `reason` is one line for staff (and the command that fixes it, if any). */
  | { type: 'failed'; reason: string }
  /** Print this PDF file with Electron (only Electron main can reach the system's printers). */
  | { type: 'print'; id: number; path: string; options: PrintRequestOptions };

export type ShellMessage =
  | { type: 'printed'; id: number; error: string | null }
  /** Close the database and exit. */
  | { type: 'stop' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function isEngineMessage(value: unknown): value is EngineMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return (
        typeof value.rpcUrl === 'string' &&
        typeof value.sessionToken === 'string' &&
        typeof value.pid === 'number' &&
        typeof value.runtime === 'string' &&
        typeof value.abi === 'string'
      );
    case 'failed':
      return typeof value.reason === 'string';
    case 'print':
      return typeof value.id === 'number' && typeof value.path === 'string' && isRecord(value.options);
    default:
      return false;
  }
}

export function isShellMessage(value: unknown): value is ShellMessage {
  if (!isRecord(value)) return false;
  if (value.type === 'stop') return true;
  return (
    value.type === 'printed' &&
    typeof value.id === 'number' &&
    (value.error === null || typeof value.error === 'string')
  );
}
