// The LatestReader over a real store: each device's newest raw sample of a metric from the
// metrics repository's memory, out-of-order writes not replacing it, nothing past raw
// retention, a series from before the reader (and its repository) existed found, a device
// with no series found once it gets one, and a deleted device: gone from the room's readings,
// and, re-added under its id, showing what is written after, never a value the store lacks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import { createRoomReadings } from '../../../../src-main/core/fleet/room-readings';
import { createLatestReader } from '../../../../src-main/core/fleet/room-readings-series';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import { MetricsRepository, type Sample } from '../../../../src-main/core/store/metrics-repository';
import { oneCabinet } from '../../../support/one-cabinet';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const INLET = 'bmc.inlet_c';

const server = (id: string, u: number): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: id, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: `10.0.0.${u}`,
  snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
});
const inlet = (deviceId: string, ts: number, value: number): Sample => ({ deviceId, metric: INLET, ts, value });

describe('createLatestReader', () => {
  let db: Db;
  let metrics: MetricsRepository;
  let clock: number;
  beforeEach(() => {
    db = openStore(':memory:');
    metrics = new MetricsRepository(db);
    clock = T0 + 60_000;
  });
  afterEach(() => db.close());

  const values = (m: Map<string, { ts: number; value: number }>) => Object.fromEntries([...m].map(([k, v]) => [k, v.value]));

  it('gives each device its newest sample; an older late one does not replace it; nothing past 6 h', () => {
    const reader = createLatestReader(metrics, () => clock);
    metrics.append([inlet('a', T0, 20), inlet('b', T0, 30), inlet('a', T0 + 2000, 22)]);
    expect(values(reader.latest(INLET, ['a', 'b', 'none']))).toEqual({ a: 22, b: 30 });
    metrics.append([inlet('a', T0 + 1000, 99), inlet('b', T0 + 3000, 31)]);
    expect(reader.latest(INLET, ['a', 'b'])).toEqual(new Map([['a', { ts: T0 + 2000, value: 22 }], ['b', { ts: T0 + 3000, value: 31 }]]));
    clock = T0 + 2000 + 6 * HOUR + 1; // a past raw retention, b not yet
    expect(values(reader.latest(INLET, ['a', 'b']))).toEqual({ b: 31 });
  });

  it('finds series written before it existed, and a device whose series came later', () => {
    new MetricsRepository(db).append([inlet('a', T0, 20), inlet('b', T0 + 500, 25)]); // an earlier process
    const reader = createLatestReader(metrics, () => clock);
    expect(values(reader.latest(INLET, ['a', 'b', 'c']))).toEqual({ a: 20, b: 25 });
    metrics.append([inlet('c', T0 + 1000, 27)]);
    expect(values(reader.latest(INLET, ['a', 'b', 'c']))).toEqual({ a: 20, b: 25 }); // c's miss is kept a while...
    clock += 30_000;
    expect(values(reader.latest(INLET, ['a', 'b', 'c']))).toEqual({ a: 20, b: 25, c: 27 }); // ...then looked up again
    reader.reset();
    expect(values(reader.latest(INLET, ['c']))).toEqual({ c: 27 });
  });

  it('after a device is deleted: gone from the room, and no value the store does not have', () => {
    const inventory = new InventoryRepository(db);
    inventory.upsert(oneCabinet([server('a', 1), server('b', 2)]));
    const reader = createLatestReader(metrics, () => clock);
    const room = createRoomReadings({ inventory, latest: reader, status: () => 'up', now: () => clock });
    metrics.append([inlet('a', T0, 20), inlet('b', T0, 30)]);
    expect(room.readings('r').devices.map((d) => [d.deviceId, d.inletC])).toEqual([['a', 20], ['b', 30]]);

    expect(inventory.deleteDevice('a')).toBe(true);
    room.invalidate(); // as the fleet does on an inventory change
    expect(room.readings('r').devices.map((d) => d.deviceId)).toEqual(['b']);
    expect(room.readings('r').cabinets[0].inletC).toBe(30);

    // The device's series outlive it (the inventory keeps them); whatever the reader says is what the store holds.
    const truth = () => db.prepare(`SELECT r.value FROM samples_raw r JOIN series s ON s.id = r.series_id WHERE s.device_id = 'a' ORDER BY r.ts DESC LIMIT 1`).get();
    expect(reader.latest(INLET, ['a']).get('a')?.value).toBe((truth() as { value: number }).value);
    // Re-added under the same id: the next sample is its reading.
    inventory.putDevice(server('a', 3));
    metrics.append([inlet('a', T0 + 5000, 24)]);
    room.invalidate();
    expect(room.readings('r').devices.map((d) => [d.deviceId, d.inletC]).sort()).toEqual([['a', 24], ['b', 30]]);
  });
});
