// Workflows (the engine for every long job: provisioning first, then agent rollout, gateway
// deploy, reports, Hive operations): the template a user saves, the run it launches, each
// step's per-host task and its attempts, log lines and statistics. Plain data: the core
// journals it in SQLite (src-main/core/workflows) and the renderer shows it.

/** A launch parameter's type (a template declares its parameters; bindings are type-checked). */
export const WF_VALUE_TYPES = ['string', 'number', 'boolean', 'string[]', 'object'] as const;
export type WfValueType = (typeof WF_VALUE_TYPES)[number];

export interface WfParamSpec {
  readonly name: string;
  readonly type: WfValueType;
  readonly required: boolean;
  readonly title?: string;
  /** Used when the launch leaves it out. */
  readonly default?: unknown;
}

export const WF_STEP_KINDS = ['sync', 'poll', 'callback', 'approval'] as const;
/**
 * sync: the tool runs once and returns its output. poll: the tool runs every intervalMs until
 * it reports done or the deadline passes. callback: the tool starts something and the step
 * waits for a one-time token URL to be called (or for its poll check to report done).
 * approval: the step waits for an operator to approve or reject it.
 */
export type WfStepKind = (typeof WF_STEP_KINDS)[number];

export interface WfRetry {
  /** Automatic re-tries after the first attempt (bounded: 0..10). */
  readonly max: number;
  readonly backoffMs: number;
  /** Each retry waits backoffMs * factor^(n-1), at most maxBackoffMs. */
  readonly factor: number;
  readonly maxBackoffMs: number;
}

export interface WfFanOut {
  /** At most this many hosts run the step at once. */
  readonly concurrency: number;
  /** Hosts are taken in batches of this size; a batch starts when the one before it has finished. */
  readonly batchSize: number;
  /** Pause the run when more than this share (0..100) of a batch failed. */
  readonly maxFailPct: number;
}

export interface WfTemplateStep {
  /** Unique in the template; bindings name it: ${steps.<id>.outputs.<field>}. */
  readonly id: string;
  readonly title?: string;
  /** A registered tool's name ('bmc.status', 'cmdb.set', 'http.callback', ...). */
  readonly tool: string;
  /**
   * The tool's inputs: literals, or strings holding bindings. A string that is exactly one
   * binding takes the bound value's type; a string with text around bindings is a string.
   * ${params.<name>}, ${steps.<id>.outputs.<field>}, ${host.id}, ${host.hostname}, ${host.sn}.
   */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Steps this one waits for (a DAG); absent: the step before it in the list. */
  readonly after?: readonly string[];
  /** Per host (every host of the run, with per-host state) or once for the run. */
  readonly scope: 'host' | 'run';
  readonly fanOut?: WfFanOut;
  readonly timeoutMs?: number;
  /** What a timeout does: fail the task, or fail it and skip on (the run carries on past it). */
  readonly onTimeout?: 'fail' | 'fail-and-skip';
  readonly retry?: WfRetry;
  /** An operator may retry a failed or waiting task (default true). */
  readonly retryable?: boolean;
  /** An operator may skip a failed or waiting task (default true). */
  readonly skippable?: boolean;
  /** A failure counts as done for what comes after (its outputs are absent). */
  readonly ignoreError?: boolean;
  /** poll and callback steps: how often the tool's check runs, and the deadline from the step's start. */
  readonly poll?: { readonly intervalMs: number; readonly deadlineMs: number };
}

export interface WfTemplate {
  /** Stable id ('server-online'); saving again makes a new version. */
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly params: readonly WfParamSpec[];
  readonly steps: readonly WfTemplateStep[];
}

export interface WfTemplateInfo {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly savedBy: string;
  readonly savedAt: number;
  readonly template: WfTemplate;
}

export const WF_RUN_STATES = ['running', 'paused', 'succeeded', 'failed', 'revoked'] as const;
export type WfRunState = (typeof WF_RUN_STATES)[number];

export const WF_TASK_STATES = [
  'pending', // not reached yet (waits for the steps before it)
  'ready', // may start (queued behind the concurrency bound)
  'running', // an attempt is in flight
  'waiting', // a poll between checks, or a retry's backoff
  'awaiting-callback',
  'awaiting-approval',
  'succeeded',
  'failed',
  'skipped',
  'revoked',
] as const;
export type WfTaskState = (typeof WF_TASK_STATES)[number];

/** Why a task failed: its tool's error, a timeout, or a restart in the middle of a non-idempotent step. */
export type WfFailure = 'error' | 'timeout' | 'interrupted' | 'rejected';

export interface WfTask {
  readonly runId: string;
  readonly stepId: string;
  /** The device id for a per-host step; '' for a run-scope step. */
  readonly host: string;
  readonly state: WfTaskState;
  readonly attempt: number;
  readonly inputs: Readonly<Record<string, unknown>> | null;
  readonly outputs: Readonly<Record<string, unknown>> | null;
  readonly failure: WfFailure | null;
  readonly error: string | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

export const WF_ATTEMPT_STATES = ['running', 'succeeded', 'failed', 'cancelled'] as const;
export type WfAttemptState = (typeof WF_ATTEMPT_STATES)[number];

export interface WfAttempt {
  readonly runId: string;
  readonly stepId: string;
  readonly host: string;
  readonly attempt: number;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, unknown>> | null;
  /**
   * cancelled: an operator closed it while it was open (a retry or skip of a waiting task, a
   * revoke): its call aborted, its callback URL spent; finishedAt is when, cancelledBy who.
   * A cancelled attempt is no failure (failure null; the statistics do not count it).
   */
  readonly state: WfAttemptState;
  readonly failure: WfFailure | null;
  readonly error: string | null;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Who started it: 'engine' for the first and automatic attempts, the operator for a retry. */
  readonly by: string;
  /** The inputs the operator changed for this attempt (an edited retry), else null. */
  readonly edited: Readonly<Record<string, unknown>> | null;
  /** A cancelled attempt: the operator who cut it (absent when the journal does not say). */
  readonly cancelledBy?: string;
}

export interface WfLogLine {
  readonly id: number;
  readonly runId: string;
  readonly stepId: string;
  readonly host: string;
  readonly at: number;
  readonly level: 'info' | 'warn' | 'error';
  readonly line: string;
}

/**
 * How the run view names one of a run's hosts. A run keeps its hosts' names as they were at
 * launch; a reinstall (server-online) renames a device since, so the name shown is the
 * inventory's now while the device is in it, and the launch snapshot's once it has left.
 */
export interface WfHostLabel {
  readonly hostname: string;
  readonly sn: string;
  /** false: the device is no longer in the inventory; hostname and sn are the ones it had at launch. */
  readonly inInventory: boolean;
  /** The hostname at launch, when the inventory's differs from it now (a reinstall renamed it). */
  readonly launchHostname?: string;
}

export interface WfRunSummary {
  readonly id: string;
  readonly templateId: string;
  readonly templateVersion: number;
  readonly name: string;
  readonly state: WfRunState;
  readonly params: Readonly<Record<string, unknown>>;
  readonly hosts: readonly string[];
  /** Each host's name by device id (WfHostLabel: the inventory's now, else the one at launch). */
  readonly hostLabels: Readonly<Record<string, WfHostLabel>>;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  /** Tasks done (succeeded, skipped or failed-ignored) of all tasks. */
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

export interface WfRunDetail extends WfRunSummary {
  readonly template: WfTemplate;
  readonly tasks: readonly WfTask[];
}

/** Progress of one run, streamed as it moves. */
export interface WfProgress {
  readonly runId: string;
  readonly state: WfRunState;
  readonly done: number;
  readonly total: number;
  readonly failed: number;
  /** The tasks that changed since the last progress event. */
  readonly tasks: readonly WfTask[];
}

export interface WfStepStats {
  readonly stepId: string;
  readonly failures: number;
  readonly topError: string | null;
  readonly meanMs: number | null;
}

/** A template's statistics over a period (seed 000's table). */
export interface WfTemplateStats {
  readonly templateId: string;
  readonly name: string;
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly running: number;
  /** succeeded / (succeeded + failed), 0..1; null with nothing finished. */
  readonly successRate: number | null;
  readonly meanMs: number | null;
  readonly p90Ms: number | null;
  readonly steps: readonly WfStepStats[];
}
