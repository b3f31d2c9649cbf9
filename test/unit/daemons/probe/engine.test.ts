// The probe engine on loopback with the scheduler's clock in the test's hand: a plan's targets
// (TCP and UDP to the engine's own responders, TCP to a dead port, ICMP) are each probed once a
// round and come out as one probe result of the plan whose columns say what happened to each;
// a new plan flushes the old plan's samples under the old id first and keeps the responders
// when their ports did not change (restarts them when they did); a budget the targets exceed
// is said once; over a cap nothing is sent; stop() frees the responders' ports.
import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import type { AgentResultData } from '../../../../src-shared/agent-protocol/messages';
import { probeResult, type ProbePlan, type ProbeResult } from '../../../../src-shared/agent-protocol/probe';
import { startProbeEngine, type ProbeEngine } from '../../../../src-daemons/agent/probe/engine';
import type { Clock } from '../../../../src-daemons/agent/probe/scheduler';
import { ERR } from '../../../../src-daemons/agent/probe/types';
import { freePort, until } from './rig';

/** A clock whose timers run when the test says (advance), for the scheduler only. */
class StepClock implements Clock {
  t = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  id = 0;
  now = () => this.t;
  random = () => 0.5;
  setTimeout = (fn: () => void, ms: number) => (this.timers.set(++this.id, { at: this.t + ms, fn }), this.id);
  clearTimeout = (h: unknown) => void this.timers.delete(h as number);
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, v]) => v.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = end;
  }
}

const engines: ProbeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

async function rig() {
  const clock = new StepClock();
  const out: { data: AgentResultData; at: number }[] = [];
  const logs: string[] = [];
  let allowed = true;
  const e = startProbeEngine({ agentId: 'srv-a', clock, append: (data, at) => out.push({ data, at }), log: (l) => logs.push(l), allowed: () => allowed, traceroute: null });
  engines.push(e);
  return { e, clock, out, logs, setAllowed: (v: boolean) => (allowed = v) };
}

async function plan(id: string, extra: Partial<ProbePlan> = {}): Promise<ProbePlan> {
  const tcpPort = await freePort();
  const udpPort = await freePort();
  return {
    id, maxProbesPerSec: 100, timeoutMs: 1000, responder: { tcpPort, udpPort, bind: '127.0.0.1' },
    targets: [
      { id: 'self-tcp', addr: '127.0.0.1', kind: 'tcp', level: 'intra-tor', intervalMs: 10_000 },
      { id: 'self-udp', addr: '127.0.0.1', kind: 'udp', level: 'intra-tor', intervalMs: 10_000 },
      { id: 'dead-tcp', addr: '127.0.0.1', port: await freePort(), kind: 'tcp', level: 'inter-tor', intervalMs: 10_000 },
      { id: 'self-icmp', addr: '127.0.0.1', kind: 'icmp', level: 'inter-site', intervalMs: 10_000 },
    ],
    ...extra,
  };
}

const probes = (out: { data: AgentResultData }[]): ProbeResult[] => out.map((o) => o.data).filter((d): d is ProbeResult => d.kind === 'probe');

describe('probe engine', () => {
  it("probes each target once a round and uploads the round as one probe result of the plan's columns", async () => {
    const { e, clock, out } = await rig();
    const p = await plan('plan-1');
    const wallBefore = Date.now();
    await e.setPlan(p);
    expect(e.responders).toMatchObject({ tcp: true, udp: true });
    clock.advance(10_000);
    await until('4 probes done', () => e.stats.done === 4);
    e.flush();
    const [r] = probes(out);
    expect(probeResult.parse(r)).toEqual(r);
    expect(r.plan).toBe('plan-1');
    expect([...r.target].sort()).toEqual([0, 1, 2, 3]);
    const byTarget = new Map(r.target.map((t, i) => [t, { err: r.err[i], rtt: r.rttUs[i], src: r.srcPort![i], off: r.offsetMs[i] }]));
    expect(byTarget.get(0)).toMatchObject({ err: ERR.ok });
    expect(byTarget.get(0)!.src).toBeGreaterThan(1023);
    expect(byTarget.get(1)).toMatchObject({ err: ERR.ok, src: 0 });
    expect(byTarget.get(2)).toMatchObject({ err: ERR.refused, rtt: -1 });
    expect([ERR.ok, ERR.unsupported]).toContain(byTarget.get(3)!.err);
    expect(Math.min(...r.offsetMs)).toBe(0);
    expect(out[0].at).toBeGreaterThanOrEqual(wallBefore);
    expect(e.responders!.counts).toMatchObject({ accepted: 1, echoed: 1 });
  });

  it("a new plan flushes the old plan's samples under the old id first; responders stay unless their ports change", async () => {
    const { e, clock, out } = await rig();
    const p1 = await plan('plan-1');
    await e.setPlan(p1);
    const first = e.responders;
    clock.advance(10_000);
    await until('round 1 done', () => e.stats.done === 4);
    await e.setPlan({ ...p1, id: 'plan-2', targets: p1.targets.slice(0, 1) });
    expect(probes(out).map((r) => [r.plan, r.target.length])).toEqual([['plan-1', 4]]);
    expect(e.responders, 'same responder ports: not restarted').toBe(first);
    clock.advance(10_000);
    await until('round 2 done', () => e.stats.done === 5);
    const p3 = await plan('plan-3');
    await e.setPlan(p3);
    expect(probes(out).map((r) => [r.plan, r.target.length])).toEqual([['plan-1', 4], ['plan-2', 1]]);
    expect(e.responders).not.toBe(first);
    // The old TCP port is free again, the new one answers.
    await new Promise<void>((res, rej) => net.createServer().listen(p1.responder.tcpPort, '127.0.0.1', function (this: net.Server) { this.close(() => res()); }).on('error', rej));
  });

  it('says once when the targets ask for more than the budget, and stretches every interval', async () => {
    const { e, logs } = await rig();
    const p = await plan('plan-b', { maxProbesPerSec: 0.2 });
    await e.setPlan(p);
    expect(e.stretch).toBeCloseTo(2);
    expect(logs.filter((l) => l.includes('budget'))).toEqual(['probe: plan plan-b asks 0.4 probes/s, over the budget of 0.2/s: every interval is stretched x2.00']);
  });

  it('over a cap, due probes are skipped (nothing sent) while the responders keep answering', async () => {
    const { e, clock, out, setAllowed } = await rig();
    await e.setPlan(await plan('plan-c'));
    setAllowed(false);
    clock.advance(10_000);
    expect(e.stats).toMatchObject({ sent: 0, skipped: 4 });
    e.flush();
    expect(probes(out)).toEqual([]);
    expect(e.responders).toMatchObject({ tcp: true, udp: true });
  });
});
