// The CSV and XLSX writers on the rack power report of the lab day (lab-day.ts): the CSV is
// UTF-8 with a BOM, RFC 4180 (parsed back with the inventory's own CSV parser, every record the
// same width) and holds the document's numbers as written (ints, percent points to the column's
// decimals); a formula-looking room or site name is neutralised; the zh-CN CSV holds the Chinese
// labels. The XLSX, read back with exceljs, holds the same numbers at full precision with
// percent formats, bold subtotal and all rows, the charts' numbers and the definitions.
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../../src-main/core/inventory/csv';
import { csvHeader, csvNumber, reportToCsv } from '../../../../src-main/core/reports/csv';
import { buildRackPowerReport } from '../../../../src-main/core/reports/rack-power';
import type { ReportDocument } from '../../../../src-main/core/reports/report-document';
import { reportToXlsx, XLSX_HEADER_ROW } from '../../../../src-main/core/reports/xlsx';
import { openCoreStore } from '../../../../src-main/core/store/core-store';
import { FROM, labInventory, labSamples, TO } from './lab-day';

const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
store.inventory.upsert(labInventory());
store.metrics.append(labSamples().all);
afterAll(() => store.dispose());

const report = (locale: 'en' | 'zh-CN'): ReportDocument => buildRackPowerReport(store, { from: FROM, to: TO, locale, timeZone: 'UTC', now: () => TO }).document;

/** exceljs types its input as an ArrayBuffer. */
const arrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

function csvRecords(bytes: Buffer): string[][] {
  const parsed = parseCsv(bytes.toString('utf8'));
  expect(parsed.issues).toEqual([]);
  return parsed.records.map((r) => r.fields.map((f) => f.value));
}

describe('report CSV', () => {
  it('is UTF-8 with a BOM, CRLF, every record the same width, and parses back to the same numbers', () => {
    const doc = report('en');
    const bytes = reportToCsv(doc);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
    const records = csvRecords(bytes);
    const table = doc.tables[0];
    expect(new Set(records.map((r) => r.length))).toEqual(new Set([table.columns.length]));
    expect(records[0][0]).toBe('Rack power daily report 2026-11-20');
    const head = records.findIndex((r) => r[0] === 'Site');
    expect(records[head - 1][0]).toBe(table.title);
    expect(records[head]).toEqual(table.columns.map(csvHeader));
    expect(records[head]).toContain('Valid-cabinet rate (%)');
    const body = records.slice(head + 1, head + 1 + table.rows.length);
    table.rows.forEach((row, i) => {
      table.columns.forEach((c, j) => {
        const v = row.cells[c.key];
        const got = body[i][j];
        if (v === null) expect(got, `${c.key} row ${i}`).toBe('');
        else if (c.kind === 'int') expect(Number(got)).toBe(v);
        else if (c.kind === 'percent') expect(Number(got)).toBeCloseTo((v as number) * 100, 1);
        else if (c.key === 'room' && v === '=1+2') expect(got).toBe("'=1+2");
        else if (c.key === 'site' && v === '@Langfang') expect(got).toBe("'@Langfang");
        else expect(got).toBe(v);
      });
    });
    // The percent cells read as the report shows them: one decimal.
    const all = body.at(-1)!;
    const rate = table.rows.at(-1)!.cells.validRate as number;
    expect(all[table.columns.findIndex((c) => c.key === 'validRate')]).toBe((rate * 100).toFixed(1));
    // A blank record (empty fields), then the definitions, term and text.
    expect(records[head + 1 + table.rows.length].every((f) => f === '')).toBe(true);
    const defs = records.slice(head + 2 + table.rows.length);
    expect(defs.map((r) => r[0])).toEqual(doc.definitions.map((d) => d.term));
  });

  it('neutralises formula-looking text (quoted, a leading quote), but writes negative numbers as numbers', () => {
    const text = reportToCsv(report('en')).toString('utf8');
    expect(text).toContain(`"'=1+2"`);
    expect(text).toContain(`"'@Langfang"`);
    expect(text).not.toMatch(/(^|,)=1\+2/m);
    const col = { key: 'x', label: 'X', kind: 'percent' as const, decimals: 1 };
    expect(csvNumber(-0.015, col)).toBe('-1.5');
    expect(csvNumber(-0.0001, col)).toBe('0.0');
    expect(() => csvNumber(Number.NaN, col)).toThrow(/column x holds NaN/);
  });

  it('holds the Chinese labels in the zh-CN document', () => {
    const records = csvRecords(reportToCsv(report('zh-CN')));
    expect(records[0][0]).toBe('资源数据日报-机柜电力 2026-11-20');
    const head = records.find((r) => r[0] === '站点')!;
    expect(head).toEqual(expect.arrayContaining(['房间号', '机柜总数', '有效机柜数', '脏数据机柜数', '未开通机柜数', '有效机柜率 (%)', '利用率差值(日) (%)']));
    expect(records.some((r) => r[1] === '合计')).toBe(true);
    expect(records.some((r) => r[0] === '脏数据')).toBe(true);
  });
});

describe('report XLSX', () => {
  it('opens with exceljs and holds the same numbers, percent-formatted, with bold subtotals, the charts and the definitions', async () => {
    const doc = report('en');
    const bytes = await reportToXlsx(doc);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(arrayBuffer(bytes));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Rack power per room', 'Charts', 'Definitions']);
    const ws = wb.worksheets[0];
    expect(ws.getCell(1, 1).value).toBe(doc.title);
    const table = doc.tables[0];
    table.columns.forEach((c, j) => expect(ws.getCell(XLSX_HEADER_ROW, j + 1).value).toBe(c.label));
    table.rows.forEach((row, i) => {
      const line = ws.getRow(XLSX_HEADER_ROW + 1 + i);
      table.columns.forEach((c, j) => {
        const cell = line.getCell(j + 1);
        expect(cell.value ?? null, `${c.key} row ${i}`).toBe(row.cells[c.key]);
        if (c.kind === 'percent') expect(cell.numFmt).toBe('0.0%');
        if (c.kind === 'int') expect(cell.numFmt).toBe('0');
        expect(Boolean(cell.font?.bold), `bold ${i}`).toBe(row.level === 'site' || row.level === 'all');
      });
    });
    expect(ws.getRow(XLSX_HEADER_ROW + 1 + table.rows.length).getCell(1).value).toBeNull();
    const charts = wb.worksheets[1];
    expect(charts.getCell(1, 1).value).toBe(doc.charts[0].title);
    expect(doc.charts[0].series[0].values.map((_, i) => charts.getCell(3, i + 2).value)).toEqual(doc.charts[0].series[0].values);
    const defs = wb.worksheets[2];
    doc.definitions.forEach((d, i) => expect([defs.getCell(i + 2, 1).value, defs.getCell(i + 2, 2).value]).toEqual([d.term, d.text]));
  });

  it('stores formula-looking names as text and names the zh-CN sheets in Chinese', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(arrayBuffer(await reportToXlsx(report('zh-CN'))));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['机柜电力（按机房）', '图表数据', '定义']);
    const ws = wb.worksheets[0];
    const cells: ExcelJS.Cell[] = [];
    ws.eachRow((r) => r.eachCell((c) => cells.push(c)));
    const formula = cells.find((c) => c.value === '=1+2');
    expect(formula?.type).toBe(ExcelJS.ValueType.String);
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
    expect(ws.getCell(XLSX_HEADER_ROW, 4).value).toBe('有效机柜数');
  });
});
