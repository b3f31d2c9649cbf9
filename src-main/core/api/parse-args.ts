// Parses a call's arguments with its contract schema; a malformed call becomes one
// VALIDATION error that names the method and the first offending field.
import type { z } from 'zod';
import type { MethodSpec } from '../../../src-shared/api/contract';
import { ValidationError } from '../../../src-shared/errors';

interface Problem {
  readonly field: string;
  readonly problem: string;
}

function problems(error: z.ZodError): Problem[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    const keys = i.code === 'unrecognized_keys' ? (i as { keys: string[] }).keys.join(', ') : '';
    const field = [path, keys].filter(Boolean).join('.') || '(arguments)';
    const problem = i.code === 'unrecognized_keys' ? 'is not an argument of this method' : i.message;
    return { field, problem };
  });
}

export function parseArgs(method: string, spec: MethodSpec, args: unknown): unknown {
  const r = spec.args.safeParse(args);
  if (r.success) return r.data;
  const list = problems(r.error);
  const first = list[0] ?? { field: '(arguments)', problem: 'is malformed' };
  const more = list.length > 1 ? ` (and ${list.length - 1} more)` : '';
  throw new ValidationError(`${method}: "${first.field}" ${first.problem}${more}`, { method, field: first.field, problem: first.problem, fields: list });
}
