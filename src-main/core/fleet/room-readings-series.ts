// The last stored value of one metric for many devices at once, for the room's readings. The
// values come from the metrics repository's in-memory newest sample per series (kept on every
// write; a series from before this process started is read from the store once, in one
// statement for all of them). The series ids are looked up once and kept (a series, once made,
// keeps its id; a device with none is looked up again after MISS_RECHECK_MS), so a 10 k-device
// room costs map look-ups, not SQL. Only the raw tier counts: a series with nothing in its last
// 6 h (raw retention) has no live reading.
import type { LastReading, MetricsRepository } from '../store/metrics-repository';

export type { LastReading } from '../store/metrics-repository';

export interface LatestReader {
  /** Each device's newest sample of `metric`; devices without one are absent. */
  latest(metric: string, deviceIds: readonly string[]): Map<string, LastReading>;
  /** Forgets the kept series ids (after an inventory change: a device deleted, a store replaced). */
  reset(): void;
}

const MISS_RECHECK_MS = 30_000;

export function createLatestReader(metrics: Pick<MetricsRepository, 'seriesIds' | 'latest'>, now: () => number = Date.now): LatestReader {
  /** metric -> deviceId -> series id, or the time a lookup found none. */
  const ids = new Map<string, Map<string, number | { missAt: number }>>();
  return {
    reset: () => ids.clear(),
    latest(metric, deviceIds) {
      const out = new Map<string, LastReading>();
      if (!deviceIds.length) return out;
      let known = ids.get(metric);
      if (!known) ids.set(metric, (known = new Map()));
      const t = now();
      // One pass: the devices whose series id is kept, and those to look up (never seen, or none found a while ago).
      const devs: string[] = [];
      const series: number[] = [];
      let unknown: string[] | undefined;
      for (const dev of deviceIds) {
        const k = known.get(dev);
        if (typeof k === 'number') {
          devs.push(dev);
          series.push(k);
        } else if (k === undefined || t - k.missAt >= MISS_RECHECK_MS) (unknown ??= []).push(dev);
      }
      if (unknown) {
        for (const id of unknown) known.set(id, { missAt: t });
        for (const r of metrics.seriesIds(metric, unknown)) {
          known.set(r.deviceId, r.id);
          devs.push(r.deviceId);
          series.push(r.id);
        }
      }
      if (!series.length) return out;
      const last = metrics.latest(series, t);
      for (let i = 0; i < devs.length; i++) if (last[i]) out.set(devs[i], last[i]!);
      return out;
    },
  };
}
