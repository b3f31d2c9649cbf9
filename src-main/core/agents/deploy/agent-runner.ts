// How agent.activate starts, stops and reads a host's agent, and how it judges it: under the
// agent's own supervisor (agent-supervise.js start --daemonize / stop, its pid file and rotated
// log), or, where systemd is PID 1 and the login is root, as the systemd unit (its text from
// the supervisor's systemd.ts, handed in as deps.systemdUnit; systemctl restart/stop,
// journalctl for the log). The systemd path cannot be exercised on these machines (no systemd
// as PID 1 here; the unit test drives its commands on a fake host), and without
// deps.systemdUnit (the core may not import src-daemons) systemd hosts use the supervisor too.
// Healthy, for the deploy: the agents capability has the agent connected, saying hello with
// the version expected, and holding a status result newer than the start (the agent's clock
// against the console's, as the agents list's health already assumes).
// Why it did not come up: the last meaningful line of its log since the start (Node's stack
// frames, its version banner, caret lines and the supervisor's own records left out, unless
// the supervisor's records are all there is).
import type { AgentSummary } from '../../../../src-shared/domain/agent';
import type { ToolContext } from '../../workflows/tool';
import type { DeployDeps, onHost } from './deploy-deps';
import { UNIT_FILE } from './host-commands';

export type Via = 'supervisor' | 'systemd';
type Host = ReturnType<typeof onHost>;

export interface AgentRunner {
  readonly via: Via;
  /** Stops what runs (nothing running is fine) and starts `current`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  logTail(): Promise<string>;
}

export function agentRunner(deps: DeployDeps, h: Host, via: Via, ctx: Pick<ToolContext, 'signal'>): AgentRunner {
  const dev = h.dev;
  if (via === 'systemd' && deps.systemdUnit) {
    const unit = deps.systemdUnit;
    return {
      via,
      async restart() {
        // A supervisor an earlier deploy started (before the login was root) would run a second agent.
        await h.sh('stopping the supervisor', h.cmd.stop(), 60_000).catch(() => undefined);
        const text = unit({ execStart: [h.paths.node, `${h.paths.current}/agent.js`, 'run', '--config', h.paths.runConfig], workingDirectory: h.layout.base, description: 'FleetDeck agent' });
        await deps.host.upload(dev, { source: Buffer.from(text), remotePath: UNIT_FILE, mode: 0o644, signal: ctx.signal });
        await h.sh('restarting the agent unit', h.cmd.unitRestart(), 60_000);
      },
      stop: async () => void (await h.sh('stopping the agent unit', h.cmd.unitStop(), 60_000)),
      logTail: () => h.sh('reading the agent journal', h.cmd.unitLogTail(40)),
    };
  }
  return {
    via: 'supervisor',
    async restart() {
      await h.sh('stopping the agent', h.cmd.stop(), 60_000);
      await h.sh('starting the agent', h.cmd.start(), 60_000);
    },
    stop: async () => void (await h.sh('stopping the agent', h.cmd.stop(), 60_000)),
    logTail: () => h.sh("reading the agent's log", h.cmd.logTail(40)),
  };
}

/** Which runner a host gets: systemd where it is PID 1, the login is root, the path absolute and the unit text known. */
export function viaFor(deps: Pick<DeployDeps, 'systemdUnit'>, probe: { systemd: boolean; root: boolean }, base: string): Via {
  return probe.systemd && probe.root && base.startsWith('/') && deps.systemdUnit ? 'systemd' : 'supervisor';
}

export interface Health {
  readonly ok: boolean;
  /** What is missing, for the log ("not connected", "says 1.0.0", "no status since the start"). */
  readonly note: string;
}

/** Connected, with this version, and a status result newer than `since`. */
export function judge(s: AgentSummary | null, version: string, since: number): Health {
  if (!s) return { ok: false, note: 'not enrolled' };
  if (s.state === 'revoked') return { ok: false, note: 'revoked' };
  if (!s.connected) return { ok: false, note: 'not connected' };
  if (s.version !== version) return { ok: false, note: `connected as ${s.version ?? '?'}` };
  if (!s.status || s.status.at <= since) return { ok: false, note: 'connected, no status since the start yet' };
  return { ok: true, note: s.status.state === 'ok' ? 'connected and reporting' : `connected and reporting, but ${s.status.state}` };
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s+/;
const SUPERVISOR = /^(?:\S+\s+)?supervisor\[\d+\]:\s*/;
const NOISE = [/^\s*at\s/, /^Node\.js v\d/, /^\s*\^+\s*$/, /^\s*$/, /^agent: SIG(TERM|INT), stopping$/];

/** The line that says why: the last agent line since `since` (its timestamp cut), else the supervisor's last record; null when the log is silent. */
export function lastMeaningfulLine(tail: string, since: number): string | null {
  let agentLine: string | null = null;
  let supervisorLine: string | null = null;
  for (const raw of tail.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const stamp = ISO.exec(line);
    if (stamp && Date.parse(stamp[1]) < since) continue;
    const text = stamp ? line.slice(stamp[0].length) : line;
    if (SUPERVISOR.test(line) || SUPERVISOR.test(text)) {
      supervisorLine = text.replace(SUPERVISOR, '').trim() || supervisorLine;
      continue;
    }
    if (NOISE.some((n) => n.test(text))) continue;
    agentLine = text.trim();
  }
  const found = agentLine ?? supervisorLine;
  return found === null ? null : found.length > 300 ? `${found.slice(0, 297)}...` : found;
}
