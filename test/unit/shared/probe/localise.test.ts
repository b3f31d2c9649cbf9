// The fault localiser on simulated lab windows (5 minutes of the pinglists through the network
// model and the minute aggregator): a host link, a ToR uplink (not its ToR: the pairs under the
// ToR stay good), a whole ToR, a spine, a delayed link, an unreachable host (not blamed when its
// agent is known down); the suspects' evidence; healthy windows
// name nothing; a long WAN is not a fault; and the accuracy measurement in small: >= 95% top-1
// over 20 seeded random faults and <= 1% false alarms over 100 healthy windows.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROBE_THRESHOLDS } from '../../../../src-shared/domain/probe';
import { createMinuteAggregator, createNetModel, localise, pathComponents, simulateWindow, windowPairs } from '../../../../src-shared/probe';
import { labSetup, runAccuracy, runWindow } from './accuracy';

const SIZE = { sites: 2, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 200 };
const lab = labSetup(11, SIZE);
const t = lab.idx.topology;
const T0 = Date.UTC(2025, 5, 1);
const delegates = new Set([...lab.plans].filter(([, p]) => p.targets.some((x) => x.level !== 'intra-tor')).map(([id]) => id));

function faulted(componentId: string, f: { loss?: number; extraDelayUs?: number }, seed = 1) {
  const model = createNetModel(lab.idx, seed);
  model.setFault(componentId, f);
  return runWindow(lab, model, seed, T0).loc;
}

describe('localise', () => {
  it("names a lossy host link, with the bad pairs through it as evidence", () => {
    const h = t.hosts.find((x) => !delegates.has(x.deviceId))!;
    const loc = faulted(`host-link:${h.deviceId}`, { loss: 0.1 });
    const top = loc.suspects[0];
    expect(top.component).toEqual({ id: `host-link:${h.deviceId}`, kind: 'host-link', objectId: h.deviceId });
    expect(top.fittedSuccess).toBeLessThanOrEqual(0.75);
    expect(top.votes).toBeGreaterThan(0);
    expect(top.pairs.length).toBeGreaterThan(0);
    expect(top.pairs.length).toBeLessThanOrEqual(20);
    expect(top.badPairs).toBeGreaterThanOrEqual(top.pairs.length);
    for (const p of top.pairs) expect(pathComponents(lab.idx, p.src, p.dst).map((c) => c.id)).toContain(top.component.id);
    expect(loc.badPairs).toBeGreaterThanOrEqual(top.badPairs);
  });

  it('names a broken ToR uplink, not the ToR whose own pairs stay good', () => {
    const tor = t.tors[1];
    const loc = faulted(`tor-uplink:${tor.id}`, { loss: 0.3 });
    expect(loc.suspects[0].component.id).toBe(`tor-uplink:${tor.id}`);
    expect(loc.suspects.map((s) => s.component.id)).not.toContain(`tor:${tor.id}`);
  });

  it('names a whole broken ToR, not its uplink or its hosts', () => {
    const tor = t.tors[2];
    const loc = faulted(`tor:${tor.id}`, { loss: 0.2 });
    expect(loc.suspects[0].component.id).toBe(`tor:${tor.id}`);
    expect(loc.suspects[0].badPairs).toBeGreaterThan(20);
    expect(loc.suspects[0].pairs.length).toBe(20);
  });

  it('names a lossy spine rather than the uplinks under it', () => {
    const room = t.rooms[3];
    expect(faulted(`spine:${room.id}`, { loss: 0.2 }).suspects[0].component.id).toBe(`spine:${room.id}`);
  });

  it('names a link that only adds latency (+20 ms)', () => {
    const h = t.hosts[17];
    expect(faulted(`host-link:${h.deviceId}`, { extraDelayUs: 20_000 }).suspects[0].component.id).toBe(`host-link:${h.deviceId}`);
  });

  it('blames an unreachable host on its link, unless its agent is known down', () => {
    const h = t.hosts[40];
    const model = createNetModel(lab.idx, 3);
    model.setFault(`host-link:${h.deviceId}`, { loss: 1 });
    const agg = createMinuteAggregator(lab.idx);
    simulateWindow(lab.idx, lab.plans, model, agg, { fromMs: T0, minutes: 5, seed: 3 });
    const pairs = windowPairs(agg.flush(T0 + 300_000));
    expect(localise(lab.idx, pairs, DEFAULT_PROBE_THRESHOLDS).suspects[0].component.id).toBe(`host-link:${h.deviceId}`);
    expect(localise(lab.idx, pairs, DEFAULT_PROBE_THRESHOLDS, { down: new Set([h.deviceId]) }).suspects).toEqual([]);
  });

  it('names nothing in a healthy window', () => {
    for (let seed = 1; seed <= 5; seed++) expect(runWindow(lab, createNetModel(lab.idx, seed), seed, T0).loc.suspects).toEqual([]);
  });

  it('judges inter-site P99 above its site pair baseline', () => {
    const a = t.hosts.filter((h) => h.siteId === t.sites[0].id).slice(0, 3);
    const b = t.hosts.filter((h) => h.siteId === t.sites[1].id).slice(0, 3);
    const pairs = a.flatMap((x) => b.map((y) => ({ src: x.deviceId, dst: y.deviceId, ok: 30, drops: 0, failed: 0, p99Us: 40_000 })));
    expect(localise(lab.idx, pairs, DEFAULT_PROBE_THRESHOLDS).badPairs).toBe(0);
    expect(localise(lab.idx, pairs, DEFAULT_PROBE_THRESHOLDS, { siteBaseline: false }).badPairs).toBe(pairs.length);
    expect(() => localise(lab.idx, pairs, DEFAULT_PROBE_THRESHOLDS, { implicated: 2 })).toThrow(/implicated in \(0, 1\)/);
  });

  it('localises >= 95% of 20 seeded random faults and false-alarms on <= 1% of 100 healthy windows', () => {
    const acc = runAccuracy(21, SIZE, 20, 100);
    const misses = acc.faults.filter((c) => !c.hit).map((c) => `${c.componentId} -> ${c.top}`);
    expect(acc.top1, misses.join('; ')).toBeGreaterThanOrEqual(0.95);
    expect(acc.falseAlarms, acc.alarms.join('; ')).toBeLessThanOrEqual(0.01);
  });
});
