// Time series in SQLite: raw samples, minute and hour rollups, each tier expired by its retention.
import type { Db } from './database';

export interface Sample {
  deviceId: string;
  metric: string;
  ts: number;
  value: number;
}

export interface Retention {
  rawMs: number;
  minuteMs: number;
  hourMs: number;
}

/** Raw samples for 6 h, 1-minute rollups for 2 days, 1-hour rollups for 400 days. */
export const DEFAULT_RETENTION: Retention = { rawMs: 6 * 3600_000, minuteMs: 2 * 86400_000, hourMs: 400 * 86400_000 };

const MINUTE = 60_000;
const HOUR = 3_600_000;

export interface Point {
  ts: number;
  avg: number;
  min: number;
  max: number;
}

/**
 * Time series in three tiers: raw -> 1 min -> 1 h. rollup() folds complete buckets into
 * the next tier (weighted by sample count) and drops what is past retention, so a year
 * of a 2,000-device fleet stays a few GB.
 */
export class MetricsRepository {
  readonly #db: Db;
  readonly #retention: Retention;
  readonly #series = new Map<string, number>();
  readonly #findSeries;
  readonly #insertSeries;
  readonly #insertRaw;
  readonly #getMeta;
  readonly #setMeta;

  constructor(db: Db, retention: Partial<Retention> = {}) {
    this.#db = db;
    this.#retention = { ...DEFAULT_RETENTION, ...retention };
    this.#findSeries = db.prepare<[string, string], { id: number }>('SELECT id FROM series WHERE device_id = ? AND metric = ?');
    this.#insertSeries = db.prepare('INSERT INTO series (device_id, metric) VALUES (?, ?)');
    this.#insertRaw = db.prepare('INSERT OR REPLACE INTO samples_raw (series_id, ts, value) VALUES (?, ?, ?)');
    this.#getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.#setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  seriesId(deviceId: string, metric: string): number {
    const key = `${deviceId}\u0000${metric}`;
    let id = this.#series.get(key);
    if (id === undefined) {
      id = this.#findSeries.get(deviceId, metric)?.id ?? Number(this.#insertSeries.run(deviceId, metric).lastInsertRowid);
      this.#series.set(key, id);
    }
    return id;
  }

  /** Appends a batch in one transaction; non-finite values are dropped. */
  append(samples: readonly Sample[]): number {
    let n = 0;
    this.#db.transaction(() => {
      for (const s of samples) {
        if (!Number.isFinite(s.value)) continue;
        this.#insertRaw.run(this.seriesId(s.deviceId, s.metric), Math.trunc(s.ts), s.value);
        n++;
      }
    })();
    return n;
  }

  #watermark(key: string): number {
    return Number(this.#getMeta.get(key)?.value ?? 0);
  }

  /** Folds complete minutes and hours into their tiers and applies retention. */
  rollup(now = Date.now()): { minutes: number; hours: number; deleted: number } {
    const r = this.#retention;
    return this.#db.transaction(() => {
      const mFrom = this.#watermark('rollup_1m_until');
      const mTo = Math.floor(now / MINUTE) * MINUTE;
      let minutes = 0;
      if (mTo > mFrom) {
        minutes = this.#db
          .prepare(
            `INSERT OR REPLACE INTO samples_1m (series_id, ts, avg, min, max, n)
             SELECT series_id, (ts / ${MINUTE}) * ${MINUTE} AS b, avg(value), min(value), max(value), count(*)
             FROM samples_raw WHERE ts >= ? AND ts < ? GROUP BY series_id, b`,
          )
          .run(mFrom, mTo).changes;
        this.#setMeta.run('rollup_1m_until', String(mTo));
      }
      const hFrom = this.#watermark('rollup_1h_until');
      const hTo = Math.floor(mTo / HOUR) * HOUR;
      let hours = 0;
      if (hTo > hFrom) {
        hours = this.#db
          .prepare(
            `INSERT OR REPLACE INTO samples_1h (series_id, ts, avg, min, max, n)
             SELECT series_id, (ts / ${HOUR}) * ${HOUR} AS b, sum(avg * n) / sum(n), min(min), max(max), sum(n)
             FROM samples_1m WHERE ts >= ? AND ts < ? GROUP BY series_id, b`,
          )
          .run(hFrom, hTo).changes;
        this.#setMeta.run('rollup_1h_until', String(hTo));
      }
      // Only what has already been folded into the next tier may expire.
      let deleted = 0;
      deleted += this.#db.prepare('DELETE FROM samples_raw WHERE ts < ? AND ts < ?').run(now - r.rawMs, mTo).changes;
      deleted += this.#db.prepare('DELETE FROM samples_1m WHERE ts < ? AND ts < ?').run(now - r.minuteMs, hTo).changes;
      if (hTo > hFrom) {
        // The hour tier has no ts index (it is the largest table): expire it per series by
        // primary-key range, once an hour when it folds.
        const expire = this.#db.prepare('DELETE FROM samples_1h WHERE series_id = ? AND ts < ?');
        for (const { id } of this.#db.prepare<[], { id: number }>('SELECT id FROM series').all()) deleted += expire.run(id, now - r.hourMs).changes;
      }
      return { minutes, hours, deleted };
    })();
  }

  /** Points for one series, from the finest tier that still covers `from`. */
  query(deviceId: string, metric: string, from: number, to: number, now = Date.now()): { tier: 'raw' | '1m' | '1h'; points: Point[] } {
    const id = this.#findSeries.get(deviceId, metric)?.id;
    const tier = from >= now - this.#retention.rawMs ? 'raw' : from >= now - this.#retention.minuteMs ? '1m' : '1h';
    if (id === undefined) return { tier, points: [] };
    const sql =
      tier === 'raw'
        ? 'SELECT ts, value AS avg, value AS min, value AS max FROM samples_raw WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts'
        : `SELECT ts, avg, min, max FROM samples_${tier} WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts`;
    return { tier, points: this.#db.prepare<[number, number, number], Point>(sql).all(id, from, to) };
  }
}
