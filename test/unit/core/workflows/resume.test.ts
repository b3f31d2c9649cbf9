// Restart rules, on one journal: an engine is abandoned mid-run (its calls aborted and their
// results ignored, attempts left open as a crash leaves them) and a new engine started on the
// same store. Waiting tasks keep waiting (poll checks go on from next_at with their state,
// callback tokens still complete the step, approvals and retry backoffs survive); a task found
// running re-runs when its tool is idempotent, else fails as 'interrupted'; finished steps
// never run again; a paused run stays paused.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { openStore } from '../../../../src-main/core/store/database';
import type { Tool } from '../../../../src-main/core/workflows/tool';
import { done, fakeTool, flush, hostIds, isOver, pending, rig, settle, states, VirtualClock, type Call } from './helpers';

const tpl = (steps: WfTemplate['steps']): WfTemplate => ({ id: 'flow', name: 'Flow', params: [], steps });

/** Tools whose behaviour can hang (a call in flight at the crash) until told otherwise. */
function tools(hang: { now: boolean }) {
  return (calls: Call[]): Tool[] => [
    fakeTool('first', {}, calls, () => done()),
    fakeTool('idem', { idempotent: true, output: z.object({ n: z.number() }) }, calls, (ctx) => (hang.now ? new Promise(() => {}) : done({ n: ctx.attempt }))),
    fakeTool('once', { idempotent: false }, calls, () => (hang.now ? new Promise(() => {}) : done())),
    fakeTool('ping', { kind: 'poll', output: z.object({ checks: z.number() }) }, calls, (ctx) => {
      const n = ((ctx.pollState as { n: number } | null)?.n ?? 0) + 1;
      return n < 4 ? pending({ n }) : done({ checks: n });
    }),
    fakeTool('install', { kind: 'callback', output: z.object({ release: z.string() }) }, calls, () => pending()),
    fakeTool('flaky', {}, calls, (ctx) => { if (ctx.attempt < 2) throw new Error('not yet'); return done(); }),
  ];
}

function twoEngines(steps: WfTemplate['steps'], hosts = 1) {
  const db = openStore(':memory:');
  const clock = new VirtualClock();
  const hang = { now: true };
  const a = rig(tools(hang), { db, clock });
  a.engine.saveTemplate(tpl(steps), 'alice');
  const run = a.engine.launch('flow', {}, hostIds(hosts), 'alice');
  return {
    a, run, hang, clock,
    async restart() {
      await a.engine.dispose();
      hang.now = false;
      return rig(tools(hang), { db, clock });
    },
  };
}

describe('restart', () => {
  it('re-runs an interrupted idempotent step as a new attempt and never re-runs a finished one', async () => {
    const s = twoEngines([{ id: 'first', tool: 'first', scope: 'host', inputs: {} }, { id: 'idem', tool: 'idem', scope: 'host', inputs: {} }], 2);
    await settle(s.clock, () => Object.values(states(s.a.engine, s.run.id)).filter((x) => x === 'running').length === 2, 'both hosts are inside idem');
    const b = await s.restart();
    await settle(s.clock, () => isOver(b.engine, s.run.id), 'the run ends');
    expect(b.calls.map((c) => `${c.tool}@${c.host}#${c.attempt}`).sort()).toEqual(['idem@d1#2', 'idem@d2#2']);
    expect(b.engine.attempts(s.run.id, 'idem', 'd1').map((x) => [x.attempt, x.state, x.failure])).toEqual([[1, 'failed', 'interrupted'], [2, 'succeeded', null]]);
    expect(b.engine.task(s.run.id, 'idem', 'd1').outputs).toEqual({ n: 2 });
    expect(b.engine.summary(s.run.id).state).toBe('succeeded');
  });

  it('fails an interrupted non-idempotent step as interrupted, for an operator to retry or skip', async () => {
    const s = twoEngines([{ id: 'once', tool: 'once', scope: 'host', inputs: {}, retry: { max: 3, backoffMs: 10, factor: 1, maxBackoffMs: 10 } }, { id: 'next', tool: 'first', scope: 'host', inputs: {} }]);
    await settle(s.clock, () => states(s.a.engine, s.run.id)['once@d1'] === 'running', 'once is running');
    const b = await s.restart();
    await settle(s.clock, () => isOver(b.engine, s.run.id), 'the run ends');
    expect(b.calls).toEqual([]);
    expect(b.engine.task(s.run.id, 'once', 'd1')).toMatchObject({ state: 'failed', failure: 'interrupted' });
    expect(b.engine.task(s.run.id, 'once', 'd1').error).toMatch(/the tool once is not idempotent, so it is not run again/);
    expect(b.engine.summary(s.run.id).state).toBe('failed');
    b.engine.retry(s.run.id, 'once', 'd1', 'bob');
    await settle(s.clock, () => isOver(b.engine, s.run.id), 'the retried run ends');
    expect(b.engine.summary(s.run.id).state).toBe('succeeded');
    expect(b.engine.attempts(s.run.id, 'once', 'd1').map((x) => [x.attempt, x.failure, x.by])).toEqual([[1, 'interrupted', 'engine'], [2, null, 'bob']]);
  });

  it('a poll step goes on from next_at with the state its last check kept', async () => {
    const s = twoEngines([{ id: 'ping', tool: 'ping', scope: 'host', inputs: {}, poll: { intervalMs: 1000, deadlineMs: 60_000 } }]);
    await settle(s.clock, () => s.a.calls.length === 2 && states(s.a.engine, s.run.id)['ping@d1'] === 'waiting', 'two checks done');
    const b = await s.restart();
    await settle(s.clock, () => isOver(b.engine, s.run.id), 'the run ends');
    expect(b.calls.map((c) => [c.attempt, c.check, c.ctx.pollState])).toEqual([[1, 2, { n: 2 }], [1, 3, { n: 3 }]]);
    expect(b.engine.task(s.run.id, 'ping', 'd1').outputs).toEqual({ checks: 4 });
  });

  it('a callback token issued before the restart still completes its step, once', async () => {
    const s = twoEngines([{ id: 'install', tool: 'install', scope: 'host', inputs: {} }, { id: 'after', tool: 'first', scope: 'host', inputs: {} }]);
    await settle(s.clock, () => states(s.a.engine, s.run.id)['install@d1'] === 'awaiting-callback', 'install awaits its callback');
    const token = s.a.calls[0].ctx.callbackUrl!.split('/').pop()!;
    const b = await s.restart();
    await flush();
    expect(b.calls).toEqual([]);
    b.engine.callback(token, { release: 'r2' });
    expect(() => b.engine.callback(token, { release: 'r2' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    await settle(s.clock, () => isOver(b.engine, s.run.id), 'the run ends');
    expect(b.calls.map((c) => c.tool)).toEqual(['first']);
    expect(b.engine.summary(s.run.id).state).toBe('succeeded');
  });

  it('approvals, retry backoffs and a paused run survive the restart', async () => {
    const s = twoEngines([
      { id: 'ok', tool: 'wf.approval', scope: 'host', inputs: {} },
      { id: 'flaky', tool: 'flaky', scope: 'host', inputs: {}, after: [], retry: { max: 2, backoffMs: 5000, factor: 1, maxBackoffMs: 5000 } },
    ]);
    await settle(s.clock, () => states(s.a.engine, s.run.id)['ok@d1'] === 'awaiting-approval' && states(s.a.engine, s.run.id)['flaky@d1'] === 'waiting', 'approval awaited, flaky backing off');
    const failedAt = s.clock.now();
    s.a.engine.pause(s.run.id, 'bob');
    const b = await s.restart();
    await flush();
    expect(b.engine.summary(s.run.id).state).toBe('paused');
    b.engine.resume(s.run.id, 'bob');
    b.engine.approve(s.run.id, 'ok', 'd1', 'bob');
    await settle(s.clock, () => isOver(b.engine, s.run.id), 'the run ends');
    expect(b.calls.map((c) => [c.tool, c.attempt])).toEqual([['flaky', 2]]);
    expect(s.clock.now()).toBe(failedAt + 5000);
    expect(b.engine.summary(s.run.id).state).toBe('succeeded');
  });
});
