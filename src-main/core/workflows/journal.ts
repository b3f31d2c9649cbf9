// The workflow journal's writes (migration 9's tables): templates, runs, tasks, attempts, log
// lines, append-only run events, batch verdicts and the outbox, each through one prepared
// statement. The engine wraps every step transition's writes in one transaction (atomic);
// `writes` counts the statements run, for the benchmark's writes-per-step figure. An attempt
// an operator cut (cancelAttempt) is stored as 'failed' with no failure kind, since migration
// 9's CHECK knows running/succeeded/failed only; journal-read.ts reads it back as 'cancelled'.
import type { WfFailure, WfRunState, WfTemplate } from '../../../src-shared/domain/workflow';
import type { Db } from '../store/database';
import type { RunRec, TaskRec } from './run-model';
import type { OutboxMessage } from './tool';

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export interface RunEvent {
  readonly runId: string;
  readonly at: number;
  readonly actor: string;
  readonly kind: string;
  readonly stepId?: string | null;
  readonly host?: string | null;
  readonly detail?: Record<string, unknown> | null;
}

export class Journal {
  readonly db: Db;
  /** Write statements run since the journal was opened. */
  writes = 0;
  readonly #tx: (fn: () => unknown) => unknown;
  readonly #s;

  constructor(db: Db) {
    this.db = db;
    this.#tx = db.transaction((fn: () => unknown) => fn());
    this.#s = {
      insertTemplate: db.prepare('INSERT INTO wf_templates (id, version, name, body, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?)'),
      maxVersion: db.prepare<[string], { v: number | null }>('SELECT MAX(version) AS v FROM wf_templates WHERE id = ?'),
      insertRun: db.prepare('INSERT INTO wf_runs (id, template_id, template_version, name, state, params, hosts, created_by, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)'),
      updateRun: db.prepare('UPDATE wf_runs SET state = ?, finished_at = ? WHERE id = ?'),
      insertTask: db.prepare('INSERT INTO wf_tasks (run_id, step_id, host, ord, state) VALUES (?, ?, ?, ?, ?)'),
      updateTask: db.prepare(`UPDATE wf_tasks SET state = ?, attempt = ?, retries = ?, inputs = ?, outputs = ?, edits = ?, failure = ?, error = ?, passed = ?,
        started_at = ?, finished_at = ?, next_at = ?, poll_state = ?, checks = ?, callback_token = ?, next_by = ?, next_edited = ?
        WHERE run_id = ? AND step_id = ? AND host = ?`),
      insertAttempt: db.prepare('INSERT INTO wf_attempts (run_id, step_id, host, attempt, inputs, state, started_at, by, edited) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      finishAttempt: db.prepare('UPDATE wf_attempts SET state = ?, outputs = ?, failure = ?, error = ?, finished_at = ? WHERE run_id = ? AND step_id = ? AND host = ? AND attempt = ?'),
      insertLog: db.prepare('INSERT INTO wf_logs (run_id, step_id, host, at, level, line) VALUES (?, ?, ?, ?, ?, ?)'),
      insertEvent: db.prepare('INSERT INTO wf_events (run_id, at, actor, kind, step_id, host, detail) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertBatch: db.prepare('INSERT OR IGNORE INTO wf_batches (run_id, step_id, batch, size, failed, paused, at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertOutbox: db.prepare(`INSERT INTO wf_outbox (run_id, step_id, host, idempotency_key, method, url, headers, body, next_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`),
      outboxSent: db.prepare('UPDATE wf_outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?'),
      outboxFailed: db.prepare('UPDATE wf_outbox SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE id = ?'),
    };
  }

  /** Runs fn in one transaction (joining the one already open, if any). */
  atomic<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.#tx(fn) as T;
  }

  insertTemplate(template: WfTemplate, savedBy: string, savedAt: number): number {
    const version = (this.#s.maxVersion.get(template.id)?.v ?? 0) + 1;
    this.writes++;
    this.#s.insertTemplate.run(template.id, version, template.name, JSON.stringify(template), savedBy, savedAt);
    return version;
  }

  insertRun(run: RunRec): void {
    this.writes++;
    this.#s.insertRun.run(run.id, run.templateId, run.templateVersion, run.name, run.state, JSON.stringify(run.params), JSON.stringify(run.hosts), run.createdBy, run.createdAt);
    let ord = 0;
    for (const t of run.tasks) {
      this.writes++;
      this.#s.insertTask.run(run.id, t.step.id, t.host, ord++, t.state);
    }
  }

  updateRun(run: RunRec): void {
    this.writes++;
    this.#s.updateRun.run(run.state satisfies WfRunState, run.finishedAt, run.id);
  }

  updateTask(t: TaskRec): void {
    this.writes++;
    this.#s.updateTask.run(
      t.state, t.attempt, t.retries, json(t.inputs), json(t.outputs), json(t.edits), t.failure, t.error, t.passed ? 1 : 0,
      t.startedAt, t.finishedAt, t.nextAt, json(t.pollState), t.checks, t.token, t.nextBy, json(t.nextEdited),
      t.run.id, t.step.id, t.host,
    );
  }

  insertAttempt(t: TaskRec, inputs: unknown, by: string, edited: Record<string, unknown> | null, at: number): void {
    this.writes++;
    this.#s.insertAttempt.run(t.run.id, t.step.id, t.host, t.attempt, JSON.stringify(inputs ?? {}), 'running', at, by, json(edited));
  }

  finishAttempt(t: TaskRec, state: 'succeeded' | 'failed', outputs: unknown, failure: WfFailure | null, error: string | null, at: number): void {
    this.writes++;
    this.#s.finishAttempt.run(state, json(outputs), failure, error, at, t.run.id, t.step.id, t.host, t.attempt);
  }

  /**
   * Closes the open attempt as cut by an operator (a retry or skip of a waiting task, a
   * revoke): no failure kind, so it reads as 'cancelled' and the statistics leave it out;
   * `reason` names who and why ("cancelled by ops: retried while awaiting-callback").
   */
  cancelAttempt(t: TaskRec, reason: string, at: number): void {
    this.finishAttempt(t, 'failed', null, null, reason, at);
  }

  log(runId: string, stepId: string, host: string, at: number, level: 'info' | 'warn' | 'error', line: string): void {
    this.writes++;
    this.#s.insertLog.run(runId, stepId, host, at, level, line.slice(0, 4000));
  }

  event(e: RunEvent): void {
    this.writes++;
    this.#s.insertEvent.run(e.runId, e.at, e.actor, e.kind, e.stepId ?? null, e.host ?? null, json(e.detail));
  }

  /** Records a batch's verdict once; false when it was already recorded. */
  insertBatch(runId: string, stepId: string, batch: number, size: number, failed: number, paused: boolean, at: number): boolean {
    this.writes++;
    return this.#s.insertBatch.run(runId, stepId, batch, size, failed, paused ? 1 : 0, at).changes > 0;
  }

  insertOutbox(t: TaskRec, m: OutboxMessage, at: number): string {
    const key = `${t.run.id}/${t.step.id}/${t.host}`;
    this.writes++;
    this.#s.insertOutbox.run(t.run.id, t.step.id, t.host, key, m.method.toUpperCase(), m.url, JSON.stringify(m.headers ?? {}), m.body === undefined ? null : JSON.stringify(m.body), at, at);
    return key;
  }

  outboxSent(id: number, at: number): void {
    this.writes++;
    this.#s.outboxSent.run(at, id);
  }

  outboxFailed(id: number, error: string, nextAt: number): void {
    this.writes++;
    this.#s.outboxFailed.run(error.slice(0, 1000), nextAt, id);
  }
}
