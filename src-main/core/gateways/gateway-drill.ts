// A gateway failover drill's steps, against a live cluster (the console's side of issue 16's
// drills; the daemon's side is control.ts /api/drill/*):
//   1. sessions     every node must be ready (a drill starts on a healthy cluster); the test
//                   traffic (drill-traffic.ts) sets up `sessions` sessions through the VIP
//   2. replicating  sync-loss: every node drops lossPercent of its sync datagrams for lossMs
//                   while the second half of the sessions is set up; then (every kind) until
//                   no node has replication debt
//   3. fault        kill -9 of the victim(s) through their control API: one node (kill-one,
//                   sync-loss), two (kill-two: R >= 3, or sessions held only on them are lost)
//   4. measuring    rounds every 250 ms until one round is answered on every session (the
//                   failover window), then two rounds: a session answered by another backend
//                   than its own is switched, one not answered is lost; misses = both
//   5. failback     the killed nodes' supervisor (the agent, the lab) starts them again; they
//                   resync before they take traffic; once every one is ready, three rounds:
//                   sessions that switched or went silent then are the failback misses
// Every phase's figures go to `update` as they are known (the caller stores them).
import { randomBytes } from 'node:crypto';
import type { GatewayDrill, GatewayDrillKind } from '../../../src-shared/domain/gateway';
import { ValidationError } from '../../../src-shared/errors';
import type { MgwCluster } from '../../../src-shared/mgw/config';
import { parseMetrics } from '../../../src-shared/mgw/prometheus';
import { DrillTraffic } from './drill-traffic';
import { nodeHttp } from './gateway-http';

export interface DrillPlan {
  readonly cluster: MgwCluster;
  readonly token: string;
  readonly kind: GatewayDrillKind;
  readonly sessions: number;
  readonly lossPercent: number;
  readonly lossMs: number;
  /** Where the test clients bind (default every address: the host's route to the VIP picks). */
  readonly bindAddress?: string;
  /** How long a killed node has to come back ready (default 60 s). */
  readonly failbackTimeoutMs?: number;
  /** How long replication has to catch up before the kill (default 30 s). */
  readonly replicateTimeoutMs?: number;
}

export type DrillFigures = Partial<Omit<GatewayDrill, 'id' | 'cluster' | 'kind' | 'actor' | 'startedAt'>>;

const TIMEOUT_MS = 2000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Why a drill cannot start on this cluster as it is (a ValidationError: the caller's to fix). */
export function refuseDrill(c: MgwCluster, kind: GatewayDrillKind): string | null {
  if (!c.drills) return `cluster ${c.cluster} does not allow drills (its config says drills: false)`;
  const kills = kind === 'kill-two' ? 2 : 1;
  if (c.nodes.length <= kills) return `cluster ${c.cluster} has ${c.nodes.length} node(s): killing ${kills} leaves none to take the traffic`;
  if (kind === 'kill-two' && c.r < 3) return `killing two nodes loses the sessions held only on them with R = ${c.r}: this drill needs R >= 3`;
  return null;
}

async function health(c: MgwCluster, i: number): Promise<string> {
  try {
    await nodeHttp(c.nodes[i].control, '/health', { timeoutMs: TIMEOUT_MS });
    return 'ready';
  } catch (err) {
    return (err as Error).message;
  }
}

/** Replication debt summed over the nodes; a node whose /metrics does not answer is named. */
async function debt(c: MgwCluster, alive: readonly number[]): Promise<{ owed: number; silent: string[] }> {
  const texts = await Promise.all(alive.map((i) => nodeHttp(c.nodes[i].control, '/metrics', { timeoutMs: TIMEOUT_MS }).catch(() => null)));
  const silent = alive.filter((_, k) => texts[k] === null).map((i) => c.nodes[i].id);
  const owed = texts.reduce((sum, t) => sum + (t === null ? 0 : (parseMetrics(t).get('mgw_replication_debt')?.[0]?.value ?? 0)), 0);
  return { owed, silent };
}

async function sessionsOn(c: MgwCluster, i: number): Promise<number> {
  const t = await nodeHttp(c.nodes[i].control, '/metrics', { timeoutMs: TIMEOUT_MS }).catch(() => '');
  return parseMetrics(t).get('mgw_sessions')?.[0]?.value ?? 0;
}

/** Runs the drill; resolves with its last figures (phase done) or rejects with why it stopped. */
export async function runDrill(p: DrillPlan, update: (f: DrillFigures) => void): Promise<void> {
  const c = p.cluster;
  const refused = refuseDrill(c, p.kind);
  if (refused) throw new ValidationError(refused);
  const states = await Promise.all(c.nodes.map((_, i) => health(c, i)));
  const sick = states.map((s, i) => (s === 'ready' ? null : `${c.nodes[i].id} (${s})`)).filter(Boolean);
  if (sick.length) throw new ValidationError(`a drill starts on a healthy cluster: not ready ${sick.join(', ')}`);
  const all = c.nodes.map((_, i) => i);
  const traffic = new DrillTraffic(randomBytes(4).toString('hex'), c.vips[0], p.bindAddress);
  try {
    update({ phase: 'sessions' });
    const first = p.kind === 'sync-loss' ? Math.ceil(p.sessions / 2) : p.sessions;
    await traffic.add(first);
    const silent = await traffic.answerAll(20, 300);
    if (silent) throw new Error(`${silent} of ${first} test sessions were never answered through ${c.vips[0].address}:${c.vips[0].port}`);

    update({ phase: 'replicating' });
    if (p.kind === 'sync-loss') {
      const q = `/api/drill/sync-loss?percent=${p.lossPercent}&ms=${p.lossMs}`;
      await Promise.all(all.map((i) => nodeHttp(c.nodes[i].control, q, { timeoutMs: TIMEOUT_MS, token: p.token, method: 'POST' })));
      const lossEnds = Date.now() + p.lossMs;
      await traffic.add(p.sessions - first);
      const late = await traffic.answerAll(20, 300, first);
      if (late) throw new Error(`${late} of ${p.sessions - first} sessions set up during the sync loss were never answered`);
      await sleep(Math.max(0, lossEnds - Date.now()));
    }
    const until = Date.now() + (p.replicateTimeoutMs ?? 30_000);
    let d = await debt(c, all);
    while ((d.owed > 0 || d.silent.length) && Date.now() < until) {
      await sleep(200);
      d = await debt(c, all);
    }
    if (d.silent.length) throw new Error(`${d.silent.join(', ')} did not answer /metrics: no node was killed`);
    if (d.owed > 0) throw new Error(`replication did not catch up within ${(p.replicateTimeoutMs ?? 30_000) / 1000} s (debt ${d.owed}): no node was killed`);

    // The victims: the nodes holding the most sessions (the ones whose loss matters most).
    const held = await Promise.all(all.map((i) => sessionsOn(c, i)));
    const victims = [...all].sort((a, b) => held[b] - held[a]).slice(0, p.kind === 'kill-two' ? 2 : 1);
    const killed = victims.map((i) => c.nodes[i].id);
    update({ phase: 'fault' });
    const t0 = Date.now();
    await Promise.all(victims.map((i) => nodeHttp(c.nodes[i].control, '/api/drill/crash', { timeoutMs: TIMEOUT_MS, token: p.token, method: 'POST' })));
    update({ killed });

    update({ phase: 'measuring' });
    let windowMs: number | null = null;
    for (let r = 0; r < 40 && windowMs === null; r++) {
      const at = await traffic.round();
      await sleep(250);
      if (traffic.silentSince(at) === 0) windowMs = at - t0;
    }
    const after = Date.now();
    for (let r = 0; r < 2; r++) {
      await traffic.round();
      await sleep(400);
    }
    const switched = traffic.switchedSince(t0);
    const lost = traffic.silentSince(after);
    update({ phase: 'failback', windowMs, switched, lost, misses: switched + lost });

    const back = Date.now() + (p.failbackTimeoutMs ?? 60_000);
    let waiting = [...victims];
    while (waiting.length && Date.now() < back) {
      const st = await Promise.all(waiting.map((i) => health(c, i)));
      waiting = waiting.filter((_, k) => st[k] !== 'ready');
      if (waiting.length) {
        await traffic.round();
        await sleep(500);
      }
    }
    if (waiting.length) {
      update({ phase: 'done', note: `${waiting.map((i) => c.nodes[i].id).join(', ')} did not come back ready within ${(p.failbackTimeoutMs ?? 60_000) / 1000} s (its supervisor starts it again): failback not measured` });
      return;
    }
    const failbackMs = Date.now() - t0;
    // The router's health checker puts a node that says ready back in the path within its interval.
    await sleep(1000);
    const fb = Date.now();
    for (let r = 0; r < 3; r++) {
      await traffic.round();
      await sleep(400);
    }
    update({ phase: 'done', failbackMs, failbackMisses: traffic.switchedSince(fb) + traffic.silentSince(fb) });
  } finally {
    traffic.close();
  }
}
