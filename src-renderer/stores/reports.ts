// The reports view's state (#/reports), in a store of its own (the view is its only reader, so
// the app store's slices stay as they are): the jobs of this session of the core kept live by
// onDidChangeReportJobs while the view is open, the generated files (history, newest first), the
// daily schedule, the generate form's choice, a download in progress, and each part's error.
import { create } from 'zustand';
import type { ReportFile, ReportFileLocale, ReportFormat, ReportJob, ReportKind, ReportSchedule } from '../../src-shared/api/reports';
import type { ShownError } from './shown-error';

export interface ReportsGenerateForm {
  kind: ReportKind;
  day: string;
  format: ReportFormat;
  locale: ReportFileLocale;
  busy: boolean;
  error: ShownError | null;
}

export interface ReportsScheduleForm {
  enabled: boolean;
  at: string;
  formats: ReportFormat[];
  locales: ReportFileLocale[];
  busy: boolean;
  error: ShownError | null;
  /** Set after a save the core accepted, until the form is changed again. */
  saved: boolean;
}

export interface ReportsState {
  /** Newest first; null before the first answer. */
  jobs: ReportJob[] | null;
  jobsError: ShownError | null;
  history: ReportFile[] | null;
  historyError: ShownError | null;
  schedule: ReportSchedule | null;
  scheduleError: ShownError | null;
  form: ReportsGenerateForm;
  /** The admin's edit of the schedule (null until the schedule is read). */
  scheduleForm: ReportsScheduleForm | null;
  /** The file being fetched for download, and the last download's error. */
  downloading: string | null;
  downloadError: ShownError | null;
}

/** The local day before today as YYYY-MM-DD. */
export function yesterday(now = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export function initialReports(): ReportsState {
  return {
    jobs: null,
    jobsError: null,
    history: null,
    historyError: null,
    schedule: null,
    scheduleError: null,
    form: { kind: 'rack-power', day: yesterday(), format: 'pdf', locale: 'en', busy: false, error: null },
    scheduleForm: null,
    downloading: null,
    downloadError: null,
  };
}

export const useReportsStore = create<ReportsState>()(() => initialReports());

export function patchReports(p: Partial<ReportsState> | ((s: ReportsState) => Partial<ReportsState>)): void {
  useReportsStore.setState(p);
}
