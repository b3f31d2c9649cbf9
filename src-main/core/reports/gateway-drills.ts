// The gateway failover drills report for a period (a local day from the reports job): one row
// per drill started in the period, oldest first, as the store keeps it (drill-repository.ts,
// migration 17; a drill a stopped console left mid-way is listed with the phase it reached),
// and a one-row summary: the drills, how many had 0 misses, and the longest failover window.
// gatewayDrillsDocument is pure; buildGatewayDrillsReport reads the day's drills from the store.
// No chart: the figures are per drill, the table says them.
import type { GatewayDrill } from '../../../src-shared/domain/gateway';
import type { CoreStore } from '../store/core-store';
import { DRILL_KEYS, gatewayDrillsText, SUMMARY_KEYS } from './gateway-drills-text';
import { localTime } from './probe-quality';
import type { ReportColumn, ReportDocument, ReportLocale, ReportRow } from './report-document';

export interface GatewayDrillsSummary {
  readonly drills: number;
  /** Drills whose misses were measured and are 0. */
  readonly clean: number;
  /** The longest failover window measured (ms); null when none was. */
  readonly longestWindowMs: number | null;
}

export interface GatewayDrillsResult {
  /** The drills started in the period, oldest first. */
  readonly drills: readonly GatewayDrill[];
  readonly summary: GatewayDrillsSummary;
}

/** The drills' summary (pure). */
export function summarizeDrills(drills: readonly GatewayDrill[]): GatewayDrillsSummary {
  const windows = drills.map((d) => d.windowMs).filter((w): w is number => w !== null);
  return {
    drills: drills.length,
    clean: drills.filter((d) => d.misses === 0).length,
    longestWindowMs: windows.length ? Math.max(...windows) : null,
  };
}

/** The drills started in [from, to), oldest first, with their summary. */
export function computeGatewayDrills(store: Pick<CoreStore, 'drills'>, from: number, to: number): GatewayDrillsResult {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new RangeError(`gateway drills: the period must be [from, to) with from < to, got [${from}, ${to})`);
  const drills = store.drills.between(from, to);
  return { drills, summary: summarizeDrills(drills) };
}

export interface GatewayDrillsDocumentOptions {
  readonly locale: ReportLocale;
  readonly period: { readonly from: number; readonly to: number };
  readonly generatedAt: number;
  readonly timeZone?: string;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** HH:MM:SS of an instant in the zone (the report's title names the day). */
export function clockTime(ms: number, timeZone: string | undefined): string {
  const key = timeZone ?? '';
  let f = clocks.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    clocks.set(key, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.hour}:${p.minute}:${p.second}`;
}

const TEXT_KEYS = new Set(['startedAt', 'cluster', 'kind', 'actor', 'killed', 'phase', 'note']);
const MS_KEYS = new Set(['lossMs', 'windowMs', 'failbackMs', 'longestWindowMs']);

function columnOf(key: string, label: string): ReportColumn {
  if (TEXT_KEYS.has(key)) return { key, label, kind: 'text' };
  if (key === 'lossPercent') return { key, label, kind: 'percent', decimals: 1 };
  if (MS_KEYS.has(key)) return { key, label, kind: 'int', unit: 'ms' };
  return { key, label, kind: 'int' };
}

/** The ReportDocument: the drills table and the summary table. */
export function gatewayDrillsDocument(result: GatewayDrillsResult, o: GatewayDrillsDocumentOptions): ReportDocument {
  const t = gatewayDrillsText(o.locale);
  const rows: ReportRow[] = result.drills.map((d) => ({
    cells: {
      startedAt: clockTime(d.startedAt, o.timeZone), cluster: d.cluster, kind: t.kinds[d.kind] ?? d.kind, actor: d.actor, killed: d.killed.join(', '),
      sessions: d.sessions, lossPercent: d.lossPercent === null ? null : d.lossPercent / 100, lossMs: d.lossMs, windowMs: d.windowMs,
      switched: d.switched, lost: d.lost, misses: d.misses, failbackMs: d.failbackMs, failbackMisses: d.failbackMisses,
      phase: t.phases[d.phase] ?? d.phase, note: d.note ?? '',
    },
  }));
  const s = result.summary;
  return {
    kind: 'gateway-drills',
    title: `${t.title} ${localTime(o.period.from, o.timeZone, false)}`,
    subtitle: t.period(localTime(o.period.from, o.timeZone, true), localTime(o.period.to, o.timeZone, true)),
    locale: o.locale,
    generatedAt: o.generatedAt,
    period: { from: o.period.from, to: o.period.to },
    definitions: t.definitions,
    tables: [
      { title: t.tableTitle, columns: DRILL_KEYS.map((k) => columnOf(k, t.columns[k])), rows },
      {
        title: t.summaryTitle,
        columns: SUMMARY_KEYS.map((k) => columnOf(k, t.summaryColumns[k])),
        rows: [{ level: 'all', cells: { drills: s.drills, clean: s.clean, longestWindowMs: s.longestWindowMs } }],
      },
    ],
    charts: [],
  };
}

export interface GatewayDrillsReportOptions {
  readonly from: number;
  readonly to: number;
  readonly locale: ReportLocale;
  readonly timeZone?: string;
  readonly now?: () => number;
}

/** The gateway failover drills report for drills started in [from, to). */
export function buildGatewayDrillsReport(store: Pick<CoreStore, 'drills'>, o: GatewayDrillsReportOptions): { document: ReportDocument; result: GatewayDrillsResult } {
  gatewayDrillsText(o.locale);
  const result = computeGatewayDrills(store, o.from, o.to);
  const document = gatewayDrillsDocument(result, { locale: o.locale, period: { from: o.from, to: o.to }, generatedAt: (o.now ?? Date.now)(), timeZone: o.timeZone });
  return { document, result };
}
