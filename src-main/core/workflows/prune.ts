// The workflow journal's retention: runs that finished (succeeded, failed, revoked) longer ago
// than the retention period (WorkflowsConfig.retentionMs, default 180 days) are deleted with
// every row they own: tasks, attempts, log lines, run events, batch verdicts and outbox rows
// already sent. A run still running or paused is never touched, nor one with an outbox row not
// yet sent (it goes once the sender has delivered it). Templates stay. Work is done in bounded
// batches, one transaction each (at most batchRuns runs, and no more runs than fit batchTasks
// tasks, though at least one), oldest finished first; a batch that deleted something is
// followed by the next on the following timer turn, so the event loop breathes between them. A pass runs once at
// start and then every everyMs (hourly). Statistics (stats.ts) count only what is kept.
import type { Db } from '../store/database';
import type { Clock, TimerHandle } from './clock';

export const DEFAULT_RETENTION_MS = 180 * 86_400_000;

export interface PruneOptions {
  /** Finished runs older than this (by finish time) are deleted; default 180 days; Infinity keeps every run. */
  readonly retentionMs?: number;
  /** Between passes (default an hour). */
  readonly everyMs?: number;
  /** Runs per batch at most (default 100). */
  readonly batchRuns?: number;
  /** Tasks per batch at most, summed over its runs; a bigger run goes alone (default 20,000). */
  readonly batchTasks?: number;
}

/** What one batch deleted. */
export interface PruneBatch {
  readonly runs: number;
  readonly rows: number;
}

const FINISHED = "('succeeded','failed','revoked')";
/** Child tables first (foreign keys): every row of the runs listed in @ids (a JSON array). */
const CHILD_DELETES = [
  'DELETE FROM wf_logs WHERE run_id IN (SELECT value FROM json_each(@ids))',
  'DELETE FROM wf_attempts WHERE run_id IN (SELECT value FROM json_each(@ids))',
  'DELETE FROM wf_events WHERE run_id IN (SELECT value FROM json_each(@ids))',
  'DELETE FROM wf_batches WHERE run_id IN (SELECT value FROM json_each(@ids))',
  // Only sent rows are left: the selection skips a run with an unsent one, in this transaction.
  'DELETE FROM wf_outbox WHERE run_id IN (SELECT value FROM json_each(@ids)) AND sent_at IS NOT NULL',
  'DELETE FROM wf_tasks WHERE run_id IN (SELECT value FROM json_each(@ids))',
];

export class JournalPruner {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  readonly #retentionMs: number;
  readonly #everyMs: number;
  readonly #batchRuns: number;
  readonly #batchTasks: number;
  readonly #s;
  readonly #batch: (cutoff: number) => PruneBatch;
  #timer: TimerHandle | null = null;
  #stopped = false;
  /** Runs deleted by the pass in progress (logged when it ends). */
  #passRuns = 0;

  constructor(db: Db, clock: Clock, log: (line: string) => void, opts: PruneOptions = {}) {
    this.#db = db;
    this.#clock = clock;
    this.#log = log;
    this.#retentionMs = opts.retentionMs ?? DEFAULT_RETENTION_MS;
    if (!(this.#retentionMs > 0)) throw new RangeError(`The workflow journal's retention must be a positive number of ms (got ${this.#retentionMs})`);
    this.#everyMs = Math.max(1, opts.everyMs ?? 3_600_000);
    this.#batchRuns = Math.max(1, Math.floor(opts.batchRuns ?? 100));
    this.#batchTasks = Math.max(1, Math.floor(opts.batchTasks ?? 20_000));
    this.#s = {
      candidates: db.prepare<{ cutoff: number; n: number }, { id: string }>(
        `SELECT r.id FROM wf_runs r WHERE r.finished_at IS NOT NULL AND r.finished_at < @cutoff AND r.state IN ${FINISHED}
         AND NOT EXISTS (SELECT 1 FROM wf_outbox o WHERE o.run_id = r.id AND o.sent_at IS NULL)
         ORDER BY r.finished_at, r.id LIMIT @n`),
      tasks: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM wf_tasks WHERE run_id = ?'),
      children: CHILD_DELETES.map((sql) => db.prepare<{ ids: string }>(sql)),
      runs: db.prepare<{ ids: string }>(`DELETE FROM wf_runs WHERE id IN (SELECT value FROM json_each(@ids)) AND state IN ${FINISHED}`),
    };
    this.#batch = db.transaction((cutoff: number): PruneBatch => {
      const ids: string[] = [];
      let tasks = 0;
      for (const { id } of this.#s.candidates.all({ cutoff, n: this.#batchRuns })) {
        const n = this.#s.tasks.get(id)?.n ?? 0;
        if (ids.length > 0 && tasks + n > this.#batchTasks) break;
        ids.push(id);
        tasks += n;
      }
      if (!ids.length) return { runs: 0, rows: 0 };
      const arg = { ids: JSON.stringify(ids) };
      let rows = 0;
      for (const s of this.#s.children) rows += s.run(arg).changes;
      const runs = this.#s.runs.run(arg).changes;
      return { runs, rows: rows + runs };
    });
  }

  /** Finished runs end before this are due (now - retention). */
  cutoff(): number {
    return this.#clock.now() - this.#retentionMs;
  }

  /** One batch (one transaction) of the runs finished before `cutoff`; runs 0 when none is left. */
  pruneBatch(cutoff = this.cutoff()): PruneBatch {
    return this.#batch(cutoff);
  }

  /** The first pass on the next timer turn (not inside the start), then one every everyMs. */
  start(): void {
    if (!Number.isFinite(this.#retentionMs) || this.#stopped) return;
    this.#schedule(0);
  }

  dispose(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    const h = this.#clock.setTimeout(() => this.#turn(), ms);
    // An hourly chore keeps no process alive on its own (Node's timers; a test clock's ids have no unref).
    (h as { unref?: () => void } | null)?.unref?.();
    this.#timer = h;
  }

  /** One batch; a full one is followed by another on the next turn, else the pass ends. */
  #turn(): void {
    this.#timer = null;
    if (this.#stopped) return;
    let more = false;
    try {
      if (!this.#db.open) return;
      const b = this.pruneBatch();
      this.#passRuns += b.runs;
      more = b.runs > 0;
    } catch (err) {
      this.#log(`workflow journal retention: a batch failed (${(err as Error).message}); trying again in ${Math.round(this.#everyMs / 60_000)} min`);
    }
    if (more) return this.#schedule(0);
    if (this.#passRuns > 0) this.#log(`workflow journal retention: deleted ${this.#passRuns} finished run(s) older than ${Math.round(this.#retentionMs / 86_400_000)} days`);
    this.#passRuns = 0;
    this.#schedule(this.#everyMs);
  }
}
