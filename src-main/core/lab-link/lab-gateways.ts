// The lab's MGW gateway cluster as real processes, owned by the core's lab module
// (lab-module.ts): so the gateways view has a live cluster to show on the lab fleet, as it
// would on a real one. Where it sits is src-shared/mgw/lab-cluster.ts (<prefix>.0.x, only for
// a lab on its own loopback aliases). startLabGateways writes the cluster's and each node's
// config into a temporary dir (under the lab's data dir, else the OS's; removed at stop),
// draws a control token, and spawns as children of the core: 3 backends (the agent's
// gateway-backend with the echo service), 3 nodes (`mgw run`, bindVips off: the router owns
// the VIP) and the lab's router (`mgw router`). It returns at once: the scraper shows the
// nodes unreachable until they answer.
//
// It supervises them: a child that exits unasked (a drill's kill -9) starts again after
// restartDelayMs, doubled for each quick death in a row (up to a minute). A node keeps its
// stateDir across restarts; resyncing from its peers before it takes traffic is the daemon's
// job. stop(): SIGTERM each live child by pid, SIGKILL after 3 s, wait for every exit. Each
// child also watches its parent (a preload): if the core dies without stopping it (kill -9),
// its daemons end themselves rather than hold the lab's addresses. Child output goes to the
// log, prefixed with the child's name, at most LOG_LINES_PER_MIN lines a minute each; the last
// RING_LINES lines are kept whole (logs()).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { MgwCluster } from '../../../src-shared/mgw/config';
import { labGatewayCluster } from '../../../src-shared/mgw/lab-cluster';
import type { GatewayClusterConfig } from '../gateways/gateways-capability';

export const LAB_GATEWAYS_STOP_GRACE_MS = 3_000;
const DEFAULT_RESTART_DELAY_MS = 3_000;
const MAX_RESTART_DELAY_MS = 60_000;
/** A child that ran at least this long before it died starts its backoff over. */
const STEADY_MS = 30_000;
const LOG_LINES_PER_MIN = 60;
const RING_LINES = 400;
const DIR_PREFIX = 'mgw-lab-';

/** How one daemon is run: the command and the arguments before the daemon's own. */
export interface DaemonCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
}

export interface LabGatewayDaemons {
  /** src-daemons/mgw: `mgw run`, `mgw router`. */
  readonly mgw: DaemonCommand;
  /** src-daemons/agent: `agent gateway-backend`. */
  readonly agent: DaemonCommand;
}

export interface LabGatewaysOptions {
  /** The lab's address prefix (127.16): no cluster unless a two-octet loopback one. */
  readonly addressPrefix: string;
  /** Where the temporary dir goes (the lab's data dir); absent: os.tmpdir(). */
  readonly dataDir?: string;
  /** How the daemons are run; absent: resolveLabDaemons(bundleDir). */
  readonly daemons?: LabGatewayDaemons;
  /** The built bundles' folder (resources/daemons: mgw.js, agent.js). */
  readonly bundleDir?: string;
  readonly restartDelayMs?: number;
  readonly log: (line: string) => void;
}

export interface LabGatewayChild {
  readonly name: string;
  /** Undefined while it is not running (between a death and its restart). */
  readonly pid: number | undefined;
  /** Times it was started. */
  readonly starts: number;
}

export interface LabGateways {
  readonly cluster: MgwCluster;
  readonly token: string;
  /** What the gateways capability scrapes: this cluster and its token. */
  readonly clusters: GatewayClusterConfig[];
  /** The temporary dir (configs, node state). */
  readonly dir: string;
  children(): LabGatewayChild[];
  /** The last lines of every child's output, prefixed with its name. */
  logs(): string[];
  /** Stops every child (SIGTERM by pid, SIGKILL after 3 s), waits for their exits, removes the dir. */
  stop(): Promise<void>;
}

/**
 * How the daemons run here: the bundles (bundleDir, else resources/daemons under the working
 * directory) with this process's node; from a checkout without them (tests), the sources
 * through tsx. Null when neither is there, and under Electron (its binary is no node).
 */
export function resolveLabDaemons(bundleDir?: string): LabGatewayDaemons | null {
  if (process.versions.electron) return null;
  for (const dir of [bundleDir, path.resolve('resources', 'daemons')]) {
    if (!dir) continue;
    const mgw = path.join(dir, 'mgw.js');
    const agent = path.join(dir, 'agent.js');
    if (existsSync(mgw) && existsSync(agent)) return { mgw: { command: process.execPath, args: [mgw] }, agent: { command: process.execPath, args: [agent] } };
  }
  const root = process.cwd();
  const mgw = path.join(root, 'src-daemons', 'mgw', 'entry.ts');
  const agent = path.join(root, 'src-daemons', 'agent', 'entry.ts');
  if (existsSync(mgw) && existsSync(agent) && existsSync(path.join(root, 'node_modules', 'tsx'))) {
    return { mgw: { command: process.execPath, args: ['--import', 'tsx', mgw], cwd: root }, agent: { command: process.execPath, args: ['--import', 'tsx', agent], cwd: root } };
  }
  return null;
}

// Preloaded in each child: once its parent is gone (it was re-parented), it stops itself as
// SIGTERM would (sockets closed), so a core killed with -9 leaves no daemon on the lab's addresses.
const PARENT_WATCH = `data:text/javascript,${encodeURIComponent(
  'const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.kill(process.pid,"SIGTERM")},1000).unref();',
)}`;

interface Kid {
  readonly name: string;
  readonly cmd: DaemonCommand;
  readonly args: readonly string[];
  proc: ChildProcess | null;
  starts: number;
  startedAt: number;
  quickDeaths: number;
  timer: NodeJS.Timeout | null;
  exited: Promise<void>;
  logWindow: { at: number; lines: number; dropped: number };
}

const running = (p: ChildProcess | null): p is ChildProcess => p !== null && p.pid !== undefined && p.exitCode === null && p.signalCode === null;

/** The lab's gateway cluster, spawning (not waiting for) its processes; null when the lab has none here. */
export function startLabGateways(o: LabGatewaysOptions): LabGateways | null {
  const token = randomBytes(24).toString('hex');
  const cluster = labGatewayCluster(o.addressPrefix, createHash('sha256').update(token).digest('hex'));
  if (!cluster) return null;
  const daemons = o.daemons ?? resolveLabDaemons(o.bundleDir);
  if (!daemons) {
    o.log(`lab gateways: no MGW cluster: ${process.versions.electron ? 'the desktop cannot run the daemons as node' : 'no daemon bundles (run npm run build:daemons)'}`);
    return null;
  }
  const base = o.dataDir ?? tmpdir();
  mkdirSync(base, { recursive: true });
  // The lab's data dir is this console's alone: a dir left by a core that was killed goes.
  if (o.dataDir) {
    for (const name of readdirSync(base)) if (name.startsWith(DIR_PREFIX)) rmSync(path.join(base, name), { recursive: true, force: true });
  }
  const dir = mkdtempSync(path.join(base, DIR_PREFIX));
  const clusterFile = path.join(dir, 'cluster.json');
  writeFileSync(clusterFile, JSON.stringify(cluster, null, 2), { mode: 0o600 });

  const restartDelayMs = o.restartDelayMs ?? DEFAULT_RESTART_DELAY_MS;
  const ring: string[] = [];
  let stopping: Promise<void> | null = null;
  const kids: Kid[] = [];
  const kid = (name: string, cmd: DaemonCommand, args: string[]): void => {
    kids.push({ name, cmd, args, proc: null, starts: 0, startedAt: 0, quickDeaths: 0, timer: null, exited: Promise.resolve(), logWindow: { at: 0, lines: 0, dropped: 0 } });
  };
  for (const b of cluster.backends) kid(b.name, daemons.agent, ['gateway-backend', '--name', b.name, '--listen', `${b.address}:${b.port}`, '--service', 'echo']);
  cluster.nodes.forEach((n, i) => {
    const stateDir = path.join(dir, `state-${n.id}`);
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `node-${n.id}.json`);
    writeFileSync(file, JSON.stringify({ self: n.id, cluster, stateDir, bindVips: false }, null, 2), { mode: 0o600 });
    kid(cluster.nodes[i].id, daemons.mgw, ['run', '--config', file]);
  });
  kid('router', daemons.mgw, ['router', '--cluster', clusterFile]);

  const line = (k: Kid, text: string): void => {
    const l = `[${k.name}] ${text}`;
    ring.push(l);
    if (ring.length > RING_LINES) ring.splice(0, ring.length - RING_LINES);
    const now = Date.now();
    const w = k.logWindow;
    if (now - w.at >= 60_000) {
      if (w.dropped) o.log(`lab gateways: [${k.name}] ${w.dropped} more line(s) not logged`);
      w.at = now;
      w.lines = 0;
      w.dropped = 0;
    }
    if (w.lines++ < LOG_LINES_PER_MIN) o.log(`lab gateways: ${l}`);
    else w.dropped++;
  };

  const start = (k: Kid): void => {
    k.timer = null;
    if (stopping) return;
    k.startedAt = Date.now();
    let proc: ChildProcess;
    try {
      proc = spawn(k.cmd.command, ['--import', PARENT_WATCH, ...k.cmd.args, ...k.args], { cwd: k.cmd.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      line(k, `could not start: ${(err as Error).message}`);
      return died(k, null, null);
    }
    k.proc = proc;
    k.starts++;
    for (const s of [proc.stdout, proc.stderr]) if (s) createInterface({ input: s, crlfDelay: Infinity }).on('line', (l) => line(k, l));
    let done = false;
    k.exited = new Promise<void>((resolve) => {
      const end = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (done) return;
        done = true;
        resolve();
        if (k.proc === proc) k.proc = null;
        died(k, code, signal);
      };
      proc.once('exit', end);
      // Never spawned (no 'exit' follows): the same as an exit.
      proc.once('error', (err) => {
        line(k, `process error: ${err.message}`);
        if (proc.pid === undefined) end(null, null);
      });
    });
  };

  const died = (k: Kid, code: number | null, signal: NodeJS.Signals | null): void => {
    if (stopping) return;
    k.quickDeaths = Date.now() - k.startedAt >= STEADY_MS ? 1 : k.quickDeaths + 1;
    const delay = Math.min(MAX_RESTART_DELAY_MS, restartDelayMs * 2 ** (k.quickDeaths - 1));
    o.log(`lab gateways: ${k.name} exited (code ${code}, signal ${signal}); starting it again in ${delay} ms`);
    k.timer = setTimeout(() => start(k), delay);
    k.timer.unref();
  };

  const signal = (k: Kid, sig: NodeJS.Signals): void => {
    const p = k.proc;
    if (!running(p)) return;
    try {
      process.kill(p.pid!, sig);
    } catch {
      // already gone
    }
  };

  for (const k of kids) start(k);
  o.log(`lab gateways: cluster ${cluster.cluster} (${cluster.nodes.length} nodes, ${cluster.backends.length} backends, VIP ${cluster.vips.map((v) => `${v.address}:${v.port}`).join(', ')}) starting in ${dir}`);

  return {
    cluster,
    token,
    clusters: [{ cluster, token }],
    dir,
    children: () => kids.map((k) => ({ name: k.name, pid: running(k.proc) ? k.proc.pid : undefined, starts: k.starts })),
    logs: () => [...ring],
    stop: () => {
      stopping ??= (async () => {
        for (const k of kids) if (k.timer) clearTimeout(k.timer);
        for (const k of kids) signal(k, 'SIGTERM');
        const killer = setTimeout(() => {
          for (const k of kids) {
            if (!running(k.proc)) continue;
            o.log(`lab gateways: ${k.name} (pid ${k.proc.pid}) did not stop within ${LAB_GATEWAYS_STOP_GRACE_MS} ms; killing it`);
            signal(k, 'SIGKILL');
          }
        }, LAB_GATEWAYS_STOP_GRACE_MS);
        await Promise.all(kids.map((k) => k.exited));
        clearTimeout(killer);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
