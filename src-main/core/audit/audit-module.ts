// The audit capability: the trail of control actions and refusals, for admins, filtered by
// actor, action, target (substrings), outcome and time.
import type { Capability } from '../../../src-shared/api';
import type { AuditRepository } from '../store/audit-repository';

export function startAudit(d: { store: { audit: AuditRepository } }): Capability<'audit.list'> {
  return {
    api: {
      'audit.list': (args) => {
        const a = args ?? {};
        return d.store.audit.list({ limit: a.limit ?? 100, actor: a.actor, action: a.action, target: a.target, outcome: a.outcome, since: a.since, until: a.until });
      },
    },
    dispose: async () => {},
  };
}
