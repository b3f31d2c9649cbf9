// How the PDF writer prints a ReportDocument's values, dates and its own few words (page
// numbers, headings) in the document's locale, and the checks it makes first. Bad input is
// refused with a ReportPdfError naming the table, row and column: a cell for a column the
// table does not have, or a number that is NaN or infinite (a builder's bug: "no value" is
// null, which prints empty). Strings in numeric columns print as they are (e.g. "n/a").
import type { ReportColumn, ReportDocument, ReportLocale } from '../report-document';

export class ReportPdfError extends Error {
  override readonly name = 'ReportPdfError';
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(decimals: number): Intl.NumberFormat {
  const key = String(decimals);
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });
    numberFormats.set(key, f);
  }
  return f;
}

/** A cell as printed: int with grouping (1,234), number with its decimals, percent as 42.0%. */
export function formatCell(column: ReportColumn, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const decimals = column.decimals ?? 1;
  switch (column.kind) {
    case 'text':
      return String(value);
    case 'int':
      return numberFormat(0).format(Math.round(value));
    case 'number':
      return numberFormat(decimals).format(value);
    case 'percent':
      return `${numberFormat(decimals).format(value * 100)}%`;
  }
}

/** The header text of a column: its label, and the unit in brackets. */
export function columnHeader(column: ReportColumn): string {
  return column.unit ? `${column.label} (${column.unit})` : column.label;
}

export function isNumeric(column: ReportColumn): boolean {
  return column.kind !== 'text';
}

/** Throws ReportPdfError for unknown cells and non-finite numbers. */
export function validateDocument(doc: ReportDocument): void {
  doc.tables.forEach((table, t) => {
    const keys = new Set(table.columns.map((c) => c.key));
    table.rows.forEach((row, r) => {
      for (const [key, value] of Object.entries(row.cells)) {
        if (!keys.has(key)) throw new ReportPdfError(`table ${t + 1} '${table.title}', row ${r + 1}: cell '${key}' is not one of its columns (${[...keys].join(', ')})`);
        if (typeof value === 'number' && !Number.isFinite(value)) throw new ReportPdfError(`table ${t + 1} '${table.title}', row ${r + 1}, column '${key}': ${value} is not a number to print (use null for no value)`);
      }
    });
  });
  doc.charts.forEach((chart, c) => {
    for (const s of chart.series) {
      if (s.values.length !== chart.labels.length) throw new ReportPdfError(`chart ${c + 1} '${chart.title}', series '${s.name}': ${s.values.length} values for ${chart.labels.length} labels`);
      s.values.forEach((v, i) => {
        if (v !== null && !Number.isFinite(v)) throw new ReportPdfError(`chart ${c + 1} '${chart.title}', series '${s.name}', value ${i + 1}: ${v} is not a number (use null for no value)`);
      });
    }
  });
  if (!Number.isFinite(doc.generatedAt) || !Number.isFinite(doc.period.from) || !Number.isFinite(doc.period.to)) {
    throw new ReportPdfError('generatedAt and period must be times in ms since the epoch');
  }
}

/** "2026-12-02 00:00" in the given time zone (the process's when undefined). */
export function formatTime(ms: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

interface Words {
  period: string;
  generated: string;
  definitions: string;
  continued: string;
  noData: string;
  page: (page: number, pages: number) => string;
}

const WORDS: Record<ReportLocale, Words> = {
  en: { period: 'Period', generated: 'Generated', definitions: 'Definitions', continued: '(continued)', noData: 'no data', page: (p, n) => `Page ${p} of ${n}` },
  'zh-CN': { period: '统计周期', generated: '生成时间', definitions: '指标定义', continued: '（续）', noData: '无数据', page: (p, n) => `第 ${p} 页，共 ${n} 页` },
};

export function words(locale: ReportLocale): Words {
  return WORDS[locale];
}
