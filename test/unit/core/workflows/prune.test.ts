// The workflow journal's retention (prune.ts) on a virtual clock: runs launched through the
// engine (startWorkflows) end succeeded, failed and revoked, one waits for approval, one is
// paused, one finished with its outbox row undeliverable; 181 days later an engine started on
// the same journal deletes the finished ones once at start, with every row they own, and keeps
// the open runs, the run whose outbox row is unsent (until it has been sent: the next hourly
// pass takes it), a recent run, and the templates; statistics count only what is kept. Then
// batches: bounded by runs and by tasks, one transaction each, until none is left.
import { afterEach, describe, expect, it } from 'vitest';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { openStore, type Db } from '../../../../src-main/core/store/database';
import { JournalPruner } from '../../../../src-main/core/workflows/prune';
import type { WorkflowEngine } from '../../../../src-main/core/workflows/engine';
import { startWorkflows } from '../../../../src-main/core/workflows/workflows-module';
import { done, fakeTool, flush, HOSTS, hostIds, settle, VirtualClock, type Call } from './helpers';

const DAY = 86_400_000;
const T = (id: string, steps: WfTemplate['steps']): WfTemplate => ({ id, name: id, params: [], steps });
const TEMPLATES = [
  T('quick', [{ id: 'work', tool: 'work', scope: 'host', inputs: {} }]),
  T('broken', [{ id: 'boom', tool: 'boom', scope: 'host', inputs: {} }]),
  T('gate', [{ id: 'approve', tool: 'wf.approval', scope: 'run', inputs: { message: 'go?' } }]),
  T('notify-ok', [{ id: 'tell', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: 'http://127.0.0.1:9/ok', body: {} } }]),
  T('notify-down', [{ id: 'tell', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: 'http://127.0.0.1:9/down', body: {} } }]),
];

/** Answers 200 for /ok, 503 for /down until `receiverBack`. */
let receiverBack = false;
const fakeFetch = (async (url: string | URL) => new Response('', { status: String(url).endsWith('/ok') || receiverBack ? 200 : 503 })) as typeof fetch;

const engines: WorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  receiverBack = false;
});

function start(db: Db, clock: VirtualClock, logs: string[] = []): WorkflowEngine {
  const calls: Call[] = [];
  const e = startWorkflows({
    db, clock, baseUrl: 'https://deck.example/', hosts: (id) => HOSTS.find((h) => h.id === id), log: (l) => logs.push(l),
    tools: [fakeTool('work', {}, calls, () => done()), fakeTool('boom', {}, calls, () => Promise.reject(new Error('the BMC does not answer')))],
    outbox: { fetch: fakeFetch, backoffMs: 1000, maxBackoffMs: 60_000 },
  });
  engines.push(e);
  return e;
}

const count = (db: Db, table: string, runId: string): number => (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(runId) as { n: number }).n;
const TABLES = ['wf_tasks', 'wf_attempts', 'wf_logs', 'wf_events', 'wf_outbox'] as const;
const rowsOf = (db: Db, runId: string) => Object.fromEntries(TABLES.map((t) => [t, count(db, t, runId)]));
const runExists = (db: Db, id: string) => db.prepare('SELECT 1 FROM wf_runs WHERE id = ?').get(id) !== undefined;

describe('journal retention', () => {
  it('deletes finished runs past the retention with all their rows, and keeps open runs, unsent outbox rows and recent runs', async () => {
    const db = openStore(':memory:');
    const clock = new VirtualClock();
    clock.t = 1_700_000_000_000;
    const first = start(db, clock);
    for (const t of TEMPLATES) first.saveTemplate(t, 'ada');
    const launch = (id: string) => first.launch(id, {}, hostIds(2), 'oscar').id;
    const succeeded = launch('quick');
    const failed = launch('broken');
    const revoked = launch('gate');
    const waiting = launch('gate');
    const paused = launch('gate');
    const sent = launch('notify-ok');
    const unsent = launch('notify-down');
    await settle(clock, () => first.summary(succeeded).state === 'succeeded' && first.summary(failed).state === 'failed' && first.outbox(sent).every((o) => o.sent_at !== null), 'the short runs end');
    first.revoke(revoked, 'oscar');
    first.pause(paused, 'oscar');
    await flush();
    expect([succeeded, failed, revoked, waiting, paused, sent, unsent].map((id) => first.summary(id).state)).toEqual(['succeeded', 'failed', 'revoked', 'running', 'paused', 'succeeded', 'succeeded']);
    expect(first.outbox(unsent).map((o) => o.sent_at)).toEqual([null, null]);
    const old = [succeeded, failed, revoked, sent];
    // Each finished run owns tasks, attempts and events; the failed and the approval runs log lines; the sent run its outbox rows.
    for (const id of old) expect([rowsOf(db, id).wf_tasks, rowsOf(db, id).wf_attempts, rowsOf(db, id).wf_events].every((n) => n > 0), id).toBe(true);
    for (const id of [failed, revoked, sent]) expect(rowsOf(db, id).wf_logs, id).toBeGreaterThan(0);
    expect(rowsOf(db, sent).wf_outbox).toBe(2);
    await first.dispose();

    // 181 days on: one more run, then a restart on the same journal.
    clock.t += 181 * DAY;
    const logs: string[] = [];
    const second = start(db, clock, logs);
    const recent = second.launch('quick', {}, hostIds(1), 'oscar').id;
    await settle(clock, () => second.summary(recent).state === 'succeeded', 'the recent run ends');
    await clock.advance(0);

    for (const id of old) {
      expect(runExists(db, id), id).toBe(false);
      expect(rowsOf(db, id), id).toEqual({ wf_tasks: 0, wf_attempts: 0, wf_logs: 0, wf_events: 0, wf_outbox: 0 });
    }
    expect(() => second.run(succeeded)).toThrow(/does not exist/);
    for (const id of [waiting, paused, unsent, recent]) expect(runExists(db, id), id).toBe(true);
    expect(second.summary(waiting).state).toBe('running');
    expect(second.summary(paused).state).toBe('paused');
    expect(rowsOf(db, unsent)).toMatchObject({ wf_tasks: 2, wf_outbox: 2 });
    expect(second.attempts(unsent)).toHaveLength(2);
    expect(second.templates().map((t) => t.id).sort()).toEqual(TEMPLATES.map((t) => t.id).sort());
    expect(logs.some((l) => /deleted 4 finished run\(s\) older than 180 days/.test(l))).toBe(true);
    // Statistics cover what is kept: of the two quick runs only the recent one.
    expect(second.stats('quick', 0, clock.now() + 1)).toMatchObject({ total: 1, succeeded: 1, failed: 0 });
    expect(second.stats('broken', 0, clock.now() + 1)).toMatchObject({ total: 0, steps: [{ stepId: 'boom', failures: 0, topError: null }] });

    // The receiver comes back: the outbox delivers, and the next hourly pass takes the run.
    receiverBack = true;
    await clock.advance(3_600_000);
    expect(second.outbox(unsent).every((o) => o.sent_at !== null)).toBe(true);
    await clock.advance(3_600_000);
    expect(runExists(db, unsent)).toBe(false);
    expect(rowsOf(db, unsent)).toEqual({ wf_tasks: 0, wf_attempts: 0, wf_logs: 0, wf_events: 0, wf_outbox: 0 });
    for (const id of [waiting, paused, recent]) expect(runExists(db, id), id).toBe(true);
  });

  it('works in bounded batches, oldest first, each its own transaction', async () => {
    const db = openStore(':memory:');
    const clock = new VirtualClock();
    const engine = start(db, clock);
    engine.saveTemplate(TEMPLATES[0], 'ada');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock.t += 1000;
      ids.push(engine.launch('quick', {}, hostIds(i === 2 ? 10 : 1), 'oscar').id);
      await settle(clock, () => engine.summary(ids[i]).state === 'succeeded', `run ${i} ends`);
    }
    clock.t += 200 * DAY;
    const pruner = new JournalPruner(db, clock, () => {}, { batchRuns: 2, batchTasks: 5 });
    // Two runs at most; the third (10 tasks) would pass 5 tasks, so it goes alone next.
    expect(pruner.pruneBatch().runs).toBe(2);
    expect(ids.map((id) => runExists(db, id))).toEqual([false, false, true, true, true]);
    expect(pruner.pruneBatch().runs).toBe(1);
    expect(ids.map((id) => runExists(db, id))).toEqual([false, false, false, true, true]);
    expect(pruner.pruneBatch().runs).toBe(2);
    expect(pruner.pruneBatch()).toEqual({ runs: 0, rows: 0 });
    expect((db.prepare('SELECT COUNT(*) AS n FROM wf_tasks').get() as { n: number }).n).toBe(0);
    // A cutoff before every run's end deletes nothing.
    const another = engine.launch('quick', {}, hostIds(1), 'oscar').id;
    await settle(clock, () => engine.summary(another).state === 'succeeded', 'the last run ends');
    expect(pruner.pruneBatch().runs).toBe(0);
    expect(runExists(db, another)).toBe(true);
  });

  it('refuses a retention that is not a positive number of ms', () => {
    const db = openStore(':memory:');
    expect(() => startWorkflows({ db, baseUrl: null, hosts: () => undefined, prune: { retentionMs: 0 } })).toThrow(/positive number of ms/);
    expect(() => new JournalPruner(db, new VirtualClock(), () => {}, { retentionMs: Number.NaN })).toThrow(RangeError);
  });
});
