// Group commit for agent results: batches from every session queue here and are written in
// one transaction per turn of the event loop (or sooner when `maxResults` are waiting), and
// each submitter's promise settles after that transaction committed, which is when the
// session acknowledges the agent. One transaction per many batches is what makes 100 k
// results/s possible on SQLite; the promise-after-commit is what makes the ack honest.
// A failed transaction rejects every batch in it (the agents keep them and send again).
import type { AgentResult } from '../../../src-shared/agent-protocol';
import type { ResultBatch } from '../store/agent-repository';

export interface IngestQueue {
  submit(agentId: string, results: readonly AgentResult[]): Promise<void>;
  /** Results waiting for the next commit. */
  readonly waiting: number;
  /** Commits what is queued now. */
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
  const maxResults = opts.maxResults ?? 50_000;
  let queue: Waiter[] = [];
  let waiting = 0;
  let scheduled = false;
  let closed = false;
  const totals = { commits: 0, results: 0, stored: 0 };

  const flush = (): void => {
    scheduled = false;
    if (!queue.length) return;
    const batch = queue;
    queue = [];
    waiting = 0;
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

  return {
    submit: (agentId, results) =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new Error('the ingest queue is closed'));
        queue.push({ batch: { agentId, results }, resolve, reject });
        waiting += results.length;
        if (waiting >= maxResults) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
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
