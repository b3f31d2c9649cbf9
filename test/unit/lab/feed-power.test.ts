// The lab's power feeds without a network: PSU counts and cabling (the shared rule, as the
// console's feed risk sees it), a tripped feed darkening only the loads with every PSU on it,
// the PDUs of a pair each metering about half the cabinet and the survivor carrying the
// dual-corded loads, and the trip-pdu/restore-pdu faults with a feed, checked and reported.
import { describe, expect, it } from 'vitest';
import type { LabStartOptions } from '../../../src-shared/lab-protocol';
import { DEFAULT_LAB_SIZE } from '../../../src-shared/lab-protocol';
import { feedRisk } from '../../../src-main/core/fleet/feed-risk';
import { generateLab } from '../../../src-main/lab/generator';
import { cableLab } from '../../../src-main/lab/lab-cabling';
import { labDevices, labPsus, type LabDevice } from '../../../src-main/lab/lab-device';
import { startLabFleet } from '../../../src-main/lab/lab-fleet';
import { LabState } from '../../../src-main/lab/lab-state';
import type { LabContext, LabPeerKind } from '../../../src-main/lab/peer-kind';
import { createPduPower } from '../../../src-main/lab/snmp/pdu-power';
import { dailyFactor } from '../../../src-main/lab/snmp/snmp-device';

const SEED = 1;
const inventory = generateLab(SEED, DEFAULT_LAB_SIZE);
const devices = labDevices(inventory, SEED);
const byCabinet = new Map<string, LabDevice[]>();
for (const d of devices) byCabinet.set(d.device.cabinetId, [...(byCabinet.get(d.device.cabinetId) ?? []), d]);
const cabling = cableLab(byCabinet);
const byId = new Map(devices.map((d) => [d.device.id, d]));
/** A cabinet's devices as the console's store lists them: by U, then id. */
const storeOrder = (list: readonly LabDevice[]): LabDevice[] =>
  [...list].sort((a, b) => a.device.uPosition - b.device.uPosition || (a.device.id < b.device.id ? -1 : 1));

// A dual-fed cabinet with a single-corded server and dual-corded ones.
const [cabinetId, members] = [...byCabinet].find(([, m]) => m[0].cabinet.feedB !== null && m.some((d) => d.psus === 1 && d.device.kind === 'server') && m.some((d) => d.psus === 2))!;
const pduA = members.find((d) => d.device.hostname.endsWith('-pdu-a'))!;
const pduB = members.find((d) => d.device.hostname.endsWith('-pdu-b'))!;
const loads = members.filter((d) => d.device.kind !== 'pdu');
const single = loads.find((d) => d.psus === 1 && d.device.kind === 'server')!;
const singleFeed = cabling.psuFeeds(single.device.id)[0];

describe('lab PSUs and cabling', () => {
  it('gives servers 2 PSUs, a few 1 (and some 4U 3), everything else 1: deterministic per device and seed', () => {
    const servers = devices.filter((d) => d.device.kind === 'server');
    const count = (n: number): number => servers.filter((d) => d.psus === n).length;
    expect(count(1)).toBeGreaterThan(0);
    expect(count(1)).toBeLessThan(servers.length * 0.05);
    expect(count(3)).toBeGreaterThan(0);
    expect(servers.filter((d) => d.psus === 3).every((d) => d.device.uHeight >= 4)).toBe(true);
    expect(count(2)).toBeGreaterThan(servers.length * 0.9);
    expect(devices.filter((d) => d.device.kind !== 'server').every((d) => d.psus === 1)).toBe(true);
    expect(servers.every((d) => labPsus(d.device, SEED) === d.psus)).toBe(true);
  });

  it('cables as the console sees it: pdu-a on A, pdu-b on B, each load as feed risk counts it', () => {
    expect(cabling.pduFeed(pduA.device.id)).toBe('A');
    expect(cabling.pduFeed(pduB.device.id)).toBe('B');
    expect(cabling.pdus(cabinetId)).toEqual([pduA.device.id, pduB.device.id]);
    const tally: Record<string, number> = {};
    for (const [id, list] of byCabinet) {
      const ordered = storeOrder(list);
      const risk = feedRisk(list[0].cabinet, ordered.map((d) => ({ id: d.device.id, kind: d.device.kind, hostname: d.device.hostname, psus: d.psus })));
      const dark = (feed: string): number => ordered.filter((d) => d.device.kind !== 'pdu' && cabling.psuFeeds(d.device.id).every((f) => f === feed)).length;
      expect([risk.darkOnA, risk.darkOnB], id).toEqual([dark('A'), dark('B')]);
      for (const d of list) if (d.device.kind !== 'pdu') expect(cabling.psuFeeds(d.device.id)).toHaveLength(d.psus);
      if (list[0].cabinet.feedB !== null) tally[risk.feed] = (tally[risk.feed] ?? 0) + 1;
    }
    // Most dual-fed cabinets are redundant; a single-corded load (or the one-PSU ToR) leaves some dark on A, some on B.
    const dual = Object.values(tally).reduce((a, b) => a + b, 0);
    expect(tally.redundant).toBeGreaterThan(dual * 0.6);
    expect(tally['dark-on-a']).toBeGreaterThan(0);
    expect(tally['dark-on-b']).toBeGreaterThan(0);
  });
});

describe('lab feed trips', () => {
  it('a tripped feed darkens only the loads with every PSU on it; a cabinet trip darkens all; restoring the cabinet clears both', () => {
    const state = new LabState(cabling);
    const other = singleFeed === 'A' ? 'B' : 'A';
    state.tripFeed(cabinetId, singleFeed);
    expect(state.hostUp(single.device)).toBe(false);
    expect(state.bmcUp(single.device)).toBe(false);
    for (const d of loads.filter((x) => x.psus >= 2)) {
      expect(state.hostUp(d.device), d.device.id).toBe(true);
      expect(state.psuInputs(d.device).filter(Boolean).length).toBe(cabling.psuFeeds(d.device.id).filter((f) => f === other).length);
    }
    expect(state.hostUp(pduA.device) && state.hostUp(pduB.device)).toBe(true); // a PDU's management stays up
    expect(state.status(true, devices.length)).toMatchObject({ trippedCabinets: [], trippedFeeds: [{ cabinetId, feed: singleFeed }] });
    state.restoreFeed(cabinetId, singleFeed);
    expect(state.hostUp(single.device)).toBe(true);

    state.tripFeed(cabinetId, other);
    state.tripped.add(cabinetId);
    expect(loads.every((d) => !state.hostUp(d.device) && !state.bmcUp(d.device))).toBe(true);
    state.restoreCabinet(cabinetId);
    expect(loads.every((d) => state.hostUp(d.device))).toBe(true);
    expect(state.status(true, devices.length)).toMatchObject({ trippedCabinets: [], trippedFeeds: [] });
  });

  it('each PDU of a pair meters its cords, about half the cabinet; on one feed the other PDU carries the dual-corded loads', () => {
    const state = new LabState(cabling);
    const pdu = createPduPower(byId, state);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const f = dailyFactor(Date.now());
    const total = sum(loads.map((d) => d.watts)) * f;
    const [a, b] = [pduA, pduB].map((p) => sum(pdu.outletWatts(p.device.id)));
    expect(a + b).toBeCloseTo(total, 0);
    expect(Math.abs(a - b)).toBeLessThan(total * 0.5);
    // An outlet per cord: a dual-corded load on both PDUs, a 3-PSU one twice on one of them.
    const cordsOn = (feed: string): string[] => storeOrder(loads).flatMap((d) => cabling.psuFeeds(d.device.id).filter((x) => x === feed).map(() => d.device.hostname));
    expect(pdu.outletHosts(pduA.device.id)).toEqual(cordsOn('A'));
    expect(pdu.outletHosts(pduB.device.id)).toEqual(cordsOn('B'));
    expect(pdu.outletHosts(pduA.device.id).length + pdu.outletHosts(pduB.device.id).length).toBe(loads.reduce((n, d) => n + d.psus, 0));
    // The inlet: its outlets and half of the cabinet's 12 W of electronics, within the 2% meter noise.
    expect(pdu.inletWatts(pduA.device.id)).toBeGreaterThan((a + 6) * 0.979);
    expect(pdu.inletWatts(pduA.device.id)).toBeLessThan((a + 6) * 1.021);

    state.tripFeed(cabinetId, 'B');
    expect(pdu.inletWatts(pduB.device.id)).toBe(0);
    expect(pdu.outletWatts(pduB.device.id).every((w) => w === 0)).toBe(true);
    const onA = loads.filter((d) => cabling.psuFeeds(d.device.id).includes('A'));
    expect(sum(pdu.outletWatts(pduA.device.id))).toBeCloseTo(sum(onA.map((d) => d.watts)) * f, 0);
  });

  it('takes trip-pdu / restore-pdu with a feed through the lab fleet: checked, reported, the cabinet reconciled', async () => {
    // The default size (fake kinds: no sockets) has single-feed cabinets too.
    const options: LabStartOptions = { seed: SEED, size: DEFAULT_LAB_SIZE, community: 'fake', snmpPort: 1, addressPrefix: '127.201' };
    let ctx: LabContext | undefined;
    const reconciled: string[] = [];
    const kind: LabPeerKind = {
      kind: 'fake',
      async start(c) {
        ctx = c;
        return { reconcile: async (d) => void reconciled.push(d.device.id), dispose: async () => {} };
      },
    };
    const lab = await startLabFleet(options, [kind]);
    try {
      const dual = lab.inventory.cabinets.find((c) => c.feedB !== null)!;
      const inside = lab.inventory.devices.filter((d) => d.cabinetId === dual.id);
      const status = await lab.fault({ kind: 'trip-pdu', cabinetId: dual.id, feed: 'B' });
      expect(status).toMatchObject({ trippedCabinets: [], trippedFeeds: [{ cabinetId: dual.id, feed: 'B' }] });
      expect(reconciled.sort()).toEqual(inside.map((d) => d.id).sort());
      for (const d of inside.filter((x) => x.kind !== 'pdu')) {
        const onlyB = ctx!.state.cabling.psuFeeds(d.id).every((f) => f === 'B');
        expect(ctx!.state.hostUp(d), d.id).toBe(!onlyB);
      }
      expect((await lab.fault({ kind: 'restore-pdu', cabinetId: dual.id, feed: 'B' })).trippedFeeds).toEqual([]);
      await lab.fault({ kind: 'trip-pdu', cabinetId: dual.id, feed: 'A' });
      expect(await lab.fault({ kind: 'restore-pdu', cabinetId: dual.id })).toMatchObject({ trippedCabinets: [], trippedFeeds: [] });

      const oneFeed = lab.inventory.cabinets.find((c) => c.feedB === null)!;
      await expect(lab.fault({ kind: 'trip-pdu', cabinetId: oneFeed.id, feed: 'B' })).rejects.toThrow(`cabinet "${oneFeed.id}" has no feed B (its feeds: A)`);
      await expect(lab.fault({ kind: 'trip-pdu', cabinetId: dual.id, feed: 'C' } as never)).rejects.toThrow('feed must be "A" or "B", got "C"');
      await expect(lab.fault({ kind: 'trip-pdu', cabinetId: 'cab-nowhere', feed: 'A' })).rejects.toThrow('no cabinet "cab-nowhere"');
    } finally {
      await lab.close();
    }
  });
});
