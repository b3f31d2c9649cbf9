// The last stored value of one metric for many devices at once, for the room's readings: one
// query per metric (the devices passed as a JSON array), each device's newest raw sample found
// through the samples' (series_id, ts) key, so a 10 k-device room costs one statement, not
// 10 k. Only the raw tier is read: a series with nothing in its last 6 h (raw retention) has
// no live reading. (The metrics repository has per-series queries only; this sits beside it
// until it grows a batch "latest".)
import type { Db } from '../store/database';

export interface LastReading {
  readonly ts: number;
  readonly value: number;
}

export interface LatestReader {
  /** Each device's newest sample of `metric`; devices without one are absent. */
  latest(metric: string, deviceIds: readonly string[]): Map<string, LastReading>;
}

const SQL = `
  SELECT s.device_id AS deviceId, r.ts AS ts, r.value AS value
  FROM json_each(?) j
  JOIN series s ON s.device_id = j.value AND s.metric = ?
  JOIN samples_raw r ON r.series_id = s.id AND r.ts = (SELECT max(ts) FROM samples_raw WHERE series_id = s.id)`;

export function createLatestReader(db: Db): LatestReader {
  const stmt = db.prepare<[string, string], { deviceId: string; ts: number; value: number }>(SQL);
  return {
    latest(metric, deviceIds) {
      const out = new Map<string, LastReading>();
      if (!deviceIds.length) return out;
      for (const r of stmt.all(JSON.stringify(deviceIds), metric)) out.set(r.deviceId, { ts: r.ts, value: r.value });
      return out;
    },
  };
}
