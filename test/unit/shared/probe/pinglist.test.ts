// Pinglists: Pingmesh's three levels from the topology (full mesh under a ToR, ToR delegates
// across the site, site delegates across sites), DNS for every host and public targets for
// the site delegates only; hosts without an agent neither probe nor are probed; every plan is
// one the agent protocol accepts; the id is a content hash (stable, and changes with content);
// bad options are refused by name.
import { describe, expect, it } from 'vitest';
import { generateLab } from '../../../../src-main/lab/generator';
import { probePlan, type ProbePlan } from '../../../../src-shared/agent-protocol/probe';
import { buildPinglists, deriveTopology, fnv1a64, type PinglistOptions } from '../../../../src-shared/probe';

const lab = generateLab(9, { sites: 2, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 160 });
const servers = lab.devices.filter((d) => d.kind === 'server');
const withoutAgent = servers[3].id;
const agents = new Map(servers.filter((d) => d.id !== withoutAgent).map((d) => [d.id, `agent-${d.id}`]));
const t = deriveTopology(lab, agents);
const host = new Map(t.hosts.map((h) => [h.deviceId, h]));
const opts: PinglistOptions = {
  responder: { tcpPort: 17001, udpPort: 17002 },
  dns: [{ id: 'dns-anycast', addr: '127.53.0.1' }],
  public: [{ id: 'prov:11:ct', addr: '127.60.0.1', port: 80, kind: 'tcp' }],
  traceroute: { perHost: 4, intervalMs: 300_000, maxHops: 16 },
};
const plans = buildPinglists(t, opts);
const peers = (p: ProbePlan, level: string) => p.targets.filter((x) => x.level === level).map((x) => x.id);

describe('buildPinglists', () => {
  it('plans for every agent host, never for or to the host without one', () => {
    expect(plans.size).toBe(agents.size);
    expect(plans.has(withoutAgent)).toBe(false);
    for (const p of plans.values()) expect(p.targets.some((x) => x.id === withoutAgent)).toBe(false);
  });

  it('gives each host the full mesh of its ToR at 10 s, over its own responder address', () => {
    for (const [id, p] of plans) {
      const mates = t.hosts.filter((h) => h.torId === host.get(id)!.torId && h.deviceId !== id && h.agentId !== null).map((h) => h.deviceId);
      expect(peers(p, 'intra-tor').sort()).toEqual(mates.sort());
      for (const x of p.targets.filter((y) => y.level === 'intra-tor')) expect(x).toMatchObject({ kind: 'tcp', port: 17001, intervalMs: 10_000, addr: host.get(x.id)!.addr });
      expect(p.responder).toEqual({ tcpPort: 17001, udpPort: 17002, bind: host.get(id)!.addr });
    }
  });

  it("has two delegates per ToR probe every other ToR's delegates in the site, and two per site the other site's", () => {
    const interTor = [...plans].filter(([, p]) => peers(p, 'inter-tor').length > 0);
    expect(interTor.length).toBe(2 * t.tors.length);
    const torsOfSite = (s: string) => new Set(t.tors.filter((x) => x.siteId === s).map((x) => x.id));
    for (const [id, p] of interTor) {
      const h = host.get(id)!;
      const targets = peers(p, 'inter-tor').map((x) => host.get(x)!);
      expect(targets.length).toBe(2 * (torsOfSite(h.siteId).size - 1));
      for (const x of targets) expect(x.siteId === h.siteId && x.torId !== h.torId).toBe(true);
    }
    const interSite = [...plans].filter(([, p]) => peers(p, 'inter-site').length > 0);
    expect(interSite.length).toBe(4);
    for (const [id, p] of interSite) {
      expect(peers(p, 'inter-site').map((x) => host.get(x)!.siteId).every((s) => s !== host.get(id)!.siteId)).toBe(true);
      expect(peers(p, 'inter-site').length).toBe(2);
      expect(peers(p, 'public')).toEqual(['prov:11:ct']);
    }
    expect([...plans.values()].filter((p) => peers(p, 'public').length > 0).length).toBe(4);
  });

  it('has every host probe the resolvers, and samples traceroutes among non-intra-ToR targets', () => {
    for (const p of plans.values()) {
      expect(p.targets.filter((x) => x.level === 'dns')).toEqual([{ id: 'dns-anycast', addr: '127.53.0.1', port: 53, kind: 'dns', level: 'dns', intervalMs: 30_000 }]);
      for (const i of p.traceroute?.targets ?? []) expect(['inter-tor', 'inter-site', 'public']).toContain(p.targets[i].level);
    }
    const delegate = [...plans.values()].find((p) => peers(p, 'inter-tor').length >= 4)!;
    expect(delegate.traceroute?.targets.length).toBe(4);
  });

  it('builds plans the agent protocol accepts, one target entry per kind', () => {
    const two = buildPinglists(t, { ...opts, kinds: ['tcp', 'udp'] });
    for (const p of two.values()) {
      expect(probePlan.safeParse(p).success).toBe(true);
      const intra = p.targets.filter((x) => x.level === 'intra-tor');
      expect(intra.filter((x) => x.kind === 'udp').map((x) => x.port)).toEqual(intra.filter((x) => x.kind === 'tcp').map(() => 17002));
    }
  });

  it('names a plan by its content: the same inventory gives the same ids, a change gives new ones', () => {
    const again = buildPinglists(deriveTopology(lab, agents), opts);
    for (const [id, p] of plans) expect(again.get(id)!.id).toBe(p.id);
    expect(new Set([...plans.values()].map((p) => p.id)).size).toBe(plans.size);
    const slower = buildPinglists(t, { ...opts, intervalsMs: { intraTor: 20_000, interTor: 30_000, interSite: 60_000 } });
    for (const [id, p] of plans) expect(slower.get(id)!.id).not.toBe(p.id);
  });

  it('hashes with 64-bit FNV-1a', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('refuses bad options by name', () => {
    expect(() => buildPinglists(t, { ...opts, intervalsMs: { intraTor: 5000, interTor: 30_000, interSite: 60_000 } })).toThrow(/intervalsMs.intraTor .*5000/);
    expect(() => buildPinglists(t, { ...opts, kinds: ['dns'] })).toThrow(/kinds between hosts/);
    expect(() => buildPinglists(t, { ...opts, responder: { tcpPort: 0, udpPort: 17002 } })).toThrow(/responder ports/);
    expect(() => buildPinglists(t, { ...opts, dns: [{ id: 'x', addr: 'not-an-ip' }] })).toThrow(/x: addr/);
    expect(() => buildPinglists(t, { ...opts, traceroute: { perHost: 65, intervalMs: 60_000, maxHops: 8 } })).toThrow(/perHost/);
  });
});
