// fleet.roomReadings cost for a 10 k-device room and where it goes: a generated lab in a store
// file, three samples per series written, the store closed and opened again (so the series are
// "from before this process": the first read loads their newest values from SQL), then warm
// reads split into the LatestReader calls (one per metric), the rest of readings() (statuses, sums,
// objects) and JSON.stringify of the answer (what IPC or HTTP serialises), and a read after an
// inventory change (invalidate). Prints medians; the old one-statement-per-metric SQL read is
// timed beside it for comparison.
// Usage: node --import tsx test/bench/room-readings.ts [--devices 20000] [--runs 15]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRoomReadings, ROOM_METRICS } from '../../src-main/core/fleet/room-readings';
import { createLatestReader, type LatestReader } from '../../src-main/core/fleet/room-readings-series';
import { openCoreStore } from '../../src-main/core/store/core-store';
import type { Sample } from '../../src-main/core/store/metrics-repository';
import { generateLab } from '../../src-main/lab/generator';
import type { InventoryDocument } from '../../src-shared/domain';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '20000' }, runs: { type: 'string', default: '15' } } });
const DEVICES = Number(values.devices);
const RUNS = Number(values.runs);

const OLD_SQL = `
  SELECT j.value AS id, r.ts AS ts, r.value AS value
  FROM json_each(?) j
  JOIN samples_raw r ON r.series_id = j.value AND r.ts = (SELECT max(ts) FROM samples_raw WHERE series_id = j.value)`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number): string => `${x.toFixed(1)} ms`;

function fill(path: string): { roomId: string } {
  const store = openCoreStore({ storePath: path, secretKey: randomBytes(32) });
  const lab = generateLab(4, { sites: 2, roomsPerSite: 1, rowsPerRoom: 20, cabinetsPerRow: 20, devices: DEVICES }, { addressPrefix: '127.45' });
  // The floor-plan fields default here in case the generator does not give them.
  store.inventory.upsert({
    ...lab,
    rooms: lab.rooms.map((r) => ({ widthM: 30, depthM: 20, ...(r as object) })),
    rows: lab.rows.map((r, i) => ({ xM: 1, yM: 1 + 2 * (i % 20), facing: 'north', coldAisle: 'front', ...(r as object) })),
    cabinets: lab.cabinets.map((c) => ({ widthMm: 600, depthMm: 1200, ...(c as object) })),
    devices: lab.devices.map((d) => ({ ...d, snmpCredential: null, sshCredential: null, ipmiCredential: null })),
  } as unknown as InventoryDocument);
  const now = Date.now();
  const samples: Sample[] = [];
  for (const dev of lab.devices) {
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
  void store.dispose();
  return { roomId: lab.rooms[0].id };
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'fd-bench-room-'));
  try {
    const path = join(dir, 'bench.db');
    const { roomId } = fill(path);
    const store = openCoreStore({ storePath: path, secretKey: randomBytes(32) });
    const reader = createLatestReader(store.metrics);
    let latestMs = 0;
    let calls = 0;
    const timed: LatestReader = {
      reset: () => reader.reset(),
      latest(metric, ids) {
        calls++;
        const t = performance.now();
        const out = reader.latest(metric, ids);
        latestMs += performance.now() - t;
        return out;
      },
    };
    const rr = createRoomReadings({ inventory: store.inventory, latest: timed, status: () => 'up' });

    let t = performance.now();
    const first = rr.readings(roomId);
    console.log(`room of ${first.devices.length} devices, first read (room structure built, newest values loaded from SQL): ${ms(performance.now() - t)}, of which latest ${ms(latestMs)}`);

    const total: number[] = [];
    const latest: number[] = [];
    const json: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      latestMs = 0;
      calls = 0;
      t = performance.now();
      const r = rr.readings(roomId);
      total.push(performance.now() - t);
      latest.push(latestMs);
      t = performance.now();
      bytes = JSON.stringify(r).length;
      json.push(performance.now() - t);
    }
    const rest = total.map((x, i) => x - latest[i]);
    console.log(`warm readings() median of ${RUNS}: ${ms(median(total))} = latest (${calls} metrics) ${ms(median(latest))} + rest (statuses, sums, objects) ${ms(median(rest))}; JSON.stringify ${ms(median(json))} (${(bytes / 1024).toFixed(0)} KiB)`);

    latestMs = 0;
    rr.invalidate();
    t = performance.now();
    rr.readings(roomId);
    console.log(`read after an inventory change (structure rebuilt, series ids looked up again, values still in memory): ${ms(performance.now() - t)}, of which latest ${ms(latestMs)}`);

    // The old read: one statement per metric over the room's series ids.
    const old = store.db.prepare(OLD_SQL);
    const ids = (metric: string): string => JSON.stringify(store.metrics.seriesIds(metric, first.devices.map((d) => d.deviceId)).map((r) => r.id));
    const lists = Object.values(ROOM_METRICS).map(ids);
    const sql: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      t = performance.now();
      for (const l of lists) old.all(l);
      sql.push(performance.now() - t);
    }
    console.log(`old SQL read of the three metrics (one statement each), median of ${RUNS}: ${ms(median(sql))}`);
    void store.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
