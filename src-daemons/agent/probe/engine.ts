// The agent's probe engine: given the console's ProbePlan (AgentConfig.probes) it runs the
// agent's responders and probes the plan's targets, and hands the agent one 'probe' result of
// columns every flushMs (default 10 s; sooner when MAX_PROBE_SAMPLES are held) and one
// 'route' result per traceroute. setPlan() with a new plan id flushes the old plan's samples
// under the old id and starts the new round (probes still in flight for the old plan are
// dropped); the responders restart only when plan.responder changes, so other agents' probes
// are not refused over a pinglist change. Per round: a Wheel (scheduler.ts) over the targets
// with their intervals stretched to the plan's budget (said once in the log), at most
// maxInFlight probes out at once, and a second Wheel for the traceroutes (one at a time). While
// `allowed()` says no (the agent is over a CPU or memory cap) due probes are skipped and
// counted, the responders keep answering.
import type { AgentResultData } from '../../../src-shared/agent-protocol/messages';
import type { ProbePlan, ProbeTarget } from '../../../src-shared/agent-protocol/probe';
import { SampleColumns } from './columns';
import { createDnsProber } from './dns';
import { createIcmpProber } from './icmp';
import { startResponders, type Responders } from './responders';
import { budgetStretch, realClock, Wheel, type Clock } from './scheduler';
import { createTcpProber, type TcpNet } from './tcp';
import { createTracer, traceSourcePort } from './traceroute';
import type { ProbeContext, ProbeOutcome } from './types';
import { createUdpProber, type UdpDgram } from './udp';

export interface ProbeEngineOptions {
  readonly agentId: string;
  /** Stores a result taken at `at` (wall-clock ms) in the agent's buffer. */
  readonly append: (data: AgentResultData, at: number) => void;
  readonly log?: (line: string) => void;
  /** False while the agent is over a cap: due probes are skipped. */
  readonly allowed?: () => boolean;
  readonly net?: TcpNet;
  readonly dgram?: UdpDgram;
  /** fping / traceroute paths (undefined: looked up; null: none). */
  readonly fping?: string | null;
  readonly traceroute?: string | null;
  readonly maxInFlight?: number;
  readonly clock?: Clock;
  /** Wall-clock ms for results' at (default Date.now). */
  readonly wallNow?: () => number;
}

export interface ProbeStats {
  sent: number;
  done: number;
  /** Due while over a cap, not sent. */
  skipped: number;
  /** Times a due probe waited for the in-flight bound. */
  deferred: number;
  flushes: number;
  traces: number;
}

export interface ProbeEngine {
  /** Applies the console's plan (undefined: probe nothing, run no responder). */
  setPlan(plan: ProbePlan | undefined): Promise<void>;
  /** Appends the samples held now (the timer does this every flushMs). */
  flush(): void;
  readonly plan: ProbePlan | undefined;
  readonly responders: Responders | null;
  readonly stats: Readonly<ProbeStats>;
  /** The interval stretch of the current round's budget (1: within budget). */
  readonly stretch: number;
  stop(): Promise<void>;
}

interface Round {
  readonly plan: ProbePlan;
  readonly ctx: ProbeContext;
  readonly wheel: Wheel;
  readonly traces: Wheel | null;
  readonly columns: SampleColumns;
  readonly flushTimer: NodeJS.Timeout;
  readonly stretch: number;
  stopped: boolean;
  tracing: boolean;
}

const DEFAULT_FLUSH_MS = 10_000;

export function startProbeEngine(o: ProbeEngineOptions): ProbeEngine {
  const log = o.log ?? (() => {});
  const clock = o.clock ?? realClock;
  const wallNow = o.wallNow ?? Date.now;
  const allowed = o.allowed ?? (() => true);
  const maxInFlight = o.maxInFlight ?? 256;
  const tcp = createTcpProber({ net: o.net });
  const udp = createUdpProber({ dgram: o.dgram, log });
  const icmp = createIcmpProber({ fping: o.fping, log });
  const dns = createDnsProber({ dgram: o.dgram });
  const tracer = createTracer({ traceroute: o.traceroute });
  const stats: ProbeStats = { sent: 0, done: 0, skipped: 0, deferred: 0, flushes: 0, traces: 0 };
  let round: Round | null = null;
  let responders: Responders | null = null;
  let responderKey = '';
  let inFlight = 0;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;

  const probeOf = (t: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome> =>
    t.kind === 'tcp' ? tcp.probe(t, ctx) : t.kind === 'udp' ? udp.probe(t, ctx) : t.kind === 'icmp' ? icmp.probe(t, ctx) : dns.probe(t, ctx);

  const flushRound = (r: Round): void => {
    const taken = r.columns.take(r.plan.id);
    if (!taken) return;
    stats.flushes++;
    o.append(taken.data, taken.at);
  };

  const startRound = (plan: ProbePlan): Round => {
    const stretch = budgetStretch(plan.targets.map((t) => t.intervalMs), plan.maxProbesPerSec);
    if (stretch > 1) {
      const asked = plan.targets.reduce((s, t) => s + 1000 / t.intervalMs, 0);
      log(`probe: plan ${plan.id} asks ${asked.toFixed(1)} probes/s, over the budget of ${plan.maxProbesPerSec}/s: every interval is stretched x${stretch.toFixed(2)}`);
    }
    const ctx: ProbeContext = { timeoutMs: plan.timeoutMs, bind: plan.responder.bind, tcpPort: plan.responder.tcpPort, udpPort: plan.responder.udpPort };
    const columns = new SampleColumns();
    const r: Round = {
      plan, ctx, columns, stretch, stopped: false, tracing: false,
      flushTimer: setInterval(() => flushRound(r), plan.flushMs ?? DEFAULT_FLUSH_MS),
      wheel: new Wheel({
        clock,
        intervalsMs: plan.targets.map((t) => t.intervalMs * stretch),
        onDue: (i) => {
          if (!allowed()) return (stats.skipped++, true);
          if (inFlight >= maxInFlight) return (stats.deferred++, false);
          inFlight++;
          stats.sent++;
          const sentAt = wallNow();
          void probeOf(plan.targets[i], ctx).then((out) => sampled(r, i, sentAt, out));
          return true;
        },
      }),
      traces: plan.traceroute && plan.traceroute.targets.length > 0 ? traceWheel(plan, () => r) : null,
    };
    r.flushTimer.unref();
    r.wheel.start();
    r.traces?.start();
    return r;
  };

  const sampled = (r: Round, i: number, sentAt: number, out: ProbeOutcome): void => {
    inFlight--;
    stats.done++;
    if (!r.stopped) {
      r.columns.push(i, sentAt, out);
      if (r.columns.full) flushRound(r);
    }
    round?.wheel.kick();
  };

  const traceWheel = (plan: ProbePlan, self: () => Round): Wheel => {
    const tr = plan.traceroute!;
    return new Wheel({
      clock,
      intervalsMs: tr.targets.map(() => tr.intervalMs),
      onDue: (k) => {
        const r = self();
        if (r.tracing) return false;
        const index = tr.targets[k];
        const t = plan.targets[index];
        if (t === undefined || !allowed()) return true; // an index past the targets: nothing to trace
        r.tracing = true;
        const at = wallNow();
        void tracer.trace({ plan: plan.id, target: index, addr: t.addr, srcPort: traceSourcePort(o.agentId, t.id), maxHops: tr.maxHops, bind: plan.responder.bind }).then((route) => {
          r.tracing = false;
          if (r.stopped) return;
          stats.traces++;
          o.append(route, at);
          r.traces?.kick();
        });
        return true;
      },
    });
  };

  const stopRound = (): void => {
    if (!round) return;
    const r = round;
    round = null;
    r.wheel.stop();
    r.traces?.stop();
    clearInterval(r.flushTimer);
    flushRound(r);
    r.stopped = true;
  };

  const apply = async (plan: ProbePlan | undefined): Promise<void> => {
    if (stopped) return;
    const key = plan ? JSON.stringify(plan.responder) : '';
    if (round && round.plan.id !== plan?.id) stopRound();
    if (responders && key !== responderKey) {
      await responders.close();
      responders = null;
    }
    if (plan && !responders && !stopped) {
      responders = await startResponders(plan.responder, log);
      responderKey = key;
    }
    if (plan && !round && !stopped) round = startRound(plan);
  };

  return {
    setPlan(plan) {
      chain = chain.then(() => apply(plan));
      return chain;
    },
    flush() {
      if (round) flushRound(round);
    },
    get plan() {
      return round?.plan;
    },
    get responders() {
      return responders;
    },
    get stretch() {
      return round?.stretch ?? 1;
    },
    stats,
    async stop() {
      await chain;
      stopped = true;
      stopRound();
      tcp.close();
      udp.close();
      icmp.close();
      dns.close();
      tracer.close();
      await responders?.close();
      responders = null;
    },
  };
}
