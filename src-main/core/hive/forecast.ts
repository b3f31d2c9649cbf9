// Hive capacity forecasts (issue 17, seed 002: monthly expansion requested from a 60-day linear
// projection): an ordinary least-squares line through a module's daily load, with the
// prediction interval a new day's load falls in (Prometheus's predict_linear gives the point
// only). Closed form, for n points (t_i, y_i):
//   slope b = Sxy / Sxx, intercept a = mean(y) - b mean(t), Sxx = sum (t_i - mean t)^2,
//   residual standard error s = sqrt(SSE / (n - 2)),
//   at t0: y0 = a + b t0 +- q * s * sqrt(1 + 1/n + (t0 - mean t)^2 / Sxx),
//   q Student's t quantile (1 + level) / 2 with n - 2 degrees of freedom (@stdlib's).
// Sums are taken about the means (two passes), so day numbers in the tens of thousands do not
// cost digits.
import quantileT from '@stdlib/stats-base-dists-t-quantile';
import { FleetDeckError } from '../../../src-shared/errors';

export interface LinearFit {
  readonly n: number;
  readonly slope: number;
  readonly intercept: number;
  readonly tMean: number;
  readonly sxx: number;
  /** Residual standard error. */
  readonly s: number;
}

export interface Prediction {
  readonly t: number;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly level: number;
}

/** The least-squares line; VALIDATION for fewer than 3 points, mismatched lengths, a non-finite value, or one t only. */
export function fitLinear(t: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  const n = t.length;
  if (n !== y.length) throw new FleetDeckError('VALIDATION', `A forecast needs as many times as values (${n} times, ${y.length} values)`, { times: n, values: y.length });
  if (n < 3) throw new FleetDeckError('VALIDATION', `A forecast with an interval needs at least 3 points (got ${n})`, { points: n });
  let st = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t[i]) || !Number.isFinite(y[i])) throw new FleetDeckError('VALIDATION', `Point ${i} is not a finite number (${t[i]}, ${y[i]})`, { point: i });
    st += t[i];
    sy += y[i];
  }
  const tMean = st / n;
  const yMean = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dt = t[i] - tMean;
    sxx += dt * dt;
    sxy += dt * (y[i] - yMean);
  }
  if (sxx === 0) throw new FleetDeckError('VALIDATION', 'A forecast needs points at more than one time', { points: n });
  const slope = sxy / sxx;
  const intercept = yMean - slope * tMean;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] - (intercept + slope * t[i]);
    sse += r * r;
  }
  return { n, slope, intercept, tMean, sxx, s: Math.sqrt(sse / (n - 2)) };
}

/** The prediction interval of one new observation at t (level 0.95 by default). */
export function predict(fit: LinearFit, t: number, level = 0.95): Prediction {
  if (!(level > 0 && level < 1)) throw new FleetDeckError('VALIDATION', `An interval's level is between 0 and 1 (got ${level})`, { level });
  const mean = fit.intercept + fit.slope * t;
  const half = quantileT((1 + level) / 2, fit.n - 2) * fit.s * Math.sqrt(1 + 1 / fit.n + (t - fit.tMean) ** 2 / fit.sxx);
  return { t, mean, lo: mean - half, hi: mean + half, level };
}

export interface Expansion {
  /** The load expected at the horizon, with its interval. */
  readonly at: Prediction;
  /** Devices the interval's top needs at the target utilisation, and how many more than now. */
  readonly devicesNeeded: number;
  readonly devicesToAdd: number;
}

/**
 * The monthly expansion a projection implies: the load's upper bound `horizonDays` after the
 * last point, over what one device carries at `targetUtil` (e.g. 0.6, the seed's busy share).
 */
export function expansion(fit: LinearFit, o: { lastT: number; horizonDays?: number; perDevice: number; targetUtil?: number; devices: number; level?: number }): Expansion {
  if (!(o.perDevice > 0)) throw new FleetDeckError('VALIDATION', `A device's capacity must be > 0 (got ${o.perDevice})`, { perDevice: o.perDevice });
  const at = predict(fit, o.lastT + (o.horizonDays ?? 30), o.level ?? 0.95);
  const devicesNeeded = Math.max(1, Math.ceil(Math.max(0, at.hi) / (o.perDevice * (o.targetUtil ?? 0.6))));
  return { at, devicesNeeded, devicesToAdd: Math.max(0, devicesNeeded - o.devices) };
}
