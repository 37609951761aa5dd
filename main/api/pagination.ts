import type { FastifyReply, FastifyRequest } from 'fastify';
import { EngineError } from '../engine/errors';

export const PAGE_SIZE = 50;

export interface Page {
  limit: number;
  offset: number;
  page: number;
}

function queryOf(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[v.length - 1] as string;
  }
  return out;
}

/** The page the request asks for; `page=last` needs the count, so it is resolved in `paginated`. */
export function pageSizeOf(req: FastifyRequest): number {
  const raw = queryOf(req).page_size;
  if (raw === undefined || !/^\d+$/.test(raw)) return PAGE_SIZE;
  const n = Number(raw);
  return n <= 0 ? PAGE_SIZE : Math.min(n, PAGE_SIZE);
}

function invalidPage(): EngineError {
  return new EngineError('invalid_page', 'Invalid page.', { kind: 'not_found' });
}

/** Python's `quote_plus`, as DRF's `urlencode` writes query values: space as `+`, only `A-Za-z0-9_.-~` bare. */
function quotePlus(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function unquotePlus(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value.replace(/\+/g, ' ');
  }
}

/** The raw query as `parse_qs(keep_blank_values=True)` reads it: every key with all its values, in order. */
function rawQuery(req: FastifyRequest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const qs = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
  for (const part of qs.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = unquotePlus(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : unquotePlus(part.slice(eq + 1));
    const list = out.get(key);
    if (list) list.push(value);
    else out.set(key, [value]);
  }
  return out;
}

/**
 * Absolute URL of the request with `page` replaced, as DRF's `replace_query_param`/`remove_query_param`
 * build `next` and `previous`: every other parameter kept with all its values (`?exclude=a&exclude=b`
 * stays whole), keys sorted, values in their order.
 */
export function pageUrl(req: FastifyRequest, page: number): string {
  const query = rawQuery(req);
  if (page <= 1) query.delete('page');
  else query.set('page', [String(page)]);
  const parts: string[] = [];
  for (const key of [...query.keys()].sort()) {
    for (const value of query.get(key)!) parts.push(`${quotePlus(key)}=${quotePlus(value)}`);
  }
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? '127.0.0.1';
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  const path = req.url.split('?')[0];
  return `${proto}://${host}${path}${parts.length ? `?${parts.join('&')}` : ''}`;
}

/**
 * pretix's object-level conditional fetching: the lists of orders, sub-events and reusable media carry the
 * time the request was served, which a client sends back as `modified_since` (doc/api/fundamentals.rst).
 */
export function setPageGenerated(reply: FastifyReply, now: Date): void {
  // DRF's DateTimeField: microseconds, and none at all on a whole second.
  const iso = now.toISOString();
  reply.header(
    'X-Page-Generated',
    iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso.replace(/\.(\d{3})Z$/, '.$1000Z'),
  );
}

/**
 * DRF page-number pagination: `{count, next, previous, results}`. `load` receives LIMIT/OFFSET so that
 * only one page is read from the database.
 */
export function paginated<T>(
  req: FastifyRequest,
  count: number,
  load: (limit: number, offset: number) => T[],
): { count: number; next: string | null; previous: string | null; results: T[] } {
  const size = pageSizeOf(req);
  const lastPage = Math.max(1, Math.ceil(count / size));
  const raw = queryOf(req).page;
  let page = 1;
  if (raw !== undefined) {
    if (raw === 'last') page = lastPage;
    else if (/^\d+$/.test(raw) && Number(raw) >= 1) page = Number(raw);
    else throw invalidPage();
  }
  if (page > lastPage) throw invalidPage();
  const results = load(size, (page - 1) * size);
  return {
    count,
    next: page < lastPage ? pageUrl(req, page + 1) : null,
    previous: page > 1 ? pageUrl(req, page - 1) : null,
    results,
  };
}

/** Paginates a list already in memory (small catalog lists). */
export function paginateList<T>(req: FastifyRequest, all: T[]) {
  return paginated(req, all.length, (limit, offset) => all.slice(offset, offset + limit));
}
