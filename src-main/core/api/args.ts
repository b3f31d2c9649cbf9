import { ValidationError } from '../../../src-shared/errors';

// Small runtime checks for arguments that arrive over a wire: the types say what the
// renderer should send, these make sure of what it did.

export function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(`${what}: expected an object`);
  return v as Record<string, unknown>;
}

export function str(o: Record<string, unknown>, key: string, what: string, max = 100_000_000): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw new ValidationError(`${what}: "${key}" must be a non-empty string`);
  if (v.length > max) throw new ValidationError(`${what}: "${key}" is longer than ${max} characters`);
  return v;
}

export function oneOf<T extends string>(o: Record<string, unknown>, key: string, allowed: readonly T[], what: string): T {
  const v = o[key];
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new ValidationError(`${what}: "${key}" must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export function optInt(o: Record<string, unknown>, key: string, what: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ValidationError(`${what}: "${key}" must be an integer from ${min} to ${max}`);
  }
  return v;
}
