// The public network map's figures: PublicQuality's targets folded per province and vantage (the
// worst carrier's P99 and loss: a province is as good as its worst carrier there, with the
// number of targets behind it), and their colours by the map's own thresholds (a public path
// across China is tens of ms, so the data centre matrix's thresholds would paint it all red).
import type { PublicQuality } from '../../../src-shared/api/probes';
import type { PublicMetric } from '../../stores/probes/slice';

export interface ProvinceFigures {
  readonly p99Us: number;
  readonly loss: number;
  readonly targets: number;
}

/** P99 warn / bad (µs) and loss warn / bad (share) for the public network. */
export const PUBLIC_THRESHOLDS = { p99WarnUs: 50_000, p99BadUs: 100_000, lossWarn: 0.01, lossBad: 0.05 } as const;

export const PUBLIC_COLOUR = {
  good: [46, 160, 67, 230],
  warn: [240, 170, 0, 230],
  bad: [218, 54, 51, 230],
  none: [208, 212, 218, 200],
} as const;

/** Per vantage (index into q.vantages): province code -> figures. */
export function byProvince(q: PublicQuality): Map<string, ProvinceFigures>[] {
  const out = q.vantages.map(() => new Map<string, ProvinceFigures>());
  for (const target of q.targets) {
    target.byVantage.forEach((v, i) => {
      const map = out[i];
      if (!v || !map) return;
      const prev = map.get(target.province);
      map.set(target.province, prev ? { p99Us: Math.max(prev.p99Us, v.p99Us), loss: Math.max(prev.loss, v.loss), targets: prev.targets + 1 } : { p99Us: v.p99Us, loss: v.loss, targets: 1 });
    });
  }
  return out;
}

export function provinceColour(f: ProvinceFigures | undefined, metric: PublicMetric): readonly [number, number, number, number] {
  if (!f) return PUBLIC_COLOUR.none;
  const t = PUBLIC_THRESHOLDS;
  if (metric === 'latency') return f.p99Us >= t.p99BadUs ? PUBLIC_COLOUR.bad : f.p99Us >= t.p99WarnUs ? PUBLIC_COLOUR.warn : PUBLIC_COLOUR.good;
  return f.loss >= t.lossBad ? PUBLIC_COLOUR.bad : f.loss >= t.lossWarn ? PUBLIC_COLOUR.warn : PUBLIC_COLOUR.good;
}
