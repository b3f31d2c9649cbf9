// Time series in SQLite: raw samples, minute and hour rollups, each tier expired by its retention;
// each series' newest raw sample also kept in memory (last-values.ts) for the live readings.
import type { Db } from './database';
import { LastValues, type LastReading } from './last-values';

export type { LastReading } from './last-values';

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

const SERIES_IDS_SQL = 'SELECT s.device_id AS deviceId, s.id AS id FROM json_each(?) j JOIN series s ON s.device_id = j.value AND s.metric = ?';
/** Each series' newest raw row, found through the (series_id, ts) key. */
const NEWEST_SQL = `
  SELECT j.value AS id, r.ts AS ts, r.value AS value
  FROM json_each(?) j
  JOIN samples_raw r ON r.series_id = j.value AND r.ts = (SELECT max(ts) FROM samples_raw WHERE series_id = j.value)`;

export interface Point {
  ts: number;
  avg: number;
  min: number;
  max: number;
}

/**
 * Time series in three tiers: raw -> 1 min -> 1 h. rollup() folds complete buckets into
 * the next tier (weighted by sample count) and drops what is past retention, so a year
 * of a 2,000-device fleet stays a few GB. latest() answers each series' newest raw sample from
 * memory: every write through append() updates it once committed, rollup() expires it.
 * Nothing else in the console writes or deletes samples (a deleted device keeps its series).
 */
export class MetricsRepository {
  readonly #db: Db;
  readonly #retention: Retention;
  /** metric -> device id -> series id, for the series this repository has written or looked up. */
  readonly #series = new Map<string, Map<string, number>>();
  readonly #last = new LastValues();
  readonly #findSeries;
  readonly #seriesIds;
  readonly #newest;
  readonly #insertSeries;
  readonly #insertRaw;
  readonly #getMeta;
  readonly #setMeta;

  constructor(db: Db, retention: Partial<Retention> = {}) {
    this.#db = db;
    this.#retention = { ...DEFAULT_RETENTION, ...retention };
    this.#findSeries = db.prepare<[string, string], { id: number }>('SELECT id FROM series WHERE device_id = ? AND metric = ?');
    this.#insertSeries = db.prepare('INSERT INTO series (device_id, metric) VALUES (?, ?)');
    this.#seriesIds = db.prepare<[string, string], { deviceId: string; id: number }>(SERIES_IDS_SQL);
    this.#newest = db.prepare<[string], { id: number; ts: number; value: number }>(NEWEST_SQL);
    this.#insertRaw = db.prepare('INSERT OR REPLACE INTO samples_raw (series_id, ts, value) VALUES (?, ?, ?)');
    this.#getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.#setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  seriesId(deviceId: string, metric: string): number {
    return this.#seriesOf(deviceId, metric);
  }

  #ofMetric(metric: string): Map<string, number> {
    let m = this.#series.get(metric);
    if (!m) this.#series.set(metric, (m = new Map()));
    return m;
  }

  /** The series' id, made when there is none (and then added to `made`). */
  #seriesOf(deviceId: string, metric: string, made?: { deviceId: string; metric: string; id: number }[]): number {
    const known = this.#ofMetric(metric);
    let id = known.get(deviceId);
    if (id === undefined) {
      id = this.#findSeries.get(deviceId, metric)?.id;
      if (id === undefined) {
        id = Number(this.#insertSeries.run(deviceId, metric).lastInsertRowid);
        made?.push({ deviceId, metric, id });
      }
      known.set(deviceId, id);
    }
    return id;
  }

  /** Appends a batch in one transaction; non-finite values are dropped. */
  append(samples: readonly Sample[]): number {
    const made: { deviceId: string; metric: string; id: number }[] = [];
    const ids: number[] = [];
    const kept: Sample[] = [];
    try {
      this.#db.transaction(() => {
        for (const s of samples) {
          if (!Number.isFinite(s.value)) continue;
          const id = this.#seriesOf(s.deviceId, s.metric, made);
          this.#insertRaw.run(id, Math.trunc(s.ts), s.value);
          ids.push(id);
          kept.push(s);
        }
      })();
    } catch (err) {
      // Rolled back: the series it made are not in the store.
      for (const m of made) this.#series.get(m.metric)?.delete(m.deviceId);
      throw err;
    }
    // Committed: the in-memory newest values follow, in write order (a later write of the same ts replaced the row).
    for (const m of made) this.#last.empty(m.id);
    for (let i = 0; i < ids.length; i++) this.#last.written(ids[i], Math.trunc(kept[i].ts), kept[i].value);
    return ids.length;
  }

  /** The series ids of `metric` for these devices; a device without that series is absent. Those not known here: one statement. */
  seriesIds(metric: string, deviceIds: readonly string[]): { deviceId: string; id: number }[] {
    const known = this.#ofMetric(metric);
    const out: { deviceId: string; id: number }[] = [];
    const ask: string[] = [];
    for (const deviceId of deviceIds) {
      const id = known.get(deviceId);
      if (id === undefined) ask.push(deviceId);
      else out.push({ deviceId, id });
    }
    if (ask.length) {
      for (const r of this.#seriesIds.all(JSON.stringify(ask), metric)) {
        known.set(r.deviceId, r.id);
        out.push(r);
      }
    }
    return out;
  }

  /**
   * Each series' newest raw sample (aligned with `ids`), undefined when it has none within the
   * raw retention (before now - rawMs). From memory; a series not seen since this repository
   * was made is read from the store, all of them in one statement, and kept from then on.
   */
  latest(ids: readonly number[], now = Date.now()): (LastReading | undefined)[] {
    return this.#last.read(ids, now - this.#retention.rawMs, (missing) => this.#newest.all(JSON.stringify(missing)));
  }

  #watermark(key: string): number {
    return Number(this.#getMeta.get(key)?.value ?? 0);
  }

  #rollup(now: number): { minutes: number; hours: number; deleted: number } {
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

  /** Folds complete minutes and hours into their tiers and applies retention. */
  rollup(now = Date.now()): { minutes: number; hours: number; deleted: number } {
    const done = this.#rollup(now);
    // The raw rows it deleted: every one older than both bounds.
    this.#last.expired(Math.min(now - this.#retention.rawMs, Math.floor(now / MINUTE) * MINUTE));
    return done;
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
