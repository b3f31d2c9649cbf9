// fleet.roomReadings against createCore with the lab (a real store, the SNMP poller and the BMC
// sensor poller): a viewer reads a room's cabinets and devices, power is the PDUs' stored meter
// over the rating, inlet the servers' hottest bmc.inlet_c, feed risk the lab's cabling once
// the BMCs' PSU counts (bmc.psus) are read; one tripped feed leaves a redundant cabinet up on
// its other PDU; a tripped PDU turns its cabinet's
// worst status to unreachable and its power to 0 within the re-poll; an identify shows in
// `identifying` and drops out when its seconds run out; an unknown room is NOT_FOUND. Then the
// cost: a lab-sized room (~500 devices) and a 10 k-device room read from a filled store, timed
// (series' last values: one query per metric, the room's structure kept until an inventory change).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { CabinetReading, InventoryDocument, RoomReadings } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { feedRisk } from '../../../src-main/core/fleet/feed-risk';
import { createRoomReadings, ROOM_METRICS } from '../../../src-main/core/fleet/room-readings';
import { createLatestReader } from '../../../src-main/core/fleet/room-readings-series';
import { openCoreStore } from '../../../src-main/core/store/core-store';
import type { Sample } from '../../../src-main/core/store/metrics-repository';
import { generateLab } from '../../../src-main/lab/generator';
import { labPsus } from '../../../src-main/lab/lab-device';
import { until } from '../../support/handles';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
const viewer: CallContext = { actor: 'test-viewer', role: 'viewer' };
const operator: CallContext = { actor: 'test-operator', role: 'operator' };
const dir = mkdtempSync(join(tmpdir(), 'fd-room-readings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet.roomReadings with the lab', () => {
  let core: Core | undefined;
  afterAll(async () => core?.dispose());

  it('reads a room, its feed risk from measured PSUs, follows a tripped feed, a tripped PDU and an identify', async () => {
    // Seed 5: a head cabinet with a single-corded server, so the measured PSU counts change its feed word.
    const seed = 5;
    const size = { sites: 1, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 60 };
    core = await createCore({
      storePath: join(dir, 'core.db'),
      secretKey: randomBytes(32),
      lab: { entry: LAB_ENTRY, seed, size, addressPrefix: '127.43', snmpPort: 16843 },
      // A minute between polls: only the trip's re-poll can move the readings within the test.
      poller: { intervalMs: 60_000, timeoutMs: 800, retries: 1 },
      bmcSensors: { intervalMs: 60_000 },
    });
    const api = core.api;
    const overview = await until('every lab device answering', async () => {
      const o = await api.call(operator, 'fleet.overview', undefined);
      return o.totals.answering === 60 ? o : undefined;
    }, 30_000);
    const roomId = overview.sites[0].rooms[0].id;
    const read = (): Promise<RoomReadings> => api.call(viewer, 'fleet.roomReadings', { roomId });
    // The lab's truth: its inventory (the same seed and size) and PSU counts, cabled in the store's order (by U, then id).
    const lab = generateLab(seed, size);
    const inCabinet = (id: string) => lab.devices.filter((x) => x.cabinetId === id).sort((a, b) => a.uPosition - b.uPosition || (a.id < b.id ? -1 : 1));
    const truth = new Map(lab.cabinets.map((c) => [c.id, feedRisk(c, inCabinet(c.id).map((x) => ({ ...x, psus: labPsus(x, seed) })))]));
    const assumed = new Map(lab.cabinets.map((c) => [c.id, feedRisk(c, inCabinet(c.id))]));
    expect(lab.cabinets.some((c) => truth.get(c.id)!.feed !== assumed.get(c.id)!.feed)).toBe(true);
    // Every cabinet's PDUs metered, some server inlet read, and every feed word as the lab cables
    // it (the BMC sensor poller's first round: each server's PSU count).
    const first = await until('power, inlet and measured feed readings', async () => {
      const r = await read();
      const feeds = r.cabinets.every((c) => c.feed === truth.get(c.cabinetId)!.feed && c.darkOnA === truth.get(c.cabinetId)!.darkOnA && c.darkOnB === truth.get(c.cabinetId)!.darkOnB);
      return r.cabinets.every((c) => c.powerW !== null) && r.cabinets.some((c) => c.inletC !== null) && feeds ? r : undefined;
      // The BMC sensor poller's first round starts 7.5-15 s in and its readings land as it ends (about 30 s in on an idle machine).
    }, 60_000);

    expect(first.roomId).toBe(roomId);
    expect(first.cabinets).toHaveLength(4);
    expect(first.devices).toHaveLength(60);
    const summaries = await api.call(viewer, 'inventory.cabinets', { roomId });
    expect(first.cabinets.map((c) => c.cabinetId).sort()).toEqual(summaries.map((s) => s.id).sort());
    for (const c of first.cabinets) {
      expect(c.worst).toBe('up');
      expect(c.powerW!).toBeGreaterThan(0);
      expect(c.utilisation).toBeCloseTo(c.powerW! / (c.ratedKw * 1000), 9);
      expect(c.readAt!).toBeGreaterThan(first.generatedAt - 120_000);
      expect(c).toMatchObject({ identifying: [], flags: [] });
      // A PDU per feed: -pdu-a and -pdu-b in a dual-fed cabinet; the cabinet's power is theirs summed; its inlet the hottest of its servers'.
      const elevation = await api.call(viewer, 'inventory.elevation', { cabinetId: c.cabinetId });
      const pdus = elevation.devices.filter((d) => d.kind === 'pdu');
      expect(pdus).toHaveLength(lab.cabinets.find((x) => x.id === c.cabinetId)!.feedB === null ? 1 : 2);
      expect(c.powerW).toBeCloseTo(pdus.reduce((a, p) => a + first.devices.find((d) => d.deviceId === p.id)!.powerW!, 0), 6);
      const inlets = elevation.devices.filter((d) => d.kind === 'server').map((d) => first.devices.find((x) => x.deviceId === d.id)!.inletC).filter((v): v is number => v !== null);
      expect(c.inletC).toBe(inlets.length ? Math.max(...inlets) : null);
    }
    expect(first.devices.every((d) => d.status === 'up')).toBe(true);

    // An unknown room
    await expect(api.call(viewer, 'fleet.roomReadings', { roomId: 'room-nowhere' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // One feed tripped in a redundant cabinet: its PDU meters 0, the other carries the cabinet, every device stays up.
    const redundant = first.cabinets.find((c) => c.feed === 'redundant' && c.darkOnA + c.darkOnB === 0 && lab.cabinets.find((x) => x.id === c.cabinetId)!.feedB !== null)!;
    const pduB = lab.devices.find((x) => x.cabinetId === redundant.cabinetId && x.hostname.endsWith('-pdu-b'))!;
    const pduA = lab.devices.find((x) => x.cabinetId === redundant.cabinetId && x.hostname.endsWith('-pdu-a'))!;
    const aBefore = first.devices.find((d) => d.deviceId === pduA.id)!.powerW!;
    expect((await api.call(operator, 'lab.fault', { kind: 'trip-pdu', cabinetId: redundant.cabinetId, feed: 'B' })).trippedFeeds).toEqual([{ cabinetId: redundant.cabinetId, feed: 'B' }]);
    const oneFeed = await until('feed B\'s PDU unpowered, feed A\'s carrying the cabinet', async () => {
      const r = await read();
      const w = (id: string): number | null => r.devices.find((d) => d.deviceId === id)!.powerW;
      return w(pduB.id) === 0 && w(pduA.id)! > aBefore * 1.5 ? r : undefined;
    }, 10_000, 25);
    const ridden = oneFeed.cabinets.find((c) => c.cabinetId === redundant.cabinetId)!;
    expect(ridden.worst).toBe('up');
    expect(ridden.powerW).toBeGreaterThan(redundant.powerW! * 0.8);
    await api.call(operator, 'lab.fault', { kind: 'restore-pdu', cabinetId: redundant.cabinetId, feed: 'B' });

    // A tripped PDU: its cabinet goes unreachable (its servers lose power) and its meter falls to 0 within the re-poll.
    const target = [...first.cabinets].sort((a, b) => b.powerW! - a.powerW!)[0];
    const t0 = performance.now();
    await api.call(operator, 'lab.fault', { kind: 'trip-pdu', cabinetId: target.cabinetId });
    const tripped = await until('the tripped cabinet unreachable and unpowered', async () => {
      const c = (await read()).cabinets.find((x) => x.cabinetId === target.cabinetId)!;
      return c.worst === 'unreachable' && c.powerW! < target.powerW! * 0.1 ? c : undefined;
    }, 10_000, 25);
    const tripMs = performance.now() - t0;
    expect(tripped.powerW).toBe(0);
    expect(tripped.utilisation).toBe(0);
    const others = (await read()).cabinets.filter((c) => c.cabinetId !== target.cabinetId);
    expect(others.every((c: CabinetReading) => c.worst === 'up')).toBe(true);
    await api.call(operator, 'lab.fault', { kind: 'restore-pdu', cabinetId: target.cabinetId });

    // Identify: a server of another cabinet blinks for 2 s, then no more.
    const other = others.find((c) => c.inletC !== null)!;
    const server = (await api.call(viewer, 'inventory.elevation', { cabinetId: other.cabinetId })).devices.find((d) => d.kind === 'server' && d.capabilities.bmc)!;
    expect((await read()).cabinets.find((c) => c.cabinetId === other.cabinetId)!.identifying).toEqual([]);
    await api.call(operator, 'device.identify', { deviceId: server.id, seconds: 2 });
    const blinkAt = performance.now();
    expect((await read()).cabinets.find((c) => c.cabinetId === other.cabinetId)!.identifying).toEqual([server.id]);
    await until('the identify expired', async () => (await read()).cabinets.find((c) => c.cabinetId === other.cabinetId)!.identifying.length === 0 || undefined, 5_000, 50);
    const blinkMs = performance.now() - blinkAt;
    expect(blinkMs).toBeGreaterThan(1500);
    console.log(`room readings: trip-pdu -> cabinet unreachable, power 0: ${Math.round(tripMs)} ms; identify 2 s shown for ${Math.round(blinkMs)} ms`);
  }, 90_000);
});

describe('fleet.roomReadings cost', () => {
  it('a lab room (~500 devices) in a few ms, a 10 k-device room in well under 150 ms', () => {
    const store = openCoreStore({ storePath: join(dir, 'cost.db'), secretKey: randomBytes(32) });
    try {
      // Its own ids ("s" before each), so the two labs do not overwrite each other.
      const small = JSON.parse(JSON.stringify(generateLab(3, { sites: 1, roomsPerSite: 1, rowsPerRoom: 4, cabinetsPerRow: 10, devices: 500 }, { addressPrefix: '127.44' })).replace(/"(site|room|row|cab|dev)-/g, '"s$1-')) as ReturnType<typeof generateLab>;
      const big = generateLab(4, { sites: 2, roomsPerSite: 1, rowsPerRoom: 20, cabinetsPerRow: 20, devices: 20_000 }, { addressPrefix: '127.45' });
      for (const doc of [small, big]) {
        // The floor-plan fields default here in case the generator does not give them yet.
        const plain = {
          ...doc,
          rooms: doc.rooms.map((r) => ({ widthM: 30, depthM: 20, ...(r as object) })),
          rows: doc.rows.map((r, i) => ({ xM: 1, yM: 1 + 2 * (i % 20), facing: 'north', coldAisle: 'front', ...(r as object) })),
          cabinets: doc.cabinets.map((c) => ({ widthMm: 600, depthMm: 1200, ...(c as object) })),
          devices: doc.devices.map((d) => ({ ...d, snmpCredential: null, sshCredential: null, ipmiCredential: null })),
        } as unknown as InventoryDocument;
        store.inventory.upsert(plain);
      }
      const now = Date.now();
      const samples: Sample[] = [];
      for (const dev of [...small.devices, ...big.devices]) {
        for (let k = 3; k >= 1; k--) {
          const ts = now - k * 30_000;
          if (dev.kind === 'pdu') samples.push({ deviceId: dev.id, metric: ROOM_METRICS.pduPower, ts, value: 3000 + k });
          else {
            samples.push({ deviceId: dev.id, metric: ROOM_METRICS.bmcPower, ts, value: 200 + k });
            samples.push({ deviceId: dev.id, metric: ROOM_METRICS.inlet, ts, value: 20 + k });
          }
        }
      }
      store.metrics.append(samples);
      const rr = createRoomReadings({ inventory: store.inventory, latest: createLatestReader(store.metrics), status: () => 'up' });
      const time = (roomId: string): { ms: number; r: RoomReadings } => {
        rr.readings(roomId); // warm the statements
        const runs: number[] = [];
        let r!: RoomReadings;
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          r = rr.readings(roomId);
          runs.push(performance.now() - t);
        }
        return { ms: runs.sort((a, b) => a - b)[2], r };
      };
      const a = time(small.rooms[0].id);
      const b = time(big.rooms[0].id);
      console.log(`room readings cost (median of 5): ${a.r.devices.length} devices ${a.ms.toFixed(1)} ms; ${b.r.devices.length} devices ${b.ms.toFixed(1)} ms`);
      expect(a.r.devices).toHaveLength(500);
      expect(b.r.devices.length).toBeGreaterThanOrEqual(9_000);
      // The newest sample (k = 1) is the reading: each cabinet sums its PDUs' (two where it has both feeds).
      const pdusIn = (cabinetId: string) => small.devices.filter((dv) => dv.cabinetId === cabinetId && dv.kind === 'pdu').length;
      expect(a.r.cabinets.filter((c) => pdusIn(c.cabinetId) === 2).length).toBeGreaterThan(0);
      expect(a.r.cabinets.every((c) => c.powerW === 3001 * pdusIn(c.cabinetId) && (c.inletC === 21 || c.inletC === null))).toBe(true);
      expect(a.r.cabinets.filter((c) => c.inletC === 21).length).toBeGreaterThan(30);
      // The cost is printed above, never asserted (speed belongs in benchmarks): the aim is
      // ~50 ms at 10 k devices; 25-85 ms with one SQL statement per metric, 8-31 ms (a loaded
      // 2-core machine) with each series' newest value kept in memory by the metrics repository.
      // test/bench/room-readings.ts splits the cost, and times the first read after a restart.
    } finally {
      void store.dispose();
    }
  }, 60_000);
});
