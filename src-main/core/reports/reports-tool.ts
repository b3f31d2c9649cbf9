// Report generation on the workflow engine: the poll tool reports.generate and the shipped
// template reports-daily ("Daily reports") that the schedule launches (reports-capability.ts)
// and anyone with the operator role can launch from the workflows view.
//
// reports.generate, a run-scope poll step: its first check queues one report job per locale
// and format on the report runner (reports-jobs.ts, one at a time, in order) for one local day
// (default: yesterday in the core's time zone), or, on the first attempt, adopts the jobs
// already queued for the run (`adopt`: the API's reports.generate queues its job at once, so its
// caller gets the job back, and launches the run with the job's id); each later check reads the jobs' phases and
// logs every move into the run's journal (queued -> reading -> computing -> writing -> done),
// so the run view shows the generation's progress. Done when every job is: output the files
// written and their bytes. A failed job fails the step, naming each failure (the engine's retry
// and an operator's retry then generate again: files are written atomically under the same
// names, so a re-run replaces, never half-writes). Jobs live in memory: after a console restart
// the step's checks find their jobs gone and queue them again. It acts as the run's launcher,
// with the role it launched with (absent: operator); below operator it is refused. Each outcome
// is audited under the launcher (action reports.generate, naming the run and step).
import { z } from 'zod';
import { REPORT_FORMATS, REPORT_KINDS, REPORT_LOCALES, type ReportJob } from '../../../src-shared/api/reports';
import type { WfTemplate } from '../../../src-shared/domain/workflow';
import { ROLE_RANK, type Role } from '../../../src-shared/domain/roles';
import { FleetDeckError, ValidationError } from '../../../src-shared/errors';
import type { AuditRecord } from '../store/audit-repository';
import { tool, type Tool, type ToolContext } from '../workflows/tool';
import { addDays, localDay } from './reports-day';
import type { ReportJobs, ReportRequest } from './reports-jobs';

export const REPORTS_DAILY_TEMPLATE_ID = 'reports-daily';
export const REPORTS_GENERATE_TOOL = 'reports.generate';

export interface ReportsToolDeps {
  readonly jobs: Pick<ReportJobs, 'submit' | 'list'>;
  /** The core's time zone (the default day is yesterday there). */
  readonly timeZone: string;
  readonly now: () => number;
  readonly audit: (r: AuditRecord) => void;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const input = z.object({
  kind: z.enum(REPORT_KINDS).default('rack-power'),
  /** YYYY-MM-DD, or empty: yesterday in the core's time zone. */
  day: z.string().regex(DAY, 'must be YYYY-MM-DD').or(z.literal('')).default(''),
  formats: z.array(z.enum(REPORT_FORMATS)).min(1).max(REPORT_FORMATS.length).default(['pdf']),
  locales: z.array(z.enum(REPORT_LOCALES)).min(1).max(REPORT_LOCALES.length).default(['en']),
  /** The day's time zone; empty: the core's. */
  timeZone: z.string().max(100).default(''),
  /** Ids of jobs already queued for this run, one per locale x format in that order (first attempt only). */
  adopt: z.array(z.string().max(100)).max(REPORT_LOCALES.length * REPORT_FORMATS.length).default([]),
});

const output = z.object({
  day: z.string(),
  files: z.array(z.string()),
  bytes: z.number().int(),
});

/** What a check keeps for the next: the requests and, per request, its job id and last state seen. */
interface PollState {
  readonly day: string;
  readonly jobs: { readonly request: ReportRequest; id: string; seen: string }[];
}

const where = (ctx: ToolContext): string => `workflow run ${ctx.runId}, step ${ctx.stepId}`;
const label = (r: ReportRequest): string => `${r.kind} ${r.day} ${r.locale} ${r.format}`;

export function reportsTools(deps: ReportsToolDeps): Tool[] {
  const generate = tool({
    name: REPORTS_GENERATE_TOOL,
    title: 'Generate reports',
    kind: 'poll',
    idempotent: true,
    input,
    output,
    async run(ctx, a) {
      const role: Role = ctx.role ?? 'operator';
      let state = ctx.pollState as PollState | null;
      if (state === null || ctx.check === 0) {
        const target = `${a.kind} ${a.day || 'yesterday'} ${a.locales.join(',')} ${a.formats.join(',')}`;
        if (ROLE_RANK[role] < ROLE_RANK.operator) {
          deps.audit({ actor: ctx.actor, role, action: 'reports.generate', target, outcome: 'refused', detail: `needs operator (${where(ctx)})` });
          throw new FleetDeckError('FORBIDDEN', `reports.generate needs the operator role; the run was launched as ${role}`, { role });
        }
        const timeZone = a.timeZone || deps.timeZone;
        const today = localDay(deps.now(), timeZone);
        const day = a.day || addDays(today, -1);
        if (day > today) throw new ValidationError(`The day ${day} has not begun yet (today is ${today})`, { field: 'day' });
        const requests: ReportRequest[] = [];
        for (const locale of [...new Set(a.locales)]) for (const format of [...new Set(a.formats)]) {
          requests.push({ kind: a.kind, day, format, locale, timeZone, actor: ctx.actor, runId: ctx.runId });
        }
        // Adopted: the jobs the launcher queued for this run (a later check queues any that are gone).
        const adopted = ctx.attempt === 1 && a.adopt.length === requests.length ? a.adopt : null;
        state = { day, jobs: requests.map((request, i) => ({ request, id: adopted?.[i] ?? deps.jobs.submit(request).id, seen: 'queued' })) };
        ctx.log(`${adopted ? 'following' : 'queued'} ${requests.length} report job${requests.length === 1 ? '' : 's'}: ${requests.map(label).join('; ')}`);
        return { status: 'pending', state };
      }
      const byId = new Map<string, ReportJob>(deps.jobs.list().map((j) => [j.id, j]));
      const done: ReportJob[] = [];
      const failed: string[] = [];
      for (const entry of state.jobs) {
        let job = byId.get(entry.id);
        if (!job) {
          // The runner keeps jobs in memory: after a restart the job is gone, so it is queued again.
          job = deps.jobs.submit(entry.request);
          entry.id = job.id;
          ctx.log(`${label(entry.request)}: its job was not found (the console restarted?); queued again`, 'warn');
        }
        if (job.state !== entry.seen) {
          entry.seen = job.state;
          if (job.state === 'failed') ctx.log(`${label(entry.request)}: failed: ${job.error ?? 'no reason given'}`, 'error');
          else ctx.log(`${label(entry.request)}: ${job.state}${job.state === 'done' ? ` (${job.file}, ${job.bytes} bytes)` : ''}`);
        }
        if (job.state === 'done') done.push(job);
        if (job.state === 'failed') failed.push(`${entry.request.locale} ${entry.request.format}: ${job.error ?? 'failed'}`);
      }
      const target = `${a.kind} ${state.day} ${a.locales.join(',')} ${a.formats.join(',')}`;
      if (failed.length && done.length + failed.length === state.jobs.length) {
        deps.audit({ actor: ctx.actor, role, action: 'reports.generate', target, outcome: 'failed', detail: `${failed.join('; ')} (${where(ctx)})`.slice(0, 2000) });
        throw new FleetDeckError('UNAVAILABLE', `${failed.length} of ${state.jobs.length} reports failed: ${failed.join('; ')}`.slice(0, 2000), { failed: failed.length });
      }
      if (done.length < state.jobs.length) return { status: 'pending', state };
      const files = done.map((j) => j.file ?? '');
      deps.audit({ actor: ctx.actor, role, action: 'reports.generate', target, outcome: 'succeeded', detail: `${files.join(', ')} (${where(ctx)})`.slice(0, 2000) });
      return { status: 'done', output: { day: state.day, files, bytes: done.reduce((s, j) => s + (j.bytes ?? 0), 0) } };
    },
  });
  return [generate as unknown as Tool];
}

/** The shipped template: one run-scope step, reports.generate, checked every second for up to an hour. */
export const REPORTS_DAILY_TEMPLATE: WfTemplate = {
  id: REPORTS_DAILY_TEMPLATE_ID,
  name: 'Daily reports',
  description:
    'Generates one kind of report (rack power, probe quality, workflow statistics or gateway failover drills) for one day (empty: yesterday) in the chosen formats and locales, ' +
    'into the reports folder, with each job\'s progress in the run\'s log. The daily schedule launches it for the rack power report.',
  params: [
    { name: 'kind', type: 'string', required: false, default: 'rack-power', title: 'Report (rack-power, probe-quality, workflow-stats, gateway-drills)' },
    { name: 'day', type: 'string', required: false, default: '', title: 'Day (YYYY-MM-DD; empty: yesterday)' },
    { name: 'formats', type: 'string[]', required: false, default: ['pdf'], title: 'Formats (pdf, csv, xlsx)' },
    { name: 'locales', type: 'string[]', required: false, default: ['en'], title: 'Languages (en, zh-CN)' },
    { name: 'timeZone', type: 'string', required: false, default: '', title: 'Time zone of the day (empty: the console\'s)' },
    { name: 'adopt', type: 'string[]', required: false, default: [], title: 'Jobs already queued for this run (set by the console)' },
  ],
  steps: [
    {
      id: 'generate',
      title: 'Generate the reports',
      tool: REPORTS_GENERATE_TOOL,
      scope: 'run',
      inputs: { kind: '${params.kind}', day: '${params.day}', formats: '${params.formats}', locales: '${params.locales}', timeZone: '${params.timeZone}', adopt: '${params.adopt}' },
      poll: { intervalMs: 1000, deadlineMs: 3_600_000 },
    },
  ],
};
