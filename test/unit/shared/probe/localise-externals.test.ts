// The localiser with targets outside the topology (the anycast resolver every host probes): on
// two ToRs under one spine, a cut uplink fails every cross-ToR pair alike, which by itself
// cannot tell ToR a's uplink from the spine or ToR b's uplink (each lies on exactly those
// paths). The hosts' pairs to the resolver can: those of the cut ToR fail, the others' answer,
// so the uplink of the cut ToR is named, whichever of the two it is (without them, cutting a's
// uplink and cutting b's give the same evidence). A resolver pair's latency is not the fabric's: a slow resolver is judged by loss only.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROBE_THRESHOLDS, type ProbeTopology } from '../../../../src-shared/domain/probe';
import { indexTopology, localise } from '../../../../src-shared/probe';

const hosts = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) => ({ deviceId: id, hostname: id, agentId: id, addr: '10.0.0.1', siteId: 's', roomId: 'r', rowId: `row-${id[0]}`, torId: `tor-${id[0]}` }));
const topo: ProbeTopology = {
  hosts,
  tors: ['a', 'b'].map((x) => ({ id: `tor-${x}`, name: x, rowId: `row-${x}`, roomId: 'r', siteId: 's' })),
  rooms: [{ id: 'r', name: 'R', siteId: 's' }],
  sites: [{ id: 's', name: 'S' }],
};
const idx = indexTopology(topo);
const ok = { ok: 18, drops: 0, failed: 0, p99Us: 400 };
const dead = { ok: 0, drops: 0, failed: 18, p99Us: 0 };

/** Every pair of the two ToRs, cross-ToR ones failing, and each host's pairs to the resolver as `resolver(host)` says. */
function window(resolver: (host: string) => typeof ok) {
  const pairs = [];
  for (const a of hosts) for (const b of hosts) if (a !== b) pairs.push({ src: a.deviceId, dst: b.deviceId, ...(a.torId === b.torId ? ok : dead) });
  for (const h of hosts) pairs.push({ src: h.deviceId, dst: 'anycast-dns', ...resolver(h.deviceId) });
  return pairs;
}

describe('localise with external targets', () => {
  for (const cut of ['a', 'b']) {
    it(`names ToR ${cut}'s uplink when its hosts' resolver pairs fail and the other ToR's answer`, () => {
      const loc = localise(idx, window((h) => (h[0] === cut ? dead : ok)), DEFAULT_PROBE_THRESHOLDS, { externals: new Set(['anycast-dns']) });
      expect(loc.suspects[0].component).toEqual({ id: `tor-uplink:tor-${cut}`, kind: 'tor-uplink', objectId: `tor-${cut}` });
      const ids = loc.suspects.map((s) => s.component.id);
      expect(ids).not.toContain('spine:r');
      expect(ids).not.toContain(`tor-uplink:tor-${cut === 'a' ? 'b' : 'a'}`);
      expect(ids).not.toContain('target:anycast-dns');
    });
  }

  it('names the resolver itself when every host fails to reach it and the fabric is fine', () => {
    const pairs = window(() => dead).map((p) => (p.dst === 'anycast-dns' ? p : { ...p, ...ok }));
    const loc = localise(idx, pairs, DEFAULT_PROBE_THRESHOLDS, { externals: new Set(['anycast-dns']) });
    expect(loc.suspects[0].component).toEqual({ id: 'target:anycast-dns', kind: 'target', objectId: 'anycast-dns' });
  });

  it('judges a resolver pair by loss, not by its latency', () => {
    const slow = { ok: 18, drops: 0, failed: 0, p99Us: 900_000 };
    const pairs = window(() => slow).map((p) => (p.dst === 'anycast-dns' ? p : { ...p, ...ok }));
    expect(localise(idx, pairs, DEFAULT_PROBE_THRESHOLDS, { externals: new Set(['anycast-dns']) }).badPairs).toBe(0);
  });

  // The namespaces' window (netns-probes.test.ts): the pinglist's pairs (full mesh under each
  // ToR, delegates a1, a3 <-> b1, b2 across), a1's link losing 5% each way, b2's adding 20 ms.
  // b2's resolver pair answers on time by loss but its latency is not judged, so it is no
  // evidence that b2's link is fast: it must not clear b2's link of its slow pairs.
  it("names both a lossy and a slow host link when each host's resolver pair is only judged by loss", () => {
    const across = new Set(['a1>b1', 'a1>b2', 'a3>b1', 'a3>b2', 'b1>a1', 'b1>a3', 'b2>a1', 'b2>a3']);
    const pairs = [];
    for (const a of hosts) {
      for (const b of hosts) {
        if (a === b || (a.torId !== b.torId && !across.has(`${a.deviceId}>${b.deviceId}`))) continue;
        const lossy = a.deviceId === 'a1' || b.deviceId === 'a1';
        const slow = a.deviceId === 'b2' || b.deviceId === 'b2';
        pairs.push({ src: a.deviceId, dst: b.deviceId, ok: 34, drops: lossy ? 3 : 0, failed: 0, p99Us: slow ? 21_800 : lossy ? 1_030_000 : 1_300 });
      }
    }
    for (const h of hosts) pairs.push({ src: h.deviceId, dst: 'anycast-dns', ok: 34, drops: h.deviceId === 'a1' ? 3 : 0, failed: 0, p99Us: h.deviceId === 'b2' ? 21_800 : 1_300 });
    const th = { ...DEFAULT_PROBE_THRESHOLDS, p99WarnUs: 5_000, p99BadUs: 18_000, dropWarn: 0.005, dropBad: 0.02 };
    const loc = localise(idx, pairs, th, { externals: new Set(['anycast-dns']) });
    expect(loc.suspects.slice(0, 2).map((s) => s.component.id).sort()).toEqual(['host-link:a1', 'host-link:b2']);
    for (const s of loc.suspects.slice(0, 2)) expect(s.fittedSuccess, s.component.id).toBeLessThan(0.7);
  });
});
