// Support for serve-crash-provisioning.test.ts: a serve process killed and restarted on one
// data directory and one port (callback URLs minted before a kill stay valid after it), with
// its lab child followed to its end; the journal as it stood at the moment of death; and the
// fleet outside the console. The lab runs as serve's child, so it dies with serve and comes
// back as new: installed hosts back on their old OS and hostname, installs in flight gone.
// Real servers outlive a console crash, so the test keeps the fleet: after each restart it puts
// every host back as it was (restoreFleet, through the lab's PXE profiles and a BMC reset into
// PXE): installed hosts get their install again (an instant install of the same OS and
// hostname: the same install generation, so the same SSH host key), and an install in flight
// goes on for the time it had left and calls back the step's one-time URL, as the installer
// would have. What it puts back comes from the journal at death, not from the engine after the
// restart; the engine runs meanwhile, so a host read in that moment still sees the lab's fresh host. The receiver of the flow's callbacks is a real HTTP
// server: slow (a kill can land between a delivery and its acknowledgement) and failing 1 in 4.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createIpmiClient } from '../../../src-main/core/protocols/ipmi';
import { SecretBox } from '../../../src-main/core/security/secret-box';
import { loadOrCreateKeyFile } from '../../../src-main/core/security/secret-key';
import type { Device, LabInstallProfile, LabOsTemplate } from '../../../src-shared/domain';
import { descendants, sleep } from '../../support/handles';
import { startServe, type ServeProcess } from '../../support/serve-process';
import type { TestClient } from '../../support/ws-client';

/** A seeded generator (mulberry32), so a failing run can be replayed by its seed. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A free port on 127.0.0.1 above Linux's ephemeral range (32768-60999), so that no outgoing
 * connection takes it while serve is down between a kill and its restart.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 61_000 + Math.floor(Math.random() * 4000);
    const s = createServer();
    const ok = await new Promise<boolean>((r) => {
      s.once('error', () => r(false));
      s.listen(port, '127.0.0.1', () => r(true));
    });
    if (ok) {
      await new Promise((r) => s.close(r));
      return port;
    }
  }
}

/** The fields of /proc/<pid>/stat after the command name (state first), or null when it is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
/** 'gone' or the process state letter (Z: exited, not yet reaped). */
const procState = (pid: number): string => statFields(pid)?.[0] ?? 'gone';
/** When the process started (clock ticks since boot): tells a pid of ours from a reused one. */
const startTime = (pid: number): string | null => statFields(pid)?.[19] ?? null;
/** State, threads and open descriptors of a process, for a report. */
function describe(pid: number): string {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (f: string) => new RegExp(`^${f}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '?';
    const fds = readdirSync(`/proc/${pid}/fd`).length;
    const wchan = readFileSync(`/proc/${pid}/wchan`, 'utf8');
    return `state ${field('State')}, ${field('Threads')} threads, ${fds} fds, wchan ${wchan}`;
  } catch (err) {
    return String(err);
  }
}

/** Exited with its sockets released: gone, or a zombie whose descriptors are all closed (a zombie leader can outlive its exiting threads). */
function ended(pid: number): boolean {
  const s = procState(pid);
  if (s === 'gone') return true;
  if (s !== 'Z' && s !== 'X') return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).length === 0;
  } catch {
    return true;
  }
}

export interface Death {
  /** The lab processes serve had when it was killed. */
  readonly lab: readonly number[];
  /** Those still running 15 s after serve died (then killed by pid), with what /proc said of them. */
  readonly lingering: readonly string[];
  readonly at: number;
}

/** serve on a fixed port and data directory, killed with SIGKILL and started again. */
export class ServeLife {
  current: ServeProcess | null = null;
  tokens: ServeProcess['tokens'] | null = null;
  dataDir: string | undefined;
  /** Every process seen (serve and its lab) with its start time, for the final clean-up. */
  readonly pids = new Map<number, string | null>();
  readonly starts: number[] = [];

  constructor(private readonly args: string[]) {}

  async start(): Promise<ServeProcess> {
    const t0 = Date.now();
    const s = await startServe(this.args, { dataDir: this.dataDir });
    this.starts.push(Date.now() - t0);
    this.current = s;
    this.dataDir = s.dataDir;
    this.tokens ??= s.tokens;
    for (const p of [s.pid, ...descendants(s.pid)]) this.pids.set(p, startTime(p));
    return s;
  }

  /** SIGKILL by pid; waits for serve's exit and for its lab child to end by itself (it ends on the IPC disconnect). */
  async kill(): Promise<Death> {
    const s = this.current!;
    const lab = descendants(s.pid);
    for (const p of lab) this.pids.set(p, startTime(p));
    const exited = new Promise((r) => s.child.once('exit', r));
    process.kill(s.pid, 'SIGKILL');
    await exited;
    const at = Date.now();
    this.current = null;
    const until = at + 15_000;
    while (lab.some((p) => !ended(p)) && Date.now() < until) await sleep(10);
    const lingering = lab.filter((p) => !ended(p)).map((p) => {
      const said = describe(p);
      if (startTime(p) === this.pids.get(p)) process.kill(p, 'SIGKILL');
      return `${p} (${said})`;
    });
    return { lab, lingering, at };
  }

  /** Stops what is left, by pid: serve politely, then anything of ours still running (the same pid and start time). */
  async stop(): Promise<void> {
    await this.current?.stop();
    this.current = null;
    for (const [p, started] of this.pids) {
      if (ended(p) || startTime(p) !== started) continue;
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

export interface TaskRow {
  step_id: string;
  host: string;
  state: string;
  attempt: number;
  outputs: string | null;
  checks: number;
  callback_token: string | null;
  a_started: number | null;
  a_open: number | null;
}

export interface AttemptRow {
  step_id: string;
  host: string;
  attempt: number;
  state: string;
  failure: string | null;
  error: string | null;
  started_at: number;
  finished_at: number | null;
  by: string;
}

export interface Journal {
  readonly runState: string;
  /** Outbox rows not acknowledged. */
  readonly unsent: number;
  readonly tasks: readonly TaskRow[];
  readonly attempts: readonly AttemptRow[];
}

/** The run as the journal held it when serve died (serve is down: nothing else has the file open). */
export function journalAt(dataDir: string, runId: string): Journal {
  const db = new Database(join(dataDir, 'fleetdeck.db'), { fileMustExist: true });
  try {
    const run = db.prepare('SELECT state FROM wf_runs WHERE id = ?').get(runId) as { state: string };
    const tasks = db.prepare(`SELECT t.step_id, t.host, t.state, t.attempt, t.outputs, t.checks, t.callback_token, a.started_at AS a_started,
        (a.attempt IS NOT NULL AND a.finished_at IS NULL) AS a_open
      FROM wf_tasks t LEFT JOIN wf_attempts a ON a.run_id = t.run_id AND a.step_id = t.step_id AND a.host = t.host AND a.attempt = t.attempt
      WHERE t.run_id = ?`).all(runId) as TaskRow[];
    const attempts = db.prepare('SELECT step_id, host, attempt, state, failure, error, started_at, finished_at, by FROM wf_attempts WHERE run_id = ? ORDER BY step_id, host, attempt').all(runId) as AttemptRow[];
    const unsent = (db.prepare('SELECT COUNT(*) AS n FROM wf_outbox WHERE run_id = ? AND sent_at IS NULL').get(runId) as { n: number }).n;
    return { runState: run.state, unsent, tasks, attempts };
  } finally {
    db.close();
  }
}

export interface Look {
  readonly state: string;
  /** Outbox rows of the run not acknowledged yet. */
  readonly unsent: number;
  /** attemptAt: when the task's current attempt started (null before its first). */
  readonly tasks: readonly { stepId: string; host: string; state: string; attemptAt: number | null }[];
}

/**
 * The run's task states straight from the journal while serve runs (a read-only WAL reader:
 * it reads every few ms without going through the API's per-connection call budget). Closed
 * before each kill and opened again after the restart.
 */
export class JournalReader {
  #db: Database.Database | null = null;
  constructor(private readonly dataDir: string, private readonly runId: string) {}

  look(): Look {
    this.#db ??= new Database(join(this.dataDir, 'fleetdeck.db'), { readonly: true, fileMustExist: true });
    const run = this.#db.prepare('SELECT state FROM wf_runs WHERE id = ?').get(this.runId) as { state: string };
    const tasks = this.#db.prepare(`SELECT t.step_id AS stepId, t.host, t.state, a.started_at AS attemptAt FROM wf_tasks t
      LEFT JOIN wf_attempts a ON a.run_id = t.run_id AND a.step_id = t.step_id AND a.host = t.host AND a.attempt = t.attempt WHERE t.run_id = ?`).all(this.runId) as Look['tasks'];
    const unsent = (this.#db.prepare('SELECT COUNT(*) AS n FROM wf_outbox WHERE run_id = ? AND sent_at IS NULL').get(this.runId) as { n: number }).n;
    return { state: run.state, unsent, tasks };
  }

  close(): void {
    this.#db?.close();
    this.#db = null;
  }
}

/** Idempotency keys of outbox rows not marked sent (serve is down). */
export function outboxUnsent(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'fleetdeck.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT idempotency_key FROM wf_outbox WHERE sent_at IS NULL').all() as { idempotency_key: string }[]).map((r) => r.idempotency_key);
  } finally {
    db.close();
  }
}

/** The lab's BMC login as serve stored it (sealed under the data directory's key). */
export function labIpmiLogin(dataDir: string): { username: string; password: string } {
  const db = new Database(join(dataDir, 'fleetdeck.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT secret FROM credentials WHERE id = 'lab-ipmi'").get() as { secret: Buffer } | undefined;
    if (!row) throw new Error('serve stored no lab-ipmi credential');
    const box = new SecretBox(loadOrCreateKeyFile(join(dataDir, 'secret.key')));
    return JSON.parse(box.open('lab-ipmi', row.secret)) as { username: string; password: string };
  } finally {
    db.close();
  }
}

export interface Restored {
  /** Hosts given their finished install again. */
  readonly installed: string[];
  /** Hosts whose install in flight goes on: ms left. */
  readonly inFlight: { host: string; leftMs: number }[];
  /** When the last host was reset into its install. */
  readonly doneAt: number;
}

/**
 * Puts the fleet back as the journal at death says it was: a finished os_install leaves the
 * host installed; an open attempt past its first call (staged and power-cycled) is an install
 * in flight. An attempt killed in its first call is not put back: the engine fails it as
 * interrupted and the operator's retry stages and boots it again.
 */
export async function restoreFleet(o: {
  journal: Journal;
  op: TestClient;
  devices: readonly Device[];
  os: LabOsTemplate;
  /** The hostname each host's install gives, by SN (the run's hostnames param). */
  hostnames: Readonly<Record<string, string>>;
  installMs: number;
  serveUrl: string;
  login: { username: string; password: string };
}): Promise<Restored> {
  const installed: string[] = [];
  const inFlight: { host: string; leftMs: number }[] = [];
  const boots: Promise<void>[] = [];
  for (const d of o.devices) {
    const t = o.journal.tasks.find((x) => x.step_id === 'os_install' && x.host === d.id);
    if (!t) continue;
    let profile: LabInstallProfile | null = null;
    if (t.state === 'succeeded') {
      const out = JSON.parse(t.outputs ?? '{}') as { hostname: string };
      profile = { os: o.os, hostname: out.hostname, durationMs: 0 };
      installed.push(d.id);
    } else if (t.a_open === 1 && t.checks >= 1 && t.callback_token && t.a_started !== null) {
      const leftMs = Math.max(0, Math.round(t.a_started + o.installMs - Date.now()));
      profile = { os: o.os, hostname: o.hostnames[d.sn], durationMs: leftMs, callback: { url: `${o.serveUrl}wf/callback/${t.callback_token}`, method: 'POST' } };
      inFlight.push({ host: d.id, leftMs });
    }
    if (!profile) continue;
    const p = profile;
    boots.push((async () => {
      await o.op.call('lab.setInstallProfile', { deviceId: d.id, profile: p });
      const bmc = createIpmiClient({ host: d.bmcAddress!, port: d.bmcPort, ...o.login, cipherSuite: 17, keepAliveMs: 0, timeoutMs: 500, retries: 1 });
      try {
        // A hard reset boots it straight from PXE (a power cycle keeps it off for a second first).
        await bmc.setBootDevice('pxe');
        await bmc.power('reset');
      } finally {
        await bmc.close();
      }
    })());
  }
  await Promise.all(boots);
  return { installed, inFlight, doneAt: Date.now() };
}

export interface Delivery {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly at: number;
  status: number;
}

/** The flow's callback receiver: answers after 250 ms, 503 one time in four (seeded). */
export async function startReceiver(rand: () => number): Promise<{ url: string; deliveries: Delivery[]; holding: () => number; close(): Promise<void> }> {
  const deliveries: Delivery[] = [];
  let held = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const d: Delivery = { key: String(req.headers['idempotency-key']), method: req.method ?? '', path: req.url ?? '', body, at: Date.now(), status: 0 };
      deliveries.push(d);
      held++;
      setTimeout(() => {
        held--;
        d.status = rand() < 0.25 ? 503 : 200;
        res.statusCode = d.status;
        res.end();
      }, 250);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/machineManage/v1/createCallback`,
    deliveries,
    holding: () => held,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
