// The audit capability: the trail of control actions and refusals, for admins.
import type { Capability } from '../../../src-shared/api';
import type { AuditRepository } from '../store/audit-repository';

export function startAudit(d: { store: { audit: AuditRepository } }): Capability<'audit.list'> {
  return {
    api: { 'audit.list': (a) => d.store.audit.list(a.limit ?? 100) },
    dispose: async () => {},
  };
}
