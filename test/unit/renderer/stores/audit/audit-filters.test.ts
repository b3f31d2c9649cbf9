// The audit filters as audit.list arguments: empty ones left out, text trimmed, times in ms, limit bounded.
import { describe, expect, it } from 'vitest';
import { auditArgs, emptyAuditFilters, localTimeMs } from '../../../../../src-renderer/stores/audit/audit-filters';

describe('auditArgs', () => {
  it('sends only the limit when nothing is filtered', () => {
    expect(auditArgs(emptyAuditFilters, 100)).toEqual({ limit: 100 });
  });

  it('trims text, keeps the outcome and turns the time range into ms', () => {
    const since = '2026-01-31T12:00';
    const args = auditArgs({ actor: ' admin ', action: 'credentials.put', target: ' credential x ', outcome: 'refused', since, until: 'nonsense' }, 200);
    expect(args).toEqual({ limit: 200, actor: 'admin', action: 'credentials.put', target: 'credential x', outcome: 'refused', since: new Date(since).getTime() });
  });

  it('bounds the limit to what the contract takes', () => {
    expect(auditArgs(emptyAuditFilters, 0).limit).toBe(1);
    expect(auditArgs(emptyAuditFilters, 50_000).limit).toBe(10_000);
    expect(auditArgs(emptyAuditFilters, 12.7).limit).toBe(12);
  });

  it('reads datetime-local values', () => {
    expect(localTimeMs('')).toBeNull();
    expect(localTimeMs('x')).toBeNull();
    expect(localTimeMs('2026-01-01T00:00')).toBe(new Date(2026, 0, 1).getTime());
  });
});
