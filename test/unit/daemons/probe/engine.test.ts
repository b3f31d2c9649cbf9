// The probe engine on loopback with the scheduler's clock in the test's hand: a plan's targets
// (TCP and UDP to the engine's own responders, TCP to a dead port, ICMP) are each probed once a
// round and come out as one probe result of the plan whose columns say what happened to each;
// a new plan flushes the old plan's samples under the old id first and keeps the responders
// when their ports did not change (restarts them when they did); a budget the targets exceed
// is said once; over a cap nothing is sent; stop() frees the responders' ports. Stalls: the
// engines here get a stall detector on a clock of the test's (frozen: no stall unless the test
// makes one), so a successful probe that a stall of the loop overlaps is seen set aside (not in
// the columns, counted in stats.stalled) while failures, ICMP and the next round's probes are
// kept; one probe is stalled for real (the test blocks the loop for 60 ms while it is out) on
// the process's shared detector, which two engines share and the last one's stop() ends.
import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import type { AgentResultData } from '../../../../src-shared/agent-protocol/messages';
import { probeResult, type ProbePlan, type ProbeResult } from '../../../../src-shared/agent-protocol/probe';
import { createStallDetector, sharedStallDetectors, type StallDetector } from '../../../../src-shared/stall-detector';
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
const detectors: StallDetector[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
  for (const d of detectors.splice(0)) d.dispose();
});

/** An engine; its stall detector runs on `mono`, the test's monotonic clock (frozen unless the test moves it), or is the process's shared one. */
async function rig(o: { sharedStalls?: boolean } = {}) {
  const clock = new StepClock();
  const out: { data: AgentResultData; at: number }[] = [];
  const logs: string[] = [];
  let allowed = true;
  const mono = { t: 0 };
  const stalls = o.sharedStalls ? undefined : createStallDetector({ periodMs: 10, thresholdMs: 10, now: () => mono.t });
  if (stalls) detectors.push(stalls);
  const e = startProbeEngine({ agentId: 'srv-a', clock, append: (data, at) => out.push({ data, at }), log: (l) => logs.push(l), allowed: () => allowed, traceroute: null, stallDetector: stalls });
  engines.push(e);
  return { e, clock, out, logs, mono, stalls, setAllowed: (v: boolean) => (allowed = v) };
}

/** Blocks the event loop for `ms` (a deliberate stall of this process). */
const blockLoop = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: no timer, no socket callback runs meanwhile
  }
};

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

  it("a successful probe a stall of the loop overlaps is set aside (not in the columns, counted); failures, ICMP and the next round's probes are kept", async () => {
    const { e, clock, out, mono, stalls } = await rig();
    await e.setPlan(await plan('plan-s'));
    clock.advance(10_000); // all four sent at mono 0...
    mono.t = 60; // ...then the loop is blocked for 60 ms while they are out,
    stalls!.check(); // and the detector's late tick records the stall
    await until('round 1 done', () => e.stats.done === 4);
    expect(e.stats.stalled).toBe(2); // the TCP connect and the UDP echo (answered late too: the engine's own responder shares the loop)
    expect(e.responders!.counts.late).toBe(1);
    e.flush();
    const [r1] = probes(out);
    const kept = new Map(r1.target.map((t, i) => [t, r1.err[i]]));
    expect([...kept.keys()].sort()).toEqual([2, 3]);
    expect(kept.get(2)).toBe(ERR.refused); // a failure is not set aside
    for (let i = 0; i < 10; i++) {
      mono.t += 10; // on time from here on
      stalls!.check();
    }
    clock.advance(10_000);
    await until('round 2 done', () => e.stats.done === 8);
    expect(e.stats.stalled).toBe(2);
    e.flush();
    const r2 = probes(out)[1];
    expect([...r2.target].sort()).toEqual([0, 1, 2, 3]);
    expect(r2.err[r2.target.indexOf(0)]).toBe(ERR.ok);
  });

  it("a probe out while the loop is really blocked is set aside, on the process's shared detector; engines share it and the last stop ends it", async () => {
    expect(sharedStallDetectors()).toBe(0);
    const a = await rig({ sharedStalls: true });
    const b = await rig({ sharedStalls: true });
    expect(sharedStallDetectors(), 'no plan yet: no detector').toBe(0);
    const p = await plan('plan-r');
    await a.e.setPlan({ ...p, targets: p.targets.slice(0, 1) });
    await b.e.setPlan(await plan('plan-other', { targets: [] }));
    expect(sharedStallDetectors()).toBe(1);
    a.clock.advance(10_000); // the TCP probe goes out...
    blockLoop(60); // ...and this loop stalls for 60 ms before it can see the answer
    await until('the probe done', () => a.e.stats.done === 1);
    expect(a.e.stats.stalled).toBe(1);
    a.e.flush();
    expect(probes(a.out)).toEqual([]);
    await a.e.stop();
    expect(sharedStallDetectors(), 'b still holds it').toBe(1);
    await b.e.setPlan(undefined);
    expect(sharedStallDetectors()).toBe(0);
  });
});
