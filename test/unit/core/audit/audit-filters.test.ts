// audit.list's filters against a real SQLite trail: substrings of actor, action and target
// (LIKE wildcards in the filter taken literally), outcome, and an inclusive time window.
import { describe, expect, it } from 'vitest';
import { startAudit } from '../../../../src-main/core/audit/audit-module';
import { AuditRepository, likeSubstring, type AuditFilter } from '../../../../src-main/core/store/audit-repository';
import { openStore } from '../../../../src-main/core/store/database';

function setup() {
  const audit = new AuditRepository(openStore(':memory:'));
  audit.record({ actor: 'ada', role: 'admin', action: 'credentials.put', target: 'credential snmp_ro', outcome: 'succeeded' }, 1000);
  audit.record({ actor: 'oli', role: 'operator', action: 'credentials.put', target: 'credential snmpXro', outcome: 'refused' }, 2000);
  audit.record({ actor: 'ada', role: 'admin', action: 'device.power', target: 'device srv-1 100%', outcome: 'failed' }, 3000);
  audit.record({ actor: 'adam', role: 'admin', action: 'credentials.remove', target: 'credential old', outcome: 'succeeded' }, 4000);
  const mod = startAudit({ store: { audit } });
  // the handler as the api calls it, with the parsed args (absent fields undefined)
  const list = (a: AuditFilter | undefined) =>
    (mod.api['audit.list'](a as never, { actor: 't', role: 'admin' }) as ReturnType<AuditRepository['list']>).map((e) => e.at);
  return { audit, list };
}

describe('audit.list filters', () => {
  it('returns the newest first, limited, with no filter', () => {
    const { list } = setup();
    expect(list(undefined)).toEqual([4000, 3000, 2000, 1000]);
    expect(list({ limit: 2 })).toEqual([4000, 3000]);
  });

  it('matches actor, action and target as substrings, combined with AND', () => {
    const { list } = setup();
    expect(list({ actor: 'ada' })).toEqual([4000, 3000, 1000]);
    expect(list({ action: 'credentials.' })).toEqual([4000, 2000, 1000]);
    expect(list({ actor: 'ada', action: 'credentials' })).toEqual([4000, 1000]);
    expect(list({ target: 'srv-1' })).toEqual([3000]);
  });

  it('takes % and _ in a filter literally', () => {
    const { list } = setup();
    expect(list({ target: 'snmp_ro' })).toEqual([1000]); // not snmpXro
    expect(list({ target: '100%' })).toEqual([3000]);
    expect(list({ target: '%' })).toEqual([3000]);
    expect(list({ actor: '_' })).toEqual([]);
    expect(likeSubstring('a\\b%c_d')).toBe('%a\\\\b\\%c\\_d%');
  });

  it('filters by outcome and an inclusive time window', () => {
    const { list } = setup();
    expect(list({ outcome: 'succeeded' })).toEqual([4000, 1000]);
    expect(list({ since: 2000, until: 3000 })).toEqual([3000, 2000]);
    expect(list({ since: 3500 })).toEqual([4000]);
    expect(list({ until: 999 })).toEqual([]);
    expect(list({ outcome: 'refused', since: 1000, actor: 'o', limit: 5 })).toEqual([2000]);
  });

  it('treats a quote or SQL in a filter as text (bound parameters)', () => {
    const { audit, list } = setup();
    expect(list({ actor: "' OR 1=1 --" })).toEqual([]);
    expect(audit.list({ target: "old'" })).toEqual([]);
  });
});
