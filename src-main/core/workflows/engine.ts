// The workflow engine: templates saved (checked, versioned), runs launched (params and hosts
// checked, the run and its tasks written in one transaction), a scheduler running ready tasks
// under a global concurrency bound, operator actions (operator.ts), the one-time callback URL,
// progress listeners, queries and statistics. Constructed on an existing journal, start()
// resumes every open run (resume.ts). Each step transition is one SQLite transaction.
import { randomUUID } from 'node:crypto';
import type { WfAttempt, WfLogLine, WfRunDetail, WfRunSummary, WfTask, WfTemplateInfo, WfTemplateStats } from '../../../src-shared/domain/workflow';
import { NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { AsyncDisposable, Disposable } from '../../../src-shared/lifecycle';
import type { Db } from '../store/database';
import { begin } from './attempts';
import { acceptCallback } from './callback';
import { systemClock, type Clock } from './clock';
import { EngineCore } from './engine-core';
import { runNotFound, WorkflowStateError } from './errors';
import { Journal } from './journal';
import { JournalReader, toTask, type OutboxRow, type RunEventRow, type RunFilter } from './journal-read';
import { needCallbackUrl, resolveHosts, resolveParams } from './launch';
import * as op from './operator';
import { OutboxSender, type OutboxOptions } from './outbox';
import { ProgressBatcher, type ProgressListener } from './progress';
import { assembleRun, planFor, resumeAll } from './resume';
import { depsSatisfied, gateOpen, snapshot } from './run-model';
import { WorkflowStats } from './stats';
import { validateTemplate } from './template';
import { toolRegistry, type Tool, type ToolHost, type ToolRegistry } from './tool';

export interface EngineDeps {
  readonly db: Db;
  readonly tools: ToolRegistry | readonly Tool[];
  /**
   * Where callback URLs point: `${baseUrl}/wf/callback/<token>`; a function is asked at each
   * attempt (serve mode knows its URL once it listens). null: this core takes no inbound HTTP
   * (the desktop): a callback step gets no URL, and a launch whose callback step has no poll
   * check to finish it is refused.
   */
  readonly baseUrl: string | null | (() => string | null);
  /** A device id's host (id, hostname, SN), or undefined when there is no such device. */
  readonly hosts: (id: string) => ToolHost | undefined;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
  /** Tool calls in flight across all runs (default 64). */
  readonly maxConcurrent?: number;
  /** Progress events per run at most this often (default 100 ms). */
  readonly progressMs?: number;
  readonly outbox?: OutboxOptions;
}

function callbackBaseOf(given: EngineDeps['baseUrl']): () => string | null {
  const trim = (u: string | null): string | null => (u ? u.replace(/\/+$/, '') : null);
  if (typeof given === 'function') return () => trim(given());
  const fixed = trim(given);
  return () => fixed;
}

function needActor(actor: unknown): string {
  if (typeof actor !== 'string' || !actor.trim()) throw new ValidationError('An actor (who does this) is required', { field: 'actor' });
  return actor;
}

export class WorkflowEngine implements AsyncDisposable {
  readonly #core: EngineCore;
  readonly #stats: WorkflowStats;
  readonly #hosts: (id: string) => ToolHost | undefined;
  readonly #checked = new Set<string>();
  #started = false;

  constructor(deps: EngineDeps) {
    const clock = deps.clock ?? systemClock;
    const log = deps.log ?? (() => {});
    const tools = Array.isArray(deps.tools) ? toolRegistry(deps.tools as readonly Tool[]) : (deps.tools as ToolRegistry);
    const journal = new Journal(deps.db);
    const reader = new JournalReader(deps.db, deps.hosts);
    this.#core = new EngineCore({
      journal, reader, clock, tools, log, callbackBase: callbackBaseOf(deps.baseUrl),
      progress: new ProgressBatcher(clock, deps.progressMs ?? 100, log),
      outbox: new OutboxSender(journal, reader, clock, log, deps.outbox),
      maxConcurrent: Math.max(1, deps.maxConcurrent ?? 64),
    });
    this.#core.begin = (t) => begin(this.#core, t);
    this.#stats = new WorkflowStats(deps.db, reader);
    this.#hosts = deps.hosts;
  }

  /** Resumes every open run in the journal and starts the outbox sender; returns how many runs it resumed. */
  start(): { resumed: number } {
    if (this.#started) return { resumed: 0 };
    this.#started = true;
    const resumed = resumeAll(this.#core);
    this.#core.outbox.wake();
    this.#core.schedulePump();
    return { resumed };
  }

  saveTemplate(raw: unknown, actor: string): WfTemplateInfo {
    needActor(actor);
    const { template } = validateTemplate(raw, this.#core.tools);
    const savedAt = this.#core.clock.now();
    const version = this.#core.journal.insertTemplate(template, actor, savedAt);
    this.#checked.add(`${template.id}@${version}`);
    return { id: template.id, version, name: template.name, savedBy: actor, savedAt, template };
  }

  template(id: string, version?: number): WfTemplateInfo {
    const info = this.#core.reader.template(id, version);
    if (!info) throw new NotFoundError('workflow template', version === undefined ? id : `${id}@${version}`);
    return info;
  }

  templates(): WfTemplateInfo[] {
    return this.#core.reader.templates();
  }

  /** Launches the template's latest version over the hosts (device ids) with the params. */
  launch(templateId: string, params: unknown, hosts: unknown, actor: string): WfRunSummary {
    needActor(actor);
    this.#needStarted();
    const info = this.template(templateId);
    const key = `${info.id}@${info.version}`;
    // Checked again once per version and engine: a tool may be gone or changed since it was saved.
    if (!this.#checked.has(key)) validateTemplate(info.template, this.#core.tools);
    this.#checked.add(key);
    needCallbackUrl(info.template, this.#core.tools, this.#core.callbackBase());
    const values = resolveParams(info.template, params);
    const list = resolveHosts(info.template, hosts, this.#hosts);
    const core = this.#core;
    const plan = planFor(core, info.id, info.version, info.template);
    const run = assembleRun({
      id: randomUUID(), templateId: info.id, templateVersion: info.version, name: info.name, state: 'running',
      params: values, hosts: list, createdBy: actor, createdAt: core.clock.now(), finishedAt: null,
    }, plan, new Map());
    try {
      core.journal.atomic(() => {
        core.journal.insertRun(run);
        core.runs.set(run.id, run);
        core.event(run, actor, 'launch', null, { version: info.version, hosts: list.length });
        for (const t of run.tasks) if (depsSatisfied(t) && gateOpen(t)) core.makeReady(t);
        core.maybeFinish(run);
      });
    } catch (err) {
      core.runs.delete(run.id);
      throw err;
    }
    return this.summary(run.id);
  }

  retry(runId: string, stepId: string, host: string, actor: string, edited?: Record<string, unknown>): WfTask {
    return this.#act(runId, () => snapshot(op.retry(this.#core, runId, stepId, host, needActor(actor), edited)));
  }

  skip(runId: string, stepId: string, host: string, actor: string): WfTask {
    return this.#act(runId, () => snapshot(op.skip(this.#core, runId, stepId, host, needActor(actor))));
  }

  approve(runId: string, stepId: string, host: string, actor: string, note?: string): WfTask {
    return this.#act(runId, () => snapshot(op.approve(this.#core, runId, stepId, host, needActor(actor), note)));
  }

  reject(runId: string, stepId: string, host: string, actor: string, reason?: string): WfTask {
    return this.#act(runId, () => snapshot(op.reject(this.#core, runId, stepId, host, needActor(actor), reason)));
  }

  pause(runId: string, actor: string): WfRunSummary {
    return this.#act(runId, () => this.summary(op.pause(this.#core, runId, needActor(actor)).id));
  }

  resume(runId: string, actor: string): WfRunSummary {
    return this.#act(runId, () => this.summary(op.resume(this.#core, runId, needActor(actor)).id));
  }

  revoke(runId: string, actor: string): WfRunSummary {
    return this.#act(runId, () => this.summary(op.revoke(this.#core, runId, needActor(actor)).id));
  }

  /**
   * The one-time callback URL was called: the body is the step's output (parsed by the tool's
   * output schema), or the tool's onCallback judges it (done, pending, or a throw that fails
   * the task); callback.ts.
   */
  callback(token: string, body: unknown): WfTask {
    const t = this.#core.tokens.get(token);
    return this.#act(t?.run.id ?? '', () => snapshot(acceptCallback(this.#core, token, body)));
  }

  summary(runId: string): WfRunSummary {
    const s = this.#core.reader.summary(runId);
    if (!s) throw runNotFound(runId);
    return s;
  }

  runs(filter?: RunFilter): WfRunSummary[] {
    return this.#core.reader.runs(filter);
  }

  run(runId: string): WfRunDetail {
    const d = this.#core.reader.detail(runId);
    if (!d) throw runNotFound(runId);
    return d;
  }

  task(runId: string, stepId: string, host: string): WfTask {
    const t = this.run(runId).tasks.find((x) => x.stepId === stepId && x.host === host);
    if (!t) throw new NotFoundError('workflow task', `${runId}/${stepId}/${host}`);
    return t;
  }

  attempts(runId: string, stepId?: string, host?: string): WfAttempt[] {
    return this.#core.reader.attempts(runId, stepId, host);
  }

  logs(runId: string, opts?: { stepId?: string; host?: string; afterId?: number; limit?: number }): WfLogLine[] {
    return this.#core.reader.logs(runId, opts);
  }

  events(runId: string): RunEventRow[] {
    return this.#core.reader.events(runId);
  }

  outbox(runId: string): OutboxRow[] {
    return this.#core.reader.outbox(runId);
  }

  stats(templateId: string, from: number, to: number): WfTemplateStats {
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) throw new ValidationError(`The period [from, to) must have from < to (got ${from}, ${to})`, { field: 'from' });
    return this.#stats.stats(templateId, from, to);
  }

  onProgress(listener: ProgressListener): Disposable {
    return this.#core.progress.on(listener);
  }

  /** Statement counts and load, for the benchmark. */
  metrics(): { writes: number; inflight: number; openRuns: number } {
    return { writes: this.#core.journal.writes, inflight: this.#core.inflight, openRuns: this.#core.runs.size };
  }

  /** Resolves when the outbox has nothing in flight or due. */
  outboxIdle(): Promise<void> {
    return this.#core.outbox.idle();
  }

  /** Stops: timers cleared, tool calls aborted and their results ignored (an open attempt stays open, as after a crash). */
  async dispose(): Promise<void> {
    const core = this.#core;
    if (core.stopping) return;
    core.stopping = true;
    for (const run of core.runs.values()) {
      for (const t of run.tasks) {
        core.clearTimers(t);
        const ac = t.abort;
        t.abort = null;
        ac?.abort(new Error('the engine stopped'));
      }
    }
    core.runs.clear();
    core.outbox.dispose();
    core.progress.dispose();
  }

  /** An operator action; a write the journal refused stops the run in memory (engine-core guard) before the error goes back. */
  #act<T>(runId: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      const run = this.#core.runs.get(runId);
      if (run && this.#core.isJournalError(err)) this.#core.stall(run, err);
      throw err;
    }
  }

  #needStarted(): void {
    if (!this.#started) throw new WorkflowStateError('The workflow engine has not been started (call start() first: it resumes open runs)', {});
    if (this.#core.stopping) throw new WorkflowStateError('The workflow engine has stopped', {});
  }
}

export { toTask };
