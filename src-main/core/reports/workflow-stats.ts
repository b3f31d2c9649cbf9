// The workflow statistics report for a period (a local day from the reports job): the engine's
// own table (src-main/core/workflows/stats.ts, what workflows.stats answers) for every stored
// template, with the runs revoked (the total less succeeded, failed and running: the only other
// run state), an all row, a table of steps, and a chart of succeeded and failed runs per
// template. workflowStatsDocument is pure; buildWorkflowStatsReport reads the journal through
// the engine's own JournalReader and WorkflowStats over the store's database (no engine needed:
// the statistics are reads of the journal tables).
import type { WfTemplateStats } from '../../../src-shared/domain/workflow';
import type { CoreStore } from '../store/core-store';
import { JournalReader } from '../workflows/journal-read';
import { WorkflowStats } from '../workflows/stats';
import { localTime } from './probe-quality';
import type { ReportColumn, ReportDocument, ReportLocale, ReportRow } from './report-document';
import { STEP_KEYS, TEMPLATE_KEYS, workflowStatsText } from './workflow-stats-text';

export interface WorkflowStatsResult {
  /** One per stored template (latest version), by id. */
  readonly templates: readonly WfTemplateStats[];
  readonly all: { readonly total: number; readonly succeeded: number; readonly failed: number; readonly running: number; readonly revoked: number; readonly successRate: number | null };
}

export const revokedOf = (s: Pick<WfTemplateStats, 'total' | 'succeeded' | 'failed' | 'running'>): number => s.total - s.succeeded - s.failed - s.running;

/** The engine's statistics of every stored template over [from, to), and their sums. */
export function computeWorkflowStats(store: Pick<CoreStore, 'db'>, from: number, to: number): WorkflowStatsResult {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new RangeError(`workflow statistics: the period must be [from, to) with from < to, got [${from}, ${to})`);
  const reader = new JournalReader(store.db, () => undefined);
  const stats = new WorkflowStats(store.db, reader);
  const templates = reader.templates().map((t) => stats.stats(t.id, from, to));
  const sum = (k: 'total' | 'succeeded' | 'failed' | 'running'): number => templates.reduce((a, s) => a + s[k], 0);
  const succeeded = sum('succeeded');
  const failed = sum('failed');
  const all = { total: sum('total'), succeeded, failed, running: sum('running'), revoked: 0, successRate: succeeded + failed ? succeeded / (succeeded + failed) : null };
  return { templates, all: { ...all, revoked: revokedOf(all) } };
}

export interface WorkflowStatsDocumentOptions {
  readonly locale: ReportLocale;
  readonly period: { readonly from: number; readonly to: number };
  readonly generatedAt: number;
  readonly timeZone?: string;
}

const seconds = (ms: number | null): number | null => (ms === null ? null : ms / 1000);

function columnOf(key: string, label: string): ReportColumn {
  if (key === 'template' || key === 'name' || key === 'step' || key === 'topError') return { key, label, kind: 'text' };
  if (key === 'successRate') return { key, label, kind: 'percent', decimals: 1 };
  if (key === 'meanS' || key === 'p90S') return { key, label, kind: 'number', unit: 's', decimals: 1 };
  return { key, label, kind: 'int' };
}

/** The ReportDocument: runs per template with an all row, steps per template, and a chart. */
export function workflowStatsDocument(result: WorkflowStatsResult, o: WorkflowStatsDocumentOptions): ReportDocument {
  const t = workflowStatsText(o.locale);
  const rows: ReportRow[] = result.templates.map((s) => ({
    cells: {
      template: s.templateId, name: s.name, total: s.total, succeeded: s.succeeded, failed: s.failed, running: s.running, revoked: revokedOf(s),
      successRate: s.successRate, meanS: seconds(s.meanMs), p90S: seconds(s.p90Ms),
    },
  }));
  const a = result.all;
  rows.push({ level: 'all', cells: { template: t.all, name: '', total: a.total, succeeded: a.succeeded, failed: a.failed, running: a.running, revoked: a.revoked, successRate: a.successRate, meanS: null, p90S: null } });
  const steps: ReportRow[] = result.templates.flatMap((s) => s.steps.map((st) => ({
    cells: { template: s.templateId, step: st.stepId, failures: st.failures, topError: st.topError ?? '', meanS: seconds(st.meanMs) },
  })));
  const shown = result.templates.filter((s) => s.total > 0);
  return {
    kind: 'workflow-stats',
    title: `${t.title} ${localTime(o.period.from, o.timeZone, false)}`,
    subtitle: t.period(localTime(o.period.from, o.timeZone, true), localTime(o.period.to, o.timeZone, true)),
    locale: o.locale,
    generatedAt: o.generatedAt,
    period: { from: o.period.from, to: o.period.to },
    definitions: t.definitions,
    tables: [
      { title: t.tableTitle, columns: TEMPLATE_KEYS.map((k) => columnOf(k, t.columns[k])), rows },
      { title: t.stepsTitle, columns: STEP_KEYS.map((k) => columnOf(k, t.stepColumns[k])), rows: steps },
    ],
    charts: shown.length
      ? [{ title: t.chartTitle, labels: shown.map((s) => s.name), series: [{ name: t.chartSeries[0], values: shown.map((s) => s.succeeded) }, { name: t.chartSeries[1], values: shown.map((s) => s.failed) }] }]
      : [],
  };
}

export interface WorkflowStatsReportOptions {
  readonly from: number;
  readonly to: number;
  readonly locale: ReportLocale;
  readonly timeZone?: string;
  readonly now?: () => number;
}

/** The workflow statistics report for runs launched in [from, to). */
export function buildWorkflowStatsReport(store: Pick<CoreStore, 'db'>, o: WorkflowStatsReportOptions): { document: ReportDocument; result: WorkflowStatsResult } {
  workflowStatsText(o.locale);
  const result = computeWorkflowStats(store, o.from, o.to);
  const document = workflowStatsDocument(result, { locale: o.locale, period: { from: o.from, to: o.to }, generatedAt: (o.now ?? Date.now)(), timeZone: o.timeZone });
  return { document, result };
}
