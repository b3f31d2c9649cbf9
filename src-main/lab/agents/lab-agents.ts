// The agents of the lab's SSH hosts: many agent identities in the lab process, each the REAL
// agent (src-daemons/agent/agent.ts startAgent: its collectors, on-disk result buffer and TLS
// link to the console), started the way a host without systemd starts it: the deploy uploads
// the runtime and bundles by SFTP and runs `agent-supervise.js start --daemonize ... -- node
// agent.js run --config agent.json` (agent-commands.ts reads that command line). What the lab
// cannot do is run the uploaded bundle itself, so a supervisor here (one per pid file, with a
// fake pid from 100000 up) re-reads the host's files at every start, exactly what the real
// one's child would read: the runtime must be an uploaded executable, the bundle must carry
// the banner naming its version (build-daemons.mjs), agent.json must pass agentRunConfig and
// the key must be on the host (keygen put it there). Anything missing is the child's error
// line in the host's log (L), then a restart with backoff (1 s doubling to 60 s), as the real
// supervisor does; a start is never refused for it.
// Each identity reads its own host's simulated figures (/proc/*, statfs, os-release,
// packages) through the collectors' readText injection; its buffer lives in a real state dir
// under a per-lab temporary folder (beside the lab's state file when it has one, else under
// the OS's temp dir), removed when the lab stops. CPU and RSS caps see each identity's share of
// the lab process: divided among the identities running, or among `shareAmong` (the lab's SSH
// hosts) when more, so the lab's own simulation work (thousands of SNMP agents and BMCs) does not
// trip the caps of the first few agents deployed. A host powered off stops its agents (the state stays); a reinstall also
// deletes its state dirs. The log is kept small (newest half past 64 KiB) instead of rotated.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentRunConfig } from '../../../src-shared/agent-protocol/run-config';
import { startAgent, type Agent, type AgentOptions } from '../../../src-daemons/agent/agent';
import type { ReadText } from '../../../src-daemons/agent/collect/read';
import type { LabFileSystem } from '../ssh/ssh-files';
import type { LabHostFacts } from '../ssh/ssh-host-facts';
import { bundleAt, createHostCollectors } from './host-collectors';

export const LOG_MAX_BYTES = 64 * 1024;
const BACKOFF_MIN_MS = 1000;
const BACKOFF_MAX_MS = 60_000;

/** The host an identity runs on, as it is when the supervisor starts the child. */
export interface AgentHost {
  readonly id: string;
  readonly hostname: string;
  readonly facts: LabHostFacts;
  readonly fs: LabFileSystem;
}

export interface LabAgentsOptions {
  /** The lab's state file: the agents' folder goes beside it (default: the OS's temp dir). */
  readonly stateFile?: string;
  /** The identities' usage is the process's split among at least this many (default 1). */
  readonly shareAmong?: number;
  /** The link's reconnect backoff (tests shorten it). */
  readonly linkBackoffMs?: { readonly min: number; readonly max: number; readonly refused: number };
  /** What the agents probe through: the lab's network model (lab-network.ts). */
  readonly probe?: AgentOptions['probe'];
}

export interface LabAgentInfo {
  readonly hostId: string;
  readonly agentId: string;
  readonly version: string;
  readonly pid: number;
  readonly agent: Agent;
}

export interface LabHostAgents {
  /** agent-supervise.js start: exit 0 once the supervisor holds the pid file, 3 when another one does. */
  start(host: AgentHost, o: { pidFile: string; logFile: string; command: readonly string[] }): { code: number; stdout: string; stderr: string };
  /** agent-supervise.js stop: nothing running is fine. */
  stop(host: AgentHost, pidFile: string): Promise<{ code: number; stdout: string }>;
  /** Power off: every supervisor of the host and its agent stop (their files stay). */
  halt(): Promise<void>;
  /** Reinstall: halted, and its agents' state dirs deleted. */
  wipe(): Promise<void>;
}

export interface LabAgents {
  forHost(hostId: string): LabHostAgents;
  /** The agents' folder (state dirs), once an agent has started; null before and after. */
  readonly rootDir: string | null;
  /** The identities running now. */
  running(): LabAgentInfo[];
  /** Stops every agent and removes the agents' folder. */
  dispose(): Promise<void>;
}

export function createLabAgents(o: LabAgentsOptions = {}): LabAgents {
  let root: string | null = null;
  let nextPid = 100_000;
  let disposed = false;
  const hosts = new Map<string, ReturnType<typeof hostAgents>>();
  const live = new Set<LabAgentInfo>();
  // Each identity's share of the lab process's CPU time: the process's time since the last
  // sample split between the identities running, summed (monotonic).
  let lastCpu = 0;
  let sharedCpu = 0;
  const usage = () => {
    const c = process.cpuUsage();
    const now = c.user + c.system;
    const n = Math.max(1, live.size, o.shareAmong ?? 1);
    sharedCpu += Math.max(0, now - lastCpu) / n;
    lastCpu = now;
    return { cpuMicros: sharedCpu, rssBytes: Math.floor(process.memoryUsage.rss() / n) };
  };
  const rootDir = (): string => {
    if (!root) {
      const parent = o.stateFile ? path.dirname(path.resolve(o.stateFile)) : os.tmpdir();
      mkdirSync(parent, { recursive: true });
      root = mkdtempSync(path.join(parent, 'fleetdeck-lab-agents-'));
    }
    return root;
  };
  const hostDir = (hostId: string): string => path.join(rootDir(), hostId.replace(/[^A-Za-z0-9._-]/g, '_'));

  /** One supervisor: its agent, or the timer of the next attempt. */
  function supervisor(host: AgentHost, pidFile: string, logFile: string, command: readonly string[], stopAll: Set<() => Promise<void>>) {
    const pid = nextPid++;
    let agent: LabAgentInfo | null = null;
    let timer: NodeJS.Timeout | null = null;
    let restarts = 0;
    let stopped = false;
    const write = (line: string): void => void host.fs.append(logFile, `${new Date().toISOString()} ${line}\n`, LOG_MAX_BYTES);
    const record = (text: string): void => write(`supervisor[${pid}]: ${text}`);

    const launch = (): void => {
      timer = null;
      if (stopped || disposed) return;
      const child = nextPid++;
      try {
        const info = startIdentity(host, command, child, write);
        agent = info;
        live.add(info);
        record(`started child ${child}: ${command.join(' ')}`);
      } catch (err) {
        const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** restarts);
        restarts++;
        const message = (err as Error).message;
        if (err instanceof SpawnError) record(`child - failed to start: ${message}; restart ${restarts} in ${wait} ms`);
        else {
          write(`agent: ${message}`);
          record(`child ${child} exited with code 1 after 0 ms; restart ${restarts} in ${wait} ms`);
        }
        timer = setTimeout(launch, wait);
      }
    };

    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      stopAll.delete(stop);
      if (timer) clearTimeout(timer);
      const a = agent;
      agent = null;
      if (a) {
        write('agent: SIGTERM, stopping');
        live.delete(a);
        await a.agent.stop();
        record(`child ${a.pid} exited with code 0 (stopping)`);
      }
      record('exiting with 0');
    };

    host.fs.writeFile(pidFile, `${pid}\n`);
    record(`supervising: ${command.join(' ')}`);
    stopAll.add(stop);
    launch();
    return { pid, stop, get agent() { return agent; } };
  }

  /** What the supervisor's child would do: read the run config, the key and the bundle, then run the agent. */
  function startIdentity(host: AgentHost, command: readonly string[], pid: number, log: (line: string) => void): LabAgentInfo {
    const [node, script, sub, ...rest] = command;
    if (!node || !host.fs.isFile(node)) throw new SpawnError(`spawn ${node ?? '(nothing)'} ENOENT`);
    if (((host.fs.stat(node)?.mode ?? 0) & 0o111) === 0) throw new SpawnError(`spawn ${node} EACCES`);
    const bundle = bundleAt(host.fs, script ?? '');
    if ('error' in bundle) throw new Error(bundle.error);
    if (bundle.kind !== 'agent') throw new Error(`${script} is the ${bundle.kind} bundle, not the agent`);
    const cfgAt = rest.indexOf('--config');
    if (sub !== 'run' || cfgAt < 0 || !rest[cfgAt + 1]) throw new Error('usage: agent keygen --state-dir DIR | agent run --config FILE | agent version');
    const file = rest[cfgAt + 1];
    const text = host.fs.readText(file);
    if (text === null) throw new Error(`ENOENT: no such file or directory, open '${file}'`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
    const parsed = agentRunConfig.safeParse(json);
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const c = parsed.data;
    const keyFile = path.posix.join(host.fs.resolve(c.stateDir), 'agent.key');
    const pem = host.fs.read(keyFile);
    if (!pem) throw new Error(`ENOENT: no such file or directory, open '${keyFile}'`);
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (err) {
      throw new Error(`${keyFile}: ${(err as Error).message}`);
    }
    const dir = hostDir(host.id);
    const stateDir = path.join(dir, 'fs', host.fs.resolve(c.stateDir));
    mkdirSync(stateDir, { recursive: true });
    const read: ReadText = async (f) => host.fs.readText(f);
    const agent = startAgent({
      agentId: c.agentId, version: bundle.version, hostname: c.hostname ?? host.hostname, console: c.console, key, stateDir,
      config: c.config, buffer: c.buffer, hooks: c.hooks, log, usage, linkBackoffMs: o.linkBackoffMs, probe: o.probe,
      collectors: createHostCollectors(host, read, dpkgStatusFile(dir, host.facts)),
      onLinkState: (s) => log(`link: ${s.kind}${'error' in s ? ` (${s.error}; again in ${s.retryInMs} ms)` : ''}${'reason' in s ? ` (${s.reason}: ${s.message})` : ''}`),
    });
    log(`agent ${c.agentId} ${bundle.version} started (pid ${pid}), console ${c.console.host}:${c.console.port}`);
    return { hostId: host.id, agentId: c.agentId, version: bundle.version, pid, agent };
  }

  function hostAgents(hostId: string) {
    const supervisors = new Map<string, ReturnType<typeof supervisor>>();
    const stopAll = new Set<() => Promise<void>>();
    const halt = async (): Promise<void> => {
      supervisors.clear();
      await Promise.all([...stopAll].map((s) => s()));
    };
    const api: LabHostAgents = {
      start(host, s) {
        const at = host.fs.resolve(s.pidFile);
        const running = supervisors.get(at);
        if (running && Number(host.fs.readText(at)?.trim()) === running.pid) {
          return { code: 3, stdout: '', stderr: `supervise: Another supervisor (pid ${running.pid}) holds ${s.pidFile}\n` };
        }
        if (disposed) return { code: 1, stdout: '', stderr: 'supervise: the lab is stopping\n' };
        const why = host.fs.writeFile(at, '');
        if (why) return { code: 1, stdout: '', stderr: `supervise: ${s.pidFile}: ${why}\n` };
        const sup = supervisor(host, at, s.logFile, s.command, stopAll);
        supervisors.set(at, sup);
        return { code: 0, stdout: `supervisor ${sup.pid} started\n`, stderr: '' };
      },
      async stop(host, pidFile) {
        const at = host.fs.resolve(pidFile);
        const sup = supervisors.get(at);
        if (!sup || Number(host.fs.readText(at)?.trim()) !== sup.pid) return { code: 0, stdout: 'nothing running\n' };
        supervisors.delete(at);
        await sup.stop();
        host.fs.remove(at);
        return { code: 0, stdout: `supervisor ${sup.pid} stopped\n` };
      },
      halt,
      async wipe() {
        await halt();
        if (root) rmSync(hostDir(hostId), { recursive: true, force: true });
      },
    };
    return api;
  }

  return {
    forHost(hostId) {
      let h = hosts.get(hostId);
      if (!h) hosts.set(hostId, (h = hostAgents(hostId)));
      return h;
    },
    running: () => [...live],
    get rootDir() {
      return root;
    },
    async dispose() {
      disposed = true;
      await Promise.all([...hosts.values()].map((h) => h.halt()));
      if (root) rmSync(root, { recursive: true, force: true });
      root = null;
    },
  };
}

/** A spawn that failed before the child ran (the runtime is missing or not executable). */
class SpawnError extends Error {}

/** dpkg's status file for a Debian or Ubuntu host's packages (the collector parses it in place); rpm hosts list none. */
function dpkgStatusFile(dir: string, facts: LabHostFacts): string {
  const file = path.join(dir, 'dpkg-status');
  if (facts.distro === 'rocky') return file; // not written: the collector finds no dpkg, and the lab has no rpm to ask
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, facts.packages.map(([name, version, arch, desc]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: ${arch}\nVersion: ${version}\nDescription: ${desc}\n\n`).join(''));
  return file;
}
