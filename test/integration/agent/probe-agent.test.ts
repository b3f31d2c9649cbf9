// Agents probing each other end to end: two real agents (src-daemons/agent) on their own
// loopback addresses (127.0.0.2, 127.0.0.3) dial a test console (the real agent server over
// TLS 1.3) whose config carries each one's probe plan: TCP and UDP to the other agent's
// responders, TCP to a port nothing listens on. The console receives probe results naming the
// plan, with one sample per probe and columns that say what happened (the peer answered,
// the dead port refused, TCP source ports recorded, send times inside the test's run), and a
// route result for the traceroute target. A plan pushed later is probed under its new id, the
// old plan's samples uploaded first under the old one; stop() releases the responders' ports.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentConfig, AgentResult } from '../../../src-shared/agent-protocol';
import type { ProbePlan, ProbeResult, RouteResult } from '../../../src-shared/agent-protocol/probe';
import { startAgentServer, type AgentServer } from '../../../src-main/core/protocols/agent/agent-server';
import { createConsoleIdentity } from '../../../src-main/core/protocols/agent/tls-identity';
import { startAgent, type Agent } from '../../../src-daemons/agent/agent';
import { findExecutable } from '../../../src-daemons/agent/probe/icmp';
import { ERR } from '../../../src-daemons/agent/probe/types';
import { freePort, until } from '../../unit/daemons/probe/rig';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-probe-agent-'));
const BASE: AgentConfig = { intervalMs: 60_000, inventoryIntervalMs: 3_600_000, processes: [], files: [], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };
const agents: Agent[] = [];
let server: AgentServer | null = null;
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ADDR = { 'srv-a': '127.0.0.2', 'srv-b': '127.0.0.3' } as const;
type Id = keyof typeof ADDR;
/** CI installs traceroute: there a missing one fails the test rather than taking the no-tool branch. */
const haveTraceroute = findExecutable('traceroute') !== null || Boolean(process.env.CI);

describe('agents probing each other through the console', () => {
  it('upload probe and route results of their plans; a new plan takes over after the old one is flushed', async () => {
    const ports = { tcp: await freePort(), udp: await freePort(), dead: await freePort() };
    const planFor = (me: Id, id: string): ProbePlan => {
      const peer: Id = me === 'srv-a' ? 'srv-b' : 'srv-a';
      return {
        id, maxProbesPerSec: 50, timeoutMs: 1000, flushMs: 1000, responder: { tcpPort: ports.tcp, udpPort: ports.udp, bind: ADDR[me] },
        targets: [
          { id: peer, addr: ADDR[peer], kind: 'tcp', level: 'intra-tor', intervalMs: 10_000 },
          { id: peer, addr: ADDR[peer], kind: 'udp', level: 'intra-tor', intervalMs: 10_000 },
          { id: 'nobody', addr: '127.0.0.1', port: ports.dead, kind: 'tcp', level: 'inter-tor', intervalMs: 10_000 },
        ],
        traceroute: { targets: [0], intervalMs: 10_000, maxHops: 4 },
      };
    };
    const plans = new Map<string, ProbePlan>([['srv-a', planFor('srv-a', 'a-1')], ['srv-b', planFor('srv-b', 'b-1')]]);
    const keys = { 'srv-a': generateKeyPairSync('ed25519'), 'srv-b': generateKeyPairSync('ed25519') };
    const got: AgentResult[] = [];
    const identity = await createConsoleIdentity();
    server = await startAgentServer({
      host: '127.0.0.1', port: 0, identity,
      directory: {
        lookup: (id) => (id in keys ? { publicKey: keys[id as Id].publicKey.export({ format: 'der', type: 'spki' }), revoked: false } : null),
        lastSeq: () => 0,
        config: (id) => ({ ...BASE, probes: plans.get(id) }),
      },
      ingest: async (id, results) => void got.push(...results.map((r) => ({ ...r, agent: id }) as AgentResult)),
    });
    const t0 = Date.now();
    for (const id of ['srv-a', 'srv-b'] as const) {
      agents.push(startAgent({
        agentId: id, version: '1.0.0', hostname: id, console: { host: '127.0.0.1', port: server.port, fingerprint256: identity.fingerprint256 },
        key: keys[id].privateKey, stateDir: path.join(dir, id), config: BASE, linkBackoffMs: { min: 50, max: 300, refused: 200 },
      }));
    }
    const of = (agent: Id) => got.filter((r) => (r as AgentResult & { agent: string }).agent === agent);
    const probeSamples = (agent: Id, plan: string) => of(agent).map((r) => r.data).filter((d): d is ProbeResult => d.kind === 'probe' && d.plan === plan);
    const count = (agent: Id, plan: string) => probeSamples(agent, plan).reduce((n, r) => n + r.target.length, 0);
    // Each target at least once (not 3 samples in all: a successful sample that overlapped a stall
    // of the agent's own loop is set aside, so on a loaded machine a round may lack its TCP sample).
    const targets = (agent: Id, plan: string) => new Set(probeSamples(agent, plan).flatMap((r) => r.target)).size;
    await until('each agent probed each target', () => targets('srv-a', 'a-1') === 3 && targets('srv-b', 'b-1') === 3, 45_000);
    await until('a route from each', () => (['srv-a', 'srv-b'] as const).every((a) => of(a).some((r) => r.data.kind === 'route')), 30_000);
    const t1 = Date.now();

    for (const me of ['srv-a', 'srv-b'] as const) {
      const results = of(me).filter((r) => r.data.kind === 'probe');
      const samples = results.flatMap((r) => {
        const d = r.data as ProbeResult;
        return d.target.map((t, i) => ({ t, err: d.err[i], rtt: d.rttUs[i], src: d.srcPort?.[i], sentAt: r.at + d.offsetMs[i] }));
      });
      const first = (t: number) => samples.find((s) => s.t === t)!;
      expect(first(0), `${me}: TCP to its peer's responder`).toMatchObject({ err: ERR.ok });
      expect(first(0).rtt).toBeGreaterThanOrEqual(0);
      expect(first(0).src).toBeGreaterThan(1023);
      expect(first(1), `${me}: UDP echo from its peer`).toMatchObject({ err: ERR.ok });
      expect(first(2), `${me}: the dead port`).toMatchObject({ err: ERR.refused, rtt: -1 });
      for (const s of samples) {
        expect(s.sentAt).toBeGreaterThanOrEqual(t0 - 1);
        expect(s.sentAt).toBeLessThanOrEqual(t1);
      }
      const route = of(me).find((r) => r.data.kind === 'route')!.data as RouteResult;
      expect(route).toMatchObject({ plan: me === 'srv-a' ? 'a-1' : 'b-1', target: 0 });
      if (haveTraceroute) expect(route).toMatchObject({ reached: true, hops: [{ addr: ADDR[me === 'srv-a' ? 'srv-b' : 'srv-a'] }] });
      else expect(route).toMatchObject({ hops: [], error: 'traceroute not installed' });
    }

    // A new plan for srv-a: only the dead port now.
    const before = count('srv-a', 'a-1');
    const next = { ...planFor('srv-a', 'a-2'), targets: planFor('srv-a', 'a-2').targets.slice(2), traceroute: undefined };
    plans.set('srv-a', next);
    expect(server.pushConfig('srv-a', { ...BASE, probes: next })).toBe(true);
    await until('srv-a probes under a-2', () => count('srv-a', 'a-2') >= 1, 30_000);
    expect(agents[0].probes.plan?.id).toBe('a-2');
    expect(probeSamples('srv-a', 'a-2').every((r) => r.target.every((t) => t === 0))).toBe(true);
    const seqOf = (plan: string) => of('srv-a').filter((r) => r.data.kind === 'probe' && r.data.plan === plan).map((r) => r.seq);
    expect(Math.max(...seqOf('a-1')), "a-1's samples were uploaded before a-2's").toBeLessThan(Math.min(...seqOf('a-2')));
    expect(count('srv-a', 'a-1')).toBeGreaterThanOrEqual(before);

    await agents[0].stop();
    agents.shift();
    await new Promise<void>((res, rej) => net.createServer().listen(ports.tcp, ADDR['srv-a'], function (this: net.Server) { this.close(() => res()); }).on('error', rej));
  });
});
