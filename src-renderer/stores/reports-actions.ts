// Reports actions, writing the reports store: the jobs, history and schedule read from the core,
// each job's move merged in from onDidChangeReportJobs (a job done reads the history again),
// generating (operators), downloading a file (its base64 decoded into a Blob saved through an
// <a download>, the same in serve mode's browser and the desktop renderer), and the daily
// schedule's edit and save (admins). The core checks every role.
import type { Disposable } from '../../src-shared/api';
import type { ReportFileLocale, ReportFormat, ReportJob, ReportSchedule } from '../../src-shared/api/reports';
import { getClient, hasClient } from './client';
import { saveBlobFile } from './inventory/save-file';
import { patchReports, useReportsStore, type ReportsGenerateForm, type ReportsScheduleForm } from './reports';
import { toShownError } from './shown-error';

const st = () => useReportsStore.getState();

/** Reads the jobs, the history and the schedule (the view opened, or the connection came back). */
export function loadReports(): void {
  void loadJobs();
  void loadHistory();
  void loadSchedule();
}

export async function loadJobs(): Promise<void> {
  try {
    const jobs = await getClient().call('reports.jobs', undefined);
    // Moves that arrived while the list was on its way are newer than the list.
    patchReports((s) => ({ jobs: mergeJobs(jobs, s.jobs ?? []), jobsError: null }));
  } catch (err) {
    patchReports({ jobsError: toShownError(err) });
  }
}

export async function loadHistory(): Promise<void> {
  try {
    const history = await getClient().call('reports.history', undefined);
    patchReports({ history: [...history].sort((a, b) => b.createdAt - a.createdAt), historyError: null });
  } catch (err) {
    patchReports({ historyError: toShownError(err) });
  }
}

export async function loadSchedule(): Promise<void> {
  try {
    const schedule = await getClient().call('reports.schedule', undefined);
    patchReports((s) => ({ schedule, scheduleError: null, scheduleForm: s.scheduleForm && !s.scheduleForm.saved ? s.scheduleForm : formOf(schedule) }));
  } catch (err) {
    patchReports({ scheduleError: toShownError(err) });
  }
}

function formOf(s: ReportSchedule): ReportsScheduleForm {
  return { enabled: s.enabled, at: s.at, formats: [...s.formats], locales: [...s.locales], busy: false, error: null, saved: false };
}

/** `base` with the jobs of `newer` replacing theirs (a job's later state wins), newest first. */
function mergeJobs(base: readonly ReportJob[], newer: readonly ReportJob[]): ReportJob[] {
  const order = REPORT_STEP;
  const byId = new Map(base.map((j) => [j.id, j]));
  for (const j of newer) {
    const had = byId.get(j.id);
    if (!had || order[j.state] >= order[had.state]) byId.set(j.id, j);
  }
  return [...byId.values()].sort((a, b) => b.createdAt - a.createdAt).slice(0, 100);
}

const REPORT_STEP: Readonly<Record<ReportJob['state'], number>> = { queued: 0, reading: 1, computing: 2, writing: 3, done: 4, failed: 4 };

/** A job moved: merged into the list; a file written shows in the history. */
export function jobChanged(job: ReportJob): void {
  patchReports((s) => ({ jobs: mergeJobs(s.jobs ?? [], [job]) }));
  if (job.state === 'done') void loadHistory();
}

/** Follows onDidChangeReportJobs while the reports view is open. */
export function attachReportsLive(): Disposable {
  if (!hasClient()) return { dispose: () => undefined };
  return getClient().on('onDidChangeReportJobs', jobChanged);
}

export function setGenerateForm(p: Partial<Pick<ReportsGenerateForm, 'kind' | 'day' | 'format' | 'locale'>>): void {
  patchReports((s) => ({ form: { ...s.form, ...p, error: null } }));
}

/** Starts a generation of the form's kind, day, format and locale (the day in the core's time zone). */
export async function generateReport(): Promise<void> {
  const { kind, day, format, locale } = st().form;
  patchReports((s) => ({ form: { ...s.form, busy: true, error: null } }));
  try {
    const job = await getClient().call('reports.generate', { kind, day, format, locale });
    jobChanged(job);
    patchReports((s) => ({ form: { ...s.form, busy: false } }));
  } catch (err) {
    patchReports((s) => ({ form: { ...s.form, busy: false, error: toShownError(err) } }));
  }
}

/** Fetches a file's bytes and hands them to the browser (or the desktop shell) as a download. */
export async function downloadReport(id: string): Promise<void> {
  patchReports({ downloading: id, downloadError: null });
  try {
    const dl = await getClient().call('reports.download', { id });
    saveBlobFile(dl.name, new Blob([base64Bytes(dl.base64)], { type: dl.mime }));
    patchReports({ downloading: null });
  } catch (err) {
    patchReports({ downloading: null, downloadError: toShownError(err) });
  }
}

/** base64 to bytes (atob gives one char per byte). */
export function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function setScheduleForm(p: Partial<Pick<ReportsScheduleForm, 'enabled' | 'at'>>): void {
  patchReports((s) => (s.scheduleForm ? { scheduleForm: { ...s.scheduleForm, ...p, error: null, saved: false } } : {}));
}

function toggled<T>(list: readonly T[], value: T, all: readonly T[]): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : all.filter((v) => v === value || list.includes(v));
}

export function toggleScheduleFormat(format: ReportFormat, all: readonly ReportFormat[]): void {
  patchReports((s) => (s.scheduleForm ? { scheduleForm: { ...s.scheduleForm, formats: toggled(s.scheduleForm.formats, format, all), error: null, saved: false } } : {}));
}

export function toggleScheduleLocale(locale: ReportFileLocale, all: readonly ReportFileLocale[]): void {
  patchReports((s) => (s.scheduleForm ? { scheduleForm: { ...s.scheduleForm, locales: toggled(s.scheduleForm.locales, locale, all), error: null, saved: false } } : {}));
}

/** Saves the daily run as the form has it (the core refuses an empty format or locale list, by field). */
export async function saveSchedule(): Promise<void> {
  const f = st().scheduleForm;
  if (!f) return;
  patchReports({ scheduleForm: { ...f, busy: true, error: null, saved: false } });
  try {
    const schedule = await getClient().call('reports.setSchedule', { enabled: f.enabled, at: f.at, formats: f.formats, locales: f.locales });
    patchReports({ schedule, scheduleForm: { ...formOf(schedule), saved: true } });
  } catch (err) {
    patchReports((s) => ({ scheduleForm: s.scheduleForm ? { ...s.scheduleForm, busy: false, error: toShownError(err) } : null }));
  }
}
