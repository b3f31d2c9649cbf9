// Where the gateway deploy puts things on a fleet host and the shell commands it runs there,
// in one place (as the agent's host-commands.ts is for the agent, whose runtime folder and
// probe it shares: a host that already runs the agent is not sent the Node runtime again).
// Plain POSIX sh and coreutils; every path quoted. Under `base` (the install dir):
//   runtime/node-<sha12>/node                       the Node runtime (the agent's layout)
//   mgw/bundle-<key>/mgw.js, agent-supervise.js     the console's bundle, kept by checksum
//                                                   (key: the two files' sha256s hashed), so a
//                                                   running node's files are never replaced
//   mgw/<cluster>/<node>/run.json                   the node's run config (mgwRunConfigSchema)
//   mgw/<cluster>/<node>/state/                     its state dir (the epoch counter)
//   mgw/<cluster>/<node>/supervisor.pid, mgw.log    its supervisor's pid file and its rotated log
//   mgw/<cluster>/<node>/running.sum                what the running node was started from
// The node runs under agent-supervise.js exactly as the agent does without systemd: start
// --daemonize (returns once the supervisor holds its pid file), stop --pid-file. Also the
// bundle's files as the console ships them (resources/daemons by default, the agent's
// bundleDir when configured), their checksums kept while size and mtime stay the same.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Device } from '../../../../src-shared/domain';
import { FleetDeckError } from '../../../../src-shared/errors';
import { shellQuote } from '../../protocols/ssh';
import type { ToolContext } from '../../workflows/tool';
import type { DeployHost } from '../../agents/deploy/deploy-deps';
import { HostCommandError } from '../../agents/deploy/errors';
import { hostCommands, paths as agentPaths } from '../../agents/deploy/host-commands';
import { shippedFiles, type ShippedFile } from '../../agents/deploy/releases';

/** The node, its supervisor, and the batched data plane's addon (mgw.js loads it from beside itself). */
export const BUNDLE_FILES = ['mgw.js', 'agent-supervise.js', 'mgw-mmsg.node'] as const;
export type BundleFileName = (typeof BUNDLE_FILES)[number];

export interface GatewayBundle {
  /** Names the bundle's folder on the host. */
  readonly key: string;
  readonly files: Readonly<Record<BundleFileName, ShippedFile>>;
}

export interface GatewayLayout {
  readonly base: string;
  readonly runtimeSha256: string;
  readonly bundleKey: string;
  readonly cluster: string;
}

const q = shellQuote;

export const bundleKeyOf = (...sha256s: string[]): string => createHash('sha256').update(sha256s.join(':')).digest('hex').slice(0, 12);

export const gatewayPaths = (l: GatewayLayout) => {
  const rt = agentPaths({ base: l.base, runtimeSha256: l.runtimeSha256 });
  const bundleDir = `${l.base}/mgw/bundle-${l.bundleKey}`;
  const nodeDir = (id: string): string => `${l.base}/mgw/${l.cluster}/${id}`;
  return {
    runtimeDir: rt.runtimeDir,
    node: rt.node,
    bundleDir,
    file: (name: BundleFileName) => `${bundleDir}/${name}`,
    nodeDir,
    runConfig: (id: string) => `${nodeDir(id)}/run.json`,
    stateDir: (id: string) => `${nodeDir(id)}/state`,
    pidFile: (id: string) => `${nodeDir(id)}/supervisor.pid`,
    logFile: (id: string) => `${nodeDir(id)}/mgw.log`,
    marker: (id: string) => `${nodeDir(id)}/running.sum`,
  };
};

export const gatewayCommands = (l: GatewayLayout) => {
  const p = gatewayPaths(l);
  const agent = hostCommands({ base: l.base, runtimeSha256: l.runtimeSha256 });
  const supervise = `${q(p.node)} ${q(p.file('agent-supervise.js'))}`;
  return {
    /** The agent's four-line probe (uname, PID 1, uid, systemd). */
    probe: agent.probe,
    /** sha256sum's line for the kept runtime, or nothing. */
    runtimeSum: agent.runtimeSum,
    mkdirs: (nodes: readonly string[]) =>
      `mkdir -p ${q(p.runtimeDir)} ${q(p.bundleDir)} ${nodes.map((n) => q(p.stateDir(n))).join(' ')} && chmod 700 ${nodes.map((n) => q(p.stateDir(n))).join(' ')}`,
    /** sha256sum's lines for those of the files that exist. */
    sums: (files: readonly string[]) => `sha256sum ${files.map(q).join(' ')} 2>/dev/null; true`,
    /** Two lines: the marker's sum (or "none"), and "alive" when the supervisor its pid file names runs. */
    status: (id: string) =>
      `if [ -f ${q(p.marker(id))} ]; then head -n 1 ${q(p.marker(id))}; else echo none; fi; ` +
      `pid=$(cat ${q(p.pidFile(id))} 2>/dev/null); if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo alive; else echo dead; fi`,
    /** Stops the node's supervisor and the node (nothing running is fine). */
    stop: (id: string) => `${supervise} stop --pid-file ${q(p.pidFile(id))}`,
    /** Starts the node's supervisor in the background; it starts the node and keeps it up. */
    start: (id: string) =>
      `${supervise} start --daemonize --pid-file ${q(p.pidFile(id))} --log-file ${q(p.logFile(id))} -- ` +
      `${q(p.node)} ${q(p.file('mgw.js'))} run --config ${q(p.runConfig(id))}`,
    /** Records what the started node runs (atomically). */
    writeMarker: (id: string, sum: string) => `printf '%s\\n' ${q(sum)} > ${q(`${p.marker(id)}.tmp`)} && mv -f ${q(`${p.marker(id)}.tmp`)} ${q(p.marker(id))}`,
    logTail: (id: string, lines = 12) => `tail -n ${Math.max(1, Math.min(200, Math.floor(lines)))} ${q(p.logFile(id))} 2>/dev/null || true`,
  };
};

/** sha256sum output as path -> sum. */
export function parseSums(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) out.set(m[2], m[1]);
  }
  return out;
}

/** Runs a command on the host; a non-zero exit or a signal throws HostCommandError naming what it did. */
export function hostShell(host: DeployHost, dev: Device, ctx: Pick<ToolContext, 'signal'>) {
  return async (what: string, command: string, timeoutMs = 30_000): Promise<string> => {
    const r = await host.exec(dev, command, { timeoutMs, signal: ctx.signal });
    if (r.exitCode !== 0) {
      throw new HostCommandError(dev.hostname, what, r.exitCode === null ? `signal ${r.signal ?? '?'}` : `exit ${r.exitCode}`, (r.stderr.trim() || r.stdout.trim()).slice(-500));
    }
    return r.stdout;
  };
}

/** The console's gateway bundle in bundleDir (default resources/daemons under the working directory, as the agent's catalogue resolves it). */
export function gatewayBundle(bundleDir?: string): () => Promise<GatewayBundle> {
  const dir = path.resolve(bundleDir ?? path.join('resources', 'daemons'));
  const shipped = shippedFiles();
  return async () => {
    const missing = BUNDLE_FILES.filter((f) => !existsSync(path.join(dir, f)));
    if (missing.length) {
      throw new FleetDeckError('UNAVAILABLE', `The console's gateway bundle is not in ${dir} (${missing.join(', ')} missing): run scripts/build-daemons.mjs`, { bundleDir: dir, missing });
    }
    const [mgw, supervise, mmsg] = await Promise.all(BUNDLE_FILES.map((f) => shipped(path.join(dir, f))));
    return { key: bundleKeyOf(mgw.sha256, supervise.sha256, mmsg.sha256), files: { 'mgw.js': mgw, 'agent-supervise.js': supervise, 'mgw-mmsg.node': mmsg } };
  };
}
