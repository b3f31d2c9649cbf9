// Any ReportDocument as the bytes of an .xlsx workbook, written with exceljs: one sheet per
// table (the document's title and subtitle above the header, the header frozen), a sheet with
// each chart's numbers (exceljs draws no charts; the PDF has them), and a definitions sheet.
// Numbers are stored as numbers at full precision with a number format from the column: int
// "0", number "0.0" (the column's decimals), percent "0.0%" (the cell holds the fraction).
// Subtotal (site) and all rows are bold. null is an empty cell. Text is stored as strings
// (shared strings, never formulas), so no formula-looking name is ever evaluated.
import ExcelJS from 'exceljs';
import type { ReportColumn, ReportDocument, ReportLocale } from './report-document';

const WORDS: Readonly<Record<ReportLocale, { definitions: string; charts: string; term: string; text: string }>> = {
  en: { definitions: 'Definitions', charts: 'Charts', term: 'Term', text: 'Definition' },
  'zh-CN': { definitions: '定义', charts: '图表数据', term: '术语', text: '说明' },
};

/** The rows above a table's header on its sheet: title, subtitle, a blank row. */
export const XLSX_HEADER_ROW = 4;

/** The number format of a column's cells. */
export function xlsxNumberFormat(column: ReportColumn): string | undefined {
  if (column.kind === 'text') return undefined;
  if (column.kind === 'int') return '0';
  const decimals = column.decimals ?? 1;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) throw new RangeError(`report xlsx: column ${column.key} has ${decimals} decimals`);
  const digits = decimals ? `0.${'0'.repeat(decimals)}` : '0';
  return column.kind === 'percent' ? `${digits}%` : digits;
}

/** A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique in the workbook. */
function sheetName(wanted: string, used: Set<string>): string {
  const base = (wanted.replace(/[[\]:*?/\\]/g, ' ').trim() || 'Sheet').slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

function header(column: ReportColumn): string {
  return column.unit ? `${column.label} (${column.unit})` : column.label;
}

function value(v: string | number | null | undefined, column: ReportColumn): string | number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError(`report xlsx: column ${column.key} holds ${v}, not a finite number`);
    return column.kind === 'text' ? String(v) : v;
  }
  if (typeof v !== 'string') throw new TypeError(`report xlsx: column ${column.key} holds a ${typeof v}`);
  return v;
}

/** The document as a workbook (for callers that add to it); reportToXlsx gives its bytes. */
export function reportWorkbook(doc: ReportDocument): ExcelJS.Workbook {
  const words = WORDS[doc.locale];
  if (!words) throw new RangeError(`report xlsx: unknown locale ${JSON.stringify(doc.locale)}`);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'FleetDeck';
  wb.created = new Date(doc.generatedAt);
  wb.modified = new Date(doc.generatedAt);
  wb.title = doc.title;
  const used = new Set<string>();
  for (const table of doc.tables) {
    const ws = wb.addWorksheet(sheetName(table.title, used), { views: [{ state: 'frozen', ySplit: XLSX_HEADER_ROW }] });
    ws.getCell(1, 1).value = doc.title;
    ws.getCell(1, 1).font = { bold: true, size: 14 };
    if (doc.subtitle) ws.getCell(2, 1).value = doc.subtitle;
    const head = ws.getRow(XLSX_HEADER_ROW);
    table.columns.forEach((c, i) => {
      head.getCell(i + 1).value = header(c);
      ws.getColumn(i + 1).width = Math.min(40, Math.max(10, header(c).length + 2));
    });
    head.font = { bold: true };
    table.rows.forEach((row, r) => {
      const line = ws.getRow(XLSX_HEADER_ROW + 1 + r);
      table.columns.forEach((c, i) => {
        const cell = line.getCell(i + 1);
        cell.value = value(row.cells[c.key], c);
        const fmt = xlsxNumberFormat(c);
        if (fmt) cell.numFmt = fmt;
      });
      if (row.level === 'site' || row.level === 'all') line.font = { bold: true };
    });
  }
  if (doc.charts.length) {
    const ws = wb.addWorksheet(sheetName(words.charts, used));
    let r = 1;
    for (const chart of doc.charts) {
      ws.getCell(r, 1).value = chart.unit ? `${chart.title} (${chart.unit})` : chart.title;
      ws.getCell(r, 1).font = { bold: true };
      chart.labels.forEach((l, i) => (ws.getCell(r + 1, i + 2).value = l));
      chart.series.forEach((s, j) => {
        ws.getCell(r + 2 + j, 1).value = s.name;
        s.values.forEach((v, i) => (ws.getCell(r + 2 + j, i + 2).value = v === null || !Number.isFinite(v) ? null : v));
      });
      r += chart.series.length + 3;
    }
  }
  const defs = wb.addWorksheet(sheetName(words.definitions, used));
  defs.getColumn(1).width = 28;
  defs.getColumn(2).width = 100;
  defs.getRow(1).values = [words.term, words.text];
  defs.getRow(1).font = { bold: true };
  doc.definitions.forEach((d, i) => {
    defs.getRow(i + 2).values = [d.term, d.text];
    defs.getCell(i + 2, 2).alignment = { wrapText: true, vertical: 'top' };
  });
  return wb;
}

/** The document as the bytes of an .xlsx file. */
export async function reportToXlsx(doc: ReportDocument): Promise<Buffer> {
  const bytes: unknown = await reportWorkbook(doc).xlsx.writeBuffer();
  // exceljs types it as an ArrayBuffer; under Node it is a Buffer already.
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes as ArrayBuffer);
}
