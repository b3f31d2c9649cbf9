// The reports capability's daily schedule with an injected clock (no timer: tickNow is the
// timer's tick), on a ':memory:' store holding the lab day (lab-day.ts): setting it is admin
// only and audited; at HH:MM it generates yesterday's report once in each chosen format and
// locale, not again that day; a console that was off for days makes yesterday's report once
// at its next start (not one per missed day), and a restart the same day makes none. Failures:
// an unwritable folder, a rename that fails and a failing writer fail the job naming why and
// leave no file (nor temp file) behind.
// Also the local-day arithmetic across a DST change.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallContext, Handlers, ReportJob } from '../../../../src-shared/api';
import { createCoreApi } from '../../../../src-main/core/api/core-api';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { startReports, type ReportsCapability, type ReportsDeps } from '../../../../src-main/core/reports/reports-capability';
import { dayRange, localDay, localMinutes } from '../../../../src-main/core/reports/reports-day';
import { openCoreStore } from '../../../../src-main/core/store/core-store';
import { labInventory, labSamples } from './lab-day';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'olga', role: 'operator' };
const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
store.inventory.upsert(labInventory());
store.metrics.append(labSamples().all);
const root = mkdtempSync(join(tmpdir(), 'fd-reports-schedule-'));
afterAll(() => {
  store.dispose();
  rmSync(root, { recursive: true, force: true });
});

let now = 0;
const at = (iso: string): number => (now = Date.parse(iso));
const open: ReportsCapability[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.dispose();
});

async function start(folder: string, over: Partial<ReportsDeps> = {}): Promise<{ cap: ReportsCapability; jobs: ReportJob[]; api: ReturnType<typeof createCoreApi> }> {
  const hub = new EventHub();
  const jobs: ReportJob[] = [];
  hub.on('onDidChangeReportJobs', (j) => {
    if (j.state === 'queued') jobs.push(j);
  });
  const cap = await startReports({ store, hub, folder, timeZone: 'UTC', clock: () => now, tickMs: 0, ...over });
  open.push(cap);
  const api = createCoreApi(cap.api as unknown as Handlers, hub, store.audit);
  return { cap, jobs, api };
}

const files = (folder: string): string[] => readdirSync(folder).filter((n) => !n.startsWith('.')).sort();

describe('the daily schedule', () => {
  it('is set by an admin only, audited', async () => {
    at('2026-11-21T05:00:00Z');
    const { api } = await start(join(root, 'audit'));
    const args = { enabled: true, at: '06:30', formats: ['csv' as const], locales: ['en' as const] };
    await expect(api.call(operator, 'reports.setSchedule', args)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await api.call(admin, 'reports.setSchedule', args)).toEqual({ ...args, lastRunDay: null });
    const audit = store.audit.list({ action: 'reports.setSchedule' });
    expect(audit.map((e) => [e.actor, e.outcome])).toEqual([['ada', 'succeeded'], ['olga', 'refused']]);
    expect(audit[0].target).toBe('daily at 06:30: csv in en');
    await expect(api.call(admin, 'reports.setSchedule', { ...args, at: '24:00' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it("generates yesterday's report once at HH:MM, in each format and locale, and not again that day", async () => {
    const folder = join(root, 'daily');
    at('2026-11-21T05:00:00Z');
    const { cap, jobs, api } = await start(folder);
    await api.call(admin, 'reports.setSchedule', { enabled: true, at: '06:30', formats: ['csv', 'xlsx'], locales: ['en', 'zh-CN'] });
    await cap.tickNow();
    at('2026-11-21T06:29:59Z');
    await cap.tickNow();
    expect(jobs).toEqual([]);
    at('2026-11-21T06:30:00Z');
    await cap.tickNow();
    await cap.tickNow();
    expect(jobs.map((j) => `${j.day} ${j.locale} ${j.format} ${j.actor}`)).toEqual([
      '2026-11-20 en csv schedule', '2026-11-20 en xlsx schedule', '2026-11-20 zh-CN csv schedule', '2026-11-20 zh-CN xlsx schedule',
    ]);
    await cap.idle();
    at('2026-11-21T23:59:00Z');
    await cap.tickNow();
    expect(jobs).toHaveLength(4);
    expect(files(folder)).toEqual(['rack-power-2026-11-20.en.csv', 'rack-power-2026-11-20.en.xlsx', 'rack-power-2026-11-20.zh-CN.csv', 'rack-power-2026-11-20.zh-CN.xlsx']);
    expect((await api.call(admin, 'reports.schedule', undefined)).lastRunDay).toBe('2026-11-21');
    expect(store.audit.list({ actor: 'schedule' })[0]).toMatchObject({ action: 'reports.generate', target: 'rack-power 2026-11-20 en,zh-CN csv,xlsx (daily at 06:30)', outcome: 'succeeded' });
  });

  it('catches up once at start after days off, and a restart the same day makes none', async () => {
    const folder = join(root, 'catch-up');
    at('2026-11-18T07:00:00Z');
    const first = await start(folder);
    await first.api.call(admin, 'reports.setSchedule', { enabled: true, at: '06:30', formats: ['csv'], locales: ['en'] });
    await first.cap.tickNow();
    await first.cap.idle();
    expect(first.jobs.map((j) => j.day)).toEqual(['2026-11-17']);
    await first.cap.dispose();

    // Off from the 18th to the 21st, 10:00: one catch-up for the 20th, at start.
    at('2026-11-21T10:00:00Z');
    const second = await start(folder);
    expect(second.jobs.map((j) => j.day)).toEqual(['2026-11-20']);
    await second.cap.idle();
    await second.cap.tickNow();
    expect(second.jobs).toHaveLength(1);
    await second.cap.dispose();

    at('2026-11-21T18:00:00Z');
    const third = await start(folder);
    await third.cap.tickNow();
    expect(third.jobs).toEqual([]);
    await third.cap.dispose();

    // Started the next day before HH:MM: nothing until HH:MM.
    at('2026-11-22T06:00:00Z');
    const fourth = await start(folder);
    expect(fourth.jobs).toEqual([]);
    at('2026-11-22T06:31:00Z');
    await fourth.cap.tickNow();
    expect(fourth.jobs.map((j) => j.day)).toEqual(['2026-11-21']);
    await fourth.cap.idle();
    expect(files(folder)).toEqual(['rack-power-2026-11-17.en.csv', 'rack-power-2026-11-20.en.csv', 'rack-power-2026-11-21.en.csv']);
  });

  it('does nothing while disabled', async () => {
    const folder = join(root, 'off');
    at('2026-11-21T05:00:00Z');
    const { cap, jobs, api } = await start(folder);
    await api.call(admin, 'reports.setSchedule', { enabled: false, at: '06:30', formats: ['csv'], locales: ['en'] });
    at('2026-11-21T08:00:00Z');
    await cap.tickNow();
    expect(jobs).toEqual([]);
  });
});

describe('a failed generation', () => {
  const finished = async (cap: ReportsCapability, api: ReturnType<typeof createCoreApi>): Promise<ReportJob> => {
    await cap.idle();
    return (await api.call(admin, 'reports.jobs', undefined))[0];
  };

  it('into an unwritable folder fails the job naming the folder, and leaves no file', async () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const folder = join(blocker, 'reports');
    at('2026-11-21T05:00:00Z');
    const { cap, api } = await start(folder);
    await api.call(operator, 'reports.generate', { kind: 'rack-power', day: '2026-11-20', format: 'csv', locale: 'en' });
    const job = await finished(cap, api);
    expect(job).toMatchObject({ state: 'failed', file: null, finishedAt: now });
    expect(job.error).toContain('Could not write rack-power-2026-11-20.en.csv into the reports folder');
    expect(job.error).toContain(folder);
    expect(job.error).toMatch(/ENOTDIR|EEXIST/);
    await expect(api.call(admin, 'reports.history', undefined)).rejects.toThrow(`The reports folder ${folder} cannot be read`);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('whose rename fails (the name taken by a folder) removes its temp file', async () => {
    const folder = join(root, 'taken');
    mkdirSync(join(folder, 'rack-power-2026-11-20.en.csv'), { recursive: true });
    writeFileSync(join(folder, 'rack-power-2026-11-20.en.csv', 'keep'), 'x');
    at('2026-11-21T05:00:00Z');
    const { cap, api } = await start(folder);
    await api.call(operator, 'reports.generate', { kind: 'rack-power', day: '2026-11-20', format: 'csv', locale: 'en' });
    const job = await finished(cap, api);
    expect(job.state).toBe('failed');
    expect(job.error).toContain('Could not write rack-power-2026-11-20.en.csv into the reports folder');
    expect(readdirSync(folder)).toEqual(['rack-power-2026-11-20.en.csv']);
    expect(await api.call(admin, 'reports.history', undefined)).toEqual([]);
  });

  it('by a throwing writer fails the job with its message, and leaves no file or temp file', async () => {
    const folder = join(root, 'writer');
    at('2026-11-21T05:00:00Z');
    const { cap, api } = await start(folder, { writer: async () => { throw new Error('font missing'); } });
    await api.call(operator, 'reports.generate', { kind: 'rack-power', day: '2026-11-20', format: 'pdf', locale: 'zh-CN' });
    const job = await finished(cap, api);
    expect(job).toMatchObject({ state: 'failed', error: 'font missing', file: null });
    expect(readdirSync(root).includes('writer') ? readdirSync(folder) : []).toEqual([]);
  });
});

describe('local days', () => {
  it('have 23 or 25 hours across a DST change and map instants to their local day and minute', () => {
    const spring = dayRange('2026-03-29', 'Europe/Berlin');
    expect((spring.to - spring.from) / 3_600_000).toBe(23);
    expect(spring.from).toBe(Date.parse('2026-03-28T23:00:00Z'));
    const autumn = dayRange('2026-10-25', 'Europe/Berlin');
    expect((autumn.to - autumn.from) / 3_600_000).toBe(25);
    expect(dayRange('2026-12-02', 'Asia/Shanghai').from).toBe(Date.parse('2026-12-01T16:00:00Z'));
    expect(localDay(Date.parse('2026-12-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-02');
    expect(localMinutes(Date.parse('2026-12-01T16:30:00Z'), 'Asia/Shanghai')).toBe(30);
  });
});
