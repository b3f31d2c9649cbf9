// The report job runner: generation jobs run one at a time, in order, through the phases
// queued -> reading -> computing (the numbers and the ReportDocument) -> writing (the format's
// bytes, written atomically into the reports folder) -> done, or failed with the reason
// (nothing is left in the folder then). What reading reads depends on the kind (READERS):
// rack-power the inventory and the day's and the day before's pdu.power_w samples;
// probe-quality the inventory and the thresholds (the day's probe rows are streamed from the
// store while computing, not held); workflow-stats nothing ahead (the engine's statistics are
// queries of the journal, run while computing); gateway-drills the day's drill rows (a few).
// Each move is announced through onChange (the capability emits it as
// onDidChangeReportJobs). The last 100 jobs are kept in memory.
//
// This runner and the workflow engine: generation is a job on the engine through the tool
// reports.generate (reports-tool.ts), whose poll step queues jobs here and follows their phases
// into the run's log; the daily schedule launches it as a run of reports-daily. The phases
// themselves are not engine steps: they share large in-memory values (two days of readings for
// every PDU, the document) that would have to be journaled between steps, and an interrupted
// generation is simply run again (the step queues its jobs again after a restart). The reports
// view's on-demand generate queues a job here directly (one file, answered at once with its job).
import { randomUUID } from 'node:crypto';
import type { ReportFileLocale, ReportFormat, ReportJob, ReportJobState, ReportKind } from '../../../src-shared/api/reports';
import type { CoreStore } from '../store/core-store';
import { reportToCsv } from './csv';
import { reportToPdf } from './pdf';
import { DEFAULT_PROBE_THRESHOLDS } from '../../../src-shared/domain/probe';
import { gatewayDrillsDocument, summarizeDrills } from './gateway-drills';
import { computeProbeQuality, probePlaces, probeQualityDocument, probeRows } from './probe-quality';
import { computeRackPower, rackPowerDocument, rackPowerInventory, type PeriodReadings } from './rack-power';
import { hourSlots, readPduDays } from './rack-power-readings';
import type { ReportDocument } from './report-document';
import { addDays, dayRange } from './reports-day';
import { reportFileName, writeAtomically } from './reports-folder';
import { computeWorkflowStats, workflowStatsDocument } from './workflow-stats';
import { reportToXlsx } from './xlsx';

export interface ReportRequest {
  readonly kind: ReportKind;
  readonly day: string;
  readonly format: ReportFormat;
  readonly locale: ReportFileLocale;
  readonly timeZone: string;
  readonly actor: string;
  /** The workflow run it is generated for (absent: none). */
  readonly runId?: string | null;
}

/** The bytes of a document in a format (tests plug a failing one in). */
export type ReportWriter = (doc: ReportDocument, format: ReportFormat, timeZone: string) => Promise<Buffer>;

export const defaultWriter: ReportWriter = async (doc, format, timeZone) =>
  format === 'pdf' ? reportToPdf(doc, { timeZone }) : format === 'csv' ? reportToCsv(doc) : reportToXlsx(doc);

type ReportStore = Pick<CoreStore, 'db' | 'metrics' | 'inventory' | 'probes' | 'drills'>;

/** A kind's reading phase: it returns the computing phase, which makes the document. */
type Reader = (store: ReportStore, job: ReportJob, range: { from: number; to: number }, now: () => number) => () => ReportDocument;

const READERS: Readonly<Record<ReportKind, Reader>> = {
  'rack-power': (store, job, range, now) => {
    const prev = dayRange(addDays(job.day, -1), job.timeZone);
    const inv = rackPowerInventory(store);
    const pduIds = inv.cabinets.flatMap((c) => c.devices.filter((x) => x.kind === 'pdu').map((x) => x.id));
    const read = (from: number, to: number): PeriodReadings => ({ ...readPduDays(store, pduIds, from, to), hours: hourSlots(from, to) });
    const day = read(range.from, range.to);
    const before = read(prev.from, prev.to);
    return () => rackPowerDocument(inv, computeRackPower(inv, day, before), { locale: job.locale, period: range, generatedAt: now(), timeZone: job.timeZone });
  },
  'probe-quality': (store, job, range, now) => {
    const places = probePlaces(store);
    const th = store.probes.thresholds() ?? DEFAULT_PROBE_THRESHOLDS;
    return () => {
      const rows = {
        room: probeRows(store, 'room', range.from, range.to),
        site: [...probeRows(store, 'site', range.from, range.to)],
        server: probeRows(store, 'server', range.from, range.to),
      };
      return probeQualityDocument(places, computeProbeQuality(places, rows, th), { locale: job.locale, period: range, generatedAt: now(), timeZone: job.timeZone });
    };
  },
  'workflow-stats': (store, job, range, now) => () =>
    workflowStatsDocument(computeWorkflowStats(store, range.from, range.to), { locale: job.locale, period: range, generatedAt: now(), timeZone: job.timeZone }),
  'gateway-drills': (store, job, range, now) => {
    const drills = store.drills.between(range.from, range.to);
    return () => gatewayDrillsDocument({ drills, summary: summarizeDrills(drills) }, { locale: job.locale, period: range, generatedAt: now(), timeZone: job.timeZone });
  },
};

export interface ReportJobsDeps {
  readonly store: ReportStore;
  readonly folder: string;
  readonly now: () => number;
  readonly onChange: (job: ReportJob) => void;
  readonly writer?: ReportWriter;
  readonly log?: (line: string) => void;
}

export interface ReportJobs {
  /** Queues a job (its id given, or a new one). */
  submit(r: ReportRequest, id?: string): ReportJob;
  list(): ReportJob[];
  /** Resolves when every job submitted so far has finished. */
  idle(): Promise<void>;
  dispose(): Promise<void>;
}

const KEEP = 100;

/** Lets the event loop run between phases, so each state is seen and calls are not held up. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createReportJobs(d: ReportJobsDeps): ReportJobs {
  const jobs: ReportJob[] = [];
  let chain: Promise<void> = Promise.resolve();
  let disposed = false;
  const writer = d.writer ?? defaultWriter;

  const emit = (job: ReportJob): void => {
    try {
      d.onChange(job);
    } catch (err) {
      d.log?.(`reports: a job listener threw: ${(err as Error).message}`);
    }
  };
  const update = (job: ReportJob, patch: Partial<ReportJob>): ReportJob => {
    const next = { ...job, ...patch };
    const i = jobs.indexOf(job);
    if (i >= 0) jobs[i] = next;
    emit(next);
    return next;
  };

  async function run(queued: ReportJob): Promise<void> {
    let job = queued;
    const phase = async (state: ReportJobState): Promise<void> => {
      if (disposed) throw new Error('The core stopped before the report was written');
      job = update(job, { state });
      await turn();
    };
    const name = reportFileName(job.kind, job.day, job.locale, job.format);
    try {
      await phase('reading');
      const reader = READERS[job.kind];
      if (!reader) throw new Error(`No report of kind ${JSON.stringify(job.kind)}`);
      const compute = reader(d.store, job, dayRange(job.day, job.timeZone), d.now);
      await phase('computing');
      const doc = compute();
      await phase('writing');
      const bytes = await writer(doc, job.format, job.timeZone);
      if (disposed) throw new Error('The core stopped before the report was written');
      try {
        await writeAtomically(d.folder, name, bytes);
      } catch (err) {
        throw new Error(`Could not write ${name} into the reports folder ${d.folder}: ${(err as Error).message}`, { cause: err });
      }
      job = update(job, { state: 'done', finishedAt: d.now(), file: name, bytes: bytes.length });
    } catch (err) {
      const error = (err as Error).message || String(err);
      d.log?.(`reports: ${name} failed: ${error}`);
      job = update(job, { state: 'failed', finishedAt: d.now(), error });
    }
  }

  return {
    submit(r, id = randomUUID()) {
      if (disposed) throw new Error('The reports capability is stopped');
      const job: ReportJob = { id, ...r, runId: r.runId ?? null, state: 'queued', createdAt: d.now(), finishedAt: null, file: null, bytes: null, error: null };
      jobs.unshift(job);
      if (jobs.length > KEEP) jobs.length = KEEP;
      emit(job);
      chain = chain.then(() => run(job));
      return job;
    },
    list: () => [...jobs],
    idle: async () => {
      let seen: Promise<void> | null = null;
      while (seen !== chain) {
        seen = chain;
        await chain;
      }
    },
    async dispose() {
      disposed = true;
      await chain.catch(() => {});
    },
  };
}
