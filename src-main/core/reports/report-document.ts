// The shape every FleetDeck report is built into before it is written out: a title, the
// definitions of its terms (the report says what its columns mean), tables and small charts.
// Report builders (rack-power.ts, later probe quality and workflow statistics) produce a
// ReportDocument from the store; the writers (CSV, XLSX, PDF) render any ReportDocument, so
// a new report needs no new writer. Values are numbers or text; null is "no value" (written
// empty, never 0). Percent columns hold fractions (0.42 is 42%).

export type ReportLocale = 'en' | 'zh-CN';

export type ReportColumnKind = 'text' | 'int' | 'number' | 'percent';

export interface ReportColumn {
  readonly key: string;
  readonly label: string;
  readonly kind: ReportColumnKind;
  /** Shown after the label (kW, ms); percent columns need none. */
  readonly unit?: string;
  /** Decimals for number and percent columns (default 1). */
  readonly decimals?: number;
}

/** A row; level marks subtotal rows (site) and the grand total (all), drawn bold. */
export interface ReportRow {
  readonly cells: Readonly<Record<string, string | number | null>>;
  readonly level?: 'detail' | 'site' | 'all';
}

export interface ReportTable {
  readonly title: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly ReportRow[];
}

/** A small bar chart (one per room in the rack power report): one bar per label and series. */
export interface ReportChart {
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
  readonly unit?: string;
}

export interface ReportDocument {
  /** A stable kind, for file names and the history list: 'rack-power', 'probe-quality', ... */
  readonly kind: string;
  readonly title: string;
  readonly subtitle?: string;
  readonly locale: ReportLocale;
  /** ms since the epoch. */
  readonly generatedAt: number;
  /** The period covered, [from, to) in ms since the epoch. */
  readonly period: { readonly from: number; readonly to: number };
  readonly definitions: readonly { readonly term: string; readonly text: string }[];
  readonly tables: readonly ReportTable[];
  readonly charts: readonly ReportChart[];
}
