// One report table on PDF pages: column widths from the header and cell texts (shrinking the
// type when even landscape is too narrow), a bold header row on a tinted band repeated at
// the top of every page the table runs onto, numbers right-aligned, zebra detail rows, and
// bold subtotal (site) and total (all) rows on their own tints with a rule above.
import type { ReportTable } from '../report-document';
import { columnHeader, formatCell, isNumeric } from './format';
import type { PdfText, TextStyle } from './text';

export const TABLE_FONT_SIZE = 8.5;
const MIN_FONT_SIZE = 5.5;
const PAD_X = 4;
const MAX_HEADER_LINES = 3;

export interface TableWidths {
  /** Each column's width if the header is on one line. */
  readonly desired: number[];
  /** Each column's width with the header wrapped to its longest word. */
  readonly natural: number[];
}

export interface TableLayout {
  readonly widths: number[];
  readonly size: number;
}

/** What the table needs from the page it is drawn on. */
export interface TableCanvas {
  readonly doc: PDFKit.PDFDocument;
  readonly text: PdfText;
  readonly left: number;
  readonly bottom: number;
  /** Starts a new page and returns the y its content starts at. */
  newPage(): number;
  readonly continued: string;
}

function cellTexts(table: ReportTable): string[][] {
  return table.rows.map((row) => table.columns.map((c) => formatCell(c, row.cells[c.key])));
}

export function measureTable(text: PdfText, table: ReportTable, size: number): TableWidths {
  const body = cellTexts(table);
  const desired: number[] = [];
  const natural: number[] = [];
  table.columns.forEach((column, i) => {
    const header = columnHeader(column);
    const headerStyle: TextStyle = { size, weight: 'bold' };
    let cells = 0;
    table.rows.forEach((row, r) => {
      const style: TextStyle = { size, weight: row.level === 'site' || row.level === 'all' ? 'bold' : 'regular' };
      cells = Math.max(cells, text.width(body[r]?.[i] ?? '', style));
    });
    // A header wraps at spaces and between CJK characters, to at most MAX_HEADER_LINES lines.
    const full = text.width(header, headerStyle);
    const longestWord = Math.max(0, ...header.split(' ').map((w) => text.width(w, headerStyle)));
    const wrapped = Math.max(longestWord, full / MAX_HEADER_LINES);
    desired.push(Math.ceil(Math.max(cells, full)) + 2 * PAD_X);
    natural.push(Math.ceil(Math.max(cells, Math.min(full, wrapped))) + 2 * PAD_X);
  });
  return { desired, natural };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Widths filling `width`: desired widths if they fit, else natural ones, else smaller type. */
export function layoutTable(text: PdfText, table: ReportTable, width: number): TableLayout {
  let size = TABLE_FONT_SIZE;
  for (;;) {
    const m = measureTable(text, table, size);
    const base = sum(m.desired) <= width ? m.desired : sum(m.natural) <= width ? m.natural : null;
    if (base) {
      const extra = (width - sum(base)) / Math.max(1, base.length);
      return { widths: base.map((w) => w + extra), size };
    }
    if (size <= MIN_FONT_SIZE) return { widths: m.natural.map((w) => (w * width) / sum(m.natural)), size };
    size = Math.max(MIN_FONT_SIZE, size * Math.min(0.95, width / sum(m.natural)));
  }
}

/** The width a table wants at the standard type size (to choose the page orientation). */
export function wantedWidth(text: PdfText, table: ReportTable): number {
  return sum(measureTable(text, table, TABLE_FONT_SIZE).desired);
}

const FILL = { header: '#dfe6ee', zebra: '#f3f5f8', site: '#e9eef5', all: '#d5dfeb' } as const;

/** Draws the table with its title from y; returns the y below it. */
export function drawTable(canvas: TableCanvas, table: ReportTable, layout: TableLayout, startY: number): number {
  const { doc, text } = canvas;
  const { widths, size } = layout;
  const total = sum(widths);
  const rowH = Math.round(size * 1.75 * 10) / 10;
  const lineH = size * 1.25;
  const headerStyle: TextStyle = { size, weight: 'bold' };
  const headers = table.columns.map((c, i) => text.wrap(columnHeader(c), (widths[i] ?? 0) - 2 * PAD_X, headerStyle));
  const headerH = Math.max(1, ...headers.map((h) => h.length)) * lineH + size * 0.8;
  const titleH = 16;
  const body = cellTexts(table);

  const drawHeader = (y: number): number => {
    doc.rect(canvas.left, y, total, headerH).fill(FILL.header);
    let x = canvas.left;
    table.columns.forEach((c, i) => {
      const w = widths[i] ?? 0;
      const lines = headers[i] ?? [];
      // Headers sit at the bottom of the band, aligned like their column.
      const top = y + headerH - size * 0.4 - lines.length * lineH;
      lines.forEach((line, l) => text.draw(line, x + PAD_X, top + l * lineH + size * 0.1, headerStyle, isNumeric(c) ? 'right' : 'left', w - 2 * PAD_X));
      x += w;
    });
    doc.moveTo(canvas.left, y + headerH).lineTo(canvas.left + total, y + headerH).lineWidth(0.8).strokeColor('#5b6b7f').stroke();
    return y + headerH;
  };

  const drawTitle = (title: string, y: number): number => {
    text.draw(title, canvas.left, y, { size: 11, weight: 'bold' });
    return y + titleH;
  };

  let y = startY;
  if (y + titleH + headerH + rowH * Math.min(3, table.rows.length) > canvas.bottom) y = canvas.newPage();
  y = drawHeader(drawTitle(table.title, y));
  let zebra = 0;
  table.rows.forEach((row, r) => {
    if (y + rowH > canvas.bottom) {
      y = drawHeader(drawTitle(`${table.title} ${canvas.continued}`, canvas.newPage()));
      zebra = 0;
    }
    const level = row.level ?? 'detail';
    const fill = level === 'all' ? FILL.all : level === 'site' ? FILL.site : zebra++ % 2 === 1 ? FILL.zebra : null;
    if (fill) doc.rect(canvas.left, y, total, rowH).fill(fill);
    if (level !== 'detail') {
      doc.moveTo(canvas.left, y).lineTo(canvas.left + total, y).lineWidth(level === 'all' ? 1 : 0.5).strokeColor('#5b6b7f').stroke();
      zebra = 0;
    }
    const style: TextStyle = { size, weight: level === 'detail' ? 'regular' : 'bold' };
    let x = canvas.left;
    table.columns.forEach((c, i) => {
      const w = widths[i] ?? 0;
      const cell = text.fit(body[r]?.[i] ?? '', w - 2 * PAD_X, style);
      text.draw(cell, x + PAD_X, y + (rowH - size) / 2 - size * 0.08, style, isNumeric(c) ? 'right' : 'left', w - 2 * PAD_X);
      x += w;
    });
    y += rowH;
  });
  doc.moveTo(canvas.left, y).lineTo(canvas.left + total, y).lineWidth(0.8).strokeColor('#5b6b7f').stroke();
  return y + 14;
}
