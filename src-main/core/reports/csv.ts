// Any ReportDocument as CSV bytes: RFC 4180 (CRLF line ends, fields quoted when they hold a
// comma, quote or line break, every record padded to the same field count), UTF-8 with a BOM so
// Excel opens Chinese text correctly. Layout: the title and subtitle lines, then each table
// (its title line, the header, the rows), then the definitions (term, text), a blank record
// between the parts.
//
// Spreadsheet-safe: every text cell (titles, labels, names, definitions) goes through the
// inventory export's guard (csv-safety.ts: a cell starting with = + - @ tab or CR gets a leading
// quote and is quoted). Number cells are written by this file from finite numbers as plain
// decimals ("-1.5" is a number to a spreadsheet, not a formula), so they need no guard.
// Numbers: int columns as integers; number columns rounded to the column's decimals; percent
// columns as percentage points rounded to the column's decimals (0.4673 with 1 decimal is
// "46.7"), their header saying "(%)". So the CSV reads as the report does; the XLSX keeps full
// precision. null is an empty field. Non-finite numbers are refused (a report bug, not data).
import { formatSafeCsvField } from '../inventory/csv-safety';
import type { ReportColumn, ReportDocument } from './report-document';

const BOM = '\uFEFF';

/** A number cell as the CSV writes it; the column's kind says how. */
export function csvNumber(value: number, column: ReportColumn): string {
  if (!Number.isFinite(value)) throw new RangeError(`report csv: column ${column.key} holds ${value}, not a finite number`);
  const decimals = column.decimals ?? 1;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) throw new RangeError(`report csv: column ${column.key} has ${decimals} decimals`);
  const scaled = column.kind === 'percent' ? value * 100 : value;
  const text = column.kind === 'int' ? String(Math.round(scaled)) : scaled.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text; // no "-0.0"
}

/** The header a column gets: its label, then its unit or "(%)". */
export function csvHeader(column: ReportColumn): string {
  if (column.kind === 'percent') return `${column.label} (%)`;
  return column.unit ? `${column.label} (${column.unit})` : column.label;
}

function cell(value: string | number | null | undefined, column: ReportColumn): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (column.kind === 'text') return formatSafeCsvField(String(value));
    return csvNumber(value, column);
  }
  if (typeof value !== 'string') throw new TypeError(`report csv: column ${column.key} holds a ${typeof value}`);
  return formatSafeCsvField(value);
}

/** The document as CSV text (starting with the BOM). */
export function reportCsvText(doc: ReportDocument): string {
  const width = Math.max(2, ...doc.tables.map((t) => t.columns.length));
  const records: string[][] = [];
  const text = (...values: string[]): string[] => values.map((v) => formatSafeCsvField(v));
  records.push(text(doc.title));
  if (doc.subtitle) records.push(text(doc.subtitle));
  for (const table of doc.tables) {
    const keys = new Set(table.columns.map((c) => c.key));
    if (keys.size !== table.columns.length) throw new RangeError(`report csv: table ${JSON.stringify(table.title)} has two columns with one key`);
    records.push([]);
    records.push(text(table.title));
    records.push(table.columns.map((c) => formatSafeCsvField(csvHeader(c))));
    for (const row of table.rows) records.push(table.columns.map((c) => cell(row.cells[c.key], c)));
  }
  if (doc.definitions.length) {
    records.push([]);
    for (const d of doc.definitions) records.push(text(d.term, d.text));
  }
  let out = BOM;
  for (const r of records) {
    const padded = r.length < width ? [...r, ...Array<string>(width - r.length).fill('')] : r;
    out += padded.join(',') + '\r\n';
  }
  return out;
}

/** The document as the bytes of a .csv file: UTF-8 with a BOM. */
export function reportToCsv(doc: ReportDocument): Buffer {
  return Buffer.from(reportCsvText(doc), 'utf8');
}
