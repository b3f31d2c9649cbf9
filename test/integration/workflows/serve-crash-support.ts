// Support for serve-crash-provisioning.test.ts: a serve process killed and restarted on one
// data directory and one port (callback URLs minted before a kill stay valid after it), with
// its lab child followed to its end; the journal as it stood at the moment of death; and a
// look at the fleet after each restart. The lab runs as serve's child and dies with it, but it
// keeps its hosts' state in lab-state.json in the data directory, as a real fleet outlives its
// console: installed hosts stay installed, installs in flight go on, callbacks being sent are
// sent again. checkLabIdentity looks from outside the console (SNMP and SSH, as an operator's
// own tools would) at the hosts the journal at death had installed: each must answer with its
// new hostname, OS and (once the console accepted it) the host key the console pinned. The
// receiver of the flow's callbacks is a real HTTP server: slow (a kill can land between a
// delivery and its acknowledgement) and failing 1 in 4.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createSshPool, MemoryHostKeyStore, sshExec } from '../../../src-main/core/protocols/ssh';
import { SecretBox } from '../../../src-main/core/security/secret-box';
import { loadOrCreateKeyFile } from '../../../src-main/core/security/secret-key';
import { linuxSysDescr, templateOs } from '../../../src-main/lab/host-os';
import type { Device, LabOsTemplate } from '../../../src-shared/domain';
import { descendants, sleep } from '../../support/handles';
import { startServe, type ServeProcess } from '../../support/serve-process';
import { snmpGet, SYS_DESCR, SYS_NAME } from '../lab/install/support';

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

/** A lab login as serve stored it (lab-ipmi, lab-ssh: sealed under the data directory's key). */
export function labLogin(dataDir: string, id: 'lab-ipmi' | 'lab-ssh'): { username: string; password: string } {
  const db = new Database(join(dataDir, 'fleetdeck.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT secret FROM credentials WHERE id = ?').get(id) as { secret: Buffer } | undefined;
    if (!row) throw new Error(`serve stored no ${id} credential`);
    const box = new SecretBox(loadOrCreateKeyFile(join(dataDir, 'secret.key')));
    return JSON.parse(box.open(id, row.secret)) as { username: string; password: string };
  } finally {
    db.close();
  }
}

export interface IdentityCheck {
  /** Hosts the tasks say were installed (os_install succeeded), each looked at. */
  readonly hosts: number;
  /** Of those, how many had their new host key accepted by the console (host_key succeeded): their key compared (with SSH). */
  readonly keys: number;
  /** Hosts that answered as installed, and when the last of them did. */
  readonly ok: number;
  readonly lastOkAt: number;
  /** Answers that were not the installed host's (a kill cannot explain those), one line each. */
  readonly wrong: readonly string[];
  /** No answer (timed out, refused), with when the look gave up: only a look the next kill did not cut proves anything. */
  readonly silent: readonly { readonly what: string; readonly at: number }[];
  readonly doneAt: number;
}

/** SNMP values, asked again (each try timeoutMs) until they come or the deadline passes; null: no answer. */
async function snmpWithin(d: Device, community: string, oids: string[], deadline: number): Promise<string[] | null> {
  for (;;) {
    const got = await snmpGet(d.mgmtIp, d.snmpPort, community, oids, 2000);
    if (got || Date.now() >= deadline) return got;
  }
}

/**
 * Looks at the hosts the tasks say were installed, from outside the console: over SNMP
 * (sysName, sysDescr: the hostname the install gave and the template's kernel) and, with an
 * SSH login, over SSH too (hostname, /etc/os-release, and the host key the console accepted)
 * with a pool of its own. A host has `withinMs` to answer (the lab is busy right after a
 * start). Nothing is put back: the lab has to have kept them by itself.
 */
export async function checkLabIdentity(o: {
  /** The run's tasks as the journal had them (outputs as JSON text). */
  tasks: readonly Pick<TaskRow, 'step_id' | 'host' | 'state' | 'outputs'>[];
  devices: readonly Device[];
  os: LabOsTemplate;
  community: string;
  ssh?: { username: string; password: string };
  withinMs?: number;
}): Promise<IdentityCheck> {
  const os = templateOs(o.os);
  const deadline = Date.now() + (o.withinMs ?? 10_000);
  const pins = new MemoryHostKeyStore();
  const login = o.ssh;
  const pool = login ? createSshPool({ hostKeys: pins, credentials: () => login, idleTimeoutMs: 2000, connectTimeoutMs: o.withinMs ?? 10_000 }) : null;
  const wrong: string[] = [];
  const silent: { what: string; at: number }[] = [];
  let hosts = 0;
  let keys = 0;
  let ok = 0;
  let lastOkAt = 0;
  try {
    await Promise.all(o.devices.map(async (d) => {
      const task = (step: string) => o.tasks.find((t) => t.step_id === step && t.host === d.id);
      const installed = task('os_install');
      if (installed?.state !== 'succeeded') return;
      hosts++;
      const hostname = (JSON.parse(installed.outputs ?? '{}') as { hostname: string }).hostname;
      const before = wrong.length;
      const sys = await snmpWithin(d, o.community, [SYS_NAME, SYS_DESCR], deadline).catch((err: unknown) => String(err));
      const wantSys = [hostname, linuxSysDescr(hostname, os)];
      if (!Array.isArray(sys)) silent.push({ what: `${d.id}: no SNMP answer (${sys})`, at: Date.now() });
      else if (JSON.stringify(sys) !== JSON.stringify(wantSys)) wrong.push(`${d.id}: SNMP says ${JSON.stringify(sys)}, installed as ${JSON.stringify(wantSys)}`);
      const done = (): void => {
        if (Array.isArray(sys) && wrong.length === before && !silent.some((x) => x.what.startsWith(`${d.id}:`))) {
          ok++;
          lastOkAt = Date.now();
        }
      };
      if (!pool) return done();
      const key = task('host_key');
      const accepted = key?.state === 'succeeded' ? (JSON.parse(key.outputs ?? '{}') as { newFingerprint: string }).newFingerprint : null;
      if (accepted) keys++;
      try {
        const r = await sshExec(pool, { host: d.mgmtIp, port: d.sshPort, credentialId: 'lab-ssh' }, 'hostname; cat /etc/os-release', { check: true });
        const [name, ...release] = r.stdout.split('\n');
        if (name !== hostname) wrong.push(`${d.id}: SSH hostname ${name}, installed as ${hostname}`);
        if (!release.includes(`PRETTY_NAME="${os.prettyName}"`)) wrong.push(`${d.id}: SSH os-release is not ${os.prettyName}`);
        const presented = pins.get(d.mgmtIp, d.sshPort);
        if (accepted && presented !== accepted) wrong.push(`${d.id}: SSH host key ${presented}, the console accepted ${accepted}`);
      } catch (err) {
        silent.push({ what: `${d.id}: SSH: ${(err as Error).message}`, at: Date.now() });
      }
      done();
    }));
  } finally {
    await pool?.dispose();
  }
  return { hosts, keys, ok, lastOkAt, wrong, silent, doneAt: Date.now() };
}

const HOLD_MS = 1500;

export interface Delivery {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly at: number;
  status: number;
}

/**
 * The flow's callback receiver: answers after 1.5 s, 503 one time in four (seeded). The hold
 * outlasts the moments between a restart and the next kill: with the lab resuming by itself the
 * run's last steps take no time, and a kill aimed late in the run lands while deliveries wait.
 */
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
      }, HOLD_MS);
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
