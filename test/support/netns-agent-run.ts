// The deployed agent in probe-netns namespaces, the cheap way (for the probe matrix's namespace
// acceptance test): the release bundle build-daemons makes (agent.js, the single file the deploy
// uploads), each host's key made by that bundle's own `agent.js keygen --state-dir`, its
// agent.json written as the deploy's enrol step writes it (src-shared/agent-protocol/run-config.ts:
// agentId = device id, the console's address and pinned fingerprint, the state folder, the
// hostname, the console's collect config), and `node agent.js run --config agent.json` started
// inside the host's namespace with the net's spawnIn (a child of the test, stopped by pid;
// `ip netns exec` and `nice` exec in place, so the pid is the agent's).
// The deploy workflow itself (SSH upload, supervisor, activation) is covered by
// test/integration/agent/netns-agents.test.ts.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AgentConfig } from '../../src-shared/agent-protocol';
import { agentRunConfig } from '../../src-shared/agent-protocol/run-config';
import type { ProbeNet } from './probe-netns';

export interface NetnsAgent {
  readonly host: string;
  readonly agentId: string;
  readonly pid: number;
  /** The agent's newest log lines (stderr), for a failure's message. */
  log(): string;
  stop(): Promise<void>;
}

/** Builds the release bundle into dir (agent.js, agent-supervise.js) and returns agent.js's path. */
export async function buildAgentBundle(dir: string, version: string): Promise<string> {
  const build = (await import(pathToFileURL(path.resolve('scripts/build-daemons.mjs')).href)) as { buildDaemons(o: { outDir: string; version: string; quiet: boolean }): Promise<unknown> };
  await build.buildDaemons({ outDir: dir, version, quiet: true });
  return path.join(dir, 'agent.js');
}

/** `agent.js keygen --state-dir stateDir`: the agent's public key (SPKI DER), which the console enrols. */
export function agentKeygen(agentJs: string, stateDir: string): Buffer {
  const out = execFileSync(process.execPath, [agentJs, 'keygen', '--state-dir', stateDir], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  if (!/^[A-Za-z0-9+/=]{40,}$/.test(out)) throw new Error(`agent keygen printed no public key: ${JSON.stringify(out.slice(0, 80))}`);
  return Buffer.from(out, 'base64');
}

/** Writes host's agent.json (as the deploy does) under dir/<host> and starts the agent in the host's namespace. */
export function startNetnsAgent(net: ProbeNet, o: {
  host: string; agentId: string; hostname: string; agentJs: string; dir: string;
  console: { host: string; port: number; fingerprint256: string }; config: AgentConfig;
  /** Runs the agent under `nice -n <nice>` (e.g. -10: its probes' timings shielded from other work on a shared test machine). */
  nice?: number;
}): NetnsAgent {
  const base = path.join(o.dir, o.host);
  const stateDir = path.join(base, 'state');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = path.join(base, 'agent.json');
  const run = agentRunConfig.parse({ agentId: o.agentId, console: o.console, stateDir, hostname: o.hostname, config: o.config });
  writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600 });
  const argv = [process.execPath, o.agentJs, 'run', '--config', file];
  const child: ChildProcess = net.spawnIn(net.host(o.host).ns, o.nice === undefined ? argv : ['nice', '-n', String(o.nice), ...argv]);
  // Drained, or a full pipe would stall the agent's log writes; the newest 40 lines are kept.
  const lines: string[] = [];
  const keep = (d: Buffer): void => {
    lines.push(...d.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid === undefined) throw new Error(`the agent of ${o.host} did not start`);
  return {
    host: o.host,
    agentId: o.agentId,
    pid: child.pid,
    log: () => lines.join('\n'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The agent's own key file name, for the caller that wants the state folder (agent.js keygen writes it). */
export const stateDirOf = (dir: string, host: string): string => path.join(dir, host, 'state');
