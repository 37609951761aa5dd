import type { ErrorBody, ErrorKind, EngineError } from '../engine/errors';

/** pretix's HTTP status for each kind of engine error. */
const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  refused: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  busy: 429,
  disk_full: 507,
};

export function httpStatusOf(kind: ErrorKind): number {
  return STATUS_OF_KIND[kind];
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

/** An engine error as the REST API answers it: pretix's status, its body as is, Retry-After when busy. */
export function restAnswer(error: EngineError): HttpAnswer {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return { status: httpStatusOf(error.kind), headers, body: error.body };
}
