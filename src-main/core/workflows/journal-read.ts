// The workflow journal's reads: templates by version, run summaries (done/total/failed counted
// in SQL), a run's detail, attempts, log lines and events, the open runs and their tasks for a
// restart, a callback token's task, and the outbox's due rows. Plain rows become the domain
// shapes of src-shared/domain/workflow.ts here; a run's hosts are named from the inventory
// now (the `hostsNow` lookup) and, for a device that has left it, from the run's snapshot.
// An attempt stored 'failed' with no failure kind was cut by an operator (journal.ts
// cancelAttempt): it reads as 'cancelled', by the actor of the run event that cut it (a
// retry or skip naming the attempt in detail.cancelled, a skip of that task, the revoke).
// The callback URLs operators' retries spent are read back from those retries' events (their
// token's hash), for the engine to hold in memory.
import type { WfAttempt, WfAttemptState, WfFailure, WfHostLabel, WfLogLine, WfRunDetail, WfRunState, WfRunSummary, WfTask, WfTaskState, WfTemplate, WfTemplateInfo } from '../../../src-shared/domain/workflow';
import type { Db } from '../store/database';
import type { ToolHost } from './tool';

const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

export interface RunRow {
  id: string; template_id: string; template_version: number; name: string; state: WfRunState; params: string; hosts: string;
  created_by: string; created_at: number; finished_at: number | null; body: string;
}

export interface TaskRow {
  run_id: string; step_id: string; host: string; state: WfTaskState; attempt: number; retries: number;
  inputs: string | null; outputs: string | null; edits: string | null; failure: WfFailure | null; error: string | null; passed: number;
  started_at: number | null; finished_at: number | null; next_at: number | null; poll_state: string | null; checks: number;
  callback_token: string | null; next_by: string | null; next_edited: string | null;
  /** The current attempt's start, and 1 while it has no finish (joined from wf_attempts). */
  a_started: number | null; a_open: number | null;
}

export interface OutboxRow {
  id: number; run_id: string; step_id: string; host: string; idempotency_key: string; method: string; url: string;
  headers: string; body: string | null; attempts: number; next_at: number; sent_at: number | null; last_error: string | null;
}

export interface RunEventRow {
  readonly id: number; readonly at: number; readonly actor: string; readonly kind: string;
  readonly stepId: string | null; readonly host: string | null; readonly detail: Record<string, unknown> | null;
}

/** The retry that spent a callback URL: its run event (who, when) and the attempt it cancelled. */
export interface SpentToken {
  /** The token's hash (callback.ts spentMark). */
  readonly mark: string;
  readonly runId: string; readonly stepId: string; readonly host: string; readonly actor: string; readonly at: number; readonly attempt: number | null;
}

type EventRow = { id: number; at: number; actor: string; kind: string; step_id: string | null; host: string | null; detail: string | null };

/** Who cut each cancelled attempt, from the run's retry / skip / revoke events. */
function cutters(events: readonly EventRow[]): (stepId: string, host: string, attempt: number) => string | undefined {
  const exact = new Map<string, string>();
  const skips = new Map<string, string>();
  let revoker: string | undefined;
  for (const e of events) {
    if (e.kind === 'revoke') revoker = e.actor;
    if ((e.kind !== 'retry' && e.kind !== 'skip') || e.step_id === null) continue;
    const at = `${e.step_id}\u0000${e.host ?? ''}`;
    const cut = parse<{ cancelled?: unknown }>(e.detail)?.cancelled;
    if (typeof cut === 'number') exact.set(`${at}\u0000${cut}`, e.actor);
    // A skip journaled before detail.cancelled existed: a task is skipped once.
    if (e.kind === 'skip') skips.set(at, e.actor);
  }
  return (stepId, host, attempt) => exact.get(`${stepId}\u0000${host}\u0000${attempt}`) ?? skips.get(`${stepId}\u0000${host}`) ?? revoker;
}

export interface RunFilter {
  readonly templateId?: string;
  readonly state?: WfRunState;
  readonly limit?: number;
}

const SUMMARY = `SELECT r.*, COUNT(t.step_id) AS total,
  COALESCE(SUM(t.state IN ('succeeded','skipped') OR (t.state = 'failed' AND t.passed = 1)), 0) AS done,
  COALESCE(SUM(t.state = 'failed'), 0) AS failed
  FROM wf_runs r LEFT JOIN wf_tasks t ON t.run_id = r.id`;

type SummaryRow = Omit<RunRow, 'body'> & { total: number; done: number; failed: number };

/** A device id's host in the inventory now, or undefined when it has left it. */
export type HostsNow = (id: string) => ToolHost | undefined;

/** The inventory's name while the device is in it (with the launch name when it differs), else the snapshot's. */
function labelOf(h: ToolHost, now: ToolHost | undefined): WfHostLabel {
  if (!now) return { hostname: h.hostname, sn: h.sn, inInventory: false };
  return now.hostname === h.hostname ? { hostname: now.hostname, sn: now.sn, inInventory: true } : { hostname: now.hostname, sn: now.sn, inInventory: true, launchHostname: h.hostname };
}

function toSummary(r: SummaryRow, hostsNow: HostsNow): WfRunSummary {
  const snapshot = JSON.parse(r.hosts) as ToolHost[];
  return {
    id: r.id, templateId: r.template_id, templateVersion: r.template_version, name: r.name, state: r.state,
    params: JSON.parse(r.params) as Record<string, unknown>, hosts: snapshot.map((h) => h.id),
    // fromEntries: own properties even for an id such as "__proto__".
    hostLabels: Object.fromEntries(snapshot.map((h) => [h.id, labelOf(h, hostsNow(h.id))])),
    createdBy: r.created_by, createdAt: r.created_at, finishedAt: r.finished_at, done: r.done, total: r.total, failed: r.failed,
  };
}

/** One lookup per device for a list of runs that share hosts. */
function memo(hostsNow: HostsNow): HostsNow {
  const seen = new Map<string, ToolHost | undefined>();
  return (id) => {
    if (!seen.has(id)) seen.set(id, hostsNow(id));
    return seen.get(id);
  };
}

export const toTask = (r: TaskRow): WfTask => ({
  runId: r.run_id, stepId: r.step_id, host: r.host, state: r.state, attempt: r.attempt,
  inputs: parse(r.inputs), outputs: parse(r.outputs), failure: r.failure, error: r.error, startedAt: r.started_at, finishedAt: r.finished_at,
});

export class JournalReader {
  readonly #s;
  readonly #hostsNow: HostsNow;

  constructor(db: Db, hostsNow: HostsNow) {
    this.#hostsNow = hostsNow;
    this.#s = {
      template: db.prepare<[string, number], { id: string; version: number; name: string; body: string; saved_by: string; saved_at: number }>('SELECT * FROM wf_templates WHERE id = ? AND version = ?'),
      latest: db.prepare<[string], { id: string; version: number; name: string; body: string; saved_by: string; saved_at: number }>('SELECT * FROM wf_templates WHERE id = ? ORDER BY version DESC LIMIT 1'),
      templates: db.prepare<[], { id: string; version: number; name: string; body: string; saved_by: string; saved_at: number }>(
        'SELECT t.* FROM wf_templates t JOIN (SELECT id, MAX(version) AS v FROM wf_templates GROUP BY id) m ON m.id = t.id AND m.v = t.version ORDER BY t.id'),
      run: db.prepare<[string], RunRow>('SELECT r.*, t.body FROM wf_runs r JOIN wf_templates t ON t.id = r.template_id AND t.version = r.template_version WHERE r.id = ?'),
      summary: db.prepare<[string], SummaryRow>(`${SUMMARY} WHERE r.id = ? GROUP BY r.id`),
      runs: db.prepare<[{ template: string | null; state: string | null; limit: number }], SummaryRow>(
        `${SUMMARY} WHERE (@template IS NULL OR r.template_id = @template) AND (@state IS NULL OR r.state = @state) GROUP BY r.id ORDER BY r.created_at DESC, r.id LIMIT @limit`),
      openRuns: db.prepare<[], { id: string }>("SELECT id FROM wf_runs WHERE state IN ('running','paused') ORDER BY created_at, id"),
      tasks: db.prepare<[string], TaskRow>(`SELECT t.*, a.started_at AS a_started, (a.attempt IS NOT NULL AND a.finished_at IS NULL) AS a_open
        FROM wf_tasks t LEFT JOIN wf_attempts a ON a.run_id = t.run_id AND a.step_id = t.step_id AND a.host = t.host AND a.attempt = t.attempt
        WHERE t.run_id = ? ORDER BY t.ord`),
      batches: db.prepare<[string], { step_id: string; n: number }>('SELECT step_id, COUNT(*) AS n FROM wf_batches WHERE run_id = ? GROUP BY step_id'),
      attempts: db.prepare<[{ run: string; step: string | null; host: string | null }], Record<string, unknown>>(
        'SELECT * FROM wf_attempts WHERE run_id = @run AND (@step IS NULL OR step_id = @step) AND (@host IS NULL OR host = @host) ORDER BY started_at, step_id, host, attempt'),
      logs: db.prepare<[{ run: string; step: string | null; host: string | null; after: number; limit: number }], { id: number; run_id: string; step_id: string; host: string; at: number; level: 'info' | 'warn' | 'error'; line: string }>(
        'SELECT * FROM wf_logs WHERE run_id = @run AND (@step IS NULL OR step_id = @step) AND (@host IS NULL OR host = @host) AND id > @after ORDER BY id LIMIT @limit'),
      events: db.prepare<[string], EventRow>('SELECT * FROM wf_events WHERE run_id = ? ORDER BY id'),
      cuts: db.prepare<[string], EventRow>("SELECT * FROM wf_events WHERE run_id = ? AND kind IN ('retry','skip','revoke') ORDER BY id"),
      // A scan (no index on kind): read once per engine, at the first callback whose token no task holds.
      spent: db.prepare<[], EventRow & { run_id: string }>("SELECT * FROM wf_events WHERE kind = 'retry' AND detail LIKE '%\"spent\":%' ORDER BY id"),
      byToken: db.prepare<[string], TaskRow>('SELECT t.*, NULL AS a_started, NULL AS a_open FROM wf_tasks t WHERE callback_token = ?'),
      dueOutbox: db.prepare<[number, number], OutboxRow>('SELECT * FROM wf_outbox WHERE sent_at IS NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?'),
      nextOutbox: db.prepare<[], { at: number | null }>('SELECT MIN(next_at) AS at FROM wf_outbox WHERE sent_at IS NULL'),
      outbox: db.prepare<[string], OutboxRow>('SELECT * FROM wf_outbox WHERE run_id = ? ORDER BY id'),
    };
  }

  template(id: string, version?: number): WfTemplateInfo | undefined {
    const r = version === undefined ? this.#s.latest.get(id) : this.#s.template.get(id, version);
    return r && { id: r.id, version: r.version, name: r.name, savedBy: r.saved_by, savedAt: r.saved_at, template: JSON.parse(r.body) as WfTemplate };
  }

  templates(): WfTemplateInfo[] {
    return this.#s.templates.all().map((r) => ({ id: r.id, version: r.version, name: r.name, savedBy: r.saved_by, savedAt: r.saved_at, template: JSON.parse(r.body) as WfTemplate }));
  }

  runRow(id: string): RunRow | undefined {
    return this.#s.run.get(id);
  }

  taskRows(runId: string): TaskRow[] {
    return this.#s.tasks.all(runId);
  }

  /** Batches judged per fan-out step. */
  gates(runId: string): Map<string, number> {
    return new Map(this.#s.batches.all(runId).map((r) => [r.step_id, r.n]));
  }

  openRunIds(): string[] {
    return this.#s.openRuns.all().map((r) => r.id);
  }

  summary(id: string): WfRunSummary | undefined {
    const r = this.#s.summary.get(id);
    return r && toSummary(r, this.#hostsNow);
  }

  runs(filter: RunFilter = {}): WfRunSummary[] {
    const limit = Math.max(1, Math.min(filter.limit ?? 100, 5000));
    const hosts = memo(this.#hostsNow);
    return this.#s.runs.all({ template: filter.templateId ?? null, state: filter.state ?? null, limit }).map((r) => toSummary(r, hosts));
  }

  detail(id: string): WfRunDetail | undefined {
    const s = this.summary(id);
    const r = this.#s.run.get(id);
    if (!s || !r) return undefined;
    return { ...s, template: JSON.parse(r.body) as WfTemplate, tasks: this.taskRows(id).map(toTask) };
  }

  attempts(runId: string, stepId?: string, host?: string): WfAttempt[] {
    let cutBy: ReturnType<typeof cutters> | null = null;
    return this.#s.attempts.all({ run: runId, step: stepId ?? null, host: host ?? null }).map((r) => {
      const cancelled = r.state === 'failed' && r.failure === null && r.finished_at !== null;
      const by = cancelled ? (cutBy ??= cutters(this.#s.cuts.all(runId)))(r.step_id as string, r.host as string, r.attempt as number) : undefined;
      return {
        runId: r.run_id as string, stepId: r.step_id as string, host: r.host as string, attempt: r.attempt as number,
        inputs: JSON.parse(r.inputs as string) as Record<string, unknown>, outputs: parse(r.outputs as string | null),
        state: (cancelled ? 'cancelled' : r.state) as WfAttemptState, failure: r.failure as WfFailure | null, error: r.error as string | null,
        startedAt: r.started_at as number, finishedAt: r.finished_at as number | null, by: r.by as string, edited: parse(r.edited as string | null),
        ...(by === undefined ? {} : { cancelledBy: by }),
      };
    });
  }

  logs(runId: string, opts: { stepId?: string; host?: string; afterId?: number; limit?: number } = {}): WfLogLine[] {
    const limit = Math.max(1, Math.min(opts.limit ?? 1000, 10_000));
    return this.#s.logs.all({ run: runId, step: opts.stepId ?? null, host: opts.host ?? null, after: opts.afterId ?? 0, limit }).map((r) => ({ id: r.id, runId: r.run_id, stepId: r.step_id, host: r.host, at: r.at, level: r.level, line: r.line }));
  }

  events(runId: string): RunEventRow[] {
    return this.#s.events.all(runId).map((r) => ({ id: r.id, at: r.at, actor: r.actor, kind: r.kind, stepId: r.step_id, host: r.host, detail: parse(r.detail) }));
  }

  taskByToken(token: string): TaskRow | undefined {
    return this.#s.byToken.get(token);
  }

  /** Every callback URL an operator's retry spent, by its token's hash (callback.ts spentMark). */
  spentTokens(): SpentToken[] {
    const out: SpentToken[] = [];
    for (const r of this.#s.spent.all()) {
      const d = parse<{ spent?: unknown; cancelled?: unknown }>(r.detail);
      if (typeof d?.spent !== 'string') continue;
      out.push({ mark: d.spent, runId: r.run_id, stepId: r.step_id ?? '', host: r.host ?? '', actor: r.actor, at: r.at, attempt: typeof d.cancelled === 'number' ? d.cancelled : null });
    }
    return out;
  }

  dueOutbox(now: number, limit: number): OutboxRow[] {
    return this.#s.dueOutbox.all(now, limit);
  }

  nextOutboxAt(): number | null {
    return this.#s.nextOutbox.get()?.at ?? null;
  }

  outbox(runId: string): OutboxRow[] {
    return this.#s.outbox.all(runId);
  }
}
