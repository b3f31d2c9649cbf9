// Reports through createCore's api, on a store file holding the lab day (lab-day.ts): a viewer
// cannot generate (refused and audited), an operator's generation is audited and its job moves
// queued -> reading -> computing -> writing -> done on onDidChangeReportJobs; the PDF, CSV and
// XLSX land in the default folder (reports/ beside the store) named rack-power-<day>.<locale>.<format>,
// and parse (CSV records with the document's numbers, XLSX through exceljs, PDF through
// pdftotext, zh-CN in Chinese); history lists them and download returns the same bytes. A
// name outside the report names is NOT_FOUND; a day not begun yet is refused.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext, ReportJob } from '../../../../src-shared/api';
import { createCore, type Core } from '../../../../src-main/core/create-core';
import { parseCsv } from '../../../../src-main/core/inventory/csv';
import { buildRackPowerReport } from '../../../../src-main/core/reports/rack-power';
import type { ReportDocument } from '../../../../src-main/core/reports/report-document';
import { openCoreStore } from '../../../../src-main/core/store/core-store';
import { FROM, labInventory, labSamples, TO } from './lab-day';

const viewer: CallContext = { actor: 'vic', role: 'viewer' };
const operator: CallContext = { actor: 'olga', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const DAY = '2026-11-20';

const dir = mkdtempSync(join(tmpdir(), 'fd-reports-api-'));
const storePath = join(dir, 'fleetdeck.db');
const secretKey = randomBytes(32);
let core: Core;
let expected: ReportDocument;
const seen = new Map<string, ReportJob['state'][]>();
const waiters = new Map<string, (j: ReportJob) => void>();
const finished = new Map<string, ReportJob>();

beforeAll(async () => {
  const store = openCoreStore({ storePath, secretKey });
  store.inventory.upsert(labInventory());
  store.metrics.append(labSamples().all);
  expected = buildRackPowerReport(store, { from: FROM, to: TO, locale: 'en', timeZone: 'UTC', now: () => TO }).document;
  store.dispose();
  core = await createCore({ storePath, secretKey, lab: false, agents: { listen: false }, reports: { timeZone: 'UTC', tickMs: 0 } });
  core.api.on(viewer, 'onDidChangeReportJobs', (job) => {
    seen.set(job.id, [...(seen.get(job.id) ?? []), job.state]);
    if (job.state === 'done' || job.state === 'failed') {
      finished.set(job.id, job);
      waiters.get(job.id)?.(job);
    }
  });
});
afterAll(async () => {
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function generate(format: 'pdf' | 'csv' | 'xlsx', locale: 'en' | 'zh-CN'): Promise<ReportJob> {
  const job = await core.api.call(operator, 'reports.generate', { kind: 'rack-power', day: DAY, format, locale });
  expect(job).toMatchObject({ state: 'queued', day: DAY, format, locale, timeZone: 'UTC', actor: 'olga' });
  return finished.get(job.id) ?? new Promise<ReportJob>((resolve) => waiters.set(job.id, resolve));
}

const arrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const folder = join(dir, 'reports');

describe('reports through the core api', () => {
  it('refuses a viewer generating, audited as refused', async () => {
    await expect(core.api.call(viewer, 'reports.generate', { kind: 'rack-power', day: DAY, format: 'csv', locale: 'en' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const audit = await core.api.call(admin, 'audit.list', { action: 'reports.generate', actor: 'vic' });
    expect(audit[0]).toMatchObject({ outcome: 'refused', role: 'viewer' });
    expect(await core.api.call(viewer, 'reports.jobs', undefined)).toEqual([]);
  });

  it('refuses a day that has not begun and a malformed day', async () => {
    await expect(core.api.call(operator, 'reports.generate', { kind: 'rack-power', day: '2999-01-01', format: 'csv', locale: 'en' })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(core.api.call(operator, 'reports.generate', { kind: 'rack-power', day: '2026-02-30', format: 'csv', locale: 'en' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('writes a CSV through every phase, audited, holding the numbers of the day', async () => {
    const job = await generate('csv', 'en');
    expect(job).toMatchObject({ state: 'done', file: `rack-power-${DAY}.en.csv`, error: null });
    expect(seen.get(job.id)).toEqual(['queued', 'reading', 'computing', 'writing', 'done']);
    const audit = await core.api.call(admin, 'audit.list', { action: 'reports.generate', actor: 'olga' });
    expect(audit.some((e) => e.target === `rack-power ${DAY} en csv` && e.outcome === 'succeeded')).toBe(true);

    const bytes = readFileSync(join(folder, job.file!));
    expect(job.bytes).toBe(bytes.length);
    const parsed = parseCsv(bytes.toString('utf8'));
    expect(parsed.issues).toEqual([]);
    const records = parsed.records.map((r) => r.fields.map((f) => f.value));
    const table = expected.tables[0];
    const head = records.findIndex((r) => r[0] === 'Site');
    const body = records.slice(head + 1, head + 1 + table.rows.length);
    expect(body).toHaveLength(table.rows.length);
    table.rows.forEach((row, i) =>
      table.columns.forEach((c, j) => {
        if (c.kind === 'int') expect(Number(body[i][j]), `${c.key} row ${i}`).toBe(row.cells[c.key]);
      }),
    );
  });

  it('writes an XLSX exceljs reads back with the same numbers', async () => {
    const job = await generate('xlsx', 'en');
    expect(job).toMatchObject({ state: 'done', file: `rack-power-${DAY}.en.xlsx` });
    expect(seen.get(job.id)).toEqual(['queued', 'reading', 'computing', 'writing', 'done']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(arrayBuffer(readFileSync(join(folder, job.file!))));
    const ws = wb.worksheets[0];
    const table = expected.tables[0];
    const all = table.rows.at(-1)!;
    const values: unknown[] = [];
    ws.eachRow((r) => values.push(r.getCell(table.columns.findIndex((c) => c.key === 'total') + 1).value));
    expect(values).toContain(all.cells.total);
  });

  it('writes a zh-CN PDF whose text pdftotext extracts in Chinese, with the table', async () => {
    const job = await generate('pdf', 'zh-CN');
    expect(job).toMatchObject({ state: 'done', file: `rack-power-${DAY}.zh-CN.pdf` });
    expect(seen.get(job.id)).toEqual(['queued', 'reading', 'computing', 'writing', 'done']);
    const text = execFileSync('pdftotext', ['-layout', join(folder, job.file!), '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(text).toContain('机柜');
    expect(text).toContain('CQ-2C');
    expect(text).toContain(DAY);
  });

  it('lists the files in history and downloads the same bytes', async () => {
    const history = await core.api.call(viewer, 'reports.history', undefined);
    expect(history.map((f) => f.id).sort()).toEqual([`rack-power-${DAY}.en.csv`, `rack-power-${DAY}.en.xlsx`, `rack-power-${DAY}.zh-CN.pdf`]);
    for (const f of history) {
      const onDisk = readFileSync(join(folder, f.id));
      expect(f).toMatchObject({ kind: 'rack-power', day: DAY, size: onDisk.length, createdAt: expect.any(Number) });
      const dl = await core.api.call(viewer, 'reports.download', { id: f.id });
      expect(dl.name).toBe(f.id);
      expect(Buffer.from(dl.base64, 'base64').equals(onDisk)).toBe(true);
      expect(dl.mime).toBe({ pdf: 'application/pdf', csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }[f.format]);
    }
    expect(history.find((f) => f.format === 'pdf')?.locale).toBe('zh-CN');
    const jobs = await core.api.call(viewer, 'reports.jobs', undefined);
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done', 'done']);
  });

  it('downloads nothing outside the report names', async () => {
    for (const id of ['../fleetdeck.db', '.schedule.json', `rack-power-${DAY}.en.txt`, 'rack-power-2026-11-19.en.csv']) {
      await expect(core.api.call(viewer, 'reports.download', { id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
