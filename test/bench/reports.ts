// Rack power daily report generation time for 300 and 10,000 cabinets (by default), each with
// two PDUs and eight servers, and a day of `pdu.power_w` at one sample per PDU per minute. The
// samples are generated in SQL into a store file (not timed): the day as minute rows and also
// folded into hour rows (what rollup does), the day before as hour rows. Timed twice: the usual
// case, the morning after with the fleet's rollup running (the day read from the hour tier),
// and the worst case, the hours not folded yet (the day read from its 1,440 minute rows per PDU).
// Each phase is timed apart: the inventory read, the store reads (the day and the day before),
// the pure computation, the document, CSV and XLSX. Prints the best of --runs after one warm-up
// run, and the output sizes.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { reportToCsv } from '../../src-main/core/reports/csv';
import { computeRackPower, rackPowerDocument, rackPowerInventory } from '../../src-main/core/reports/rack-power';
import { hourSlots, readPduDays } from '../../src-main/core/reports/rack-power-readings';
import { reportToXlsx } from '../../src-main/core/reports/xlsx';
import { openCoreStore, type CoreStore } from '../../src-main/core/store/core-store';
import type { Device, InventoryDocument } from '../../src-shared/domain';

const { values } = parseArgs({ options: { cabinets: { type: 'string', default: '300,10000' }, pdus: { type: 'string', default: '2' }, runs: { type: 'string', default: '3' } } });
const SIZES = values.cabinets.split(',').map(Number);
const PDUS = Number(values.pdus);
const RUNS = Number(values.runs);
const SERVERS = 8;
const DAY = 86_400_000;
const FROM = Date.UTC(2026, 10, 20);
const TO = FROM + DAY;

function inventory(cabinets: number): InventoryDocument {
  const rooms = Math.max(1, Math.ceil(cabinets / 500));
  const doc = { format: 'fleetdeck-inventory', version: 1, sites: [] as object[], rooms: [] as object[], rows: [] as object[], cabinets: [] as object[], devices: [] as Device[] };
  for (let s = 0; s < Math.min(4, rooms); s++) doc.sites.push({ id: `s${s}`, name: `Site ${s}`, city: 'Beijing' });
  for (let m = 0; m < rooms; m++) {
    doc.rooms.push({ id: `m${m}`, siteId: `s${m % doc.sites.length}`, name: `Hall ${m}`, widthM: 40, depthM: 30 });
    doc.rows.push({ id: `r${m}`, roomId: `m${m}`, name: 'R1', xM: 1, yM: 1, facing: 'north', coldAisle: 'front' });
  }
  for (let c = 0; c < cabinets; c++) {
    const id = `c${c}`;
    doc.cabinets.push({ id, rowId: `r${c % rooms}`, name: id, position: c + 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 });
    const device = (n: string, kind: Device['kind']): Device => ({
      id: `${id}-${n}`, cabinetId: id, kind, hostname: `${id}-${n}`, sn: `SN-${id}-${n}`, uPosition: kind === 'pdu' ? 0 : 2, uHeight: kind === 'pdu' ? 0 : 1,
      mgmtIp: '127.16.0.1', snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
    });
    // Every 97th cabinet is empty, so the categories are mixed.
    if (c % 97 !== 5) for (let k = 0; k < SERVERS; k++) doc.devices.push(device(`s${k}`, 'server'));
    for (let k = 0; k < PDUS; k++) doc.devices.push(device(`p${k}`, 'pdu'));
  }
  return doc as unknown as InventoryDocument;
}

/** A day of minute rows and a day before of hour rows for every PDU, straight in SQL. */
function fill(store: CoreStore): number {
  const db = store.db;
  db.exec(`INSERT INTO series (device_id, metric) SELECT id, 'pdu.power_w' FROM devices WHERE kind = 'pdu' ORDER BY id`);
  // Level 500-4400 W per series; every 61st series has a negative minute, every 53rd misses six hours.
  const value = (k: string) => `(500 + (s.id % 40) * 100 + (${k} % 7) * 10 - CASE WHEN s.id % 61 = 0 AND ${k} = 100 THEN 9000 ELSE 0 END)`;
  const day = db.prepare(`
    WITH RECURSIVE m(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM m WHERE k < 1439)
    INSERT INTO samples_1m (series_id, ts, avg, min, max, n)
    SELECT s.id, ${FROM} + m.k * 60000, ${value('m.k')}, ${value('m.k')}, ${value('m.k')}, 1 FROM series s CROSS JOIN m
    WHERE NOT (s.id % 53 = 0 AND m.k >= 1080) ORDER BY s.id, m.k`);
  const prev = db.prepare(`
    WITH RECURSIVE h(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM h WHERE k < 23)
    INSERT INTO samples_1h (series_id, ts, avg, min, max, n)
    SELECT s.id, ${FROM - DAY} + h.k * 3600000, ${value('h.k')} * 0.97, ${value('h.k')} * 0.9, ${value('h.k')}, 60 FROM series s CROSS JOIN h ORDER BY s.id, h.k`);
  const fold = db.prepare(`
    INSERT INTO samples_1h (series_id, ts, avg, min, max, n)
    SELECT series_id, (ts / 3600000) * 3600000 AS b, sum(avg * n) / sum(n), min(min), max(max), sum(n) FROM samples_1m
    WHERE ts >= ${FROM} AND ts < ${TO} GROUP BY series_id, b`);
  return db.transaction(() => day.run().changes + prev.run().changes + fold.run().changes)();
}

/** Where the rollup has got to: the day folded into hours, or only into minutes. */
function watermarks(store: CoreStore, hourUntil: number): void {
  store.db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES ('rollup_1m_until', ?), ('rollup_1h_until', ?)`).run(String(TO), String(hourUntil));
}

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const out = f();
  return [out, performance.now() - t];
};

async function once(store: CoreStore): Promise<{ phases: Record<string, number>; csv: number; xlsx: number; valid: number }> {
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  const [inv, tInv] = time(() => rackPowerInventory(store));
  const pdus = inv.cabinets.flatMap((c) => c.devices.filter((d) => d.kind === 'pdu').map((d) => d.id));
  const [day, tDay] = time(() => ({ ...readPduDays(store, pdus, FROM, TO), hours: hourSlots(FROM, TO) }));
  const [prev, tPrev] = time(() => ({ ...readPduDays(store, pdus, FROM - DAY, FROM), hours: 24 }));
  const [result, tCompute] = time(() => computeRackPower(inv, day, prev));
  const [doc, tDoc] = time(() => rackPowerDocument(inv, result, { locale: 'zh-CN', period: { from: FROM, to: TO }, generatedAt: TO, timeZone: 'Asia/Shanghai' }));
  const [csv, tCsv] = time(() => reportToCsv(doc));
  const tx = performance.now();
  const xlsx = await reportToXlsx(doc);
  const tXlsx = performance.now() - tx;
  Object.assign(phases, { inventory: tInv, 'read day': tDay, 'read day before (1h)': tPrev, compute: tCompute, document: tDoc, csv: tCsv, xlsx: tXlsx, total: performance.now() - t0 });
  return { phases, csv: csv.length, xlsx: xlsx.length, valid: result.all.counts.valid };
}

const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

for (const cabinets of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetdeck-bench-reports-'));
  try {
    const store = openCoreStore({ storePath: join(dir, 'store.db'), secretKey: randomBytes(32) });
    const [, tInv] = time(() => store.inventory.upsert(inventory(cabinets)));
    const [rows, tFill] = time(() => fill(store));
    console.log(`\n${cabinets} cabinets, ${cabinets * PDUS} PDUs, ${rows.toLocaleString('en')} stored rows (setup: inventory ${fmt(tInv)}, samples ${fmt(tFill)})`);
    const plan = store.db.prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM samples_1m WHERE series_id IN (SELECT value FROM json_each(?)) AND ts >= ? AND ts < ?`).all('[1]', FROM, TO) as { detail: string }[];
    console.log(`  minute tier plan: ${plan.map((p) => p.detail).join('; ')}`);
    for (const [label, hourUntil] of [['day in the hour tier (the morning after)', TO], ['day in the minute tier (hours not folded yet)', FROM]] as const) {
      watermarks(store, hourUntil);
      await once(store); // warm-up
      const runs: Awaited<ReturnType<typeof once>>[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await once(store));
      const best = (k: string): number => Math.min(...runs.map((r) => r.phases[k]));
      console.log(`  ${label}:`);
      for (const k of Object.keys(runs[0].phases)) console.log(`    ${k.padEnd(22)} ${fmt(best(k)).padStart(10)}`);
      console.log(`    valid cabinets ${runs[0].valid}; CSV ${runs[0].csv.toLocaleString('en')} B, XLSX ${runs[0].xlsx.toLocaleString('en')} B; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
    }
    await store.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
