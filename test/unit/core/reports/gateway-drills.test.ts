// The gateway failover drills report on a ':memory:' store: two drills on the report's day
// (a clean kill-one, a sync-loss drill with misses whose node never came back) and one the day
// before with a longer window that must not count, in Asia/Shanghai (the day starts at 16:00
// UTC the day before). The document's rows (start time in the report's zone, the kind and
// phase in words, blank sync loss and failback where there are none) and summary (drills, 0
// misses, longest window); an empty day; zh-CN words read back from a PDF with pdftotext and
// from an XLSX with exceljs; the kind generated through reports.generate as CSV, XLSX and PDF.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayDrill } from '../../../../src-shared/domain/gateway';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { parseCsv } from '../../../../src-main/core/inventory/csv';
import { buildGatewayDrillsReport } from '../../../../src-main/core/reports/gateway-drills';
import { reportToPdf } from '../../../../src-main/core/reports/pdf';
import { startReports } from '../../../../src-main/core/reports/reports-capability';
import { dayRange } from '../../../../src-main/core/reports/reports-day';
import { reportToXlsx, XLSX_HEADER_ROW } from '../../../../src-main/core/reports/xlsx';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import { FROM, HOUR, TO } from './lab-day';

const ZONE = 'Asia/Shanghai';
const DAY = '2026-11-20';
const { from: DAY_FROM, to: DAY_TO } = dayRange(DAY, ZONE);

const base: Omit<GatewayDrill, 'id' | 'startedAt'> = {
  cluster: 'mgw-a', kind: 'kill-one', actor: 'olga', phase: 'done', finishedAt: null, sessions: 200, lossPercent: null, lossMs: null,
  killed: ['gw2'], windowMs: 530, switched: 0, lost: 0, misses: 0, failbackMs: 1600, failbackMisses: 0, note: null,
};

const DRILLS: GatewayDrill[] = [
  // 02:05:07 UTC is 10:05:07 in Shanghai.
  { ...base, id: 'd1', startedAt: FROM + 2 * HOUR + 5 * 60_000 + 7_000, finishedAt: FROM + 3 * HOUR },
  {
    ...base, id: 'd2', cluster: 'mgw-b', kind: 'sync-loss', actor: 'ivan', phase: 'failed', startedAt: FROM + 9 * HOUR, sessions: 400, lossPercent: 5, lossMs: 2000,
    killed: ['gw1'], windowMs: 910, switched: 2, lost: 1, misses: 3, failbackMs: null, failbackMisses: null, note: 'gw1 never came back ready',
  },
  // The day before in Shanghai: not in the report, though its window is the longest.
  { ...base, id: 'd0', kind: 'kill-two', startedAt: DAY_FROM - HOUR, killed: ['gw1', 'gw3'], windowMs: 99_000, misses: 7 },
];

function loadedStore(): CoreStore {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  for (const d of DRILLS) store.drills.put(d);
  return store;
}

const arrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const pdfText = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });

const root = mkdtempSync(join(tmpdir(), 'fd-gateway-drills-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gateway failover drills report', () => {
  it('lists the day\'s drills oldest first in the report\'s time zone, with the summary', async () => {
    const store = loadedStore();
    const { result, document } = buildGatewayDrillsReport(store, { from: DAY_FROM, to: DAY_TO, locale: 'en', timeZone: ZONE, now: () => TO });
    expect(result.drills.map((d) => d.id)).toEqual(['d1', 'd2']);
    expect(result.summary).toEqual({ drills: 2, clean: 1, longestWindowMs: 910 });
    expect(document).toMatchObject({ kind: 'gateway-drills', title: 'Gateway failover drills 2026-11-20', locale: 'en', generatedAt: TO, period: { from: DAY_FROM, to: DAY_TO }, charts: [] });
    const [drills, summary] = document.tables;
    expect(drills.columns.map((c) => c.key)).toEqual([
      'startedAt', 'cluster', 'kind', 'actor', 'killed', 'sessions', 'lossPercent', 'lossMs', 'windowMs', 'switched', 'lost', 'misses', 'failbackMs', 'failbackMisses', 'phase', 'note',
    ]);
    expect(drills.columns.find((c) => c.key === 'windowMs')).toMatchObject({ kind: 'int', unit: 'ms', label: 'Failover window' });
    expect(drills.rows.map((r) => r.cells)).toEqual([
      {
        startedAt: '10:05:07', cluster: 'mgw-a', kind: 'Kill one node', actor: 'olga', killed: 'gw2', sessions: 200, lossPercent: null, lossMs: null, windowMs: 530,
        switched: 0, lost: 0, misses: 0, failbackMs: 1600, failbackMisses: 0, phase: 'Done', note: '',
      },
      {
        startedAt: '17:00:00', cluster: 'mgw-b', kind: 'Sync loss, then kill', actor: 'ivan', killed: 'gw1', sessions: 400, lossPercent: 0.05, lossMs: 2000, windowMs: 910,
        switched: 2, lost: 1, misses: 3, failbackMs: null, failbackMisses: null, phase: 'Failed', note: 'gw1 never came back ready',
      },
    ]);
    expect(summary.columns.map((c) => c.label)).toEqual(['Drills', 'Drills with 0 misses', 'Longest failover window']);
    expect(summary.rows).toEqual([{ level: 'all', cells: { drills: 2, clean: 1, longestWindowMs: 910 } }]);
    // In UTC the same instants read 02:05:07 and 09:00:00.
    const utc = buildGatewayDrillsReport(store, { from: FROM, to: TO, locale: 'en', timeZone: 'UTC' });
    expect(utc.document.tables[0].rows.map((r) => r.cells.startedAt)).toEqual(['02:05:07', '09:00:00']);
    await store.dispose();
  });

  it('makes an empty day\'s report (no rows, 0 drills, no longest window) and refuses a bad period', async () => {
    const store = loadedStore();
    const { document, result } = buildGatewayDrillsReport(store, { from: DAY_TO, to: DAY_TO + 24 * HOUR, locale: 'en', timeZone: ZONE });
    expect(result.summary).toEqual({ drills: 0, clean: 0, longestWindowMs: null });
    expect(document.tables[0].rows).toEqual([]);
    expect(document.tables[1].rows[0].cells).toEqual({ drills: 0, clean: 0, longestWindowMs: null });
    const file = join(root, 'empty.en.pdf');
    writeFileSync(file, await reportToPdf(document, { timeZone: ZONE }));
    expect(pdfText(file)).toContain('Drills of the day');
    expect(() => buildGatewayDrillsReport(store, { from: TO, to: TO, locale: 'en' })).toThrow(/from < to/);
    await store.dispose();
  });

  it('writes zh-CN words: a PDF pdftotext reads in Chinese, an XLSX exceljs reads with the numbers', async () => {
    const store = loadedStore();
    const { document } = buildGatewayDrillsReport(store, { from: DAY_FROM, to: DAY_TO, locale: 'zh-CN', timeZone: ZONE });
    expect(document.title).toBe('网关故障切换演练 2026-11-20');
    expect(document.tables[0].rows.map((r) => [r.cells.kind, r.cells.phase])).toEqual([['杀死一个节点', '完成'], ['同步丢包后杀死节点', '失败']]);
    const file = join(root, 'gateway-drills.zh-CN.pdf');
    writeFileSync(file, await reportToPdf(document, { timeZone: ZONE }));
    const text = pdfText(file);
    for (const s of ['网关故障切换演练 2026-11-20', '当日演练', '汇总', '最长切换窗口', '10:05:07', 'mgw-b', '杀死一个节点']) expect(text).toContain(s);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(arrayBuffer(await reportToXlsx(document)));
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['当日演练', '汇总']));
    const ws = wb.getWorksheet('当日演练')!;
    expect(ws.getCell(XLSX_HEADER_ROW, 9).value).toBe('切换窗口 (ms)');
    const second = ws.getRow(XLSX_HEADER_ROW + 2);
    expect([1, 2, 6, 7, 9, 12, 13, 16].map((c) => second.getCell(c).value ?? null)).toEqual(['17:00:00', 'mgw-b', 400, 0.05, 910, 3, null, 'gw1 never came back ready']);
    expect(second.getCell(7).numFmt).toBe('0.0%');
    const sum = wb.getWorksheet('汇总')!;
    expect([1, 2, 3].map((c) => sum.getRow(XLSX_HEADER_ROW + 1).getCell(c).value)).toEqual([2, 1, 910]);
    await store.dispose();
  });

  it('is generated through reports.generate as CSV, XLSX and PDF files', async () => {
    const store = loadedStore();
    const folder = join(root, 'folder');
    const cap = await startReports({ store, hub: new EventHub(), folder, timeZone: ZONE, clock: () => TO + HOUR, tickMs: 0 });
    const ctx = { actor: 'olga', role: 'operator' } as const;
    const jobs = [];
    for (const format of ['csv', 'xlsx', 'pdf'] as const) jobs.push(await cap.api['reports.generate']({ kind: 'gateway-drills', day: DAY, format, locale: 'en' }, ctx));
    await cap.idle();
    const all = await cap.api['reports.jobs'](undefined, ctx);
    const done = jobs.map((j) => all.find((x) => x.id === j.id)!);
    expect(done.map((j) => [j.state, j.file, j.error])).toEqual([
      ['done', `gateway-drills-${DAY}.en.csv`, null], ['done', `gateway-drills-${DAY}.en.xlsx`, null], ['done', `gateway-drills-${DAY}.en.pdf`, null],
    ]);

    const parsed = parseCsv(readFileSync(join(folder, done[0].file!), 'utf8'));
    expect(parsed.issues).toEqual([]);
    const records = parsed.records.map((r) => r.fields.map((f) => f.value));
    expect(records[0][0]).toBe('Gateway failover drills 2026-11-20');
    const header = records.find((r) => r[0] === 'Started')!;
    expect(header.slice(6, 9)).toEqual(['Sync loss (%)', 'Sync loss duration (ms)', 'Failover window (ms)']);
    expect(records.find((r) => r[0] === '10:05:07')).toEqual(['10:05:07', 'mgw-a', 'Kill one node', 'olga', 'gw2', '200', '', '', '530', '0', '0', '0', '1600', '0', 'Done', '']);
    expect(records.find((r) => r[0] === '17:00:00')).toEqual(['17:00:00', 'mgw-b', 'Sync loss, then kill', 'ivan', 'gw1', '400', '5.0', '2000', '910', '2', '1', '3', '', '', 'Failed', 'gw1 never came back ready']);
    const summaryHeader = records.findIndex((r) => r[0] === 'Drills');
    expect(records[summaryHeader].slice(0, 3)).toEqual(['Drills', 'Drills with 0 misses', 'Longest failover window (ms)']);
    expect(records[summaryHeader + 1].slice(0, 3)).toEqual(['2', '1', '910']);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(arrayBuffer(readFileSync(join(folder, done[1].file!))));
    expect(wb.worksheets[0].getRow(XLSX_HEADER_ROW + 1).getCell(9).value).toBe(530);

    const text = pdfText(join(folder, done[2].file!));
    for (const s of ['Gateway failover drills 2026-11-20', 'Drills of the day', 'Summary', 'mgw-a', '17:00:00']) expect(text).toContain(s);
    expect(text).not.toMatch(/99,?000|gw3/);
    expect((await cap.api['reports.history'](undefined, ctx)).map((f) => f.kind)).toEqual(['gateway-drills', 'gateway-drills', 'gateway-drills']);
    await cap.dispose();
    await store.dispose();
  });
});
