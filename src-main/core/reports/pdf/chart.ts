// A small bar chart on a PDF page, drawn with vector graphics: one group of bars per label,
// one bar per series (a colour each, with a legend when there are several), a value axis
// from 0 (or the lowest negative value) to a round maximum with light grid lines, each
// bar's value above it when there is room, and the labels below on up to two lines, cut to
// their group's width. null values leave a gap; an all-null chart says "no data".
import type { ReportChart } from '../report-document';
import type { PdfText } from './text';

const COLOURS = ['#2f6db5', '#e08a2e', '#3f9a5a', '#b04a4a', '#7a5bb0', '#5a8f9e'] as const;

/** A round axis maximum at or above v: 1, 2, 2.5, 5 times a power of ten. */
export function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v - 1e-9 * p) return m * p;
  return 10 * p;
}

function tick(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : String(Number(v.toFixed(2)));
}

/** Draws the chart in the box [x, x + width] x [y, y + height]. */
export function drawChart(doc: PDFKit.PDFDocument, text: PdfText, chart: ReportChart, box: { x: number; y: number; width: number; height: number }, noData: string): void {
  const { x, y, width, height } = box;
  const title = chart.unit ? `${chart.title} (${chart.unit})` : chart.title;
  text.draw(text.fit(title, width, { size: 9.5, weight: 'bold' }), x, y, { size: 9.5, weight: 'bold' });
  // Legend under the title, for more than one series.
  let lx = x;
  const ly = y + 15;
  const legend = chart.series.length > 1;
  if (legend) chart.series.forEach((s, i) => {
    doc.rect(lx, ly + 2.5, 7, 7).fill(COLOURS[i % COLOURS.length] ?? '#2f6db5');
    text.draw(s.name, lx + 10, ly, { size: 7, color: '#333333' });
    lx += 10 + text.width(s.name, { size: 7 }) + 12;
  });

  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const axisW = 30;
  const labelH = 19;
  const top = y + (legend ? 32 : 22) + 8;
  const plot = { left: x + axisW, top, width: width - axisW, height: y + height - labelH - top };
  if (values.length === 0 || chart.labels.length === 0) {
    doc.rect(plot.left, plot.top, plot.width, plot.height).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
    text.draw(noData, plot.left, plot.top + plot.height / 2 - 6, { size: 8, color: '#777777' }, 'center', plot.width);
    return;
  }
  const max = niceCeil(Math.max(0, ...values));
  const min = Math.min(0, ...values) < 0 ? -niceCeil(-Math.min(...values)) : 0;
  const yOf = (v: number): number => plot.top + plot.height * (1 - (v - min) / (max - min));

  // Grid and axis labels: min, 0, half and max.
  const ticks = [...new Set([min, 0, max / 2, max])].sort((a, b) => a - b);
  for (const t of ticks) {
    const ty = yOf(t);
    doc.moveTo(plot.left, ty).lineTo(plot.left + plot.width, ty).lineWidth(t === 0 ? 0.8 : 0.3).strokeColor(t === 0 ? '#555555' : '#cccccc').stroke();
    text.draw(tick(t), x, ty - 5.5, { size: 6.5, color: '#555555' }, 'right', axisW - 4);
  }

  const groupW = plot.width / chart.labels.length;
  const n = Math.max(1, chart.series.length);
  const barW = Math.min(18, (groupW * 0.75) / n);
  const valueStyle = { size: 5.5, color: '#333333' };
  const labelStyle = { size: groupW < 34 ? 5.5 : 6.5, color: '#333333' };
  chart.labels.forEach((label, li) => {
    const gx = plot.left + li * groupW + (groupW - barW * n) / 2;
    chart.series.forEach((s, si) => {
      const v = s.values[li];
      if (v === null || v === undefined) return;
      const bx = gx + si * barW;
      const h = Math.max(0.3, Math.abs(yOf(v) - yOf(0)));
      doc.rect(bx, yOf(Math.max(0, v)), barW * 0.9, h).fill(COLOURS[si % COLOURS.length] ?? '#2f6db5');
      const value = tick(v);
      if (text.width(value, valueStyle) <= barW * 1.6) text.draw(value, bx - barW, (v >= 0 ? yOf(v) : yOf(0)) - 7.5, valueStyle, 'center', barW * 2.9);
    });
    const lines = text.wrap(label, groupW - 2, labelStyle);
    const shown = lines.length > 2 ? [lines[0] ?? '', text.fit(lines.slice(1).join(' '), groupW - 2, labelStyle)] : lines;
    shown.forEach((line, i) => text.draw(text.fit(line, groupW - 2, labelStyle), plot.left + li * groupW, plot.top + plot.height + 3 + i * 8, labelStyle, 'center', groupW));
  });
}
