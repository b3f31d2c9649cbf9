// Error shapes that cross every boundary as { name, code, message, details }.

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'STORE_VERSION'
  | 'CONFLICT'
  | 'UNAVAILABLE'
  | 'BAD_REQUEST'
  | 'INTERNAL';

export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class FleetDeckError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FleetDeckError';
    this.code = code;
    this.details = details;
  }
}

export class ForbiddenError extends FleetDeckError {
  constructor(method: string, required: string, actual: string) {
    super('FORBIDDEN', `"${method}" needs the ${required} role; this session is ${actual}`, { method, required, actual });
    this.name = 'ForbiddenError';
  }
}

export class ValidationError extends FleetDeckError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION', message, details);
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
    return { name: err.name, code: err.code, message: err.message, details: err.details };
  }
  if (err instanceof Error) return { name: err.name, code: 'INTERNAL', message: err.message };
  return { name: 'Error', code: 'INTERNAL', message: String(err) };
}

/** The error a client raises from a serialized one: same name, code, message, details. */
export class RemoteError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(e: SerializedError) {
    super(e.message);
    this.name = e.name;
    this.code = e.code;
    this.details = e.details;
  }
}

export function isSerializedError(v: unknown): v is SerializedError {
  return typeof v === 'object' && v !== null && typeof (v as SerializedError).code === 'string' && typeof (v as SerializedError).message === 'string';
}
