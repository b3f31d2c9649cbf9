// The agent's footprint while probing (issue 14's goal: agent CPU and RSS at 2,000 peers every
// 10 s, under the agent's caps of 5 % CPU and 128 MiB): the real bundled agent (agent.js as
// scripts/build-daemons.mjs builds it, in a temporary directory) as a child process with a
// probe plan of 2,000 targets every 10 s (1,500 TCP connects, 500 UDP echoes, 200 probes/s)
// spread over 4 responders on 127.0.1.1-4 (this process, the same responder code the agents
// run), itself bound to 127.0.0.2 and running its own responders, connected over TLS to a test
// console in this process that counts what it uploads. After a 15 s warm-up (the first round's
// phases spread over 10 s), 60 s are measured from /proc/<pid>: CPU (utime+stime) as % of one
// core, RSS sampled every second; beside them the samples the console received in the window
// and the agent's own view in its last status. Only 127.0.0.0/8.
//   node --import tsx test/bench/agent-probes.ts [--window 60] [--peers 2000]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createPublicKey } from 'node:crypto';
import type { AgentConfig, AgentResult } from '../../src-shared/agent-protocol';
import type { ProbePlan, ProbeTarget } from '../../src-shared/agent-protocol/probe';
import type { AgentRunConfig } from '../../src-shared/agent-protocol/run-config';
import { startAgentServer } from '../../src-main/core/protocols/agent/agent-server';
import { createConsoleIdentity } from '../../src-main/core/protocols/agent/tls-identity';
import { startResponders, type Responders } from '../../src-daemons/agent/probe/responders';
import { watchProcess, row } from './agents-proc';

const { values } = parseArgs({ options: { window: { type: 'string', default: '60' }, peers: { type: 'string', default: '2000' }, warmup: { type: 'string', default: '15' } } });
const WINDOW_S = Number(values.window);
const PEERS = Number(values.peers);
const WARMUP_S = Number(values.warmup);
const CAP_CPU = 5;
const CAP_RSS = 128 * 1024 * 1024;
// The agent would pause its probes over its CPU cap (start-up, bundle parse and TLS, can trip it); measured with the cap lifted so the window sees the full probing cost.
const MEASURE_CPU_CAP = Number(process.env.BENCH_AGENT_CPU_CAP ?? 400);

const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer().listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-bench-agent-probes-'));
  const build = (await import(pathToFileURL(fileURLToPath(new URL('../../scripts/build-daemons.mjs', import.meta.url))).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
  await build.buildDaemons({ outDir: path.join(dir, 'daemons'), version: '1.0.0', quiet: true });
  const agentJs = path.join(dir, 'daemons', 'agent.js');

  const peerAddrs = ['127.0.1.1', '127.0.1.2', '127.0.1.3', '127.0.1.4'];
  const peerPorts = { tcp: await freePort('127.0.1.1'), udp: await freePort('127.0.1.1') };
  const peers: Responders[] = [];
  for (const addr of peerAddrs) peers.push(await startResponders({ tcpPort: peerPorts.tcp, udpPort: peerPorts.udp, bind: addr }, (l) => console.error(l)));
  const targets: ProbeTarget[] = Array.from({ length: PEERS }, (_, i) => ({
    id: `peer-${i}`, addr: peerAddrs[i % peerAddrs.length], port: i % 4 === 3 ? peerPorts.udp : peerPorts.tcp,
    kind: i % 4 === 3 ? 'udp' : 'tcp', level: i < PEERS / 2 ? 'intra-tor' : 'inter-tor', intervalMs: 10_000,
  }));
  const plan: ProbePlan = {
    id: 'bench-plan', targets, maxProbesPerSec: 250, timeoutMs: 3000, flushMs: 10_000,
    responder: { tcpPort: await freePort('127.0.0.2'), udpPort: await freePort('127.0.0.2'), bind: '127.0.0.2' },
  };
  const config: AgentConfig = { intervalMs: 10_000, inventoryIntervalMs: 3_600_000, processes: [], files: [], maxCpuPct: MEASURE_CPU_CAP, maxRssBytes: CAP_RSS, probes: plan };

  const stateDir = path.join(dir, 'agent');
  const pub = execFileSync(process.execPath, [agentJs, 'keygen', '--state-dir', stateDir], { encoding: 'utf8' }).trim();
  const publicKey = createPublicKey({ key: Buffer.from(pub, 'base64'), format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' });
  const identity = await createConsoleIdentity();
  const window = { open: false, samples: 0, failed: 0, results: 0 };
  let lastStatus: { cpuPct: number; rssBytes: number; state: string } | null = null;
  const server = await startAgentServer({
    host: '127.0.0.1', port: 0, identity,
    directory: { lookup: (id) => (id === 'bench-probe' ? { publicKey, revoked: false } : null), lastSeq: () => 0, config: () => config },
    ingest: async (_id, results: readonly AgentResult[]) => {
      for (const r of results) {
        if (r.data.kind === 'status') lastStatus = r.data;
        if (!window.open || r.data.kind !== 'probe') continue;
        window.results++;
        window.samples += r.data.target.length;
        window.failed += r.data.err.filter((e) => e !== 0).length;
      }
    },
  });
  const run: AgentRunConfig = { agentId: 'bench-probe', stateDir, hostname: 'bench-probe', config, console: { host: '127.0.0.1', port: server.port, fingerprint256: identity.fingerprint256 } };
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify(run));
  const proc = spawn(process.execPath, [agentJs, 'run', '--config', path.join(dir, 'run.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  try {
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    window.open = true;
    const fig = await watchProcess(proc.pid!, WINDOW_S);
    window.open = false;
    const perSec = window.samples / fig.seconds;
    const status = lastStatus as { cpuPct: number; rssBytes: number; state: string } | null;
    console.log(`agent-probes: agent CPU ${fig.cpuPct.toFixed(2)} % of one core over ${fig.seconds.toFixed(0)} s at ${PEERS} peers every 10 s (goal < ${CAP_CPU} %, the agent's cap)`);
    console.log(`agent-probes: agent RSS mean ${fig.rssMeanMib.toFixed(1)} MiB, max ${fig.rssMaxMib.toFixed(1)} MiB (goal < 128 MiB, the agent's cap)`);
    console.log(`agent-probes: probe samples uploaded ${window.samples} in the window, ${perSec.toFixed(1)}/s (plan: ${(PEERS / 10).toFixed(0)}/s), ${window.failed} failed, in ${window.results} probe results`);
    console.log(`agent-probes: agent's own last status: ${status ? `${status.state}, ${status.cpuPct.toFixed(2)} % CPU, ${(status.rssBytes / 2 ** 20).toFixed(1)} MiB` : 'none'}`);
    console.log('');
    console.log(`agent probing ${PEERS} peers every 10 s (1,500 TCP + 500 UDP per 2,000; 4 responders on 127.0.1.x), ${WINDOW_S} s window`);
    row('agent CPU, % of one core', `${fig.cpuPct.toFixed(2)} %`, `goal < ${CAP_CPU} %`);
    row('agent RSS mean / max', `${fig.rssMeanMib.toFixed(1)} / ${fig.rssMaxMib.toFixed(1)} MiB`, 'goal < 128 MiB');
    row('probe samples uploaded per second', perSec.toFixed(1), `plan ${(PEERS / 10).toFixed(0)}/s`);
    row('failed samples in the window', String(window.failed), '0 on loopback');
    row("agent's own status (cap monitor)", status ? `${status.state} ${status.cpuPct.toFixed(2)} %` : 'none', 'ok');
    row('peer responders: accepted / echoed', `${peers.reduce((n, p) => n + p.counts.accepted, 0)} / ${peers.reduce((n, p) => n + p.counts.echoed, 0)}`, '');
    if (/probe:/.test(stderr)) console.log(`agent log (probe lines):\n${stderr.split('\n').filter((l) => l.includes('probe:')).slice(0, 5).join('\n')}`);
  } finally {
    process.kill(proc.pid!, 'SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    await server.close();
    for (const p of peers) await p.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
