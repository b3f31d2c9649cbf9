// Maglev table builds off the packet path (src-daemons/mgw/DESIGN.md, "Maglev"): a worker
// thread runs buildMaglev and transfers the table's buffer back (moved, not copied), so the
// node's event loop keeps forwarding while a backend change is rebuilt; the caller swaps the
// new table in with one assignment.
//
// - Superseding: only the newest request matters (the table to swap in is the one for the
//   current backends). A build() while another is in flight rejects the older promise at once
//   with a MaglevSupersededError; the worker finishes the older build (a synchronous loop:
//   tens of milliseconds at most) and its table is dropped. A request still waiting for the
//   worker is never sent when a newer one comes: at most one build runs and one waits.
// - Entry: this same file, started with workerData marking it a Maglev worker, found from
//   import.meta.url. From source (.ts, under vitest or `node --import tsx`) the worker gets
//   `--import tsx` as the project's forks do (src-main/core/lab-link/lab-process.ts). A
//   bundle's modules are not separate files: an ESM bundle's import.meta.url, a CommonJS
//   bundle's __filename (import.meta is empty there), or options.entry names the file the
//   worker runs; this module serves there when isMaglevWorker(), and the bundle's entry must
//   then skip its own main (`if (!isMaglevWorker()) main()`).
// - The worker is unref'd while idle (it does not keep a process alive) and ref'd while a
//   build is owed. A worker that dies fails the builds it owed; the next build starts another.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildMaglev, type MaglevBackend } from './maglev';

/** workerData key that tells the entry it runs as the Maglev worker. */
const MARK = 'fleetdeck-mgw-maglev-worker';

interface BuildRequest {
  readonly id: number;
  readonly backends: readonly MaglevBackend[];
  readonly size: number;
}
type BuildReply = { readonly id: number; readonly table: Uint16Array } | { readonly id: number; readonly error: string };

/** The rejection of a build that a newer build() replaced before it finished. */
export class MaglevSupersededError extends Error {
  override readonly name = 'MaglevSupersededError';
}

export interface MaglevBuilderOptions {
  /** The worker's entry: a file that runs serveMaglevWorker() in the worker; this file by default. */
  readonly entry?: string | URL;
}

interface Job {
  readonly request: BuildRequest;
  readonly resolve: (table: Uint16Array) => void;
  readonly reject: (err: Error) => void;
  /** Rejected already (superseded): its reply is dropped. */
  settled: boolean;
}

export class MaglevBuilder {
  /** The worker's file; '' when there is none (a bundle without options.entry). */
  private readonly entry: string | URL;
  private worker: Worker | null = null;
  private nextId = 1;
  /** Sent to the worker, reply not yet in. */
  private running: Job | null = null;
  /** Waiting for the worker to be free. */
  private waiting: Job | null = null;
  private disposed = false;

  constructor(options: MaglevBuilderOptions = {}) {
    // From source: this module's URL. In a CommonJS bundle import.meta is empty and __filename is
    // the bundle, which then runs as the worker too (its entry must skip its main there).
    this.entry = options.entry ?? (import.meta.url || (typeof __filename === 'string' ? __filename : ''));
  }

  /** The table of buildMaglev(backends, size), built in the worker; see the opening note for superseding. */
  build(backends: readonly MaglevBackend[], size: number): Promise<Uint16Array> {
    if (this.disposed) return Promise.reject(new Error('MaglevBuilder: disposed'));
    return new Promise<Uint16Array>((resolve, reject) => {
      const job: Job = { request: { id: this.nextId++, backends, size }, resolve, reject, settled: false };
      if (this.waiting) this.fail(this.waiting, new MaglevSupersededError(`Maglev build ${this.waiting.request.id} superseded by ${job.request.id}`));
      if (this.running) this.fail(this.running, new MaglevSupersededError(`Maglev build ${this.running.request.id} superseded by ${job.request.id}`));
      this.waiting = job;
      this.pump();
    });
  }

  /** Ends the worker; builds still owed reject. Idempotent. */
  dispose(): Promise<void> {
    this.disposed = true;
    const err = new Error('MaglevBuilder: disposed');
    this.failAll(err);
    const w = this.worker;
    this.worker = null;
    return w ? w.terminate().then(() => undefined) : Promise.resolve();
  }

  private pump(): void {
    if (this.running || !this.waiting) return;
    const job = this.waiting;
    this.waiting = null;
    this.running = job;
    try {
      const w = this.worker ?? this.start();
      w.ref();
      w.postMessage(job.request);
    } catch (err) {
      this.running = null;
      this.fail(job, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private start(): Worker {
    const entry = this.entry;
    if (!entry) throw new Error('MaglevBuilder: no worker entry (pass options.entry)');
    const w = new Worker(typeof entry === 'string' && !entry.startsWith('file:') ? entry : new URL(entry), {
      workerData: { [MARK]: true },
      execArgv: String(entry).endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
    w.on('message', (reply: BuildReply) => this.onReply(reply));
    w.on('error', (err) => this.onDeath(w, err));
    w.on('exit', (code) => this.onDeath(w, new Error(`Maglev worker exited (code ${code})`)));
    this.worker = w;
    return w;
  }

  private onReply(reply: BuildReply): void {
    const job = this.running;
    if (!job || job.request.id !== reply.id) return;
    this.running = null;
    if (!job.settled) {
      job.settled = true;
      if ('table' in reply) job.resolve(reply.table);
      else job.reject(new Error(reply.error));
    }
    if (this.waiting) this.pump();
    else this.worker?.unref();
  }

  private onDeath(w: Worker, err: Error): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.failAll(err);
  }

  private failAll(err: Error): void {
    for (const job of [this.running, this.waiting]) if (job) this.fail(job, err);
    this.running = null;
    this.waiting = null;
  }

  private fail(job: Job, err: Error): void {
    if (job.settled) return;
    job.settled = true;
    job.reject(err);
  }
}

/** True in a worker started by MaglevBuilder. */
export function isMaglevWorker(): boolean {
  return !isMainThread && (workerData as Record<string, unknown> | null)?.[MARK] === true;
}

/** The worker's side: build each request and transfer the table's buffer back. */
export function serveMaglevWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serveMaglevWorker: not in a worker thread');
  port.on('message', (req: BuildRequest) => {
    let reply: BuildReply;
    try {
      reply = { id: req.id, table: buildMaglev(req.backends, req.size) };
    } catch (err) {
      reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply, 'table' in reply ? [reply.table.buffer as ArrayBuffer] : []);
  });
}

if (isMaglevWorker()) serveMaglevWorker();
