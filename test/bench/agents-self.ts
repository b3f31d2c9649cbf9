// The agent-footprint part of test/bench/agents.ts: the real bundled agent (agent.js as
// scripts/build-daemons.mjs builds it) as a child process, `node agent.js run --config F`
// after `node agent.js keygen`, connected to a console in this process (the agents capability
// on a file store, the agent's key enrolled), measured from /proc/<pid>: VmRSS sampled every
// second and utime+stime over the window, as % of one core. Two agents, each with its own
// console and store, measured at the same time over the same window:
//   idle       connected, collecting every hour (intervalMs 3,600,000; inventory daily): the
//              start-up collection done before the window, nothing due in it;
//   reporting  the console's default collect config (DEFAULT_AGENT_CONFIG: metrics, processes
//              and its status every 10 s, inventory at start and hourly).
// Beside them: what the agent says of itself in its last status (its own cap monitor's view).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentConfig } from '../../src-shared/agent-protocol';
import type { AgentRunConfig } from '../../src-shared/agent-protocol/run-config';
import { DEFAULT_AGENT_CONFIG, parseAgentKey, startAgents, type AgentsCapability } from '../../src-main/core/agents/agents-capability';
import { EventHub } from '../../src-main/core/events/event-hub';
import { openCoreStore, type CoreStore } from '../../src-main/core/store/core-store';
import { watchProcess, type ProcessFigures } from './agents-proc';

export const IDLE_CONFIG: AgentConfig = { ...DEFAULT_AGENT_CONFIG, intervalMs: 3_600_000, inventoryIntervalMs: 86_400_000 };

export interface SelfFigures extends ProcessFigures {
  readonly phase: 'idle' | 'reporting';
  readonly config: AgentConfig;
  /** Results the console stored during the window. */
  readonly results: number;
  /** The agent's last status: its own view of its CPU % and RSS. */
  readonly ownCpuPct: number | null;
  readonly ownRssMib: number | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Rig {
  readonly phase: SelfFigures['phase'];
  readonly config: AgentConfig;
  readonly store: CoreStore;
  readonly cap: AgentsCapability;
  readonly proc: ChildProcess;
  readonly agentId: string;
}

async function startRig(dir: string, agentJs: string, phase: SelfFigures['phase'], config: AgentConfig): Promise<Rig> {
  const store = openCoreStore({ storePath: path.join(dir, `self-${phase}.sqlite`), secretKey: randomBytes(32) });
  const cap = await startAgents({ store, hub: new EventHub(), config: { listen: { host: '127.0.0.1', port: 0 }, collect: config } });
  const agentId = `bench-agent-${phase}`;
  const stateDir = path.join(dir, `agent-${phase}`);
  mkdirSync(stateDir, { recursive: true });
  const publicKey = execFileSync(process.execPath, [agentJs, 'keygen', '--state-dir', stateDir], { encoding: 'utf8' }).trim();
  cap.enrol(agentId, parseAgentKey(publicKey), null, 'bench');
  const run: AgentRunConfig = {
    agentId, stateDir, hostname: `bench-${phase}`, config,
    console: { host: cap.identity.listen!.host, port: cap.identity.listen!.port, fingerprint256: cap.identity.fingerprint256 },
  };
  const file = path.join(dir, `agent-${phase}.json`);
  writeFileSync(file, JSON.stringify(run));
  const proc = spawn(process.execPath, [agentJs, 'run', '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.pipe(createWriteStream(path.join(dir, `agent-${phase}.log`)));
  return { phase, config, store, cap, proc, agentId };
}

async function stopRig(r: Rig): Promise<void> {
  if (r.proc.exitCode === null && r.proc.signalCode === null) {
    const exited = new Promise((res) => r.proc.once('exit', res));
    r.proc.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGKILL');
  }
  await r.cap.dispose();
  await sleep(100); // the last sockets' close events reach the (audited) capability before the store closes
  r.store.db.close();
}

/** Both agents over the same window; `agentJs` is the built bundle. */
export async function runSelf(o: { dir: string; agentJs: string; warmupS: number; windowS: number; log: (l: string) => void }): Promise<SelfFigures[]> {
  const rigs: Rig[] = [];
  try {
    rigs.push(await startRig(o.dir, o.agentJs, 'idle', IDLE_CONFIG));
    rigs.push(await startRig(o.dir, o.agentJs, 'reporting', DEFAULT_AGENT_CONFIG));
    const t0 = performance.now();
    for (const r of rigs) {
      while (!(r.cap.summary(r.agentId)?.connected && r.cap.summary(r.agentId)?.status)) {
        if (performance.now() - t0 > 30_000) throw new Error(`agent ${r.agentId} did not connect and report within 30 s (see ${r.phase}'s log in ${o.dir})`);
        if (r.proc.exitCode !== null) throw new Error(`agent ${r.agentId} exited with ${r.proc.exitCode}`);
        await sleep(100);
      }
    }
    o.log(`agent footprint: both agents connected and reporting after ${((performance.now() - t0) / 1000).toFixed(1)} s; warm-up ${o.warmupS} s, window ${o.windowS} s`);
    await sleep(o.warmupS * 1000);
    const before = rigs.map((r) => r.store.agents.resultCount(r.agentId));
    const figures = await Promise.all(rigs.map((r) => watchProcess(r.proc.pid!, o.windowS)));
    return rigs.map((r, i) => {
      const own = r.cap.summary(r.agentId)?.status ?? null;
      return {
        ...figures[i], phase: r.phase, config: r.config,
        results: r.store.agents.resultCount(r.agentId) - before[i],
        ownCpuPct: own?.cpuPct ?? null, ownRssMib: own ? own.rssBytes / 2 ** 20 : null,
      };
    });
  } finally {
    for (const r of rigs) await stopRig(r).catch((err: unknown) => o.log(`agent footprint: stopping ${r.phase}: ${String(err)}`));
  }
}
