// The last stored value of one metric for many devices at once, for the room's readings: one
// query per metric, each device's newest raw sample found through the samples' (series_id, ts)
// key. The series ids are looked up once and kept (a series, once made, keeps its id; a device
// with none is looked up again after MISS_RECHECK_MS), so a 10 k-device room costs one
// statement over integer ids, not 10 k. Only the raw tier is read: a series with nothing in its
// last 6 h (raw retention) has no live reading. (The metrics repository has per-series queries
// only; this sits beside it until it grows a batch "latest".)
import type { Db } from '../store/database';

export interface LastReading {
  readonly ts: number;
  readonly value: number;
}

export interface LatestReader {
  /** Each device's newest sample of `metric`; devices without one are absent. */
  latest(metric: string, deviceIds: readonly string[]): Map<string, LastReading>;
  /** Forgets the kept series ids (after an inventory change: a device deleted, a store replaced). */
  reset(): void;
}

const MISS_RECHECK_MS = 30_000;

const SERIES_SQL = 'SELECT s.device_id AS deviceId, s.id AS id FROM json_each(?) j JOIN series s ON s.device_id = j.value AND s.metric = ?';
const LAST_SQL = `
  SELECT j.value AS id, r.ts AS ts, r.value AS value
  FROM json_each(?) j
  JOIN samples_raw r ON r.series_id = j.value AND r.ts = (SELECT max(ts) FROM samples_raw WHERE series_id = j.value)`;

export function createLatestReader(db: Db, now: () => number = Date.now): LatestReader {
  const series = db.prepare<[string, string], { deviceId: string; id: number }>(SERIES_SQL);
  const last = db.prepare<[string], { id: number; ts: number; value: number }>(LAST_SQL);
  /** metric -> deviceId -> series id, or the time a lookup found none. */
  const ids = new Map<string, Map<string, { id: number } | { missAt: number }>>();
  return {
    reset: () => ids.clear(),
    latest(metric, deviceIds) {
      const out = new Map<string, LastReading>();
      if (!deviceIds.length) return out;
      let known = ids.get(metric);
      if (!known) ids.set(metric, (known = new Map()));
      const t = now();
      const unknown = deviceIds.filter((id) => {
        const k = known.get(id);
        return !k || ('missAt' in k && t - k.missAt >= MISS_RECHECK_MS);
      });
      if (unknown.length) {
        for (const id of unknown) known.set(id, { missAt: t });
        for (const r of series.all(JSON.stringify(unknown), metric)) known.set(r.deviceId, { id: r.id });
      }
      const byId = new Map<number, string>();
      for (const dev of deviceIds) {
        const k = known.get(dev);
        if (k && 'id' in k) byId.set(k.id, dev);
      }
      if (!byId.size) return out;
      for (const r of last.all(JSON.stringify([...byId.keys()]))) out.set(byId.get(r.id)!, { ts: r.ts, value: r.value });
      return out;
    },
  };
}
