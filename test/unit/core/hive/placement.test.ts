// Hive placement (src-main/core/hive/placement.ts), the acceptance cases: 12 workers
// behind 3 proxies on 5 hosts come out 4 per proxy with a host skew of at most 1, idle hosts
// first, each placement explained; UNIQUE is never broken; a request that cannot be met in full
// is refused with its reason and leaves the hosts as they were.
import { describe, expect, it } from 'vitest';
import { place, type PlacementHost, type PlacementModule } from '../../../../src-main/core/hive/placement';

const host = (id: string, cabinet: string, o: Partial<PlacementHost> = {}): PlacementHost => ({ id, cabinet, room: 'r1', cores: 8, memMiB: 16_384, procs: 0, cpuUsed: 0, memUsedMiB: 0, ...o });
const pool = (): PlacementHost[] => [
  host('h1', 'c1', { cpuUsed: 6, memUsedMiB: 12_000, procs: 10 }), // busy
  host('h2', 'c1'),
  host('h3', 'c2', { cpuUsed: 2, memUsedMiB: 4_000, procs: 3 }),
  host('h4', 'c2'),
  host('h5', 'c3', { cpuUsed: 4, memUsedMiB: 8_000, procs: 5 }),
];
const worker: PlacementModule = { module: 'logic', cpu: 0.25, memMiB: 256, spread: [{ by: 'host', maxSkew: 1 }], proxies: ['px1', 'px2', 'px3'] };

describe('Hive placement', () => {
  it('12 workers, 3 proxies, 5 hosts: 4 per proxy, host skew <= 1, idle hosts first, each explained', () => {
    const hosts = pool();
    const plan = place({ module: worker, add: 12, hosts, instances: [] });
    expect(plan.placed).toHaveLength(12);
    const perProxy: Record<string, number> = {};
    for (const p of plan.placed) perProxy[p.proxy ?? '-'] = (perProxy[p.proxy ?? '-'] ?? 0) + 1;
    expect(perProxy).toEqual({ px1: 4, px2: 4, px3: 4 });
    const perHost = new Map<string, number>();
    for (const p of plan.placed) perHost.set(p.host, (perHost.get(p.host) ?? 0) + 1);
    const counts = hosts.map((h) => perHost.get(h.id) ?? 0);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    // Idle first: the two idle hosts (h2 before h4 by id) take the first two, the busiest the last.
    expect(plan.placed.slice(0, 2).map((p) => p.host)).toEqual(['h2', 'h4']);
    expect(plan.placed[0].why).toMatch(/^h2: the most idle host left \(100% CPU, 100% memory free before\); 0 of logic on it before; behind proxy px1 \(0 workers before, the fewest\)$/);
    expect(plan.placed.findIndex((p) => p.host === 'h1')).toBeGreaterThanOrEqual(4);
    // The spread rule is said when it passed a host over.
    expect(plan.placed.some((p) => /passed over: \d+ over a spread rule's max skew/.test(p.why))).toBe(true);
    // The pool's use is updated (a next request sees it).
    expect(hosts.find((h) => h.id === 'h2')).toMatchObject({ procs: perHost.get('h2'), cpuUsed: 0.25 * perHost.get('h2')! });
  });

  it('counts the instances already there: existing workers keep proxies equal and hosts even', () => {
    const hosts = pool();
    const plan = place({ module: worker, add: 3, hosts, instances: [{ module: 'logic', host: 'h2', proxy: 'px1' }, { module: 'logic', host: 'h4', proxy: 'px1' }, { module: 'other', host: 'h3', proxy: 'px2' }] });
    expect(plan.placed.map((p) => p.proxy)).toEqual(['px2', 'px3', 'px2']);
    expect(plan.placed.map((p) => p.host)).not.toContain('h2');
  });

  it('UNIQUE: one per host, never two; more replicas than free hosts is refused and nothing placed', () => {
    const hosts = pool();
    const unique: PlacementModule = { module: 'ha', cpu: 0.5, memMiB: 512, unique: true };
    const plan = place({ module: unique, add: 5, hosts, instances: [] });
    expect(new Set(plan.placed.map((p) => p.host)).size).toBe(5);
    const snapshot = JSON.stringify(hosts);
    expect(() => place({ module: unique, add: 1, hosts, instances: plan.placed.map((p) => ({ module: 'ha', host: p.host })) })).toThrow(/ha: 1 instances cannot be placed, so none is: UNIQUE allows one per host: 0 of 5 hosts hold none/);
    expect(() => place({ module: unique, add: 6, hosts: pool(), instances: [] })).toThrow(/UNIQUE allows one per host: 5 of 5 hosts hold none/);
    expect(JSON.stringify(hosts)).toBe(snapshot);
  });

  it('every host at its process limit: refused with the reason, the hosts as they were', () => {
    const hosts = pool().map((h) => ({ ...h, procs: 100 }));
    const snapshot = JSON.stringify(hosts);
    expect(() => place({ module: worker, add: 3, hosts, instances: [] })).toThrow(/logic: 3 instances cannot be placed, so none is: no host can take instance 1 of 3: 5 at the process limit/);
    expect(JSON.stringify(hosts)).toBe(snapshot);
  });

  it('a request that fails part way undoes what it had planned', () => {
    // Room for 4 processes in all (CPU): the 5th fails, and the 4 planned are taken back.
    const hosts = [host('a', 'c1', { cores: 2 }), host('b', 'c1', { cores: 2 })];
    const snapshot = JSON.stringify(hosts);
    const big: PlacementModule = { module: 'big', cpu: 1, memMiB: 64 };
    expect(() => place({ module: big, add: 5, hosts, instances: [] })).toThrow(/no host can take instance 5 of 5: 2 without CPU for one more process/);
    expect(JSON.stringify(hosts)).toBe(snapshot);
    expect(place({ module: big, add: 4, hosts, instances: [] }).placed.map((p) => p.host).sort()).toEqual(['a', 'a', 'b', 'b']);
  });

  it('the module per-host limit is 2 x cores, MAX_PER caps lower, and cabinets spread by max skew', () => {
    const hosts = [host('a', 'c1', { cores: 1 }), host('b', 'c2', { cores: 1 })];
    expect(() => place({ module: { module: 'tiny', cpu: 0, memMiB: 1 }, add: 5, hosts, instances: [] })).toThrow(/2 at 2 x cores processes of the module/);
    const capped = place({ module: { module: 'cap', cpu: 0, memMiB: 1, maxPerHost: 1 }, add: 2, hosts: [host('a', 'c1'), host('b', 'c1')], instances: [] });
    expect(capped.placed.map((p) => p.host).sort()).toEqual(['a', 'b']);
    // Three cabinets, the most idle hosts all in c1: max skew 1 per cabinet still spreads them.
    const cab = [host('a1', 'c1'), host('a2', 'c1'), host('a3', 'c1'), host('b1', 'c2', { cpuUsed: 4 }), host('c1h', 'c3', { cpuUsed: 4 })];
    const spread = place({ module: { module: 's', cpu: 0.1, memMiB: 1, spread: [{ by: 'cabinet', maxSkew: 1 }] }, add: 6, hosts: cab, instances: [] });
    const perCab = new Map<string, number>();
    for (const p of spread.placed) perCab.set(cab.find((h) => h.id === p.host)!.cabinet, (perCab.get(cab.find((h) => h.id === p.host)!.cabinet) ?? 0) + 1);
    expect([...perCab.values()].sort()).toEqual([2, 2, 2]);
  });

  it('is deterministic: the same pool and request give the same plan', () => {
    const a = place({ module: worker, add: 12, hosts: pool(), instances: [] });
    const b = place({ module: worker, add: 12, hosts: pool(), instances: [] });
    expect(b).toEqual(a);
  });
});
