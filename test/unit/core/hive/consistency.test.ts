// Hive resource consistency (src-main/core/hive/consistency.ts): a module's declared packages,
// config files and files against its hosts' reports, as the seed's "N resources, M
// inconsistent" with each differing host and item named; missing items and hosts that have not
// reported are told apart.
import { describe, expect, it } from 'vitest';
import { checkConsistency, itemKey, type DeclaredResource, type HostReport } from '../../../../src-main/core/hive/consistency';

const declared: DeclaredResource[] = [
  { kind: 'package', name: 'logic-server', want: '2.4.1' },
  { kind: 'config', name: '/etc/logic/logic.conf', want: 'a'.repeat(64) },
  { kind: 'file', name: '/opt/logic/bin/logic', want: 'b'.repeat(64) },
];
const report = (host: string, over: Record<string, string | null> = {}): HostReport => {
  const items = new Map(declared.map((d) => [itemKey(d.kind, d.name), d.want]));
  for (const [k, v] of Object.entries(over)) if (v === null) items.delete(k);
  else items.set(k, v);
  return { host, items, at: 1 };
};

describe('Hive resource consistency', () => {
  it('all hosts as declared: 3 resources, 0 inconsistent', () => {
    const r = checkConsistency('logic', declared, ['h1', 'h2'], new Map([['h1', report('h1')], ['h2', report('h2')]]));
    expect(r.summary).toBe('3 resources, 0 inconsistent');
    expect(r.drift).toEqual([]);
  });

  it('a config file changed on one host: 1 inconsistent resource naming the host and the file', () => {
    const conf = itemKey('config', '/etc/logic/logic.conf');
    const r = checkConsistency('logic', declared, ['h1', 'h2', 'h3'], new Map([['h1', report('h1')], ['h2', report('h2', { [conf]: 'c'.repeat(64) })], ['h3', report('h3')]]));
    expect(r.summary).toBe('3 resources, 1 inconsistent');
    expect(r.drift).toEqual([{ host: 'h2', kind: 'config', name: '/etc/logic/logic.conf', want: 'a'.repeat(64), have: 'c'.repeat(64) }]);
    expect(r.byResource.find((x) => x.name === '/etc/logic/logic.conf')!.hosts.map((d) => d.host)).toEqual(['h2']);
  });

  it('a missing package and a host with no report are told apart', () => {
    const pkg = itemKey('package', 'logic-server');
    const r = checkConsistency('logic', declared, ['h1', 'h2', 'h3'], new Map([['h1', report('h1', { [pkg]: null })], ['h2', { host: 'h2', items: new Map(), at: null }]]));
    expect(r.summary).toBe('3 resources, 1 inconsistent (2 hosts not reported)');
    expect(r.unreported).toEqual(['h2', 'h3']);
    expect(r.drift).toEqual([{ host: 'h1', kind: 'package', name: 'logic-server', want: '2.4.1', have: null }]);
  });

  it('refuses a resource declared twice', () => {
    expect(() => checkConsistency('logic', [...declared, declared[0]], [], new Map())).toThrow(/package logic-server is declared twice/);
  });
});
