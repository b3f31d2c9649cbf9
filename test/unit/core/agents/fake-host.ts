// A fleet host for the deploy tools' unit tests: it answers exactly the commands of
// host-commands.ts for its layout (anything else fails the test, so a tool cannot drift from
// what the lab's hosts implement), keeps the `current`/`previous` links, what runs, the log,
// the uploaded files and the systemd unit; and the agents capability's view of it: a started
// version in `good` connects and reports 500 ms after its start (on the test's clock), any
// other one writes its crash line to the log and never connects.
import { generateKeyPairSync } from 'node:crypto';
import type { Device } from '../../../../src-shared/domain';
import type { AgentSummary } from '../../../../src-shared/domain/agent';
import type { DeployAgents, DeployDeps, DeployHost, HostExecResult } from '../../../../src-main/core/agents/deploy/deploy-deps';
import { hostCommands } from '../../../../src-main/core/agents/deploy/host-commands';
import type { ReleaseCatalogue } from '../../../../src-main/core/agents/deploy/releases';

export const SUM = 'ab'.repeat(32);
export const DEV: Device = {
  id: 'srv-1', cabinetId: 'c', kind: 'server', hostname: 'web-01', sn: 'SN-1', uPosition: 1, uHeight: 1, mgmtIp: '127.0.0.1', snmpPort: 161,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: 'k', ipmiCredential: null, serviceTree: null,
};

export interface FakeHostOptions {
  readonly base?: string;
  readonly good: Set<string>;
  readonly now: () => number;
  readonly probe?: string;
  readonly current?: string | null;
  readonly previous?: string | null;
  /** Versions whose supervisor fails to start (exit 1, a message on stderr). */
  readonly brokenStart?: Set<string>;
}

export function fakeHost(o: FakeHostOptions) {
  const base = o.base ?? '/opt/fleetdeck';
  const cmd = hostCommands({ base, runtimeSha256: SUM });
  const state = {
    current: o.current ?? null,
    previous: o.previous ?? null,
    running: null as string | null,
    startedAt: 0,
    starts: [] as string[],
    log: [] as string[],
    commands: [] as string[],
    uploads: new Map<string, { mode: number; bytes: Uint8Array | string }>(),
    publicKey: generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
  const VERSIONS = ['1.0.0', '1.1.0', '2.0.0-bad'];
  const ok = (stdout = ''): HostExecResult => ({ exitCode: 0, signal: null, stdout, stderr: '' });
  const start = (): void => {
    const v = state.current;
    state.running = v;
    state.startedAt = o.now();
    state.starts.push(v ?? '(none)');
    state.log.push(`${new Date(o.now()).toISOString()} supervisor[42]: started child 43: node ${base}/agent/current/agent.js run`);
    if (v && !o.good.has(v)) state.log.push(`planted: ${v} crashed`, `${new Date(o.now()).toISOString()} supervisor[42]: child 43 exited with code 3 after 40 ms; restart 1 in 1000 ms`);
  };

  const exec = async (command: string): Promise<HostExecResult> => {
    state.commands.push(command);
    if (command === cmd.currentVersion()) return ok(state.current ? `${state.current}\n` : '');
    if (command === cmd.previousVersion()) return ok(state.previous ? `${state.previous}\n` : '');
    if (command === cmd.probe()) return ok(o.probe ?? 'Linux x86_64\nprocess_api\n0\nnot-booted\n');
    if (command === cmd.stop() || command === cmd.unitStop()) {
      state.running = null;
      return ok();
    }
    if (command === cmd.start() && state.current && o.brokenStart?.has(state.current)) {
      return { exitCode: 1, signal: null, stdout: '', stderr: `supervise: ${state.current}: SyntaxError: Unexpected token\n` };
    }
    if (command === cmd.start() || command === cmd.unitRestart()) {
      start();
      return ok();
    }
    if (command === cmd.logTail(40) || command === cmd.unitLogTail(40)) return ok(`${state.log.slice(-40).join('\n')}\n`);
    if (command === cmd.runtimeSum()) return ok(state.uploads.has(`${base}/runtime/node-${SUM.slice(0, 12)}/node`) ? `${SUM}  ${base}/runtime/node-${SUM.slice(0, 12)}/node\n` : '');
    for (const v of VERSIONS) {
      if (command === cmd.mkdirs(v)) return ok();
      if (command === cmd.keygen(v)) return o.good.has(v) ? ok(`${state.publicKey}\n`) : { exitCode: 3, signal: null, stdout: '', stderr: `planted: ${v} crashed\n` };
      if (command === cmd.switchTo(v, null)) {
        state.current = v;
        return ok();
      }
      for (const p of VERSIONS) {
        if (command === cmd.switchTo(v, p)) {
          state.previous = p;
          state.current = v;
          return ok();
        }
      }
    }
    throw new Error(`the fake host does not know this command: ${command}`);
  };

  const host: DeployHost = {
    exec: (_dev, command) => exec(command),
    upload: async (_dev, u) => {
      state.uploads.set(u.remotePath, { mode: u.mode, bytes: u.source instanceof Uint8Array ? u.source : u.source.path });
      return { bytes: u.source instanceof Uint8Array ? u.source.length : 1000 };
    },
  };

  const summary = (id: string): AgentSummary | null => {
    if (id !== DEV.id) return null;
    const up = state.running !== null && o.good.has(state.running) && o.now() >= state.startedAt + 500;
    return {
      id, deviceId: DEV.id, hostname: DEV.hostname, state: 'enrolled', health: up ? 'healthy' : 'stale', connected: up, version: up ? state.running : null, remote: null,
      lastSeenAt: null, lastSeq: 0, status: up ? { at: state.startedAt + 500, state: 'ok', cpuPct: 1, rssBytes: 1, bufferDepth: 0, bufferBytes: 0, dropped: 0 } : null,
      enrolledAt: 0, enrolledBy: 'x', revokedAt: null, revokedBy: null,
    };
  };
  const agents: DeployAgents = {
    fingerprint256: Array.from({ length: 32 }, () => 'AB').join(':'),
    collect: { intervalMs: 1000, inventoryIntervalMs: 60_000, processes: [], files: [], maxCpuPct: 5, maxRssBytes: 1 << 27 },
    enrol: () => summary(DEV.id)!,
    summary,
  };
  const releases = { runtime: async () => ({ path: '/node', sha256: SUM, bytes: 1 }) } as unknown as ReleaseCatalogue;
  const deps = (extra: Partial<DeployDeps> = {}): DeployDeps => ({
    device: (id) => (id === DEV.id ? DEV : null), host, releases, agents, consoleAddress: () => ({ host: '127.0.0.1', port: 7000 }), audit: () => {}, now: o.now, ...extra,
  });
  return { state, cmd, deps };
}
