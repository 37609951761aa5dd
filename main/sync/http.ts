/**
 * The only door a desk uses to reach its server: pretix's documented REST API over HTTP(S). Nothing here
 * knows whether the other end is pretix or a Guichet hub.
 */
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

export async function call(
  auth: ServerAuth | { baseUrl: string },
  method: string,
  path: string,
  options: { body?: unknown; idempotencyKey?: string; timeoutMs?: number } = {},
): Promise<ServerAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if ('token' in auth) headers.authorization = `${auth.scheme} ${auth.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['x-idempotency-key'] = options.idempotencyKey;
  const url = new URL(path, auth.baseUrl.endsWith('/') ? auth.baseUrl : `${auth.baseUrl}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (e) {
    throw new Unreachable(`The server at ${auth.baseUrl} cannot be reached (${(e as Error).message}).`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // a proxy's HTML error page: kept as text for the reason shown to the manager
  }
  return { status: response.status, body, headers: response.headers };
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
