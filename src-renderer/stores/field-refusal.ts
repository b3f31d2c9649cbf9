// The core's refusal of a form mapped to the form's fields: a VALIDATION error's
// params.issues (import issues, each naming its field) or a contract VALIDATION's
// "device.snmpPort" / fields list. The form says how a path names one of its fields. Pure.
import type { ImportIssue } from '../../src-shared/domain';
import type { ShownError } from './shown-error';

export interface FieldRefusal<F extends string> {
  /** Import issues by form field, and those no field names. */
  byField: Partial<Record<F, ImportIssue[]>>;
  other: ImportIssue[];
  /** A contract VALIDATION (no issues): its problems by field. */
  problems: Partial<Record<F, string[]>>;
}

/** The core's refusal by field; null when it is not a VALIDATION error with fields. */
export function refusalByField<F extends string>(error: ShownError, fieldOf: (path: string) => F | null): FieldRefusal<F> | null {
  if (error.code !== 'VALIDATION' || typeof error.params !== 'object' || error.params === null) return null;
  const p = error.params as { issues?: unknown; fields?: unknown; field?: unknown; problem?: unknown };
  const out: FieldRefusal<F> = { byField: {}, other: [], problems: {} };
  if (Array.isArray(p.issues)) {
    for (const raw of p.issues as unknown[]) {
      if (typeof raw !== 'object' || raw === null) continue;
      const issue = raw as ImportIssue;
      if (typeof issue.message !== 'string') continue;
      const field = typeof issue.field === 'string' ? fieldOf(issue.field) : null;
      if (field) (out.byField[field] ??= []).push(issue);
      else out.other.push(issue);
    }
    return out;
  }
  const list = Array.isArray(p.fields) ? (p.fields as { field?: unknown; problem?: unknown }[]) : [{ field: p.field, problem: p.problem }];
  let any = false;
  for (const f of list) {
    if (typeof f?.field !== 'string' || typeof f.problem !== 'string') continue;
    const field = fieldOf(f.field);
    any = true;
    if (field) (out.problems[field] ??= []).push(f.problem);
    else out.other.push({ line: 0, column: 0, field: f.field, code: 'required', params: {}, message: `${f.field} ${f.problem}` } as unknown as ImportIssue);
  }
  return any ? out : null;
}
