// The store side of the rack power daily report: each PDU's `pdu.power_w` over one period
// [from, to) folded into a PduDay (sample count, sum, min, max, and which hours of the period
// hold a sample), for rack-power.ts to classify. One statement per tier for all PDUs at once.
//
// A day report is made after the day, when its raw samples may already be folded into the
// minute and hour tiers (metrics-repository.ts) and expired. The tiers are read without
// overlap by the rollup watermarks: raw rows at or after the 1-minute watermark (not yet
// folded, never expired), minute rows between the hour and minute watermarks (never expired),
// hour rows before the hour watermark. So the same day gives the same counts, sums, minima and
// maxima whichever tiers hold it. A rollup bucket counts in the hour slot its start falls in.
import type { CoreStore } from '../store/core-store';

export const PDU_POWER_METRIC = 'pdu.power_w';
export const HOUR_MS = 3_600_000;

/** One PDU's readings over the period. */
export interface PduDay {
  /** Samples (a rollup row counts as the samples it folded). */
  readonly n: number;
  /** Sum of the samples' values, W (mean = sum / n). */
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** Hour slots of the period, [from + k h, from + (k+1) h), holding at least one sample. */
  readonly hours: number;
}

/** The hour slots a period has: ceil((to - from) / 1 h), 23 or 25 on a daylight-saving day. */
export function hourSlots(from: number, to: number): number {
  return Math.ceil((to - from) / HOUR_MS);
}

interface SlotRow {
  id: number;
  slot: number;
  n: number;
  s: number;
  lo: number;
  hi: number;
}

// The bound `from` arrives as a REAL (better-sqlite3 binds numbers as doubles): the slot is cast
// to an integer, or every sample would be its own slot.
const IDS = 'series_id IN (SELECT value FROM json_each(?))';
const TIER_SQL = {
  raw: `SELECT series_id AS id, CAST((ts - ?) / ${HOUR_MS} AS INTEGER) AS slot, count(*) AS n, sum(value) AS s, min(value) AS lo, max(value) AS hi
        FROM samples_raw WHERE ${IDS} AND ts >= ? AND ts < ? GROUP BY series_id, slot`,
  '1m': `SELECT series_id AS id, CAST((ts - ?) / ${HOUR_MS} AS INTEGER) AS slot, sum(n) AS n, sum(avg * n) AS s, min(min) AS lo, max(max) AS hi
        FROM samples_1m WHERE ${IDS} AND ts >= ? AND ts < ? GROUP BY series_id, slot`,
  '1h': `SELECT series_id AS id, CAST((ts - ?) / ${HOUR_MS} AS INTEGER) AS slot, sum(n) AS n, sum(avg * n) AS s, min(min) AS lo, max(max) AS hi
        FROM samples_1h WHERE ${IDS} AND ts >= ? AND ts < ? GROUP BY series_id, slot`,
} as const;

interface Acc {
  n: number;
  sum: number;
  min: number;
  max: number;
  slots: Set<number>;
}

export interface PduReadings {
  /** PDUs that have a stored `pdu.power_w` series at all (metered), whether or not it has samples in the period. */
  readonly metered: ReadonlySet<string>;
  /** PDUs with at least one sample in the period. */
  readonly days: ReadonlyMap<string, PduDay>;
}

/** Each PDU's readings over [from, to), from whichever tiers hold them. */
export function readPduDays(store: Pick<CoreStore, 'db' | 'metrics'>, pduIds: readonly string[], from: number, to: number): PduReadings {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new RangeError(`rack power: the period must be [from, to) with from < to, got [${from}, ${to})`);
  const series = store.metrics.seriesIds(PDU_POWER_METRIC, pduIds);
  const metered = new Set(series.map((s) => s.deviceId));
  const days = new Map<string, PduDay>();
  if (!series.length) return { metered, days };
  const device = new Map(series.map((s) => [s.id, s.deviceId]));
  const meta = store.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const w1m = Number(meta.get('rollup_1m_until')?.value ?? 0);
  const w1h = Math.min(Number(meta.get('rollup_1h_until')?.value ?? 0), w1m);
  const ids = JSON.stringify(series.map((s) => s.id));
  const acc = new Map<number, Acc>();
  const read = (tier: keyof typeof TIER_SQL, lo: number, hi: number): void => {
    if (hi <= lo) return;
    for (const r of store.db.prepare<[number, string, number, number], SlotRow>(TIER_SQL[tier]).all(from, ids, lo, hi)) {
      let a = acc.get(r.id);
      if (!a) acc.set(r.id, (a = { n: 0, sum: 0, min: Infinity, max: -Infinity, slots: new Set() }));
      a.n += r.n;
      a.sum += r.s;
      if (r.lo < a.min) a.min = r.lo;
      if (r.hi > a.max) a.max = r.hi;
      if (r.n > 0) a.slots.add(r.slot);
    }
  };
  read('1h', from, Math.min(to, w1h));
  read('1m', Math.max(from, w1h), Math.min(to, w1m));
  read('raw', Math.max(from, w1m), to);
  for (const [id, a] of acc) if (a.n > 0) days.set(device.get(id)!, { n: a.n, sum: a.sum, min: a.min, max: a.max, hours: a.slots.size });
  return { metered, days };
}
