// Errors that cross every boundary as { name, code, params }: name is the specific kind
// (the renderer's message key), code the category a caller acts on, params the values to
// word it with. message is an English rendering for logs and the audit trail only.

export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'VALIDATION',
  'NOT_FOUND',
  'STORE_VERSION',
  'CONFLICT',
  'UNAVAILABLE',
  'BAD_REQUEST',
  /** The caller's budget (requests in flight, or per second) is spent: retry after params.retryAfterMs. */
  'RATE_LIMITED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Values an error is worded with. Structured values (lists of import issues) are allowed. */
export type ErrorParams = Readonly<Record<string, unknown>>;

export interface SerializedError {
  readonly name: string;
  readonly code: ErrorCode;
  readonly params?: ErrorParams;
  /** English, for logs; the renderer words the error from name, code and params. */
  readonly message: string;
}

export class FleetDeckError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams | undefined;
  constructor(code: ErrorCode, message: string, params?: ErrorParams, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FleetDeckError';
    this.code = code;
    this.params = params;
  }
  /** The params under their former name. */
  get details(): ErrorParams | undefined {
    return this.params;
  }
}

export class ForbiddenError extends FleetDeckError {
  constructor(method: string, required: string, actual: string) {
    super('FORBIDDEN', `"${method}" needs the ${required} role; this session is ${actual}`, { method, required, actual });
    this.name = 'ForbiddenError';
  }
}

/** A value that failed its schema: params.field names it (a dotted path), params.issues lists every problem. */
export class ValidationError extends FleetDeckError {
  constructor(message: string, params?: ErrorParams) {
    super('VALIDATION', message, params);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends FleetDeckError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} "${id}" does not exist`, { what, id });
    this.name = 'NotFoundError';
  }
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof FleetDeckError) {
    return { name: err.name, code: err.code, message: err.message, ...(err.params === undefined ? {} : { params: err.params }) };
  }
  if (err instanceof Error) return { name: err.name, code: 'INTERNAL', message: err.message };
  return { name: 'Error', code: 'INTERNAL', message: String(err) };
}

/** The error a client raises from a serialized one: same name, code, params, message. */
export class RemoteError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams | undefined;
  constructor(e: SerializedError) {
    super(e.message);
    this.name = e.name;
    this.code = e.code;
    this.params = e.params;
  }
  get details(): ErrorParams | undefined {
    return this.params;
  }
}

export function isSerializedError(v: unknown): v is SerializedError {
  return typeof v === 'object' && v !== null && typeof (v as SerializedError).code === 'string' && typeof (v as SerializedError).message === 'string';
}
