// The audit page's filters as the form holds them (text, datetime-local strings) and the
// audit.list arguments they make: empty filters left out, text trimmed, times in ms. Pure.
import type { ArgsOf } from '../../../src-shared/api';

export const AUDIT_OUTCOMES = ['allowed', 'refused', 'failed', 'succeeded'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
/** Entries fetched per page; "more" asks for the next page's worth on top. */
export const AUDIT_PAGE = 100;
export const AUDIT_MAX = 10_000;

export interface AuditFilters {
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome | '';
  /** datetime-local values ("2025-01-31T12:00"), in local time; '' for none. */
  since: string;
  until: string;
}

export const emptyAuditFilters: AuditFilters = { actor: '', action: '', target: '', outcome: '', since: '', until: '' };

/** A datetime-local value in ms since epoch; null when empty or not a time. */
export function localTimeMs(value: string): number | null {
  if (value.trim() === '') return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

export function auditArgs(f: AuditFilters, limit: number): NonNullable<ArgsOf<'audit.list'>> {
  const args: { -readonly [K in keyof NonNullable<ArgsOf<'audit.list'>>]: NonNullable<ArgsOf<'audit.list'>>[K] } = {
    limit: Math.min(AUDIT_MAX, Math.max(1, Math.floor(limit))),
  };
  const actor = f.actor.trim();
  const action = f.action.trim();
  const target = f.target.trim();
  if (actor) args.actor = actor;
  if (action) args.action = action;
  if (target) args.target = target;
  if (f.outcome) args.outcome = f.outcome;
  const since = localTimeMs(f.since);
  const until = localTimeMs(f.until);
  if (since !== null) args.since = since;
  if (until !== null) args.until = until;
  return args;
}
