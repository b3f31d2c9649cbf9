// Statistics per template over a period [from, to) of launch times (seed 000's table): runs
// total / succeeded / failed / running (paused counts as running; revoked runs are in the
// total only), success rate, mean and P90 duration of finished runs, and per step: failed
// attempts (every failure, retried ones too; attempts closed by a skip or revoke are not
// failures), the most frequent error and the mean time of its succeeded attempts. Only what
// the journal keeps is counted: finished runs past the retention are gone (prune.ts).
import type { WfStepStats, WfTemplateStats } from '../../../src-shared/domain/workflow';
import type { Db } from '../store/database';
import type { JournalReader } from './journal-read';

type Window = { t: string; from: number; to: number };
const RUNS_IN = 'FROM wf_attempts a JOIN wf_runs r ON r.id = a.run_id WHERE r.template_id = @t AND r.created_at >= @from AND r.created_at < @to';

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export class WorkflowStats {
  readonly #reader: JournalReader;
  readonly #s;

  constructor(db: Db, reader: JournalReader) {
    this.#reader = reader;
    this.#s = {
      runs: db.prepare<[Window], { state: string; created_at: number; finished_at: number | null }>(
        'SELECT state, created_at, finished_at FROM wf_runs WHERE template_id = @t AND created_at >= @from AND created_at < @to'),
      failures: db.prepare<[Window], { step_id: string; error: string | null; n: number }>(
        `SELECT a.step_id, a.error, COUNT(*) AS n ${RUNS_IN} AND a.state = 'failed' AND a.failure IS NOT NULL GROUP BY a.step_id, a.error ORDER BY a.step_id, n DESC, a.error`),
      times: db.prepare<[Window], { step_id: string; mean: number }>(
        `SELECT a.step_id, AVG(a.finished_at - a.started_at) AS mean ${RUNS_IN} AND a.state = 'succeeded' GROUP BY a.step_id`),
    };
  }

  stats(templateId: string, from: number, to: number): WfTemplateStats {
    const info = this.#reader.template(templateId);
    const w: Window = { t: templateId, from, to };
    const runs = this.#s.runs.all(w);
    const count = (...states: string[]) => runs.filter((r) => states.includes(r.state)).length;
    const succeeded = count('succeeded');
    const failed = count('failed');
    const durations = runs.filter((r) => (r.state === 'succeeded' || r.state === 'failed') && r.finished_at !== null).map((r) => r.finished_at! - r.created_at).sort((a, b) => a - b);
    const failures = new Map<string, { n: number; top: string | null }>();
    for (const r of this.#s.failures.all(w)) {
      const f = failures.get(r.step_id);
      if (f) f.n += r.n;
      else failures.set(r.step_id, { n: r.n, top: r.error });
    }
    const times = new Map(this.#s.times.all(w).map((r) => [r.step_id, r.mean]));
    const ids = [...(info?.template.steps.map((s) => s.id) ?? [])];
    for (const id of [...failures.keys(), ...times.keys()]) if (!ids.includes(id)) ids.push(id);
    const steps: WfStepStats[] = ids.map((stepId) => ({
      stepId,
      failures: failures.get(stepId)?.n ?? 0,
      topError: failures.get(stepId)?.top ?? null,
      meanMs: times.has(stepId) ? Math.round(times.get(stepId)!) : null,
    }));
    return {
      templateId,
      name: info?.name ?? templateId,
      total: runs.length,
      succeeded,
      failed,
      running: count('running', 'paused'),
      successRate: succeeded + failed ? succeeded / (succeeded + failed) : null,
      meanMs: durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length) : null,
      p90Ms: percentile(durations, 90),
      steps,
    };
  }
}
