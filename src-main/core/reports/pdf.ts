// The PDF writer: any ReportDocument to the bytes of a printed report, with pdfkit under
// plain Node (no browser, so a headless console can write it). A4, landscape when a table
// is too wide for portrait; a header with the title, subtitle, period and generation time;
// the tables (pdf/table.ts: header row on every page, numbers right-aligned, bold subtotal
// and total rows); a small vector bar chart per chart entry (pdf/chart.ts); the
// definitions; "Page i of n" in every footer. Text of any script is set in Noto Sans SC
// (pdf/fonts.ts), embedded as subsets, so zh-CN prints as real Chinese characters.
// Bad input (a cell for an unknown column, NaN) is refused with a ReportPdfError (pdf/format.ts).
import PDFDocument from 'pdfkit';
import type { ReportDocument } from './report-document';
import { drawChart } from './pdf/chart';
import { ReportFonts } from './pdf/fonts';
import { formatTime, validateDocument, words } from './pdf/format';
import { drawTable, layoutTable, wantedWidth, type TableCanvas } from './pdf/table';
import { PdfText } from './pdf/text';

export { ReportPdfError } from './pdf/format';

export interface PdfWriteOptions {
  /** IANA time zone for the period and generation time (default: the process's). */
  readonly timeZone?: string;
  /** The folder of @fontsource/noto-sans-sc (default: resolved from node_modules). */
  readonly fontDir?: string;
}

const A4 = { short: 595.28, long: 841.89 };
const MARGIN = 40;
const FOOTER = 28;

export async function reportToPdf(report: ReportDocument, options: PdfWriteOptions = {}): Promise<Buffer> {
  validateDocument(report);
  const w = words(report.locale);
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    compress: true,
    lang: report.locale,
    displayTitle: true,
    info: { Title: report.title, Subject: report.subtitle ?? report.kind, Creator: 'FleetDeck', Producer: 'FleetDeck (pdfkit)', CreationDate: new Date(report.generatedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const fonts = new ReportFonts(doc, options.fontDir);
  const text = new PdfText(doc, fonts);
  const portraitWidth = A4.short - 2 * MARGIN;
  const landscape = report.tables.some((t) => wantedWidth(text, t) > portraitWidth);
  const layout = landscape ? 'landscape' : 'portrait';
  const pageW = landscape ? A4.long : A4.short;
  const pageH = landscape ? A4.short : A4.long;
  const contentW = pageW - 2 * MARGIN;
  const bottom = pageH - MARGIN - FOOTER / 2;
  const newPage = (): number => {
    doc.addPage({ size: 'A4', layout, margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } });
    return MARGIN;
  };

  // Header.
  let y = newPage();
  for (const line of text.wrap(report.title, contentW, { size: 17, weight: 'bold' })) {
    text.draw(line, MARGIN, y, { size: 17, weight: 'bold' });
    y += 23;
  }
  if (report.subtitle) {
    for (const line of text.wrap(report.subtitle, contentW, { size: 10.5 })) {
      text.draw(line, MARGIN, y, { size: 10.5, color: '#333333' });
      y += 15;
    }
  }
  const tz = options.timeZone;
  const meta = `${w.period}: ${formatTime(report.period.from, tz)} – ${formatTime(report.period.to, tz)}    ${w.generated}: ${formatTime(report.generatedAt, tz)}`;
  text.draw(meta, MARGIN, y + 2, { size: 8.5, color: '#555555' });
  y += 18;
  doc.moveTo(MARGIN, y).lineTo(MARGIN + contentW, y).lineWidth(1).strokeColor('#2f4a6b').stroke();
  y += 12;

  // Tables.
  const canvas: TableCanvas = { doc, text, left: MARGIN, bottom, newPage, continued: w.continued };
  for (const table of report.tables) y = drawTable(canvas, table, layoutTable(text, table, contentW), y);

  // Charts, in a grid: smaller and more to a row when there are many (one per room).
  const many = report.charts.length > (landscape ? 3 : 2);
  const cols = (landscape ? 3 : 2) + (many ? 1 : 0);
  const chartH = many ? 128 : 170;
  const gap = 18;
  const chartW = (contentW - gap * (cols - 1)) / cols;
  report.charts.forEach((chart, i) => {
    const col = i % cols;
    if (col === 0 && i > 0) y += chartH + 12;
    if (col === 0 && y + chartH > bottom) y = newPage();
    drawChart(doc, text, chart, { x: MARGIN + col * (chartW + gap), y, width: chartW, height: chartH }, w.noData);
  });
  if (report.charts.length > 0) y += chartH + 16;

  // Definitions.
  if (report.definitions.length > 0) {
    if (y + 60 > bottom) y = newPage();
    text.draw(w.definitions, MARGIN, y, { size: 11, weight: 'bold' });
    y += 18;
    for (const d of report.definitions) {
      const lines = text.wrap(d.text, contentW - 12, { size: 8.5 });
      if (y + 13 + Math.min(2, lines.length) * 12 > bottom) y = newPage();
      text.draw(d.term, MARGIN, y, { size: 8.5, weight: 'bold' });
      y += 13;
      for (const line of lines) {
        if (y + 12 > bottom) y = newPage();
        text.draw(line, MARGIN + 12, y, { size: 8.5, color: '#222222' });
        y += 12;
      }
      y += 5;
    }
  }

  // Footers, now that the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const fy = pageH - MARGIN + 6;
    doc.moveTo(MARGIN, fy - 5).lineTo(MARGIN + contentW, fy - 5).lineWidth(0.4).strokeColor('#999999').stroke();
    text.draw(text.fit(report.title, contentW * 0.6, { size: 7.5 }), MARGIN, fy, { size: 7.5, color: '#666666' });
    text.draw(w.page(i - range.start + 1, range.count), MARGIN, fy, { size: 7.5, color: '#666666' }, 'right', contentW);
  }
  doc.flushPages();
  doc.end();
  return done;
}
