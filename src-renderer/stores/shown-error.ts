// An error as the UI shows it: the core's { name, code, message, params }, plain data.
import { RemoteError, type ErrorCode } from '../../src-shared/errors';

export interface ShownError {
  name: string;
  code: ErrorCode;
  message: string;
  params?: unknown;
}

export function toShownError(err: unknown): ShownError {
  if (err instanceof RemoteError) return { name: err.name, code: err.code, message: err.message, params: err.params };
  if (err instanceof Error) return { name: err.name, code: 'INTERNAL', message: err.message };
  return { name: 'Error', code: 'INTERNAL', message: String(err) };
}

/** The role a FORBIDDEN error says was needed, when the core told us. */
export function requiredRole(e: ShownError): string | null {
  if (e.code !== 'FORBIDDEN' || typeof e.params !== 'object' || e.params === null) return null;
  const r = (e.params as { required?: unknown }).required;
  return typeof r === 'string' ? r : null;
}
