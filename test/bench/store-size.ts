// Projects the store's time-series size for a fleet: measures bytes per row in each tier
// (table + indexes, on disk) and multiplies by what the retention keeps.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src-main/core/store/database';
import { DEFAULT_RETENTION } from '../../src-main/core/store/metrics-repository';

const ROWS = 400_000;

function bytesPerRow(table: 'samples_raw' | 'samples_1m' | 'samples_1h', stepMs: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'fd-size-'));
  try {
    const path = join(dir, 's.db');
    const db = openStore(path);
    const emptyBytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    const series = 400;
    const insert =
      table === 'samples_raw'
        ? db.prepare(`INSERT INTO samples_raw (series_id, ts, value) VALUES (?, ?, ?)`)
        : db.prepare(`INSERT INTO ${table} (series_id, ts, avg, min, max, n) VALUES (?, ?, ?, ?, ?, ?)`);
    const t0 = Date.UTC(2026, 0, 1);
    db.transaction(() => {
      for (let i = 0; i < ROWS; i++) {
        const sid = (i % series) + 1;
        const ts = t0 + Math.floor(i / series) * stepMs;
        const v = 1000 + Math.random() * 4000;
        if (table === 'samples_raw') insert.run(sid, ts, v);
        else insert.run(sid, ts, v, v * 0.9, v * 1.1, 60);
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return (statSync(path).size - emptyBytes) / ROWS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** series: how many time series the fleet writes (the lab: RTT and in/out rates per device, power per PDU). */
export function projectStoreSize(devices: number, series: number, pollIntervalMs: number): string {
  const r = DEFAULT_RETENTION;
  const tiers = [
    { name: 'raw', rows: series * (r.rawMs / pollIntervalMs), bpr: bytesPerRow('samples_raw', pollIntervalMs) },
    { name: '1 min', rows: series * (r.minuteMs / 60_000), bpr: bytesPerRow('samples_1m', 60_000) },
    { name: '1 h', rows: series * (Math.min(r.hourMs, 365 * 86400_000) / 3_600_000), bpr: bytesPerRow('samples_1h', 3_600_000) },
  ];
  const total = tiers.reduce((n, t) => n + t.rows * t.bpr, 0);
  const parts = tiers.map((t) => `${t.name} ${(t.rows / 1e6).toFixed(1)} M rows x ${t.bpr.toFixed(1)} B`).join(', ');
  return `store size after a year, ${devices} devices (${series} series) polled every ${pollIntervalMs / 1000} s: ` +
    `${(total / 1024 ** 3).toFixed(2)} GiB (${parts})   [target: a few GB]`;
}
