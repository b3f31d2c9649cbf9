// The journal's transactions: a step's completion, its outbox row and what follows (the next
// steps made ready) commit together or not at all. With the outbox insert refused by the
// store, the step stays running in the journal (attempt open, no outbox row, nothing after it
// ready) and the run stops in memory; the next start resumes it from the journal and the
// idempotent http.callback step runs again, leaving exactly one outbox row.
import { describe, expect, it } from 'vitest';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { openStore } from '../../../../src-main/core/store/database';
import { MIGRATIONS } from '../../../../src-main/core/store/migrations';
import { flush, hostIds, isOver, rig, settle } from './helpers';
import { provisioningTools } from './template-tools';

const flow: WfTemplate = {
  id: 'cb', name: 'Callback', params: [],
  steps: [
    { id: 'notify', tool: 'http.callback', scope: 'host', inputs: { method: 'POST', url: 'http://127.0.0.1:9/hook', body: { sn: '${host.sn}' } } },
    { id: 'after', tool: 'sys.check', scope: 'host', inputs: {} },
  ],
};

describe('journal transactions', () => {
  it('a completion whose outbox row is refused is not journaled at all; the next start resumes the step', async () => {
    const db = openStore(':memory:');
    const never = (() => new Promise(() => {})) as unknown as typeof fetch;
    const a = rig((calls) => provisioningTools(calls), { db, fetch: never });
    a.engine.saveTemplate(flow, 'alice');
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON wf_outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const run = a.engine.launch('cb', {}, hostIds(1), 'alice');
    await flush();
    const task = () => db.prepare("SELECT state, attempt FROM wf_tasks WHERE run_id = ? AND step_id = 'notify'").get(run.id);
    expect(task()).toEqual({ state: 'running', attempt: 1 });
    expect(db.prepare("SELECT state FROM wf_tasks WHERE run_id = ? AND step_id = 'after'").get(run.id)).toEqual({ state: 'pending' });
    expect(db.prepare('SELECT finished_at FROM wf_attempts WHERE run_id = ?').all(run.id)).toEqual([{ finished_at: null }]);
    expect(a.engine.outbox(run.id)).toEqual([]);
    expect(a.logs.some((l) => l.includes(`run ${run.id} stopped: the journal refused a write (disk full)`))).toBe(true);
    await a.engine.dispose();
    db.exec('DROP TRIGGER refuse');
    const b = rig((calls) => provisioningTools(calls), { db, clock: a.clock, fetch: never });
    await settle(b.clock, () => isOver(b.engine, run.id), 'the resumed run ends');
    expect(b.engine.summary(run.id).state).toBe('succeeded');
    expect(b.engine.attempts(run.id, 'notify', 'd1').map((x) => [x.attempt, x.state, x.failure])).toEqual([[1, 'failed', 'interrupted'], [2, 'succeeded', null]]);
    expect(b.engine.outbox(run.id).map((o) => o.idempotency_key)).toEqual([`${run.id}/notify/d1`]);
    await b.engine.dispose();
  });

  it('migration 9 gives every table the engine writes', () => {
    const db = openStore(':memory:');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'wf_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['wf_attempts', 'wf_batches', 'wf_events', 'wf_logs', 'wf_outbox', 'wf_runs', 'wf_tasks', 'wf_templates']);
    expect(MIGRATIONS.find((m) => m.version === 9)?.name).toMatch(/^workflows: /);
  });
});
