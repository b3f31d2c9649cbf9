// SIGKILL the serve process in the middle of a large import (over the WebSocket, and over the
// streamed HTTP route), start it again on the same
// data directory: the store is intact and holds none or all of the import, never part.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_HEADER, OPTIONAL_CSV_COLUMNS } from '../../../src-main/core/inventory/formats';
import { sleep } from '../../support/handles';
import { SERVE_ENTRY, startServe, type ServeProcess } from '../../support/serve-process';
import { connect } from '../../support/ws-client';
import { upload } from './fixtures/http-bulk';

const DEVICES = 20_000;
const PER_CABINET = 40;
const built = existsSync(SERVE_ENTRY);
if (!built && process.env.CI) throw new Error(`${SERVE_ENTRY} is missing: npm test builds it before vitest`);

/** A valid inventory of `devices` servers on loopback addresses with no SNMP credential (never polled). */
function bigCsv(devices: number): string {
  const blank = (n: number): string => ','.repeat(n);
  const cabinets = Math.ceil(devices / PER_CABINET);
  const lines = [CSV_HEADER.filter((c) => !OPTIONAL_CSV_COLUMNS.includes(c)).join(','), `site,crash,,Crash Site,Hangzhou${blank(16)}`, `room,crash-r1,crash,Room 1${blank(17)}`, `row,crash-w1,crash-r1,Row 1${blank(17)}`];
  for (let c = 0; c < cabinets; c++) lines.push(`cabinet,crash-c${c},crash-w1,C${c},,${c + 1},42,8,A,B${blank(11)}`);
  for (let d = 0; d < devices; d++) {
    // One address per device (imports refuse a duplicate address + SNMP port).
    const ip = `127.30.${Math.floor(d / 254)}.${(d % 254) + 1}`;
    lines.push(`device,crash-d${d},crash-c${Math.floor(d / PER_CABINET)},,,,1,,,,server,crash-d${d},CRASH-SN-${d},${(d % PER_CABINET) + 1},${ip},161,,,,,`);
  }
  return lines.join('\r\n');
}

const started: ServeProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.stop();
});

async function serveOn(dataDir?: string): Promise<ServeProcess> {
  const s = await startServe(['--no-lab', ...(dataDir ? ['--rotate-tokens'] : [])], { dataDir });
  started.push(s);
  return s;
}

function storeFacts(dataDir: string): { integrity: string; devices: number } {
  const db = new Database(join(dataDir, 'fleetdeck.db'), { readonly: true });
  try {
    return {
      integrity: (db.pragma('integrity_check', { simple: true }) as string) ?? '',
      devices: (db.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe.skipIf(!built)('serve process killed mid-import', () => {
  it('comes back with the import whole or absent', async () => {
    const text = bigCsv(DEVICES);
    // How long one import takes here, to aim the kills inside it.
    const probe = await serveOn();
    const op = await connect(probe.url, probe.tokens.operator);
    const t0 = Date.now();
    expect((await op.call('inventory.import', { format: 'csv', text })).imported.devices).toBe(DEVICES);
    const importMs = Date.now() - t0;
    await op.close();
    await probe.stop();

    const outcomes: string[] = [];
    const walSize = (dir: string): number => {
      const f = join(dir, 'fleetdeck.db-wal');
      return existsSync(f) ? statSync(f).size : 0;
    };
    // Kills aimed by time, and one fired the moment the import's transaction starts
    // spilling uncommitted pages into the WAL: that one is inside the write for certain.
    // (The audit row written before the import runs adds a few KB; the spill adds MBs.)
    const SPILL = 512 * 1024;
    for (const aim of [0.3, 0.8, 'wal-growth'] as const) {
      const serve = await serveOn();
      const operator = await connect(serve.url, serve.tokens.operator);
      const baseline = walSize(serve.dataDir);
      void operator.call('inventory.import', { format: 'csv', text }).catch(() => {});
      const t = Date.now();
      if (aim === 'wal-growth') {
        while (walSize(serve.dataDir) <= baseline + SPILL && Date.now() - t < 4 * importMs + 5000) await new Promise((r) => setImmediate(r));
      } else {
        await sleep(Math.round(importMs * aim));
      }
      serve.child.kill('SIGKILL');
      await new Promise((r) => serve.child.once('exit', r));
      const wal = walSize(serve.dataDir);
      if (aim === 'wal-growth') expect(wal).toBeGreaterThan(baseline + SPILL);

      // restart on the same data directory: it opens, and its API sees a whole store
      const again = await serveOn(serve.dataDir);
      const viewer = await connect(again.url, again.tokens.viewer);
      const overview = await viewer.call('fleet.overview', undefined);
      await viewer.close();
      await again.stop();
      const facts = storeFacts(serve.dataDir);
      expect(facts.integrity).toBe('ok');
      expect([0, DEVICES]).toContain(facts.devices);
      if (aim === 'wal-growth') expect(facts.devices).toBe(0);
      expect(overview.totals.devices).toBe(facts.devices);
      outcomes.push(`${aim} (${Date.now() - t} ms): ${facts.devices === 0 ? 'none' : 'all'} imported, WAL ${baseline} -> ${wal} B`);
    }
    console.log(`import of ${DEVICES} devices took ${importMs} ms; SIGKILL at ${outcomes.join('; ')}`);
  }, 180_000);

  it('comes back with an HTTP-streamed import absent when killed inside its write', async () => {
    const text = bigCsv(DEVICES);
    const serve = await serveOn();
    const f = join(serve.dataDir, 'fleetdeck.db-wal');
    const walSize = (): number => (existsSync(f) ? statSync(f).size : 0);
    const baseline = walSize();
    void upload(serve.url, '/api/inventory/import?format=csv', serve.tokens.operator, text).catch(() => {});
    const t = Date.now();
    while (walSize() <= baseline + 512 * 1024 && Date.now() - t < 60_000) await new Promise((r) => setImmediate(r));
    const wal = walSize();
    serve.child.kill('SIGKILL');
    await new Promise((r) => serve.child.once('exit', r));
    expect(wal).toBeGreaterThan(baseline + 512 * 1024);
    const again = await serveOn(serve.dataDir);
    const viewer = await connect(again.url, again.tokens.viewer);
    const overview = await viewer.call('fleet.overview', undefined);
    await viewer.close();
    await again.stop();
    const facts = storeFacts(serve.dataDir);
    expect(facts.integrity).toBe('ok');
    expect(facts.devices).toBe(0);
    expect(overview.totals.devices).toBe(0);
    console.log(`HTTP import of ${DEVICES} devices: SIGKILL ${Date.now() - t} ms in, WAL ${baseline} -> ${wal} B: none imported, store intact`);
  }, 120_000);
});
