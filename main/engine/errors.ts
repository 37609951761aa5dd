/**
 * Engine errors are values with a stable code, a human message, a kind (what went wrong, in words every
 * door understands) and, where the failure belongs to a field, a body in pretix's (Django REST
 * framework's) error shape. No HTTP here: the REST door maps the kind to pretix's status and sends `body`
 * as is (`main/api/errors.ts`); the desk's door shows `message`.
 */
export type ErrorBody = { detail: string } | string[] | FieldErrors;
export interface FieldErrors {
  [field: string]: string[] | FieldErrors | (FieldErrors | Record<string, never>)[];
}

/**
 * What kind of failure an error is:
 * - `invalid`: the input is malformed (a field error, a bad filter, unparsable JSON);
 * - `refused`: the input is well-formed but a rule says no (wrong state, quota gone, ...);
 * - `unauthenticated`: no or unknown credentials; `forbidden`: known credentials, not allowed;
 * - `not_found`; `conflict`: the state moved on meanwhile (a job printing, a request in progress);
 * - `too_large`: the request is larger than accepted; `busy`: retry after `retryAfterSeconds`;
 * - `disk_full`: nothing could be saved.
 */
export type ErrorKind =
  | 'invalid'
  | 'refused'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'busy'
  | 'disk_full';

export interface EngineErrorOptions {
  kind?: ErrorKind;
  body?: ErrorBody;
  /** For `busy`: how long to wait before trying again. */
  retryAfterSeconds?: number;
}

export class EngineError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly body: ErrorBody;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, options: EngineErrorOptions = {}) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.kind =
      options.kind ?? (options.body !== undefined && !('detail' in options.body) ? 'invalid' : 'refused');
    this.body = options.body ?? { detail: message };
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Whether an error is the caller's to fix by changing the request: `invalid` or `refused` (pretix's 400). */
export function isBadRequest(error: EngineError): boolean {
  return error.kind === 'invalid' || error.kind === 'refused';
}

/** 400 `{"detail": message}`: a refused action (wrong state, quota gone, ...). */
export function refused(code: string, message: string): EngineError {
  return new EngineError(code, message, { kind: 'refused' });
}

/** 400 `["message"]`: a non-field validation error as DRF renders it. */
export function refusedList(code: string, message: string): EngineError {
  return new EngineError(code, message, { kind: 'refused', body: [message] });
}

/** 400 with per-field errors, e.g. `{"positions": [{"item": ["..."]}]}`. */
export function invalidFields(code: string, fields: FieldErrors, message?: string): EngineError {
  return new EngineError(code, message ?? firstMessage(fields) ?? 'Invalid input.', {
    kind: 'invalid',
    body: fields,
  });
}

export function fieldError(field: string, message: string, code = 'invalid'): EngineError {
  return invalidFields(code, { [field]: [message] }, message);
}

export function notFound(what = 'Not found.'): EngineError {
  return new EngineError('not_found', what, { kind: 'not_found', body: { detail: 'Not found.' } });
}

/** What a lookup found; when it found nothing, the 404 or the refusal `missing` gives. */
export function found<T>(value: T | null | undefined, missing: () => EngineError = notFound): T {
  if (value === null || value === undefined) throw missing();
  return value;
}

/** 403 `{"detail": message}`: known credentials, or a rule that forbids the action (an item already sold). */
export function forbidden(message: string, code = 'forbidden'): EngineError {
  return new EngineError(code, message, { kind: 'forbidden' });
}

export function conflict(message: string): EngineError {
  return new EngineError('conflict', message, { kind: 'conflict' });
}

function firstMessage(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const m = firstMessage(v);
      if (m) return m;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const m = firstMessage(v);
      if (m) return key === 'non_field_errors' ? m : `${key}: ${m}`;
    }
  }
  return undefined;
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/**
 * A client's value as an error message shows it. Never throws, whatever the JSON held: `String()` throws
 * on an object whose `toString` is not a function (`{"toString": 1}`) and recurses on nested arrays.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return Array.isArray(value) ? 'list' : 'dict';
  }
}

/** The Python type name Django REST framework puts in its messages for a JSON value. */
export function pythonType(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'bool';
  return 'dict';
}

/** A client's value as a number, NaN for anything that is not a number or a numeric string. */
export function numeric(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? NaN : Number(value);
  return NaN;
}

/**
 * A write that failed because the disk (or the database's size limit) is full, as an error in plain words
 * of kind `disk_full`; undefined for any other error. The transaction was rolled back, so nothing was saved.
 */
export function diskFullError(error: unknown): EngineError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'SQLITE_FULL' && code !== 'ENOSPC') return undefined;
  return new EngineError(
    'disk_full',
    'The disk is full, so nothing was saved. Free some space on the disk that holds the Guichet database and try again.',
    { kind: 'disk_full' },
  );
}
