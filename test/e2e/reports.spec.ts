// Reports on the shared lab serve instance, through the UI (#/reports): as an operator, the
// generate form defaults to yesterday; yesterday's rack power report as CSV in English becomes
// a job that reaches done (its steps all passed), shows in the history, and downloads (a real
// browser download) as UTF-8 with a BOM holding the table's header and a row per room; the
// same day as a zh-CN PDF downloads as a file starting %PDF. A viewer sees the history with its
// downloads and no generate form nor schedule form. As an admin in zh-CN, the view (form, jobs,
// history, schedule form) has no Latin UI text, and a saved schedule shows as saved (left off:
// the shared instance runs no daily report).
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { ReportSchedule } from '../../src-shared/api';
import type { InventoryDocument } from '../../src-shared/domain';
import { connect } from '../support/ws-client';
import { shoot, signIn } from './helpers';
import { readServeInfo } from './serve-info';
import { check, dataMatcher, expectNoLatin, goHash, openInChinese, type Found } from './zh-cn-check';

const serve = readServeInfo();

/** The local day before today (the browser runs on this machine, in its time zone). */
function yesterday(): string {
  const now = new Date();
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const DAY = yesterday();
const CSV_HEADER =
  'Site,Room,Cabinets,Valid,Dirty data,Invalid,Not yet opened,Empty (no devices),Abnormal,Valid-cabinet rate (%),Avg. power utilisation (valid) (%),Change vs day before (%)';

async function openReports(page: Page): Promise<void> {
  await page.getByTestId('nav-reports').click();
  await expect(page.getByTestId('reports-view')).toBeVisible();
  await expect(page).toHaveURL(/#\/reports$/);
}

/** Generates from the form and waits for the job's row to say done; returns the file's row. */
async function generate(page: Page, format: string, locale: string) {
  await page.getByTestId('report-day').fill(DAY);
  await page.getByTestId('report-format').selectOption(format);
  await page.getByTestId('report-locale').selectOption(locale);
  const jobs = page.locator(`[data-testid="report-job"][data-day="${DAY}"][data-format="${format}"][data-locale="${locale}"]`);
  const before = await jobs.count();
  await page.getByTestId('report-generate-submit').click();
  await expect(jobs).toHaveCount(before + 1);
  const job = jobs.first();
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await expect(job.getByTestId('report-job-error')).toHaveCount(0);
  // Every step passed, none still to come.
  await expect(job.locator('[data-step].step-past')).toHaveCount(5);
  const file = page.locator(`[data-testid="report-file"][data-file-id="rack-power-${DAY}.${locale}.${format}"]`);
  await expect(file).toBeVisible();
  return file;
}

async function download(page: Page, row: ReturnType<Page['locator']>): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), row.getByTestId('report-download').click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

test.describe.configure({ mode: 'serial' });

test('reports: an operator generates yesterday\'s rack power as CSV and as a zh-CN PDF, watches them to done and downloads them', async ({ page }) => {
  test.setTimeout(240_000);
  const operator = await connect(serve.url, serve.tokens.operator);
  let inventory: InventoryDocument;
  try {
    inventory = JSON.parse((await operator.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
  } finally {
    await operator.close();
  }
  await signIn(page, serve.tokens.operator);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'operator');
  await openReports(page);
  await expect(page.getByTestId('report-day')).toHaveValue(DAY);
  await expect(page.getByTestId('report-kind')).toHaveValue('rack-power');
  await expect(page.getByTestId('report-schedule-form')).toHaveCount(0); // the schedule is the admin's

  // CSV, English: the job's steps, the file in the history, the download's bytes.
  const csvRow = await generate(page, 'csv', 'en');
  await expect(csvRow.getByTestId('report-file-name')).toHaveText(`rack-power-${DAY}.en.csv`);
  await expect(csvRow).toContainText('CSV');
  const csv = await download(page, csvRow);
  expect(csv.name).toBe(`rack-power-${DAY}.en.csv`);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.bytes.subarray(3).toString('utf8').split('\r\n');
  expect(lines[0]).toMatch(new RegExp(`^Rack power daily report ${DAY},`)); // the title line, padded to the table's width
  expect(lines).toContain(CSV_HEADER);
  for (const room of inventory.rooms) expect(lines.some((l) => l.includes(room.name)), `a row for room ${room.name}`).toBe(true);
  expect(Number(await csvRow.getByTestId('report-file-size').getAttribute('data-value'))).toBe(csv.bytes.length);

  // PDF, Chinese: a PDF file, listed newest first above the CSV.
  const pdfRow = await generate(page, 'pdf', 'zh-CN');
  const pdf = await download(page, pdfRow);
  expect(pdf.name).toBe(`rack-power-${DAY}.zh-CN.pdf`);
  expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  await expect(page.getByTestId('report-file').first()).toHaveAttribute('data-file-id', `rack-power-${DAY}.zh-CN.pdf`);
  await expect(page.getByTestId('report-download-error')).toHaveCount(0);
  await shoot(page, 'reports-operator');
});

test('reports: a viewer sees the history and downloads, without the generate or schedule form', async ({ page }) => {
  await signIn(page, serve.tokens.viewer);
  await expect(page.getByTestId('role-badge')).toHaveAttribute('data-role', 'viewer');
  await openReports(page);
  await expect(page.getByTestId('report-role-note')).toBeVisible();
  await expect(page.getByTestId('report-generate')).toHaveCount(0);
  await expect(page.getByTestId('report-generate-submit')).toHaveCount(0);
  await expect(page.getByTestId('report-schedule-now')).toBeVisible();
  await expect(page.getByTestId('report-schedule-form')).toHaveCount(0);
  const row = page.locator(`[data-testid="report-file"][data-file-id="rack-power-${DAY}.en.csv"]`);
  await expect(row).toBeVisible();
  const csv = await download(page, row);
  expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.bytes.toString('utf8')).toContain(CSV_HEADER);
});

test('reports: as an admin in zh-CN the view speaks Chinese, and the schedule saves', async ({ page }) => {
  test.setTimeout(120_000);
  const bad: Found[] = [];
  const admin = await connect(serve.url, serve.tokens.admin);
  let before: ReportSchedule;
  let files: string[];
  try {
    before = await admin.call('reports.schedule', undefined);
    files = (await admin.call('reports.history', undefined)).map((f) => f.id);
  } finally {
    await admin.close();
  }
  // The files' names, the actors (role@address), the formats' own names and the language switch's "English" are data.
  const data = dataMatcher([...files, 'operator@', 'admin@', 'viewer@', 'PDF', 'XLSX', 'English']);
  await openInChinese(page, serve.tokens.admin, serve.url);
  await goHash(page, '#/reports');
  await expect(page.getByTestId('reports-view')).toBeVisible();
  await expect(page.getByTestId('report-file').first()).toBeVisible();
  await expect(page.getByTestId('report-schedule-form')).toBeVisible();
  await expect(page.getByTestId('report-job').first()).toBeVisible();
  await expect(page.getByTestId('nav-reports')).toHaveText('报表');
  await check(page, 'reports (admin)', data, bad);

  // The schedule, left off (nothing runs on the shared instance): a new time and formats.
  await expect(page.getByTestId('report-schedule-now')).toHaveAttribute('data-enabled', 'no');
  expect(before.enabled).toBe(false);
  await page.getByTestId('report-schedule-at').fill('05:45');
  if (!(await page.getByTestId('report-schedule-format-xlsx').isChecked())) await page.getByTestId('report-schedule-format-xlsx').check();
  await page.getByTestId('report-schedule-save').click();
  await expect(page.getByTestId('report-schedule-saved')).toHaveText('计划已保存。');
  await expect(page.getByTestId('report-schedule-now')).toHaveAttribute('data-at', '05:45');
  await expect(page.getByTestId('report-schedule-last')).toHaveText(before.lastRunDay ? `上次每日生成：${before.lastRunDay}` : '每日生成尚未运行过。');
  await check(page, 'reports (schedule saved)', data, bad);
  await shoot(page, 'reports-admin-zh-cn');
  expectNoLatin(bad);
});
