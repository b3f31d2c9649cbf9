// The engine's shared state and its step transitions, each one transaction: a task made ready,
// completed (with its outbox row), failed (an automatic retry with bounded exponential backoff,
// or final: ignoreError and fail-and-skip timeouts count as done), and what follows a task's
// end: dependents made ready, fan-out batches judged by the stop rule, the run finished. The
// scheduler (pump) starts due tasks under the global and per-step concurrency bounds.
import type { WfFailure, WfRunState } from '../../../src-shared/domain/workflow';
import type { Clock } from './clock';
import type { Journal } from './journal';
import type { JournalReader, SpentToken } from './journal-read';
import type { OutboxSender } from './outbox';
import type { ProgressBatcher } from './progress';
import { dependentsOf, depsSatisfied, gateOpen, isBlocked, isOk, setState, stepHasRoom, TERMINAL, type RunRec, type TaskRec } from './run-model';
import type { OutboxMessage, ToolRegistry } from './tool';

export interface CoreParts {
  readonly journal: Journal;
  readonly reader: JournalReader;
  readonly clock: Clock;
  readonly tools: ToolRegistry;
  readonly log: (line: string) => void;
  /** Where callback URLs point now (no trailing slash); null: this core takes no inbound HTTP. */
  readonly callbackBase: () => string | null;
  readonly progress: ProgressBatcher;
  readonly outbox: OutboxSender;
  readonly maxConcurrent: number;
}

export class EngineCore {
  readonly journal: Journal;
  readonly reader: JournalReader;
  readonly clock: Clock;
  readonly tools: ToolRegistry;
  readonly log: (line: string) => void;
  readonly callbackBase: () => string | null;
  readonly progress: ProgressBatcher;
  readonly outbox: OutboxSender;
  readonly maxConcurrent: number;
  /** Open runs (running or paused); a finished run leaves and is reloaded if an operator reopens it. */
  readonly runs = new Map<string, RunRec>();
  /** Callback tokens of tasks that wait for them. */
  readonly tokens = new Map<string, TaskRec>();
  /** Callback URLs operators' retries spent, by token hash (callback.ts); read from the journal at the first need, then kept up. */
  spent: Map<string, SpentToken> | null = null;
  /** Tool calls in flight (the global concurrency bound). */
  inflight = 0;
  stopping = false;
  /** Starts an attempt or runs a check (attempts.ts). */
  begin: (t: TaskRec) => void = () => {};
  #queue: TaskRec[] = [];
  #head = 0;
  #pumpScheduled = false;

  constructor(p: CoreParts) {
    this.journal = p.journal;
    this.reader = p.reader;
    this.clock = p.clock;
    this.tools = p.tools;
    this.log = p.log;
    this.callbackBase = p.callbackBase;
    this.progress = p.progress;
    this.outbox = p.outbox;
    this.maxConcurrent = p.maxConcurrent;
  }

  save(t: TaskRec): void {
    this.journal.updateTask(t);
    this.progress.mark(t.run, t);
  }

  saveRun(run: RunRec): void {
    this.journal.updateRun(run);
    this.progress.mark(run);
  }

  event(run: RunRec, actor: string, kind: string, t?: TaskRec | null, detail?: Record<string, unknown>): void {
    this.journal.event({ runId: run.id, at: this.clock.now(), actor, kind, stepId: t?.step.id ?? null, host: t?.host ?? null, detail: detail ?? null });
  }

  logLine(t: TaskRec, level: 'info' | 'warn' | 'error', line: string): void {
    this.journal.log(t.run.id, t.step.id, t.host, this.clock.now(), level, line);
  }

  makeReady(t: TaskRec): void {
    setState(t, 'ready');
    t.nextAt = null;
    this.save(t);
    this.enqueue(t);
  }

  enqueue(t: TaskRec): void {
    t.due = true;
    if (!t.queued) {
      t.queued = true;
      this.#queue.push(t);
    }
    this.schedulePump();
  }

  schedulePump(): void {
    if (this.#pumpScheduled || this.stopping) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.pump();
    });
  }

  /** Starts due tasks while the global bound has room; paused runs and full steps hold theirs back. */
  pump(): void {
    while (!this.stopping && this.inflight < this.maxConcurrent && this.#head < this.#queue.length) {
      const t = this.#queue[this.#head++];
      t.queued = false;
      if (!t.due || t.executing || TERMINAL.has(t.state) || this.runs.get(t.run.id) !== t.run) continue;
      const fresh = t.state === 'ready';
      if (!fresh && !(t.state === 'waiting' || t.state === 'awaiting-callback')) continue;
      if (t.run.state === 'paused') {
        t.run.parked.push(t);
        continue;
      }
      if (t.run.state !== 'running') continue;
      if (fresh && !stepHasRoom(t)) {
        const list = t.run.slotWait.get(t.step.id) ?? [];
        list.push(t);
        t.run.slotWait.set(t.step.id, list);
        continue;
      }
      t.due = false;
      this.guard(t.run, () => this.begin(t));
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Due tasks held back by a pause go back to the queue. */
  unpark(run: RunRec): void {
    for (const t of run.parked.splice(0)) this.enqueue(t);
    for (const list of run.slotWait.values()) for (const t of list.splice(0)) this.enqueue(t);
  }

  armTimer(t: TaskRec): void {
    if (t.timer !== null) this.clock.clearTimeout(t.timer);
    t.timer = null;
    if (t.nextAt === null) return;
    t.timer = this.clock.setTimeout(() => {
      t.timer = null;
      this.enqueue(t);
    }, t.nextAt - this.clock.now());
  }

  /**
   * Runs fn; if the journal refuses a write (disk full, a locked file), the transaction rolled
   * back and memory no longer matches it, so the run leaves memory (its calls aborted, timers
   * cleared) and is picked up from the journal again, like after a crash: at the next start,
   * or when an operator acts on it. Errors that are not the journal's are passed on.
   */
  guard(run: RunRec, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!this.isJournalError(err)) throw err;
      this.stall(run, err);
    }
  }

  isJournalError(err: unknown): boolean {
    return err instanceof Error && (err.name === 'SqliteError' || (err as { code?: unknown }).code?.toString().startsWith('SQLITE_') === true);
  }

  stall(run: RunRec, err: unknown): void {
    this.log(`workflows: run ${run.id} stopped: the journal refused a write (${(err as Error).message}); it goes on from the journal at the next start or operator action`);
    for (const t of run.tasks) {
      this.clearTimers(t);
      this.abortCall(t, 'the journal refused a write');
      if (t.token) this.tokens.delete(t.token);
    }
    run.parked.length = 0;
    run.slotWait.clear();
    if (this.runs.get(run.id) === run) this.runs.delete(run.id);
  }

  /** The current attempt's time limit: timeoutMs, or a poll/callback step's deadline, whichever is sooner. */
  limitOf(t: TaskRec): { ms: number; message: string } | null {
    const d = t.step.def;
    const deadline = d.poll && (t.step.tool?.kind === 'poll' || t.step.tool?.kind === 'callback') ? d.poll.deadlineMs : undefined;
    if (d.timeoutMs !== undefined && (deadline === undefined || d.timeoutMs <= deadline)) return { ms: d.timeoutMs, message: `timed out after ${d.timeoutMs} ms` };
    return deadline === undefined ? null : { ms: deadline, message: `no result within the ${deadline} ms deadline` };
  }

  armDeadline(t: TaskRec): void {
    if (t.deadline !== null) this.clock.clearTimeout(t.deadline);
    t.deadline = null;
    const limit = this.limitOf(t);
    if (!limit || t.attemptStartedAt === null || !t.attemptOpen) return;
    const attempt = t.attempt;
    t.deadline = this.clock.setTimeout(() => {
      t.deadline = null;
      if (t.attempt === attempt && t.attemptOpen && !TERMINAL.has(t.state)) this.guard(t.run, () => this.fail(t, 'timeout', limit.message, true));
    }, t.attemptStartedAt + limit.ms - this.clock.now());
  }

  clearTimers(t: TaskRec): void {
    if (t.timer !== null) this.clock.clearTimeout(t.timer);
    if (t.deadline !== null) this.clock.clearTimeout(t.deadline);
    t.timer = t.deadline = null;
  }

  /** Aborts the tool call in flight (its result will be ignored) and frees its place. */
  abortCall(t: TaskRec, reason: string): void {
    const ac = t.abort;
    if (!ac) return;
    t.abort = null;
    if (t.executing) {
      t.executing = false;
      this.inflight--;
      this.schedulePump();
    }
    ac.abort(new Error(reason));
  }

  /**
   * An operator cuts the open attempt (a retry or skip of a waiting task, a revoke): its call
   * aborted (the tool's signal), its timers cleared, its callback URL no longer awaited, and
   * the attempt closed in the journal as cancelled with `reason` (who and why). Inside the
   * caller's transaction; the task's next state is the caller's.
   */
  cutAttempt(t: TaskRec, reason: string, now: number): void {
    this.abortCall(t, reason);
    this.clearTimers(t);
    if (t.token) this.tokens.delete(t.token);
    if (t.attemptOpen) this.journal.cancelAttempt(t, reason, now);
    t.attemptOpen = false;
  }

  complete(t: TaskRec, outputs: Record<string, unknown>, outbox: OutboxMessage | null): void {
    const now = this.clock.now();
    this.journal.atomic(() => {
      this.clearTimers(t);
      t.outputs = outputs;
      t.failure = null;
      t.error = null;
      t.finishedAt = now;
      t.nextAt = null;
      if (t.attemptOpen) this.journal.finishAttempt(t, 'succeeded', outputs, null, null, now);
      t.attemptOpen = false;
      setState(t, 'succeeded');
      this.save(t);
      if (outbox) this.journal.insertOutbox(t, outbox, now);
      this.afterEnd(t);
    });
    if (outbox) this.outbox.wake();
    this.schedulePump();
  }

  /** Fails the current attempt: an automatic retry when the step has one left (errors and timeouts), else the task fails. */
  fail(t: TaskRec, failure: WfFailure, error: string, retryable: boolean): void {
    const now = this.clock.now();
    this.journal.atomic(() => {
      this.clearTimers(t);
      this.abortCall(t, error);
      if (t.attemptOpen) this.journal.finishAttempt(t, 'failed', null, failure, error, now);
      t.attemptOpen = false;
      t.error = error;
      // The attempt's callback URL dies with it (a retry mints a new one).
      if (t.token) this.tokens.delete(t.token);
      const r = t.step.def.retry;
      if (retryable && r && t.retries < r.max && (failure === 'error' || failure === 'timeout')) {
        t.retries++;
        const delay = Math.min(Math.round(r.backoffMs * r.factor ** (t.retries - 1)), r.maxBackoffMs);
        t.failure = null;
        t.nextAt = now + delay;
        setState(t, 'waiting');
        this.save(t);
        this.logLine(t, 'warn', `attempt ${t.attempt} failed: ${error}; automatic retry ${t.retries} of ${r.max} in ${delay} ms`);
        this.armTimer(t);
        return;
      }
      const passed = !!t.step.def.ignoreError || (failure === 'timeout' && t.step.def.onTimeout === 'fail-and-skip');
      t.failure = failure;
      t.finishedAt = now;
      t.nextAt = null;
      setState(t, 'failed', passed);
      this.save(t);
      this.logLine(t, 'error', `failed (${failure}): ${error}${passed ? '; the run carries on past it' : ''}`);
      this.afterEnd(t);
    });
    this.schedulePump();
  }

  /** What follows a task reaching a terminal state (inside its transaction). */
  afterEnd(t: TaskRec): void {
    this.clearTimers(t);
    if (t.token) this.tokens.delete(t.token);
    const run = t.run;
    if (isOk(t)) {
      for (const d of dependentsOf(t)) if (d.state === 'pending' && depsSatisfied(d) && gateOpen(d)) this.makeReady(d);
    }
    const waiting = run.slotWait.get(t.step.id);
    if (waiting?.length) this.enqueue(waiting.shift()!);
    const fanOutSteps = isOk(t) ? (t.step.def.fanOut ? [t.step] : []) : run.plan.steps.filter((s) => s.def.fanOut);
    for (const s of fanOutSteps) this.judgeBatches(run, s.id);
    this.maybeFinish(run);
  }

  /** Judges each finished batch of a fan-out step once: the stop rule may pause the run; otherwise the next batch opens. */
  judgeBatches(run: RunRec, stepId: string): void {
    const step = run.plan.byId.get(stepId)!;
    const fan = step.def.fanOut!;
    const tasks = run.byStep.get(stepId) ?? [];
    const batches = Math.ceil(tasks.length / fan.batchSize);
    for (let k = run.gates.get(stepId) ?? 0; k < batches; k++) {
      const members = tasks.slice(k * fan.batchSize, (k + 1) * fan.batchSize);
      if (!members.every((m) => TERMINAL.has(m.state) || (m.state === 'pending' && isBlocked(m)))) return;
      const ran = members.filter((m) => TERMINAL.has(m.state) && m.state !== 'revoked').length;
      const failed = members.filter((m) => m.state === 'failed' && !m.passed).length;
      const stop = k + 1 < batches && ran > 0 && failed * 100 > fan.maxFailPct * ran;
      this.journal.insertBatch(run.id, stepId, k, ran, failed, stop, this.clock.now());
      run.gates.set(stepId, k + 1);
      if (stop && run.state === 'running') {
        run.state = 'paused';
        this.saveRun(run);
        this.event(run, 'engine', 'stop-rule', null, { step: stepId, batch: k, failed, ran, maxFailPct: fan.maxFailPct });
      }
      for (const m of tasks.slice((k + 1) * fan.batchSize, (k + 2) * fan.batchSize)) if (m.state === 'pending' && depsSatisfied(m) && gateOpen(m)) this.makeReady(m);
      if (stop) return;
    }
  }

  /** Finishes a run nothing more can happen to: succeeded when every task is done, else failed. */
  maybeFinish(run: RunRec): void {
    if (run.state !== 'running' && run.state !== 'paused') return;
    if (run.open > 0 && !(run.state === 'running' && run.active === 0)) return;
    this.finishRun(run, run.done === run.tasks.length ? 'succeeded' : 'failed', 'engine');
  }

  finishRun(run: RunRec, state: WfRunState, actor: string): void {
    run.state = state;
    run.finishedAt = this.clock.now();
    this.saveRun(run);
    this.event(run, actor, 'finished', null, { state, done: run.done, total: run.tasks.length, failed: run.failed });
    run.parked.length = 0;
    run.slotWait.clear();
    this.runs.delete(run.id);
  }

}
