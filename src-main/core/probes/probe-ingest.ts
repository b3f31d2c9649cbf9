// Committed agent results into the probe matrix: each probe result's samples are read against
// the plan it names (its target indexes index that plan's targets) and added to the minute
// aggregator; a DNS sample's answering instance is tracked per vantage and resolver, and a
// change of it is a catchment event; each traceroute is fingerprinted per pair, and a changed
// fingerprint is a route event carrying both paths. Results of a plan the console no longer
// knows (it was rebuilt twice since, or the console restarted with another inventory) are
// counted and dropped: their indexes cannot be read.
import { PROBE_ERRORS, routeFingerprint, type AgentResult, type ProbePlan, type ProbeResult, type RouteResult } from '../../../src-shared/agent-protocol';
import type { FleetEvent } from '../../../src-shared/domain/fleet-event';
import type { ResultBatch } from '../store/agent-repository';

export interface PlanRef {
  readonly deviceId: string;
  readonly hostname: string;
  readonly plan: ProbePlan;
}

/** What the aggregator takes (src-shared/probe/aggregate.ts's add). */
export interface SampleSink {
  add(srcDeviceId: string, target: ProbePlan['targets'][number], atMs: number, rttUs: number, err: number): void;
}

export interface Catchment {
  readonly deviceId: string;
  readonly hostname: string;
  readonly resolver: string;
  readonly addr: string;
  instance: string | null;
  since: number;
  lastUs: number | null;
}

export interface ProbeIngest {
  onBatches(batches: readonly ResultBatch[]): void;
  readonly catchments: ReadonlyMap<string, Catchment>;
  /** Paths per (device, target id): the newest fingerprint and hops. */
  readonly routes: ReadonlyMap<string, { fingerprint: string; hops: string[]; at: number }>;
  readonly totals: { samples: number; unknownPlan: number; routes: number };
}

export interface ProbeIngestDeps {
  plan(id: string): PlanRef | undefined;
  sink: SampleSink;
  record(events: readonly Omit<FleetEvent, 'id'>[]): void;
  log(line: string): void;
}

const TIMEOUT = PROBE_ERRORS.indexOf('timeout');
const ERROR = PROBE_ERRORS.indexOf('error');

export function createProbeIngest(d: ProbeIngestDeps): ProbeIngest {
  const catchments = new Map<string, Catchment>();
  const routes = new Map<string, { fingerprint: string; hops: string[]; at: number }>();
  const totals = { samples: 0, unknownPlan: 0, routes: 0 };
  const events: Omit<FleetEvent, 'id'>[] = [];

  const probe = (ref: PlanRef, at: number, r: ProbeResult): void => {
    const targets = ref.plan.targets;
    const n = r.target.length;
    for (let i = 0; i < n; i++) {
      const t = targets[r.target[i]];
      if (!t) continue;
      const when = at + r.offsetMs[i];
      d.sink.add(ref.deviceId, t, when, r.rttUs[i], r.err[i]);
      if (t.kind === 'dns') dns(ref, t.id, t.addr, when, r.err[i] === 0 ? r.names?.[r.instance?.[i] ?? -1] ?? null : null, r.err[i], r.rttUs[i]);
    }
    totals.samples += n;
  };

  const dns = (ref: PlanRef, resolver: string, addr: string, at: number, instance: string | null, err: number, rttUs: number): void => {
    const key = `${ref.deviceId}\n${resolver}`;
    const c = catchments.get(key);
    // A timeout or a local error (a send the host's own firewall refused: EPERM; a garbled answer) is no
    // answer, not a move: the vantage is still in the catchment it was, until another instance answers
    // (or the resolver says no: refused, unreachable).
    if (instance === null && (err === TIMEOUT || err === ERROR) && c) return;
    if (!c) {
      catchments.set(key, { deviceId: ref.deviceId, hostname: ref.hostname, resolver, addr, instance, since: at, lastUs: instance ? rttUs : null });
      return;
    }
    c.lastUs = instance ? rttUs : null;
    if (c.instance === instance) return;
    events.push({
      at, deviceId: ref.deviceId, kind: 'probe', severity: instance ? 'warning' : 'critical', code: 'probe.catchmentMoved',
      params: { hostname: ref.hostname, resolver, from: c.instance ?? '-', to: instance ?? '-' },
      message: `${ref.hostname}: resolver ${resolver} (${addr}) answered by ${instance ?? 'no instance'} (was ${c.instance ?? 'no instance'})`,
    });
    c.instance = instance;
    c.since = at;
  };

  const route = (ref: PlanRef, at: number, r: RouteResult): void => {
    const t = ref.plan.targets[r.target];
    if (!t || r.error || r.hops.length === 0) return;
    totals.routes++;
    const key = `${ref.deviceId}\n${t.id}`;
    const fingerprint = routeFingerprint(r.hops);
    const hops = r.hops.map((h) => h.addr ?? '*');
    const before = routes.get(key);
    routes.set(key, { fingerprint, hops, at });
    if (!before || before.fingerprint === fingerprint) return;
    events.push({
      at, deviceId: ref.deviceId, kind: 'probe', severity: 'warning', code: 'probe.routeChanged',
      params: { hostname: ref.hostname, target: t.id, before: before.hops.join(' > '), after: hops.join(' > ') },
      message: `${ref.hostname}: the path to ${t.id} (${t.addr}) changed: ${before.hops.join(' > ')} -> ${hops.join(' > ')}`,
      details: { before: before.hops, after: hops, srcPort: r.srcPort, dstPort: r.dstPort },
    });
  };

  const one = (res: AgentResult): void => {
    const data = res.data;
    if (data.kind !== 'probe' && data.kind !== 'route') return;
    const ref = d.plan(data.plan);
    if (!ref) {
      totals.unknownPlan++;
      return;
    }
    if (data.kind === 'probe') probe(ref, res.at, data);
    else route(ref, res.at, data);
  };

  return {
    onBatches: (batches) => {
      for (const b of batches) for (const r of b.results) one(r);
      if (events.length) {
        const out = events.splice(0);
        try {
          d.record(out);
        } catch (err) {
          d.log(`probes: recording ${out.length} events failed: ${(err as Error).message}`);
        }
      }
    },
    catchments,
    routes,
    totals,
  };
}
