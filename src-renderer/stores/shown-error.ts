// An error as the UI shows it: the core's { name, code, message, details }, plain data.
import { RemoteError, type ErrorCode } from '../../src-shared/errors';

export interface ShownError {
  name: string;
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export function toShownError(err: unknown): ShownError {
  if (err instanceof RemoteError) return { name: err.name, code: err.code, message: err.message, details: err.details };
  if (err instanceof Error) return { name: err.name, code: 'INTERNAL', message: err.message };
  return { name: 'Error', code: 'INTERNAL', message: String(err) };
}

/** The role a FORBIDDEN error says was needed, when the core told us. */
export function requiredRole(e: ShownError): string | null {
  if (e.code !== 'FORBIDDEN' || typeof e.details !== 'object' || e.details === null) return null;
  const r = (e.details as { required?: unknown }).required;
  return typeof r === 'string' ? r : null;
}
