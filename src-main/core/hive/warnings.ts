// Hive's real-time capacity warning table (issue 17, seed 002): per module, its devices, the
// current load, the historical mean for this time of day, the interval the load should be in,
// whether it has left it, and the peak expected today. From the module's load history in
// slots of a fixed width (5 min by default) over the last days:
//   for the current slot s, the same slot on each earlier day gives k values: mean m_s, sd d_s,
//   and the 95 % prediction interval of a new day's value m_s +- t(0.975, k-1) d_s sqrt(1 + 1/k)
//   (a normal model of day-to-day variation; Student's t from @stdlib);
//   "left it": the current value is outside that interval;
//   today's level r = sum of today's values so far / sum of the same slots' means, and the
//   expected peak today = max over the day's slots of r x m_s (the usual daily curve, scaled to
//   how today runs).
// Needs at least 3 earlier days for the slot (else the row says so).
import quantileT from '@stdlib/stats-base-dists-t-quantile';

export interface LoadPoint {
  /** ms since the epoch. */
  readonly at: number;
  readonly load: number;
}

export interface WarningRow {
  readonly module: string;
  readonly devices: number;
  readonly current: number | null;
  readonly mean: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly left: boolean;
  readonly expectedPeak: number | null;
  /** Earlier days with a value in the current slot. */
  readonly days: number;
  readonly note: string;
}

const DAY = 86_400_000;

/** The warning row at `now` (local day boundaries given by `dayStart`, e.g. midnight UTC+8, as an offset in ms). */
export function warningRow(o: { module: string; devices: number; history: readonly LoadPoint[]; now: number; slotMs?: number; dayOffsetMs?: number }): WarningRow {
  const slotMs = o.slotMs ?? 300_000;
  const off = o.dayOffsetMs ?? 0;
  const slotsPerDay = Math.round(DAY / slotMs);
  const dayOf = (t: number): number => Math.floor((t + off) / DAY);
  const slotOf = (t: number): number => Math.floor((((t + off) % DAY) + DAY) % DAY / slotMs);
  const today = dayOf(o.now);
  const nowSlot = slotOf(o.now);
  // Per earlier day and slot, the mean of its points; today's slots likewise.
  const perSlot: number[][] = Array.from({ length: slotsPerDay }, () => []);
  const todaySum = new Map<number, { s: number; n: number }>();
  const cells = new Map<number, { s: number; n: number }>(); // day x slotsPerDay + slot
  for (const p of o.history) {
    if (p.at > o.now || !Number.isFinite(p.load)) continue;
    const d = dayOf(p.at);
    const s = slotOf(p.at);
    if (d === today) {
      const c = todaySum.get(s) ?? { s: 0, n: 0 };
      c.s += p.load;
      c.n++;
      todaySum.set(s, c);
      continue;
    }
    const key = d * slotsPerDay + s;
    const c = cells.get(key) ?? { s: 0, n: 0 };
    c.s += p.load;
    c.n++;
    cells.set(key, c);
  }
  for (const [key, c] of cells) perSlot[key % slotsPerDay].push(c.s / c.n);
  const means = perSlot.map((v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null));
  const cur = todaySum.get(nowSlot);
  const current = cur ? cur.s / cur.n : null;
  const vals = perSlot[nowSlot];
  const k = vals.length;
  const base = { module: o.module, devices: o.devices, current, days: k };
  if (k < 3) return { ...base, mean: means[nowSlot], lo: null, hi: null, left: false, expectedPeak: null, note: `${k} earlier day${k === 1 ? '' : 's'} for this time of day: at least 3 are needed` };
  const mean = means[nowSlot]!;
  const sd = Math.sqrt(vals.reduce((a, v) => a + (v - mean) ** 2, 0) / (k - 1));
  const half = quantileT(0.975, k - 1) * sd * Math.sqrt(1 + 1 / k);
  const lo = mean - half;
  const hi = mean + half;
  let num = 0;
  let den = 0;
  for (const [s, c] of todaySum) {
    if (means[s] === null) continue;
    num += c.s / c.n;
    den += means[s]!;
  }
  const r = den > 0 ? num / den : 1;
  const peak = Math.max(...means.filter((m): m is number => m !== null)) * r;
  const left = current !== null && (current < lo || current > hi);
  return { ...base, mean, lo, hi, left, expectedPeak: peak, note: left ? `the load ${current!.toFixed(1)} is outside ${lo.toFixed(1)}-${hi.toFixed(1)}` : 'within its usual range' };
}
