// Hive autoscaling decisions (issue 17): how many instances a module should run, per module,
// evaluated as often as every 10 s (the clock is injected, so tests and the engine's schedule
// drive it). Pure decisions; each scale step the caller takes is a workflow run.
//
// Rules (a module has any of them; the highest desired count wins, as Kubernetes' HPA does):
//   busy     the seed's rule (seed 002): over the last minute, the module's processes were busy
//            sum(busy s) > processes x 60 s x 0.6 -> ceil(busy / (60 s x 0.6)) processes;
//            it only scales up, and fires on the strict inequality, no tolerance
//   cpu, memory, qps, delay   HPA's: desired = ceil(current x value / target) (cpu and memory
//            as the used share, qps per instance, delay in ms)
//   cpuIdle, memFree          the inverse (seed 003's CPU idle and free memory): the used share
//            1 - value against 1 - target
// HPA's guards: a ratio within the tolerance (0.1) of 1 changes nothing; scale-down takes the
// highest recommendation of the stabilisation window (300 s), so it happens only once the
// load has stayed low that long; scale-up is bounded per step to max(current + 4, 2 x current)
// (HPA's default policy); min and max replicas bound it all. Every decision says why.
import { FleetDeckError } from '../../../src-shared/errors';

export type ScaleMetric = 'busy' | 'cpu' | 'memory' | 'qps' | 'delay' | 'cpuIdle' | 'memFree';

export interface ScaleRule {
  readonly metric: ScaleMetric;
  /** busy: the busy share (the seed's 0.6); cpu/memory/cpuIdle/memFree: shares 0..1; qps per instance; delay in ms. */
  readonly target: number;
}

export interface ScalePolicy {
  readonly min: number;
  readonly max: number;
  readonly rules: readonly ScaleRule[];
  readonly tolerance?: number;
  readonly downWindowS?: number;
  readonly upPods?: number;
  readonly upPercent?: number;
}

/** What the module measured over the last interval (busy: seconds of busy time of all its processes over the last minute). */
export type Readings = Partial<Record<ScaleMetric, number>>;

export interface Decision {
  readonly current: number;
  readonly desired: number;
  readonly why: string;
}

export const SEED_BUSY_SHARE = 0.6;

/** One module's autoscaler: keeps the recommendations of the stabilisation window. */
export class Autoscaler {
  private readonly history: { at: number; desired: number }[] = [];

  constructor(
    readonly policy: ScalePolicy,
    private readonly now: () => number,
  ) {
    if (!(Number.isInteger(policy.min) && Number.isInteger(policy.max) && policy.min >= 0 && policy.max >= policy.min)) {
      throw new FleetDeckError('VALIDATION', `Replicas need 0 <= min <= max, whole numbers (got min ${policy.min}, max ${policy.max})`, { min: policy.min, max: policy.max });
    }
    for (const r of policy.rules) {
      const share = r.metric !== 'qps' && r.metric !== 'delay';
      if (!(r.target > 0) || (share && !(r.metric === 'busy' ? r.target <= 1 : r.target < 1))) {
        throw new FleetDeckError('VALIDATION', `Rule ${r.metric}: target ${r.target} is out of range`, { metric: r.metric, target: r.target });
      }
    }
  }

  /** The decision for `current` instances given this interval's readings. */
  decide(current: number, readings: Readings): Decision {
    const p = this.policy;
    const tolerance = p.tolerance ?? 0.1;
    const reasons: string[] = [];
    let raw = -1;
    for (const r of p.rules) {
      const v = readings[r.metric];
      if (v === undefined || !Number.isFinite(v)) {
        reasons.push(`${r.metric}: no reading`);
        continue;
      }
      let want: number;
      if (r.metric === 'busy') {
        const limit = current * 60 * r.target;
        if (!(v > limit)) {
          reasons.push(`busy ${v.toFixed(1)} s <= ${current} x 60 s x ${r.target} = ${limit.toFixed(1)} s`);
          continue;
        }
        want = Math.ceil(v / (60 * r.target));
        reasons.push(`busy ${v.toFixed(1)} s > ${limit.toFixed(1)} s: ${want} (the seed's rule)`);
      } else {
        const ratio = r.metric === 'cpuIdle' || r.metric === 'memFree' ? (1 - v) / (1 - r.target) : v / r.target;
        if (current === 0) {
          want = v > 0 ? 1 : 0;
          reasons.push(`${r.metric} ${v} with no instance: ${want}`);
        } else if (Math.abs(ratio - 1) <= tolerance) {
          want = current;
          reasons.push(`${r.metric} ratio ${ratio.toFixed(3)} within the tolerance ${tolerance}: ${current}`);
        } else {
          want = Math.ceil(current * ratio);
          reasons.push(`${r.metric} ${v} against ${r.target}: ceil(${current} x ${ratio.toFixed(3)}) = ${want}`);
        }
      }
      raw = Math.max(raw, want);
    }
    if (raw < 0) raw = current;
    const now = this.now();
    const windowMs = (p.downWindowS ?? 300) * 1000;
    this.history.push({ at: now, desired: raw });
    while (this.history.length && this.history[0].at < now - windowMs) this.history.shift();
    let desired = raw;
    if (raw < current) {
      const highest = Math.max(...this.history.map((h) => h.desired));
      desired = Math.min(current, highest);
      if (desired > raw) reasons.push(`scale-down held at ${desired}: the highest recommendation of the last ${p.downWindowS ?? 300} s`);
    } else if (raw > current) {
      const bound = Math.max(current + (p.upPods ?? 4), Math.ceil(current * (1 + (p.upPercent ?? 100) / 100)));
      if (raw > bound) {
        desired = bound;
        reasons.push(`scale-up bounded to ${bound} this step`);
      }
    }
    const bounded = Math.min(p.max, Math.max(p.min, desired));
    if (bounded !== desired) reasons.push(`bounded by ${bounded === p.max ? `max ${p.max}` : `min ${p.min}`}`);
    return { current, desired: bounded, why: reasons.join('; ') };
  }
}
