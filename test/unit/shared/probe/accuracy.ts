// The localiser's accuracy scenario, shared by the unit test (small, fixed seeds) and the
// benchmark (test/bench/probe-localise.ts): a lab fleet (generateLab), every server with an
// agent, Pingmesh pinglists, and windows of simulated probes through the network model into
// the minute aggregator, localised from the window's server pairs. Faults are drawn from a
// seed (ToR, ToR uplink, host link or spine; 5-50% loss or +20 ms), the localiser is not told.
import { generateLab } from '../../../../src-main/lab/generator';
import type { LabSize } from '../../../../src-shared/lab-protocol';
import { DEFAULT_PROBE_THRESHOLDS, type ComponentKind, type ProbeLocalisation } from '../../../../src-shared/domain/probe';
import { buildPinglists, createMinuteAggregator, createNetModel, deriveTopology, indexTopology, localise, simulateWindow, windowPairs, type NetModel, type TopologyIndex } from '../../../../src-shared/probe';
import type { ProbePlan } from '../../../../src-shared/agent-protocol/probe';
import { createRng } from '../../../../src-shared/random';

export interface Lab {
  readonly idx: TopologyIndex;
  readonly plans: Map<string, ProbePlan>;
}

export function labSetup(seed: number, size: LabSize): Lab {
  const inv = generateLab(seed, size);
  const agents = new Map(inv.devices.filter((d) => d.kind === 'server').map((d) => [d.id, `agent-${d.id}`]));
  const idx = indexTopology(deriveTopology(inv, agents));
  return { idx, plans: buildPinglists(idx.topology, { responder: { tcpPort: 17001, udpPort: 17002 } }) };
}

/** One window: simulate `minutes` of probes from fromMs, aggregate by minute, localise the window. */
export function runWindow(lab: Lab, model: NetModel, seed: number, fromMs: number, minutes = 5): { loc: ProbeLocalisation; samples: number } {
  const agg = createMinuteAggregator(lab.idx);
  const samples = simulateWindow(lab.idx, lab.plans, model, agg, { fromMs, minutes, seed });
  const rows = agg.flush(fromMs + minutes * 60_000);
  return { loc: localise(lab.idx, windowPairs(rows), DEFAULT_PROBE_THRESHOLDS, { from: fromMs, to: fromMs + minutes * 60_000 }), samples };
}

export interface FaultCase {
  readonly componentId: string;
  readonly kind: ComponentKind;
  readonly loss: number;
  readonly extraDelayUs: number;
  /** The top suspect's component id, null when none. */
  readonly top: string | null;
  readonly hit: boolean;
}

export interface Accuracy {
  readonly faults: readonly FaultCase[];
  readonly top1: number;
  readonly healthy: number;
  readonly falseAlarms: number;
  readonly alarms: readonly string[];
  readonly samples: number;
}

const KINDS: readonly ComponentKind[] = ['tor', 'tor-uplink', 'host-link', 'spine'];

export function runAccuracy(seed: number, size: LabSize, faults: number, healthy: number): Accuracy {
  const lab = labSetup(seed, size);
  const rnd = createRng(seed * 7919 + 1);
  const t = lab.idx.topology;
  const cases: FaultCase[] = [];
  let samples = 0;
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < faults; i++) {
    const model = createNetModel(lab.idx, seed + i);
    const kind = KINDS[Math.floor(rnd() * KINDS.length)];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const objectId = kind === 'host-link' ? pick(t.hosts).deviceId : kind === 'spine' ? pick(t.rooms).id : pick(t.tors).id;
    const componentId = `${kind}:${objectId}`;
    const delay = rnd() < 0.3;
    const loss = delay ? 0 : 0.05 + rnd() * 0.45;
    const extraDelayUs = delay ? 20_000 : 0;
    model.setFault(componentId, { loss, extraDelayUs });
    const { loc, samples: n } = runWindow(lab, model, seed * 1000 + i, t0 + i * 300_000);
    samples += n;
    const top = loc.suspects[0]?.component.id ?? null;
    cases.push({ componentId, kind, loss, extraDelayUs, top, hit: top === componentId });
  }
  const alarms: string[] = [];
  for (let i = 0; i < healthy; i++) {
    const model = createNetModel(lab.idx, seed + 10_000 + i);
    const { loc, samples: n } = runWindow(lab, model, seed * 1000 + 500 + i, t0 + (faults + i) * 300_000);
    samples += n;
    if (loc.suspects.length > 0) alarms.push(`window ${i}: ${loc.suspects.map((s) => `${s.component.id} (${s.fittedSuccess.toFixed(2)}, ${s.badPairs} bad)`).join(', ')}`);
  }
  return { faults: cases, top1: cases.filter((c) => c.hit).length / Math.max(1, faults), healthy, falseAlarms: alarms.length / Math.max(1, healthy), alarms, samples };
}
