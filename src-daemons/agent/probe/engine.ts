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
// Stalls: TCP, UDP and DNS round trips are timed in this event loop, so a stall of it (GC, a
// burst of work, the process descheduled on a loaded host) while a probe is out would be
// reported as the network's latency. A stall detector (src-shared/stall-detector.ts; 10 ms
// period and threshold by default, one per process and settings shared by every engine in it,
// as the lab runs many agents in one process) keeps the loop's stall windows; a successful
// probe whose [send, answer] interval (the detector's monotonic clock) overlaps one, or whose
// UDP echo came back late (the responder's loop stalled, responders.ts), is set aside: not
// in the columns, neither as latency nor as a failure, and counted in stats.stalled. Failures
// are kept (a timeout is a timeout); ICMP is timed by fping in its own process, so not judged.
// The detector is held while a plan is applied (no timer runs on an agent with no plan).
import type { AgentResultData } from '../../../src-shared/agent-protocol/messages';
import type { ProbePlan, ProbeTarget } from '../../../src-shared/agent-protocol/probe';
import { shareStallDetector, type StallDetector } from '../../../src-shared/stall-detector';
import { SampleColumns } from './columns';
import { createDnsProber } from './dns';
import { createIcmpProber } from './icmp';
import { startResponders, type Responders } from './responders';
import { budgetStretch, realClock, Wheel, type Clock } from './scheduler';
import { createTcpProber, type TcpNet } from './tcp';
import { createTracer, traceSourcePort } from './traceroute';
import { ERR, type ProbeContext, type ProbeOutcome } from './types';
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
  /** The loop stall detector's period and threshold (default 10 ms each: a stall is > ~20 ms between ticks). */
  readonly stallPeriodMs?: number;
  readonly stallThresholdMs?: number;
  /** A stall detector to use instead of the process's shared one (tests); the engine never disposes it. */
  readonly stallDetector?: StallDetector;
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
  /** Successful probes set aside: this loop, or a UDP responder's, stalled while they were out. */
  stalled: number;
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
  readonly stalls: StallDetector;
  readonly flushTimer: NodeJS.Timeout;
  readonly stretch: number;
  stopped: boolean;
  tracing: boolean;
}

const DEFAULT_FLUSH_MS = 10_000;
const DEFAULT_STALL_MS = 10;

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
  const stats: ProbeStats = { sent: 0, done: 0, skipped: 0, deferred: 0, flushes: 0, traces: 0, stalled: 0 };
  let round: Round | null = null;
  let responders: Responders | null = null;
  let responderKey = '';
  let inFlight = 0;
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  let stalls: StallDetector | null = null;

  const holdStalls = (): StallDetector => (stalls ??= o.stallDetector ?? shareStallDetector({ periodMs: o.stallPeriodMs ?? DEFAULT_STALL_MS, thresholdMs: o.stallThresholdMs ?? DEFAULT_STALL_MS }));
  const releaseStalls = (): void => {
    if (stalls && stalls !== o.stallDetector) stalls.dispose();
    stalls = null;
  };

  const probeOf = (t: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome> =>
    t.kind === 'tcp' ? tcp.probe(t, ctx) : t.kind === 'udp' ? udp.probe(t, ctx) : t.kind === 'icmp' ? icmp.probe(t, ctx) : dns.probe(t, ctx);

  const flushRound = (r: Round): void => {
    const taken = r.columns.take(r.plan.id);
    if (!taken) return;
    stats.flushes++;
    o.append(taken.data, taken.at);
  };

  const startRound = (plan: ProbePlan, stalls: StallDetector): Round => {
    const stretch = budgetStretch(plan.targets.map((t) => t.intervalMs), plan.maxProbesPerSec);
    if (stretch > 1) {
      const asked = plan.targets.reduce((s, t) => s + 1000 / t.intervalMs, 0);
      log(`probe: plan ${plan.id} asks ${asked.toFixed(1)} probes/s, over the budget of ${plan.maxProbesPerSec}/s: every interval is stretched x${stretch.toFixed(2)}`);
    }
    const ctx: ProbeContext = { timeoutMs: plan.timeoutMs, bind: plan.responder.bind, tcpPort: plan.responder.tcpPort, udpPort: plan.responder.udpPort };
    const columns = new SampleColumns();
    const r: Round = {
      plan, ctx, columns, stalls, stretch, stopped: false, tracing: false,
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
          const sentMono = stalls.now();
          void probeOf(plan.targets[i], ctx).then((out) => sampled(r, i, sentAt, sentMono, out));
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

  /** sentAt: wall-clock ms (the column's); sentMono: the stall detector's clock at send. */
  const sampled = (r: Round, i: number, sentAt: number, sentMono: number, out: ProbeOutcome): void => {
    inFlight--;
    stats.done++;
    if (!r.stopped) {
      const timedHere = r.plan.targets[i].kind !== 'icmp';
      if (out.err === ERR.ok && (out.stalled === true || (timedHere && r.stalls.overlaps(sentMono, r.stalls.now())))) {
        stats.stalled++;
      } else {
        r.columns.push(i, sentAt, out);
        if (r.columns.full) flushRound(r);
      }
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
    if (!plan || stopped) releaseStalls();
    else if (!responders) {
      responders = await startResponders(plan.responder, log, holdStalls());
      responderKey = key;
    }
    if (plan && !round && !stopped) round = startRound(plan, holdStalls());
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
      releaseStalls();
    },
  };
}
