// The reports capability: the reports.* methods (src-shared/api/reports.ts) over the job runner
// (reports-jobs.ts) and the reports folder (reports-folder.ts), and the daily schedule.
//
// reports.generate makes any kind (rack-power, probe-quality, workflow-stats, gateway-drills) for
// one local day.
// The schedule makes the rack power report only (the seed's daily report); the other kinds are
// generated on demand.
//
// Schedule: { enabled, at: 'HH:MM', formats, locales } in the core's time zone, kept with the
// day it last ran in <folder>/.schedule.json (written atomically). A timer (tickMs, default
// 30 s; the clock is injectable, and tickNow() is one tick) checks on each tick whether today's
// run is due: enabled, the local time is at or past HH:MM, and it has not run today. The run
// records today as its day first, then queues yesterday's report in every format and locale
// (actor 'schedule', audited as such, the entry finished when its jobs are). The same check runs once at start, so a console that
// was off at HH:MM makes yesterday's report when it starts - once, however many days it missed
// (the days before yesterday are not made up). Enabling a schedule after today's HH:MM runs
// today's due run at the next tick. Disposed with the core: the timer stops, a running job
// finishes or fails, nothing new starts.
//
// On the workflow engine (create-core connects it with useWorkflows, as it starts after this
// capability): the capability's tool reports.generate (reports-tool.ts) is the engine's, and the
// schedule's daily run is a run of the shipped template reports-daily launched as 'schedule'
// (role admin), so the generation shows in the workflows view with its progress, and is
// retried there; the jobs it queues are the same runner's (the reports view lists them). An
// on-demand reports.generate launches a reports-daily run under the caller too: its job is
// queued at once (returned, with the run's id) and the run's step adopts it. Without an engine
// (the capability alone) both queue their jobs directly. With deferStart, the
// start's catch-up check waits for useWorkflows (or the first tick).
import { randomUUID } from 'node:crypto';
import type { Capability } from '../../../src-shared/api';
import type { WfTemplate } from '../../../src-shared/domain/workflow';
import type { Disposable } from '../../../src-shared/lifecycle';
import type { Tool } from '../workflows/tool';
import type { WorkflowsCapability } from '../workflows/workflows-capability';
import {
  REPORT_MIME,
  type ReportFileLocale, type ReportFormat, type ReportJob, type ReportSchedule,
} from '../../../src-shared/api/reports';
import { NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { EventHub } from '../events/event-hub';
import type { CoreStore } from '../store/core-store';
import { addDays, localDay, localMinutes, processTimeZone } from './reports-day';
import { listReportFiles, parseReportFileName, readJsonFile, readReportFile, SCHEDULE_FILE, writeAtomically } from './reports-folder';
import { createReportJobs, type ReportWriter } from './reports-jobs';
import { REPORTS_DAILY_TEMPLATE, REPORTS_DAILY_TEMPLATE_ID, reportsTools } from './reports-tool';

export type ReportMethod = 'reports.generate' | 'reports.jobs' | 'reports.history' | 'reports.download' | 'reports.schedule' | 'reports.setSchedule';

export interface ReportsCapability extends Capability<ReportMethod> {
  /** One scheduler check now (what the timer does; tests drive it with an injected clock). */
  tickNow(): Promise<void>;
  /** Resolves when every job queued so far has finished. */
  idle(): Promise<void>;
  /** The engine's tool over this capability's job runner (reports.generate). */
  readonly tools: readonly Tool[];
  /** The shipped template the schedule launches (reports-daily). */
  readonly templates: readonly WfTemplate[];
  /** From now on the schedule launches reports-daily runs on this engine (and a deferred start check runs). */
  useWorkflows(w: ReportsWorkflows): Disposable;
}

/** What the schedule needs of the workflows capability. */
export type ReportsWorkflows = Pick<WorkflowsCapability, 'api'>;

export interface ReportsDeps {
  store: Pick<CoreStore, 'db' | 'metrics' | 'inventory' | 'audit' | 'probes' | 'drills'>;
  hub: EventHub;
  /** Where reports are written (created on the first write). */
  folder: string;
  /** The core's time zone: days and the schedule's HH:MM are local to it (default the process's). */
  timeZone?: string;
  clock?: () => number;
  /** Between scheduler checks (default 30 s); 0 or less: no timer (tickNow only). */
  tickMs?: number;
  /** Bytes of a document per format (default the PDF, CSV and XLSX writers). */
  writer?: ReportWriter;
  log?: (line: string) => void;
  /** The start's catch-up check waits for useWorkflows (create-core: the engine starts after). */
  deferStart?: boolean;
}

const OFF: ReportSchedule = { enabled: false, at: '06:00', formats: ['pdf'], locales: ['en'], lastRunDay: null };

function parseSchedule(v: unknown): ReportSchedule {
  if (!v || typeof v !== 'object') return OFF;
  const o = v as Record<string, unknown>;
  const list = <T extends string>(x: unknown, allowed: readonly T[]): T[] => (Array.isArray(x) ? x.filter((e): e is T => allowed.includes(e as T)) : []);
  const formats = list<ReportFormat>(o.formats, ['pdf', 'csv', 'xlsx']);
  const locales = list<ReportFileLocale>(o.locales, ['en', 'zh-CN']);
  return {
    enabled: o.enabled === true && formats.length > 0 && locales.length > 0,
    at: typeof o.at === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(o.at) ? o.at : OFF.at,
    formats: formats.length ? formats : OFF.formats,
    locales: locales.length ? locales : OFF.locales,
    lastRunDay: typeof o.lastRunDay === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.lastRunDay) ? o.lastRunDay : null,
  };
}

const minutesOf = (at: string): number => Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));

export async function startReports(d: ReportsDeps): Promise<ReportsCapability> {
  const clock = d.clock ?? Date.now;
  const timeZone = d.timeZone ?? processTimeZone();
  const log = d.log ?? (() => {});
  const jobs = createReportJobs({
    store: d.store, folder: d.folder, now: clock, writer: d.writer, log,
    onChange: (job) => d.hub.emit('onDidChangeReportJobs', job),
  });
  let schedule = parseSchedule(await readJsonFile(d.folder, SCHEDULE_FILE));
  let ticking: Promise<void> | null = null;
  let disposed = false;
  let workflows: ReportsWorkflows | null = null;

  const saveSchedule = async (): Promise<void> => {
    await writeAtomically(d.folder, SCHEDULE_FILE, `${JSON.stringify(schedule, null, 2)}\n`);
  };

  async function check(): Promise<void> {
    const s = schedule;
    if (disposed || !s.enabled) return;
    const now = clock();
    const today = localDay(now, timeZone);
    if (s.lastRunDay !== null && s.lastRunDay >= today) return;
    if (localMinutes(now, timeZone) < minutesOf(s.at)) return;
    // Today's run is recorded before it starts: a failing folder fails the jobs, not every tick after.
    schedule = { ...s, lastRunDay: today };
    await saveSchedule().catch((err: unknown) => log(`reports: could not save the schedule's last run: ${(err as Error).message}`));
    const day = addDays(today, -1);
    const auditId = d.store.audit.record({ actor: 'schedule', role: 'admin', action: 'reports.generate', target: `rack-power ${day} ${s.locales.join(',')} ${s.formats.join(',')} (daily at ${s.at})`, outcome: 'allowed' }, now);
    if (workflows) {
      try {
        const params = { kind: 'rack-power', day, formats: s.formats, locales: s.locales };
        const run = await workflows.api['workflows.launch']({ templateId: REPORTS_DAILY_TEMPLATE_ID, params, deviceIds: [] }, { actor: 'schedule', role: 'admin' });
        d.store.audit.finish(auditId, 'succeeded', `workflow run ${run.id} (${REPORTS_DAILY_TEMPLATE_ID})`);
      } catch (err) {
        const why = (err as Error).message;
        log(`reports: the schedule could not launch ${REPORTS_DAILY_TEMPLATE_ID}: ${why}`);
        d.store.audit.finish(auditId, 'failed', `could not launch ${REPORTS_DAILY_TEMPLATE_ID}: ${why}`.slice(0, 2000));
      }
      return;
    }
    const ids = new Set<string>();
    for (const locale of s.locales) for (const format of s.formats) ids.add(jobs.submit({ kind: 'rack-power', day, format, locale, timeZone, actor: 'schedule' }).id);
    // The audit entry is finished when the run's jobs are: succeeded, or failed naming the failures.
    void jobs.idle().then(() => {
      const failed = jobs.list().filter((j) => ids.has(j.id) && j.state !== 'done');
      try {
        d.store.audit.finish(auditId, failed.length ? 'failed' : 'succeeded', failed.map((j) => `${j.locale} ${j.format}: ${j.error ?? j.state}`).join('; ').slice(0, 2000));
      } catch (err) {
        log(`reports: could not finish the schedule's audit entry: ${(err as Error).message}`);
      }
    });
  }

  const tickNow = (): Promise<void> => {
    ticking ??= check().catch((err: unknown) => log(`reports: the schedule check failed: ${(err as Error).message}`)).finally(() => { ticking = null; });
    return ticking;
  };

  const tickMs = d.tickMs ?? 30_000;
  const timer = tickMs > 0 ? setInterval(() => void tickNow(), tickMs) : null;
  timer?.unref();
  // Catch-up at start: the day's run if it is due and has not happened (deferred: once the engine is connected).
  if (!d.deferStart) await tickNow();

  return {
    tickNow,
    idle: () => jobs.idle(),
    tools: reportsTools({ jobs, timeZone, now: clock, audit: (r) => d.store.audit.record(r, clock()) }),
    templates: [REPORTS_DAILY_TEMPLATE],
    useWorkflows(w) {
      workflows = w;
      void tickNow();
      return { dispose: () => { if (workflows === w) workflows = null; } };
    },
    api: {
      'reports.generate': async (a, ctx): Promise<ReportJob> => {
        const today = localDay(clock(), a.timeZone ?? timeZone);
        if (a.day > today) throw new ValidationError(`The day ${a.day} has not begun yet (today is ${today})`, { field: 'day' });
        const request = { kind: a.kind, day: a.day, format: a.format, locale: a.locale, timeZone: a.timeZone ?? timeZone, actor: ctx.actor };
        if (!workflows) return jobs.submit(request);
        // On the engine: a reports-daily run that follows this job (queued now, so the caller gets it back).
        const id = randomUUID();
        const params = { kind: a.kind, day: a.day, formats: [a.format], locales: [a.locale], timeZone: request.timeZone, adopt: [id] };
        const run = await workflows.api['workflows.launch']({ templateId: REPORTS_DAILY_TEMPLATE_ID, params, deviceIds: [] }, ctx);
        return jobs.submit({ ...request, runId: run.id }, id);
      },
      'reports.jobs': () => jobs.list(),
      'reports.history': () => listReportFiles(d.folder),
      'reports.download': async (a) => {
        const parts = parseReportFileName(a.id);
        const bytes = parts ? await readReportFile(d.folder, a.id) : null;
        if (!parts || !bytes) throw new NotFoundError('Report file', a.id);
        return { name: a.id, mime: REPORT_MIME[parts.format], size: bytes.length, base64: bytes.toString('base64') };
      },
      'reports.schedule': () => schedule,
      'reports.setSchedule': async (a) => {
        const next: ReportSchedule = { enabled: a.enabled, at: a.at, formats: [...new Set(a.formats)], locales: [...new Set(a.locales)], lastRunDay: schedule.lastRunDay };
        const was = schedule;
        schedule = next;
        try {
          await saveSchedule();
        } catch (err) {
          schedule = was;
          throw new Error(`Could not save the schedule into the reports folder ${d.folder}: ${(err as Error).message}`, { cause: err });
        }
        return schedule;
      },
    },
    async dispose() {
      disposed = true;
      if (timer) clearInterval(timer);
      await ticking;
      await jobs.dispose();
    },
  };
}
