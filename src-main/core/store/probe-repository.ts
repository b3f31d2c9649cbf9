// The probe matrix's store (migration 14): per-minute aggregates of each level (server, tor,
// room, site) kept as one row per level, minute and source, its destinations' figures as
// deflated JSON columns. A minute of a 1,000-agent, 2,000-peer mesh is then 1,000 rows rather
// than 2 million, and the matrix of a minute is read in one range scan. Retention as the
// foundation's metrics: minutes for 2 days, then rolled up into hours (counts summed, p50
// weighted by successful probes, p90 and p99 the worst minute's: percentiles do not add, so
// an hour's p99 is an upper bound, said where it is shown) kept for 400 days. Also the
// thresholds the matrix is coloured by.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { MatrixLevel, ProbeThresholds } from '../../../src-shared/domain/probe';
import type { MinuteAggregate } from '../../../src-shared/probe/aggregate';
import type { Db } from './database';

/** One pair's minute at one level: what the aggregator flushes (src-shared/probe/aggregate.ts) and the matrix reads. */
export type PairAggregate = MinuteAggregate;

/** A source's destinations in one minute (or hour), as columns. */
export interface SourceRow {
  readonly at: number;
  readonly src: string;
  readonly dst: readonly string[];
  readonly p50Us: readonly number[];
  readonly p90Us: readonly number[];
  readonly p99Us: readonly number[];
  readonly ok: readonly number[];
  readonly drops: readonly number[];
  readonly failed: readonly number[];
}

type Columns = Omit<SourceRow, 'at' | 'src'>;

export const PROBE_RETENTION = { minuteMs: 2 * 86_400_000, hourMs: 400 * 86_400_000 } as const;
const HOUR = 3_600_000;

const encode = (c: Columns): Buffer => deflateRawSync(JSON.stringify(c), { level: 1 });
const decode = (b: Buffer): Columns => JSON.parse(inflateRawSync(b).toString('utf8')) as Columns;

/**
 * A pair's figures folded over minutes (or over the sources of a vantage): counts summed, P50
 * weighted by successful probes, P90 and P99 the worst (percentiles do not add). One rule for
 * merging a minute stored twice, rolling minutes into hours and a query's window.
 */
export interface Folded {
  ok: number;
  p50Sum: number;
  p90Us: number;
  p99Us: number;
  drops: number;
  failed: number;
}

export const emptyFold = (): Folded => ({ ok: 0, p50Sum: 0, p90Us: 0, p99Us: 0, drops: 0, failed: 0 });

/** Folds destination i of a source's columns into f. */
export function foldColumn(f: Folded, c: Omit<Columns, 'dst'>, i: number): Folded {
  f.ok += c.ok[i];
  f.p50Sum += c.p50Us[i] * c.ok[i];
  f.p90Us = Math.max(f.p90Us, c.p90Us[i]);
  f.p99Us = Math.max(f.p99Us, c.p99Us[i]);
  f.drops += c.drops[i];
  f.failed += c.failed[i];
  return f;
}

/** Folds g into f. */
export function foldInto(f: Folded, g: Folded): Folded {
  f.ok += g.ok;
  f.p50Sum += g.p50Sum;
  f.p90Us = Math.max(f.p90Us, g.p90Us);
  f.p99Us = Math.max(f.p99Us, g.p99Us);
  f.drops += g.drops;
  f.failed += g.failed;
  return f;
}

export const foldedP50 = (f: Folded): number => (f.ok ? Math.round(f.p50Sum / f.ok) : 0);

/** Folds every destination of a source's columns into byDst. */
function foldAll(byDst: Map<string, Folded>, c: Columns): void {
  c.dst.forEach((dst, i) => {
    let f = byDst.get(dst);
    if (!f) byDst.set(dst, (f = emptyFold()));
    foldColumn(f, c, i);
  });
}

/** Folded figures by destination as a source's columns. */
function toColumns(byDst: ReadonlyMap<string, Folded>): Columns {
  const c = { dst: [] as string[], p50Us: [] as number[], p90Us: [] as number[], p99Us: [] as number[], ok: [] as number[], drops: [] as number[], failed: [] as number[] };
  for (const [dst, f] of byDst) {
    c.dst.push(dst);
    c.p50Us.push(foldedP50(f));
    c.p90Us.push(f.p90Us);
    c.p99Us.push(f.p99Us);
    c.ok.push(f.ok);
    c.drops.push(f.drops);
    c.failed.push(f.failed);
  }
  return c;
}

/** Two sets of a source's columns for one minute as one. */
function mergeColumns(a: Columns, b: Columns): Columns {
  const byDst = new Map<string, Folded>();
  foldAll(byDst, a);
  foldAll(byDst, b);
  return toColumns(byDst);
}

interface Row {
  at: number;
  src: string;
  data: Buffer;
}

export class ProbeRepository {
  readonly #db: Db;
  readonly #q;

  constructor(db: Db) {
    this.#db = db;
    this.#q = {
      put: db.prepare<[string, number, string, number, Buffer]>('INSERT OR REPLACE INTO probe_minutes (level, minute, src, n, data) VALUES (?, ?, ?, ?, ?)'),
      one: db.prepare<[string, number, string], { data: Buffer }>('SELECT data FROM probe_minutes WHERE level = ? AND minute = ? AND src = ?'),
      minutes: db.prepare<[string, number, number], Row>('SELECT minute AS at, src, data FROM probe_minutes WHERE level = ? AND minute >= ? AND minute < ? ORDER BY minute'),
      minutesOf: db.prepare<[string, string, number, number], Row>('SELECT minute AS at, src, data FROM probe_minutes WHERE level = ? AND src = ? AND minute >= ? AND minute < ? ORDER BY minute'),
      hours: db.prepare<[string, number, number], Row>('SELECT hour AS at, src, data FROM probe_hours WHERE level = ? AND hour >= ? AND hour < ? ORDER BY hour'),
      range: db.prepare<[string], { lo: number | null; hi: number | null }>('SELECT min(minute) AS lo, max(minute) AS hi FROM probe_minutes WHERE level = ?'),
      newest: db.prepare<[], { hi: number | null }>('SELECT max(minute) AS hi FROM probe_minutes'),
      expiring: db.prepare<[number], Row & { level: string }>('SELECT level, minute AS at, src, data FROM probe_minutes WHERE minute < ? ORDER BY level, src, minute'),
      dropMinutes: db.prepare<[number]>('DELETE FROM probe_minutes WHERE minute < ?'),
      putHour: db.prepare<[string, number, string, number, Buffer]>('INSERT OR REPLACE INTO probe_hours (level, hour, src, n, data) VALUES (?, ?, ?, ?, ?)'),
      dropHours: db.prepare<[number]>('DELETE FROM probe_hours WHERE hour < ?'),
      setting: db.prepare<[string], { value: string }>('SELECT value FROM probe_settings WHERE key = ?'),
      setSetting: db.prepare<[string, string]>('INSERT OR REPLACE INTO probe_settings (key, value) VALUES (?, ?)'),
    };
  }

  /**
   * Stores flushed pair minutes (any levels and minutes), one row per level, minute and source, in
   * one transaction. A minute already stored for a source (the console flushed a partial minute
   * when it stopped or rebuilt its topology) is merged: counts summed, p50 weighted, p90/p99 the worse.
   */
  putMinutes(pairs: readonly PairAggregate[]): number {
    const groups = new Map<string, { level: string; minute: number; src: string; c: { [K in keyof Columns]: unknown[] } }>();
    for (const p of pairs) {
      const key = `${p.level}\n${p.minute}\n${p.src}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { level: p.level, minute: p.minute, src: p.src, c: { dst: [], p50Us: [], p90Us: [], p99Us: [], ok: [], drops: [], failed: [] } }));
      g.c.dst.push(p.dst);
      g.c.p50Us.push(p.p50Us);
      g.c.p90Us.push(p.p90Us);
      g.c.p99Us.push(p.p99Us);
      g.c.ok.push(p.ok);
      g.c.drops.push(p.drops);
      g.c.failed.push(p.failed);
    }
    this.#db.transaction(() => {
      for (const g of groups.values()) {
        const had = this.#q.one.get(g.level, g.minute, g.src);
        const c = had ? mergeColumns(decode(had.data), g.c as unknown as Columns) : (g.c as unknown as Columns);
        this.#q.put.run(g.level, g.minute, g.src, c.dst.length, encode(c));
      }
    })();
    return groups.size;
  }

  /** Each source's row of every minute in [from, to) at a level (hours where minutes have expired), oldest first. */
  *window(level: MatrixLevel, from: number, to: number, src?: string): Generator<SourceRow> {
    const minutes = src === undefined ? this.#q.minutes.iterate(level, from, to) : this.#q.minutesOf.iterate(level, src, from, to);
    const lo = this.range(level)?.from ?? to;
    if (from < lo) {
      for (const r of this.#q.hours.iterate(level, Math.floor(from / HOUR) * HOUR, Math.min(to, lo))) if (src === undefined || r.src === src) yield { at: r.at, src: r.src, ...decode(r.data) };
    }
    for (const r of minutes) yield { at: r.at, src: r.src, ...decode(r.data) };
  }

  /** The oldest and newest minute stored at a level. */
  range(level: MatrixLevel): { from: number; to: number } | null {
    const r = this.#q.range.get(level);
    return r?.lo == null || r.hi == null ? null : { from: r.lo, to: r.hi };
  }

  newestMinute(): number | null {
    return this.#q.newest.get()?.hi ?? null;
  }

  /** Rolls minutes older than the minute retention into hours and deletes them; expires hours. */
  prune(now: number, retention = PROBE_RETENTION): { minutes: number; hours: number } {
    const cut = Math.floor((now - retention.minuteMs) / HOUR) * HOUR;
    let minutes = 0;
    let hours = 0;
    this.#db.transaction(() => {
      let cur: { level: string; hour: number; src: string; acc: Map<string, Folded> } | null = null;
      // Hour rows are written after the read: better-sqlite3 refuses a write while a statement iterates.
      const folded: [string, number, string, number, Buffer][] = [];
      const emit = (): void => {
        if (!cur) return;
        folded.push([cur.level, cur.hour, cur.src, cur.acc.size, encode(toColumns(cur.acc))]);
        hours++;
      };
      for (const r of this.#q.expiring.iterate(cut)) {
        const hour = Math.floor(r.at / HOUR) * HOUR;
        if (!cur || cur.level !== r.level || cur.src !== r.src || cur.hour !== hour) {
          emit();
          cur = { level: r.level, hour, src: r.src, acc: new Map() };
        }
        foldAll(cur.acc, decode(r.data));
        minutes++;
      }
      emit();
      for (const row of folded) this.#q.putHour.run(...row);
      this.#q.dropMinutes.run(cut);
      this.#q.dropHours.run(now - retention.hourMs);
    })();
    return { minutes, hours };
  }

  thresholds(): ProbeThresholds | null {
    const v = this.#q.setting.get('thresholds')?.value;
    return v ? (JSON.parse(v) as ProbeThresholds) : null;
  }

  setThresholds(t: ProbeThresholds): void {
    this.#q.setSetting.run('thresholds', JSON.stringify(t));
  }
}
