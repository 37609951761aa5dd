import type { FastifyRequest } from 'fastify';
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
  return new EngineError('invalid_page', 'Invalid page.', { status: 404 });
}

/** Absolute URL of the request, with its query re-encoded with sorted keys and `page` replaced. */
export function pageUrl(req: FastifyRequest, page: number): string {
  const query = queryOf(req);
  if (page <= 1) delete query.page;
  else query.page = String(page);
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) params.set(key, query[key]!);
  const host = req.headers['x-forwarded-host'] ?? req.headers.host ?? '127.0.0.1';
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  const path = req.url.split('?')[0];
  const qs = params.toString();
  return `${proto}://${host}${path}${qs ? `?${qs}` : ''}`;
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
