// Reports: generating a report (rack power, probe quality, workflow statistics or gateway
// failover drills for one local day, as PDF, CSV or XLSX, in English or Chinese) is a job that moves queued -> reading -> computing -> writing -> done (or failed,
// with why); onDidChangeReportJobs carries each job as it moves. The generated files live in
// the reports folder (config reports.folder): reports.history lists them, reports.download
// returns one's bytes (base64, as inventory.export returns its file in the result). The daily
// schedule (admin, audited) generates yesterday's rack power report at HH:MM in the core's time
// zone (the other kinds are made on demand).
// Files are named <kind>-<day>.<locale>.<format>, e.g. rack-power-2026-12-02.zh-CN.pdf.
import { z } from 'zod';
import { event, method, noArgs, result, text } from './contract';

export const REPORT_KINDS = ['rack-power', 'probe-quality', 'workflow-stats', 'gateway-drills'] as const;
export const REPORT_FORMATS = ['pdf', 'csv', 'xlsx'] as const;
export const REPORT_LOCALES = ['en', 'zh-CN'] as const;
export const REPORT_JOB_STATES = ['queued', 'reading', 'computing', 'writing', 'done', 'failed'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type ReportFileLocale = (typeof REPORT_LOCALES)[number];
export type ReportJobState = (typeof REPORT_JOB_STATES)[number];

/** One generation: what it makes, where it is, and (failed) why. */
export interface ReportJob {
  readonly id: string;
  readonly kind: ReportKind;
  readonly day: string;
  readonly format: ReportFormat;
  readonly locale: ReportFileLocale;
  readonly timeZone: string;
  readonly state: ReportJobState;
  /** Who asked ('schedule' for the daily run). */
  readonly actor: string;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  /** The file's name in the reports folder once done (its history and download id). */
  readonly file: string | null;
  readonly bytes: number | null;
  readonly error: string | null;
  /** The workflow run (reports-daily) that generates it; null: queued on a core without the engine. */
  readonly runId: string | null;
}

/** A generated file in the reports folder. */
export interface ReportFile {
  /** The file name; reports.download takes it. */
  readonly id: string;
  readonly kind: ReportKind;
  readonly day: string;
  readonly format: ReportFormat;
  readonly locale: ReportFileLocale;
  readonly size: number;
  readonly createdAt: number;
}

export interface ReportDownload {
  readonly name: string;
  readonly mime: string;
  readonly size: number;
  readonly base64: string;
}

/** The daily run: at HH:MM (core's time zone) yesterday's report in each format and locale. */
export interface ReportSchedule {
  readonly enabled: boolean;
  readonly at: string;
  readonly formats: readonly ReportFormat[];
  readonly locales: readonly ReportFileLocale[];
  /** The local day the daily run last happened (YYYY-MM-DD); null before the first. */
  readonly lastRunDay: string | null;
}

export const REPORT_MIME: Readonly<Record<ReportFormat, string>> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A calendar day that exists (2026-02-30 does not). */
export const reportDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day as YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'must be a calendar day');

const timeZone = text(100).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone');

const scheduleArgs = z.strictObject({
  enabled: z.boolean(),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM'),
  formats: z.array(z.enum(REPORT_FORMATS)).min(1, 'must name at least one format').max(3),
  locales: z.array(z.enum(REPORT_LOCALES)).min(1, 'must name at least one locale').max(2),
});

export const reportMethods = {
  /** Starts a generation job (returned queued); onDidChangeReportJobs follows it to done or failed. */
  'reports.generate': method({
    role: 'operator',
    args: z.strictObject({
      kind: z.enum(REPORT_KINDS),
      day: reportDay,
      format: z.enum(REPORT_FORMATS),
      locale: z.enum(REPORT_LOCALES),
      /** The day's time zone (default the core's: config reports.timeZone, else the process's). */
      timeZone: timeZone.optional(),
    }),
    result: result<ReportJob>(),
    audit: (a) => `${a.kind} ${a.day} ${a.locale} ${a.format}${a.timeZone ? ` (${a.timeZone})` : ''}`,
    example: { kind: 'rack-power', day: '2026-12-02', format: 'pdf', locale: 'zh-CN' },
  }),
  /** The jobs of this session of the core (newest first, the last 100). */
  'reports.jobs': method({ role: 'viewer', args: noArgs, result: result<ReportJob[]>(), example: undefined }),
  /** The generated files in the reports folder, newest first. */
  'reports.history': method({ role: 'viewer', args: noArgs, result: result<ReportFile[]>(), example: undefined }),
  /** One generated file's bytes (NOT_FOUND a name that is not a report in the folder). */
  'reports.download': method({
    role: 'viewer',
    args: z.strictObject({ id: text(200) }),
    result: result<ReportDownload>(),
    example: { id: 'rack-power-2026-12-02.zh-CN.pdf' },
  }),
  'reports.schedule': method({ role: 'viewer', args: noArgs, result: result<ReportSchedule>(), example: undefined }),
  /** Sets the daily run; it happens once a day at HH:MM or, if the console was off then, once at its next start. */
  'reports.setSchedule': method({
    role: 'admin',
    args: scheduleArgs,
    result: result<ReportSchedule>(),
    audit: (a) => `${a.enabled ? 'daily at' : 'off, was'} ${a.at}: ${a.formats.join(', ')} in ${a.locales.join(', ')}`,
    example: { enabled: true, at: '06:30', formats: ['pdf', 'xlsx'], locales: ['zh-CN'] },
  }),
};

export const reportEvents = {
  /** A report job moved (queued, reading, computing, writing, done, failed): the job as it is now. */
  onDidChangeReportJobs: event({ role: 'viewer', payload: result<ReportJob>() }),
};
