/**
 * The only door a desk uses to reach its server: pretix's documented REST API over HTTP(S). Nothing here
 * knows whether the other end is pretix or a Guichet hub.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface ServerAuth {
  baseUrl: string;
  scheme: 'Token' | 'Device';
  token: string;
}

export interface ServerAnswer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** The server could not be reached (or did not answer in time): the call may be retried. */
export class Unreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unreachable';
  }
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * One call to the server. Built on node:http rather than fetch: Node's fetch never settles when a
 * connection is reset right after it was accepted (as a proxy does whose server is down), which would
 * leave an upload hanging; here every failure to get an answer, and the time limit, end in Unreachable.
 */
export function call(
  auth: ServerAuth | { baseUrl: string },
  method: string,
  path: string,
  options: { body?: unknown; idempotencyKey?: string; timeoutMs?: number } = {},
): Promise<ServerAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if ('token' in auth) headers.authorization = `${auth.scheme} ${auth.token}`;
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  if (options.idempotencyKey) headers['x-idempotency-key'] = options.idempotencyKey;
  const url = new URL(path, auth.baseUrl.endsWith('/') ? auth.baseUrl : `${auth.baseUrl}/`);
  const unreachable = (why: string) =>
    new Unreachable(`The server at ${auth.baseUrl} cannot be reached (${why}).`);
  return new Promise<ServerAnswer>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: secure ? agents.https : agents.http,
    });
    const timer = setTimeout(
      () => req.destroy(unreachable('no answer in time')),
      options.timeoutMs ?? 30_000,
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e instanceof Unreachable ? e : unreachable(e.message));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => req.destroy(e));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          // a proxy's HTML error page: kept as text for the reason shown to the manager
        }
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        resolve({ status: res.statusCode ?? 0, body, headers: answerHeaders });
      });
    });
    req.end(payload);
  });
}

/** The server's own words for a refusal, flattened from DRF's error shapes into one line. */
export function reasonOf(answer: ServerAnswer): string {
  const words: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') words.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(answer.body);
  const text = [...new Set(words.filter((w) => w.trim()))].join(' ');
  return text || `The server answered ${answer.status}.`;
}

/** Statuses after which the same call may succeed later (pretix does not store these under the key). */
export function isTransient(status: number): boolean {
  return status === 409 || status === 429 || status >= 500;
}
