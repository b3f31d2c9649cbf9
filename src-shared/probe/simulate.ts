// Probe rounds simulated through the network model: every host's pinglist played for a window
// (each target at its interval from a per-pair phase, TCP through sampleTcp, UDP and ICMP
// through sampleEcho) into a minute aggregator, as the agents and the console would. For the
// localiser's accuracy benchmark and tests, and for a lab that has no real agents running.
// Host targets only: resolvers and public targets have no place in the model.
//
//   simulateWindow(idx, plans, model, agg, { fromMs, minutes, seed }): number  (samples added)
import type { ProbePlan } from '../agent-protocol/probe';
import type { MinuteAggregator } from './aggregate';
import { sampleEcho, sampleTcp, type NetModel } from './net-model';
import { createRng, hashString } from '../random';
import type { TopologyIndex } from './topology';

export function simulateWindow(
  idx: TopologyIndex,
  plans: ReadonlyMap<string, ProbePlan>,
  model: NetModel,
  agg: MinuteAggregator,
  o: { readonly fromMs: number; readonly minutes: number; readonly seed: number },
): number {
  if (!(o.minutes > 0) || !Number.isFinite(o.fromMs)) throw new RangeError(`simulateWindow: minutes must be above 0 and fromMs finite, got ${o.minutes}, ${o.fromMs}`);
  const rnd = createRng(o.seed);
  const end = o.fromMs + o.minutes * 60_000;
  let n = 0;
  for (const [src, plan] of plans) {
    if (!idx.hostIndex.has(src)) throw new RangeError(`simulateWindow: a plan is for ${src}, which is not a host of the probe topology`);
    for (const t of plan.targets) {
      if (t.level === 'dns' || t.level === 'public' || t.kind === 'dns') continue;
      const path = model.path(src, t.id);
      const sample = t.kind === 'tcp' ? sampleTcp : sampleEcho;
      for (let at = o.fromMs + (hashString(`${src}>${t.id}>${t.kind}`) % t.intervalMs); at < end; at += t.intervalMs) {
        const s = sample(path, rnd);
        agg.add(src, t, at, s.rttUs, s.err);
        n++;
      }
    }
  }
  return n;
}
