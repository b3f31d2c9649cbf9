// Kills an importing process with SIGKILL at several points and checks that the store
// comes back intact with either none or all of the import: never part of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryDocument } from '../../../src-shared/domain';
import { openStore } from '../../../src-main/core/store/database';
import { InventoryRepository, type InventoryCounts } from '../../../src-main/core/store/inventory-repository';

const SCRIPT = fileURLToPath(new URL('./fixtures/import-large.ts', import.meta.url));
const ROOT = resolve(dirname(SCRIPT), '../../../..');
const DEVICES = 20_000;
const CABINETS = DEVICES / 40; // the script puts 40 devices in each cabinet, 50 cabinets per row
const ROWS = CABINETS / 50;

const SMALL: InventoryDocument = {
  format: 'fleetdeck-inventory',
  version: 1,
  sites: [{ id: 'sh1', name: 'Shanghai 1', city: 'Shanghai' }],
  rooms: [{ id: 'sh1-r1', siteId: 'sh1', name: 'Room 1', widthM: 20, depthM: 10 }],
  rows: [{ id: 'sh1-r1-a', roomId: 'sh1-r1', name: 'Row A', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
  cabinets: [{ id: 'sh1-c1', rowId: 'sh1-r1-a', name: 'C1', position: 1, uHeight: 42, ratedPowerKw: 6, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
  devices: [1, 2, 3].map((n) => ({
    id: `sh1-d${n}`, cabinetId: 'sh1-c1', kind: 'server' as const, hostname: `sh1-d${n}`, sn: `SH-SN-${n}`, uPosition: n, uHeight: 1,
    mgmtIp: `10.7.0.${n}`, snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
    lifecycle: 'online' as const,
  })),
};
const BEFORE: InventoryCounts = { sites: 1, rooms: 1, rows: 1, cabinets: 1, devices: 3 };
const AFTER: InventoryCounts = { sites: 2, rooms: 2, rows: 1 + ROWS, cabinets: 1 + CABINETS, devices: 3 + DEVICES };

interface Run {
  killAfterMs: number | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms from the "importing" line to the exit. */
  elapsedMs: number;
  /** Size of the -wal file left behind: > 0 after a kill means the write had begun. */
  walBytes: number;
}

const running = new Set<ChildProcess>();

function runImport(dbPath: string, killAfterMs: number | null): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dbPath, String(DEVICES)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let out = '';
    let err = '';
    let startedAt = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      const had = out.includes('importing\n');
      out += b.toString();
      if (had || !out.includes('importing\n')) return;
      startedAt = performance.now();
      if (killAfterMs !== null) timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), killAfterMs);
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (!startedAt) return fail(new Error(`the import script exited (${code ?? signal}) before importing:\n${err}`));
      if (signal === null && code !== 0) return fail(new Error(`the import script failed with ${code}:\n${err}`));
      const wal = `${dbPath}-wal`;
      done({ killAfterMs, code, signal, elapsedMs: performance.now() - startedAt, walBytes: existsSync(wal) ? statSync(wal).size : 0 });
    });
  });
}

describe('an import killed with SIGKILL', () => {
  let dir: string;
  let template: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetdeck-crash-'));
    template = join(dir, 'template.db');
    const db = openStore(template);
    new InventoryRepository(db).upsert(SMALL);
    db.close(); // checkpoints the WAL into the file and removes it
    expect(existsSync(`${template}-wal`)).toBe(false);
  });

  afterAll(() => {
    for (const child of running) if (child.pid) process.kill(child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  let copies = 0;
  async function attempt(killAfterMs: number | null): Promise<{ run: Run; counts: InventoryCounts }> {
    const path = join(dir, `copy-${copies++}`, 'fleet.db');
    const db0 = openStore(path); // creates the folder
    db0.close();
    copyFileSync(template, path);
    const run = await runImport(path, killAfterMs);
    const db = openStore(path);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const repo = new InventoryRepository(db);
      const counts = repo.counts();
      expect([BEFORE, AFTER]).toContainEqual(counts);
      expect(repo.device('sh1-d2')).toEqual(SMALL.devices[1]);
      return { run, counts };
    } finally {
      db.close();
    }
  }

  it('leaves the store intact with none or all of the import', async () => {
    // An unkilled run: the import works, and its length spreads the later kills over it.
    const full = await attempt(null);
    expect(full.run.code).toBe(0);
    expect(full.counts).toEqual(AFTER);

    const span = full.run.elapsedMs;
    const delays = [0, 20, 60, 150, ...[0.4, 0.6, 0.75, 0.85, 0.95].map((f) => Math.round(span * f))];
    const report: string[] = [`unkilled import: ${Math.round(span)} ms after "importing"`];
    for (const delay of delays) {
      const { run, counts } = await attempt(delay);
      if (run.signal === null) expect(counts).toEqual(AFTER); // finished before the kill
      const outcome = counts.devices === AFTER.devices ? 'all' : 'none';
      report.push(`kill after ${delay} ms: ${run.signal ?? `exit ${run.code}`}, wal ${run.walBytes} bytes, ${outcome} of the import`);
    }
    console.log(report.join('\n'));
  }, 300_000);
});
