// The incremental read model against a recomputation from scratch: after random health
// changes and reloads, overview and cabinets match the old per-call count, field for field;
// not-monitored devices are counted apart, and an overview's cost does not grow with devices.
import { afterEach, describe, expect, it } from 'vitest';
import type { CabinetSummary, DeviceStatus, FleetOverview } from '../../../../src-shared/domain';
import { createReadModel } from '../../../../src-main/core/fleet/read-model';
import type { DevicePollState } from '../../../../src-main/core/fleet/snmp-poller';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import { generateLab } from '../../../../src-main/lab/generator';
import { createRng } from '../../../../src-shared/random';

const STATUSES: readonly DeviceStatus[] = ['unknown', 'up', 'degraded', 'unreachable'];
const answered = (s: DeviceStatus): boolean => s === 'up' || s === 'degraded';

/** What the model must equal: every count recomputed from every device. */
function reference(inv: InventoryRepository, status: (id: string) => DeviceStatus, monitored: ReadonlySet<string>) {
  const locs = inv.deviceLocations();
  const tally = (ids: string[]) => {
    const c = { devices: ids.length, polled: 0, answering: 0, degraded: 0, unreachable: 0, notMonitored: 0 };
    for (const id of ids) {
      if (!monitored.has(id)) {
        c.notMonitored++;
        continue;
      }
      const s = status(id);
      if (s !== 'unknown') c.polled++;
      if (answered(s)) c.answering++;
      if (s === 'degraded') c.degraded++;
      if (s === 'unreachable') c.unreachable++;
    }
    return c;
  };
  const rooms = inv.rooms().map((r) => ({ id: r.id, siteId: r.siteId, name: r.name, cabinets: inv.cabinetsInRoom(r.id).length, ...tally(locs.filter((l) => l.roomId === r.id).map((l) => l.deviceId)) }));
  const cabinets = (roomId: string): CabinetSummary[] => inv.cabinetsInRoom(roomId).map((c) => ({
    id: c.id, rowId: c.rowId, rowName: c.rowName, name: c.name, position: c.position, ...tally(locs.filter((l) => l.cabinetId === c.id).map((l) => l.deviceId)),
  }));
  const sites = inv.sites().map((s) => {
    const rs = rooms.filter((r) => r.siteId === s.id);
    const sum = (k: 'devices' | 'answering' | 'polled' | 'unreachable' | 'notMonitored') => rs.reduce((n, r) => n + r[k], 0);
    return { id: s.id, name: s.name, city: s.city, devices: sum('devices'), answering: sum('answering'), polled: sum('polled'), unreachable: sum('unreachable'), notMonitored: sum('notMonitored'), rooms: rs };
  });
  const all = tally(locs.map((l) => l.deviceId));
  const overview: Omit<FleetOverview, 'generatedAt'> = {
    fleet: 'lab',
    totals: {
      sites: sites.length, rooms: rooms.length, cabinets: rooms.reduce((n, r) => n + r.cabinets, 0), devices: locs.length,
      answering: all.answering, polled: all.polled, pollable: monitored.size, unreachable: all.unreachable, notMonitored: all.notMonitored,
    },
    sites,
  };
  return { overview, cabinets };
}

describe('fleet read model', () => {
  let db: Db;
  afterEach(() => db?.close());

  it('keeps its counts equal to a full recount through health changes and reloads', () => {
    db = openStore(':memory:');
    const inv = new InventoryRepository(db);
    const doc = generateLab(3, { sites: 2, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 3, devices: 400 });
    // a sixth of the fleet has no SNMP credential: never polled, not monitored
    inv.upsert({ ...doc, devices: doc.devices.map((d, i) => (i % 6 === 0 ? { ...d, snmpCredential: null } : d)) });
    const rnd = createRng(9);
    const states = new Map<string, DeviceStatus>();
    const status = (id: string): DeviceStatus => states.get(id) ?? 'unknown';
    const model = createReadModel({ inventory: inv, state: (id) => (states.has(id) ? ({ health: status(id) } as DevicePollState) : undefined), fleetKind: 'lab' });
    const monitoredNow = () => new Set(inv.pollTargets().filter((t) => t.snmpCredential).map((t) => t.deviceId));
    let monitored = monitoredNow();
    const reload = () => model.reload({ locations: new Map(inv.deviceLocations().map((l) => [l.deviceId, l])), monitored });
    reload();
    const ids = [...monitored];
    const check = () => {
      const ref = reference(inv, status, monitored);
      const { generatedAt, ...rest } = model.overview();
      expect(generatedAt).toBeGreaterThan(0);
      expect(rest).toEqual(ref.overview);
      for (const r of inv.rooms()) expect(model.cabinets(r.id)).toEqual(ref.cabinets(r.id));
    };
    check();
    for (let round = 0; round < 20; round++) {
      const changes = Array.from({ length: 50 }, () => {
        const deviceId = ids[Math.floor(rnd() * ids.length)];
        const s = STATUSES[1 + Math.floor(rnd() * 3)];
        states.set(deviceId, s);
        return { deviceId, status: s };
      });
      // changes for devices the model does not monitor are ignored
      changes.push({ deviceId: doc.devices[0].id, status: 'up' });
      model.apply(changes);
      check();
      if (round === 10) {
        // an import takes SNMP away from more devices
        inv.upsert({ ...doc, devices: doc.devices.map((d, i) => (i % 3 === 0 ? { ...d, snmpCredential: null } : d)) });
        monitored = monitoredNow();
        reload();
        check();
      }
    }
    const t = model.overview().totals;
    expect(t.notMonitored).toBe(t.devices - t.pollable);
    expect(t.notMonitored).toBeGreaterThan(100);
    expect(() => model.cabinets('no-such-room')).toThrow(/room/);
  });

  it('answers an overview of a 60,000-device fleet in O(rooms), not O(devices)', () => {
    db = openStore(':memory:');
    const inv = new InventoryRepository(db);
    inv.upsert(generateLab(5, { sites: 2, roomsPerSite: 3, rowsPerRoom: 10, cabinetsPerRow: 30, devices: 60_000 }, { addressPrefix: '127.16' }));
    const locations = new Map(inv.deviceLocations().map((l) => [l.deviceId, l]));
    let reads = 0;
    const model = createReadModel({ inventory: inv, state: () => (reads++, { health: 'up' } as DevicePollState), fleetKind: 'lab' });
    model.reload({ locations, monitored: new Set(locations.keys()) });
    reads = 0;
    const n = 200;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) model.overview();
    const overviewUs = ((performance.now() - t0) / n) * 1000;
    const room = inv.rooms()[0].id;
    const t1 = performance.now();
    for (let i = 0; i < n; i++) model.cabinets(room);
    const cabinetsUs = ((performance.now() - t1) / n) * 1000;
    console.log(`read model, 60,000 devices: overview ${overviewUs.toFixed(0)} µs, one room's cabinets ${cabinetsUs.toFixed(0)} µs per call`);
    expect(reads).toBe(0); // no device is looked at per call
    expect(model.overview().totals).toMatchObject({ devices: 60_000, answering: 60_000, notMonitored: 0, unreachable: 0 });
    expect(overviewUs).toBeLessThan(2000);
  });
});
