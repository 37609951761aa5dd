import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound, refusedList } from '../../engine/errors';
import { queryBoolean } from './drf';

/**
 * A request's path parameters and query string, parsed once with zod (never cast): path parameters are
 * text, query parameters text or repeated text. What a parameter means (an id, a filter) is read from this
 * at the point of the view where pretix reads it, after authentication and the lookups that answer 403/404.
 */
const PathParams = z.record(z.string(), z.string());
const QueryParams = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export type QueryValues = z.infer<typeof QueryParams>;

/** Parses a part of the request once; later reads of the same request reuse the result. */
function parsedOnce<T>(schema: z.ZodType<T>, empty: T, part: (req: FastifyRequest) => unknown) {
  const parsed = new WeakMap<FastifyRequest, T>();
  return (req: FastifyRequest): T => {
    let value = parsed.get(req);
    if (value === undefined) {
      const result = schema.safeParse(part(req) ?? {});
      value = result.success ? result.data : empty;
      parsed.set(req, value);
    }
    return value;
  };
}

/** The path's parameters (`:organizer`, `:event`, `:code`, ...). */
export const pathParams = parsedOnce(PathParams, {}, (req) => req.params);

/** The query string: each parameter's value, a list when it is repeated. */
export const queryValues = parsedOnce(QueryParams, {}, (req) => req.query);

/** One path parameter; 404 when the route has none of that name. */
export function pathParam(req: FastifyRequest, name: string): string {
  const value = pathParams(req)[name];
  if (value === undefined) throw notFound();
  return value;
}

/** The numeric id in the path (`:id`), or 404 when it is not a number of at most `maxDigits` digits. */
export function pathId(req: FastifyRequest, name = 'id', maxDigits = Infinity): number {
  const raw = pathParams(req)[name] ?? '';
  if (!/^\d+$/.test(raw) || raw.length > maxDigits) throw notFound();
  return Number(raw);
}

/** Every value of a query parameter, in order. */
export function queryAll(req: FastifyRequest, key: string): string[] {
  const v = queryValues(req)[key];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** A query parameter's value (the last one when repeated, as Django's QueryDict.get). */
export function queryValue(req: FastifyRequest, key: string): string | undefined {
  const all = queryAll(req, key);
  return all[all.length - 1];
}

/** A comma-separated or repeated list parameter (`?include=a,b&include=c`), without empty entries. */
export function queryList(req: FastifyRequest, key: string): string[] {
  return queryAll(req, key)
    .flatMap((s) => s.split(','))
    .filter((s) => s !== '');
}

/** django-filter's BooleanFilter on a query parameter: true/false/1/0 in any case; else no filter. */
export function queryBool(req: FastifyRequest, key: string): boolean | undefined {
  return queryBoolean(queryValue(req, key));
}

/** The request body as an object (`{}` when there is none); anything else is refused as a plain message. */
export function bodyObject(req: FastifyRequest): Record<string, unknown> {
  const body = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw refusedList(
      'invalid',
      'Invalid data. Expected a dictionary, but got ' + (Array.isArray(body) ? 'list' : typeof body) + '.',
    );
  return body as Record<string, unknown>;
}
