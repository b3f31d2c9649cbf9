// Report generation as a job on the workflow engine (reports-tool.ts), on a ':memory:' store
// holding the lab day (lab-day.ts) and the real workflows capability: the daily schedule,
// once the engine is connected, launches a reports-daily run (as 'schedule') whose step queues
// yesterday's jobs, logs each job's phases into the run's journal and succeeds with the files,
// which are in the folder; both the schedule's launch and the generation are audited. A
// writer that fails fails the step naming the failure (no file left). The tool itself: below
// operator it is refused (audited); a job gone from the runner (a console restart) is queued
// again from the step's poll state.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../../src-shared/api';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { startReports, type ReportsCapability, type ReportsDeps } from '../../../../src-main/core/reports/reports-capability';
import { REPORTS_DAILY_TEMPLATE_ID } from '../../../../src-main/core/reports/reports-tool';
import { openCoreStore } from '../../../../src-main/core/store/core-store';
import type { ToolContext } from '../../../../src-main/core/workflows/tool';
import { startWorkflowsCapability, type WorkflowsCapability } from '../../../../src-main/core/workflows/workflows-capability';
import { labInventory, labSamples } from './lab-day';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
store.inventory.upsert(labInventory());
store.metrics.append(labSamples().all);
const root = mkdtempSync(join(tmpdir(), 'fd-reports-engine-'));
afterAll(() => {
  store.dispose();
  rmSync(root, { recursive: true, force: true });
});

let now = Date.parse('2026-11-21T05:00:00Z');
const open: { dispose(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.dispose();
});

async function rig(folder: string, over: Partial<ReportsDeps> = {}): Promise<{ cap: ReportsCapability; wf: WorkflowsCapability }> {
  const hub = new EventHub();
  const cap = await startReports({ store, hub, folder, timeZone: 'UTC', clock: () => now, tickMs: 0, deferStart: true, ...over });
  open.push(cap);
  const wf = startWorkflowsCapability({ store, hub, tools: cap.tools, templates: cap.templates, callbackBaseUrl: null });
  open.push(wf);
  open.push(cap.useWorkflows(wf));
  return { cap, wf };
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const files = (folder: string): string[] => readdirSync(folder).filter((n) => !n.startsWith('.')).sort();
const runsOf = (wf: WorkflowsCapability) => wf.api['workflows.runs']({ templateId: REPORTS_DAILY_TEMPLATE_ID, limit: undefined }, admin) as { id: string; state: string; createdBy: string }[];
const finished = (wf: WorkflowsCapability, id: string): boolean => wf.engine.summary(id).state !== 'running';

describe('reports on the workflow engine', () => {
  it('the schedule launches a reports-daily run whose log shows each job\'s phases; files written, audited', async () => {
    const folder = join(root, 'scheduled');
    now = Date.parse('2026-11-21T05:00:00Z');
    const { cap, wf } = await rig(folder);
    await cap.api['reports.setSchedule']({ enabled: true, at: '06:30', formats: ['csv', 'pdf'], locales: ['en'] }, admin);
    await cap.tickNow();
    expect(runsOf(wf)).toEqual([]);
    now = Date.parse('2026-11-21T06:31:00Z');
    await cap.tickNow();
    const runs = runsOf(wf);
    expect(runs).toHaveLength(1);
    expect(runs[0].createdBy).toBe('schedule');
    await until('the run to finish', () => finished(wf, runs[0].id));
    expect(wf.engine.summary(runs[0].id).state).toBe('succeeded');
    expect(files(folder)).toEqual(['rack-power-2026-11-20.en.csv', 'rack-power-2026-11-20.en.pdf']);

    const lines = (wf.api['workflows.logs']({ runId: runs[0].id, afterId: undefined, limit: undefined }, admin) as { line: string }[]).map((l) => l.line);
    expect(lines[0]).toBe('queued 2 report jobs: rack-power 2026-11-20 en csv; rack-power 2026-11-20 en pdf');
    for (const f of ['csv', 'pdf']) {
      const mine = lines.filter((l) => l.startsWith(`rack-power 2026-11-20 en ${f}: `)).map((l) => l.split(': ')[1].split(' ')[0]);
      // Checked once a second: a fast phase may pass between two checks, but done is always seen last.
      expect(mine.at(-1)).toBe('done');
      expect(mine.every((p) => ['reading', 'computing', 'writing', 'done'].includes(p))).toBe(true);
    }
    const out = wf.engine.task(runs[0].id, 'generate', '').outputs as { day: string; files: string[]; bytes: number };
    expect(out.day).toBe('2026-11-20');
    expect(out.files).toEqual(['rack-power-2026-11-20.en.csv', 'rack-power-2026-11-20.en.pdf']);
    expect(out.bytes).toBeGreaterThan(1000);

    const audit = store.audit.list({ action: 'reports.generate' }).filter((e) => e.actor === 'schedule');
    expect(audit.map((e) => e.outcome).sort()).toEqual(['succeeded', 'succeeded']);
    expect(audit.find((e) => e.target.includes('(daily at 06:30)'))?.detail).toBe(`workflow run ${runs[0].id} (${REPORTS_DAILY_TEMPLATE_ID})`);
    expect(audit.find((e) => e.detail.includes(`workflow run ${runs[0].id}, step generate`))?.target).toBe('rack-power 2026-11-20 en csv,pdf');
    // Not again that day.
    now = Date.parse('2026-11-21T23:00:00Z');
    await cap.tickNow();
    expect(runsOf(wf)).toHaveLength(1);
  });

  it('an on-demand reports.generate returns its job with the run that generates it, which adopts it (no second job)', async () => {
    const folder = join(root, 'on-demand');
    now = Date.parse('2026-11-21T12:00:00Z');
    const { cap, wf } = await rig(folder);
    const job = await cap.api['reports.generate']({ kind: 'rack-power', day: '2026-11-20', format: 'csv', locale: 'zh-CN', timeZone: undefined }, { actor: 'olga', role: 'operator' });
    expect(job).toMatchObject({ state: 'queued', actor: 'olga', format: 'csv', locale: 'zh-CN' });
    expect(job.runId).not.toBeNull();
    await until('the run to finish', () => finished(wf, job.runId!));
    expect(wf.engine.summary(job.runId!)).toMatchObject({ state: 'succeeded', createdBy: 'olga', templateId: REPORTS_DAILY_TEMPLATE_ID });
    const lines = (wf.api['workflows.logs']({ runId: job.runId!, afterId: undefined, limit: undefined }, admin) as { line: string }[]).map((l) => l.line);
    expect(lines[0]).toBe('following 1 report job: rack-power 2026-11-20 zh-CN csv');
    expect((cap.api['reports.jobs'](undefined, admin) as { id: string; state: string }[]).map((j) => `${j.id === job.id}:${j.state}`)).toEqual(['true:done']);
    expect(files(folder)).toEqual(['rack-power-2026-11-20.zh-CN.csv']);
  });

  it('a launched run whose writer fails fails its step naming why, and leaves no file', async () => {
    const folder = join(root, 'failing');
    now = Date.parse('2026-11-21T12:00:00Z');
    const { wf } = await rig(folder, { writer: async () => { throw new Error('disk on fire'); } });
    const run = wf.api['workflows.launch']({ templateId: REPORTS_DAILY_TEMPLATE_ID, params: { formats: ['xlsx'] }, deviceIds: [] }, { actor: 'olga', role: 'operator' }) as { id: string };
    await until('the run to finish', () => finished(wf, run.id));
    expect(wf.engine.summary(run.id).state).toBe('failed');
    expect(wf.engine.task(run.id, 'generate', '').error).toContain('1 of 1 reports failed: en xlsx: disk on fire');
    expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
    expect(store.audit.list({ action: 'reports.generate' }).find((e) => e.actor === 'olga')).toMatchObject({ outcome: 'failed', target: 'rack-power 2026-11-20 en xlsx' });
  });

  it('the tool refuses a run below operator (audited) and queues again a job the runner no longer has', async () => {
    const folder = join(root, 'direct');
    now = Date.parse('2026-11-21T12:00:00Z');
    const { cap } = await rig(folder);
    const [gen] = cap.tools;
    const logs: string[] = [];
    const ctx = (over: Partial<ToolContext>): ToolContext => ({
      runId: 'run-9', stepId: 'generate', host: null, attempt: 1, signal: new AbortController().signal, log: (l) => logs.push(l), callbackUrl: null,
      pollState: null, check: 0, actor: 'vera', role: 'viewer', ...over,
    });
    await expect(gen.run(ctx({}), gen.input.parse({}))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.audit.list({ action: 'reports.generate' }).find((e) => e.actor === 'vera')).toMatchObject({ outcome: 'refused', role: 'viewer' });
    await expect(gen.run(ctx({ role: 'operator' }), gen.input.parse({ day: '2026-11-22' }))).rejects.toMatchObject({ code: 'VALIDATION' });

    const lost = { day: '2026-11-20', jobs: [{ request: { kind: 'rack-power', day: '2026-11-20', format: 'csv', locale: 'en', timeZone: 'UTC', actor: 'vera' }, id: 'gone', seen: 'reading' }] };
    const r = await gen.run(ctx({ role: 'operator', check: 3, pollState: lost }), gen.input.parse({ formats: ['csv'] }));
    expect(r.status).toBe('pending');
    expect(logs.some((l) => l.endsWith('its job was not found (the console restarted?); queued again'))).toBe(true);
    await cap.idle();
    expect(files(folder)).toEqual(['rack-power-2026-11-20.en.csv']);
    const state = (r as { state: { jobs: { id: string }[] } }).state;
    expect(await gen.run(ctx({ role: 'operator', check: 4, pollState: state }), gen.input.parse({ formats: ['csv'] }))).toMatchObject({ status: 'done', output: { files: ['rack-power-2026-11-20.en.csv'] } });
  });
});
