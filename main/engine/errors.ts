/**
 * Engine errors are values with a stable code, a human message and, where the failure belongs to a
 * field, a body in pretix's (Django REST framework's) error shape. The REST API sends `body` as is;
 * the desk shows `message`.
 */
export type ErrorBody = { detail: string } | string[] | FieldErrors;
export interface FieldErrors {
  [field: string]: string[] | FieldErrors | (FieldErrors | Record<string, never>)[];
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 507;

export class EngineError extends Error {
  readonly code: string;
  readonly status: ErrorStatus;
  readonly body: ErrorBody;
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    message: string,
    options: { status?: ErrorStatus; body?: ErrorBody; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.status = options.status ?? 400;
    this.body = options.body ?? { detail: message };
    this.headers = options.headers ?? {};
  }
}

/** 400 `{"detail": message}`: a refused action (wrong state, quota gone, ...). */
export function refused(code: string, message: string): EngineError {
  return new EngineError(code, message, { status: 400 });
}

/** 400 `["message"]`: a non-field validation error as DRF renders it. */
export function refusedList(code: string, message: string): EngineError {
  return new EngineError(code, message, { status: 400, body: [message] });
}

/** 400 with per-field errors, e.g. `{"positions": [{"item": ["..."]}]}`. */
export function invalidFields(code: string, fields: FieldErrors, message?: string): EngineError {
  return new EngineError(code, message ?? firstMessage(fields) ?? 'Invalid input.', {
    status: 400,
    body: fields,
  });
}

export function fieldError(field: string, message: string, code = 'invalid'): EngineError {
  return invalidFields(code, { [field]: [message] }, message);
}

export function notFound(what = 'Not found.'): EngineError {
  return new EngineError('not_found', what, { status: 404, body: { detail: 'Not found.' } });
}

export function forbidden(message: string): EngineError {
  return new EngineError('forbidden', message, { status: 403 });
}

export function conflict(message: string): EngineError {
  return new EngineError('conflict', message, { status: 409 });
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

/** A client's value as a number, NaN for anything that is not a number or a numeric string. */
export function numeric(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? NaN : Number(value);
  return NaN;
}

/**
 * A write that failed because the disk (or the database's size limit) is full, as an error in plain words
 * with status 507; undefined for any other error. The transaction was rolled back, so nothing was saved.
 */
export function diskFullError(error: unknown): EngineError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'SQLITE_FULL' && code !== 'ENOSPC') return undefined;
  return new EngineError(
    'disk_full',
    'The disk is full, so nothing was saved. Free some space on the disk that holds the Guichet database and try again.',
    { status: 507 },
  );
}
