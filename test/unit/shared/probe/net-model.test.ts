// The lab's network model: one-way latency by distance (same ToR, room, site, other site),
// a path's loss combining its components' and delays adding, faults set and cleared by
// component id, and TCP connects that show Pingmesh's signal (a lost SYN costs 1 s, two 3 s,
// three a timeout).
import { describe, expect, it } from 'vitest';
import { synDrops } from '../../../../src-shared/agent-protocol/probe';
import { createNetModel, HEALTHY_LOSS, sampleEcho, sampleTcp } from '../../../../src-shared/probe';
import { createRng } from '../../../../src-shared/random';
import { labSetup } from './accuracy';

const lab = labSetup(4, { sites: 2, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 160 });
const hosts = lab.idx.topology.hosts;
const a = hosts[0];
const find = (f: (h: (typeof hosts)[number]) => boolean) => hosts.find(f)!;
const sameTor = find((h) => h !== a && h.torId === a.torId);
const sameRoom = find((h) => h.roomId === a.roomId && h.torId !== a.torId);
const sameSite = find((h) => h.siteId === a.siteId && h.roomId !== a.roomId);
const otherSite = find((h) => h.siteId !== a.siteId);

describe('createNetModel', () => {
  it('sets one-way latency by distance', () => {
    const m = createNetModel(lab.idx, 1);
    const us = (b: typeof a) => m.path(a.deviceId, b.deviceId).oneWayUs;
    expect(us(sameTor)).toBeGreaterThanOrEqual(25);
    expect(us(sameTor)).toBeLessThanOrEqual(50);
    expect(us(sameRoom)).toBeGreaterThanOrEqual(90);
    expect(us(sameRoom)).toBeLessThanOrEqual(150);
    expect(us(sameSite)).toBeGreaterThanOrEqual(300);
    expect(us(sameSite)).toBeLessThanOrEqual(500);
    expect(us(otherSite)).toBeGreaterThanOrEqual(2000);
    expect(us(otherSite)).toBeLessThanOrEqual(31_000);
    expect(m.path(a.deviceId, sameTor.deviceId).loss).toBeCloseTo(HEALTHY_LOSS, 12);
    expect(createNetModel(lab.idx, 1).path(a.deviceId, otherSite.deviceId)).toEqual(m.path(a.deviceId, otherSite.deviceId));
  });

  it("combines the faults on a path's components and clears them", () => {
    const m = createNetModel(lab.idx, 2);
    const before = m.path(a.deviceId, sameRoom.deviceId);
    m.setFault(`tor:${a.torId}`, { loss: 0.1 });
    m.setFault(`spine:${a.roomId}`, { loss: 0.2, extraDelayUs: 20_000 });
    m.setFault(`tor:${otherSite.torId}`, { loss: 0.5 }); // not on the path
    const p = m.path(a.deviceId, sameRoom.deviceId);
    expect(p.loss).toBeCloseTo(1 - (1 - HEALTHY_LOSS) * 0.9 * 0.8, 12);
    expect(p.oneWayUs).toBeCloseTo(before.oneWayUs + 20_000, 6);
    expect(m.path(a.deviceId, sameTor.deviceId).loss).toBeCloseTo(1 - (1 - HEALTHY_LOSS) * 0.9, 12);
    expect(m.faults().map((f) => f.componentId).sort()).toEqual([`spine:${a.roomId}`, `tor:${a.torId}`, `tor:${otherSite.torId}`].sort());
    for (const f of m.faults()) m.setFault(f.componentId, null);
    expect(m.path(a.deviceId, sameRoom.deviceId)).toEqual(before);
    expect(() => m.setFault('tor:nope', { loss: 0.1 })).toThrow(/no component tor:nope/);
    expect(() => m.setFault(`tor:${a.torId}`, { loss: 1.5 })).toThrow(/loss is a share 0..1, got 1.5/);
  });
});

describe('sampleTcp', () => {
  it('shows lost SYNs as retransmission delays and three lost as a timeout', () => {
    const rnd = createRng(7);
    const clean = sampleTcp({ oneWayUs: 100, loss: 0 }, rnd);
    expect(clean.err).toBe(0);
    expect(clean.rttUs).toBeGreaterThanOrEqual(200);
    expect(clean.rttUs).toBeLessThan(800);
    expect(sampleTcp({ oneWayUs: 100, loss: 1 }, rnd)).toEqual({ rttUs: -1, err: 1 });
    // Loss 0.5 each way: an attempt gets through with 1/4; first try 1/4, second 3/16, third 9/64, else timeout.
    const n = 20_000;
    const seen = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const s = sampleTcp({ oneWayUs: 100, loss: 0.5 }, rnd);
      seen[s.err !== 0 ? 3 : synDrops(s.rttUs)]++;
    }
    expect(seen[0] / n).toBeCloseTo(1 / 4, 1);
    expect(seen[1] / n).toBeCloseTo(3 / 16, 1);
    expect(seen[2] / n).toBeCloseTo(9 / 64, 1);
    expect(seen[3] / n).toBeCloseTo(27 / 64, 1);
    expect(sampleEcho({ oneWayUs: 100, loss: 1 }, rnd)).toEqual({ rttUs: -1, err: 1 });
  });
});
