import {
  SESSION_HEADER,
  type RpcFailure,
  type RpcInput,
  type RpcMethod,
  type RpcOutput,
} from '../../shared/contract';

/** A refused desk call: the engine's stable code, its message for staff, and pretix's error body. */
export class RpcError extends Error {
  readonly code: string;
  readonly status: number;
  readonly body: unknown;
  constructor(failure: RpcFailure['error']) {
    super(failure.message);
    this.name = 'RpcError';
    this.code = failure.code;
    this.status = failure.status;
    this.body = failure.body;
  }
}

export type Envelope<M extends RpcMethod> = { result: RpcOutput<M> } | RpcFailure;

export interface Transport {
  call<M extends RpcMethod>(method: M, input: RpcInput<M>): Promise<RpcOutput<M>>;
}

/** What the Electron preload puts on `window.guichet`. */
export interface PreloadBridge {
  invoke(method: string, input: unknown): Promise<unknown>;
}

function unwrap<M extends RpcMethod>(envelope: unknown): RpcOutput<M> {
  if (envelope && typeof envelope === 'object' && 'error' in envelope) {
    throw new RpcError((envelope as RpcFailure).error);
  }
  if (envelope && typeof envelope === 'object' && 'result' in envelope) {
    return (envelope as { result: RpcOutput<M> }).result;
  }
  throw new RpcError({
    code: 'bad_reply',
    message: 'The desk got a reply it does not understand.',
    status: 0,
    body: null,
  });
}

/** Electron: one typed `invoke` over IPC from the preload. */
export function ipcTransport(bridge: PreloadBridge): Transport {
  return {
    async call(method, input) {
      return unwrap(await bridge.invoke(method, input));
    },
  };
}

/** The gate's refusal of a call that carries another start's session token (main/rpc/http.ts). */
function isOtherStart(status: number, envelope: unknown): boolean {
  return (
    status === 403 &&
    typeof envelope === 'object' &&
    envelope !== null &&
    'error' in envelope &&
    (envelope as RpcFailure).error.code === 'forbidden'
  );
}

/**
 * Browser: `POST /rpc/<method>` on the page's own origin with this start's session token. When the server
 * was restarted (a new start, a new token), the token is read again from its page, as a reload would,
 * and the refused call (which the gate did not run) is sent once more: the open sale goes on without a
 * reload.
 */
export function httpTransport(sessionToken: string, fetchFn: typeof fetch = fetch, base = ''): Transport {
  let token = sessionToken;
  const renewToken = async (): Promise<boolean> => {
    try {
      const page = await (await fetchFn(`${base}/`, { cache: 'no-store' })).text();
      const fresh = /<meta name="guichet-session" content="([^"]+)"/.exec(page)?.[1];
      if (!fresh || fresh === token) return false;
      token = fresh;
      return true;
    } catch {
      return false;
    }
  };
  const send = async (method: string, input: unknown): Promise<{ status: number; envelope: unknown }> => {
    let response: Response;
    try {
      response = await fetchFn(`${base}/rpc/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [SESSION_HEADER]: token },
        body: JSON.stringify(input),
      });
    } catch {
      throw new RpcError({
        code: 'offline',
        message: 'The box office server does not answer.',
        status: 0,
        body: null,
      });
    }
    try {
      return { status: response.status, envelope: await response.json() };
    } catch {
      throw new RpcError({
        code: 'bad_reply',
        message: `The server answered ${response.status}.`,
        status: response.status,
        body: null,
      });
    }
  };
  return {
    async call(method, input) {
      let sent = await send(method, input);
      if (isOtherStart(sent.status, sent.envelope) && (await renewToken())) sent = await send(method, input);
      return unwrap(sent.envelope);
    },
  };
}

/** The transport for wherever the desk runs: the preload's bridge in Electron, HTTP in a browser. */
export function detectTransport(win: Window & { guichet?: PreloadBridge }): Transport {
  if (win.guichet) return ipcTransport(win.guichet);
  const meta = win.document.querySelector('meta[name="guichet-session"]');
  return httpTransport(meta?.getAttribute('content') ?? '');
}
