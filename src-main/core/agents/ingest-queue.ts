// Group commit for agent results: batches from every session queue here and are written in
// one transaction per turn of the event loop, of at most `maxResults` results (whole batches,
// at least one); what is over waits for the next turn. Each submitter's promise settles after
// its transaction committed, which is when the session acknowledges the agent. One
// transaction per many batches is what makes 100 k results/s possible on SQLite; the
// promise-after-commit is what makes the ack honest. A turn holds the event loop for one
// transaction at most, so sockets are read, agents accepted and timers run between commits:
// committing inside submit() once `maxResults` were waiting (as this first did) chained, each
// commit settling batches whose sessions at once handed in their next ones, and with 1,000
// agents uploading the event loop ran commits for 20 s at a stretch with no I/O (new agents
// could not get a TLS handshake through). A failed transaction rejects every batch in it (the
// agents keep them and send again).
import type { AgentResult } from '../../../src-shared/agent-protocol';
import type { ResultBatch } from '../store/agent-repository';

export interface IngestQueue {
  submit(agentId: string, results: readonly AgentResult[]): Promise<void>;
  /** Results waiting for the next commit. */
  readonly waiting: number;
  /** Commits everything queued now, in one transaction (close does, before it refuses more). */
  flush(): void;
  readonly totals: { readonly commits: number; readonly results: number; readonly stored: number };
  close(): void;
}

interface Waiter {
  readonly batch: ResultBatch;
  resolve(): void;
  reject(err: unknown): void;
}

export function createIngestQueue(store: (batches: readonly ResultBatch[]) => { stored: number }, opts: { maxResults?: number; onCommit?: (batches: readonly ResultBatch[]) => void } = {}): IngestQueue {
  const maxResults = opts.maxResults ?? 10_000;
  let queue: Waiter[] = [];
  let waiting = 0;
  let scheduled = false;
  let closed = false;
  const totals = { commits: 0, results: 0, stored: 0 };

  const commit = (batch: readonly Waiter[]): void => {
    const batches = batch.map((w) => w.batch);
    try {
      const { stored } = store(batches);
      totals.commits++;
      totals.stored += stored;
      for (const b of batches) totals.results += b.results.length;
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    for (const w of batch) w.resolve();
    opts.onCommit?.(batches);
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(turn);
  };

  /** One turn's transaction: the oldest batches up to maxResults results; the rest in the next turn. */
  function turn(): void {
    scheduled = false;
    if (!queue.length) return;
    let k = 0;
    let n = 0;
    while (k < queue.length && (k === 0 || n + queue[k].batch.results.length <= maxResults)) n += queue[k++].batch.results.length;
    const batch = queue.splice(0, k);
    waiting -= n;
    if (queue.length) schedule();
    commit(batch);
  }

  const flush = (): void => {
    if (!queue.length) return;
    const batch = queue;
    queue = [];
    waiting = 0;
    commit(batch);
  };

  return {
    submit: (agentId, results) =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error('the ingest queue is closed'));
        queue.push({ batch: { agentId, results }, resolve, reject });
        waiting += results.length;
        schedule();
      }),
    get waiting() {
      return waiting;
    },
    flush,
    totals,
    close: () => {
      flush();
      closed = true;
    },
  };
}
