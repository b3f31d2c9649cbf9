// An operator retries (or skips) a task that is waiting instead of failed: a poll that never
// finishes, an install whose callback never comes, an approval. The waiting attempt is cut
// (closed as cancelled, by whom and when; its tool's signal aborted; its one-time callback
// URL spent, so a late call is answered CONFLICT and changes nothing), a new attempt starts
// with the edited inputs, both are kept, and the statistics count no failure for the cut one.
// A kill -9 between the retry and the new attempt's start resumes with that attempt, under
// the operator's name and edits. A task whose call is in flight is refused.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { openStore } from '../../../../src-main/core/store/database';
import type { Tool } from '../../../../src-main/core/workflows/tool';
import { done, fakeTool, flush, hostIds, isOver, pending, rig, settle, states, VirtualClock, type Call } from './helpers';

const tpl = (steps: WfTemplate['steps']): WfTemplate => ({ id: 'flow', name: 'Flow', params: [], steps });
const tokenOf = (c: Call) => c.ctx.callbackUrl!.split('/').pop()!;

/**
 * probe: a poll whose checks stay pending for image "stuck" (each check held open until the
 * next one is asked for) and finish for any other image. install: a callback step that waits.
 */
function tools(calls: Call[]): Tool[] {
  return [
    fakeTool('probe', { kind: 'poll', input: z.object({ image: z.string() }), output: z.object({ image: z.string() }) }, calls, (ctx, input) =>
      input.image === 'stuck' ? (ctx.check === 0 ? pending() : new Promise(() => {})) : done({ image: String(input.image) })),
    fakeTool('install', { kind: 'callback', idempotent: false, input: z.object({ image: z.string() }), output: z.object({ release: z.string() }) }, calls, () => pending()),
    fakeTool('after', {}, calls, () => done()),
    fakeTool('hang', { idempotent: false }, calls, () => new Promise(() => {})),
  ];
}

const POLL = { intervalMs: 1000, deadlineMs: 3_600_000 };

async function launched(steps: WfTemplate['steps'], opts: { db?: ReturnType<typeof openStore>; clock?: VirtualClock } = {}) {
  const r = rig(tools, opts);
  r.engine.saveTemplate(tpl(steps), 'alice');
  const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
  return { r, run };
}

describe('operator retry of a waiting task', () => {
  it('a poll stuck in its check: the attempt is cancelled and its signal aborted, the edited one runs, both kept', async () => {
    const { r, run } = await launched([{ id: 'probe', tool: 'probe', scope: 'host', inputs: { image: 'stuck' }, poll: POLL }, { id: 'after', tool: 'after', scope: 'host', inputs: {} }]);
    await settle(r.clock, () => r.calls.filter((c) => c.tool === 'probe').length === 2, 'a check is in flight');
    expect(states(r.engine, run.id)['probe@d1']).toBe('waiting');
    const inFlight = r.calls[1].ctx.signal;
    const cutAt = r.clock.now();
    r.engine.retry(run.id, 'probe', 'd1', 'bob', { image: 'good' });
    expect(inFlight.aborted).toBe(true);
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id).state).toBe('succeeded');
    expect(r.engine.task(run.id, 'probe', 'd1').outputs).toEqual({ image: 'good' });
    expect(r.engine.attempts(run.id, 'probe', 'd1').map((a) => ({ n: a.attempt, state: a.state, by: a.by, cut: a.cancelledBy, at: a.finishedAt, failure: a.failure, error: a.error, edited: a.edited, inputs: a.inputs }))).toEqual([
      { n: 1, state: 'cancelled', by: 'engine', cut: 'bob', at: cutAt, failure: null, error: 'cancelled by bob: retried while waiting', edited: null, inputs: { image: 'stuck' } },
      { n: 2, state: 'succeeded', by: 'bob', cut: undefined, at: expect.any(Number), failure: null, error: null, edited: { image: 'good' }, inputs: { image: 'good' } },
    ]);
    expect(r.engine.events(run.id).find((e) => e.kind === 'retry')).toMatchObject({ actor: 'bob', stepId: 'probe', host: 'd1', detail: { attempt: 2, from: 'waiting', cancelled: 1, edited: { image: 'good' } } });
    expect(r.engine.logs(run.id, { stepId: 'probe', host: 'd1' }).map((l) => l.line)).toContain('attempt 1 cancelled by bob: retried while waiting');
    // The cut attempt is no failure in the statistics.
    expect(r.engine.stats('flow', 0, r.clock.now() + 1).steps.find((s) => s.stepId === 'probe')).toMatchObject({ failures: 0, topError: null });
  });

  it('a callback that never came: a new URL for the new attempt; the old one is refused CONFLICT and changes nothing, after a restart too', async () => {
    const db = openStore(':memory:');
    const clock = new VirtualClock();
    const { r, run } = await launched([{ id: 'install', tool: 'install', scope: 'host', inputs: { image: 'c7' } }, { id: 'after', tool: 'after', scope: 'host', inputs: {} }], { db, clock });
    await settle(r.clock, () => states(r.engine, run.id)['install@d1'] === 'awaiting-callback', 'the install awaits its callback');
    const old = tokenOf(r.calls[0]);
    // An unknown token first: the engine reads the spent URLs from the journal now, and must keep up with the retry after.
    expect(() => r.engine.callback('never-issued', {})).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    r.engine.retry(run.id, 'install', 'd1', 'bob', { image: 'r9' });
    await settle(r.clock, () => r.calls.filter((c) => c.tool === 'install').length === 2 && states(r.engine, run.id)['install@d1'] === 'awaiting-callback', 'the new attempt awaits');
    const fresh = tokenOf(r.calls[1]);
    expect(fresh).not.toBe(old);
    expect(r.calls[1].input).toEqual({ image: 'r9' });
    const late = () => r.engine.callback(old, { release: 'late' });
    expect(late).toThrow(expect.objectContaining({ code: 'CONFLICT', message: `This callback URL was spent: bob retried step install on host d1 of run ${run.id}, which cancelled attempt 1 it belonged to` }));
    expect(states(r.engine, run.id)).toMatchObject({ 'install@d1': 'awaiting-callback', 'after@d1': 'pending' });
    expect(r.engine.events(run.id).filter((e) => e.kind === 'callback')).toEqual([]);
    expect(r.engine.attempts(run.id, 'install', 'd1').map((a) => [a.attempt, a.state, a.cancelledBy ?? null])).toEqual([[1, 'cancelled', 'bob'], [2, 'running', null]]);
    // The journal keeps the spent token's hash only, never the token.
    expect(JSON.stringify(r.engine.events(run.id))).not.toContain(old);

    await r.engine.dispose();
    const b = rig(tools, { db, clock });
    expect(() => b.engine.callback(old, { release: 'late' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    b.engine.callback(fresh, { release: 'r9' });
    await settle(clock, () => isOver(b.engine, run.id), 'the run ends');
    expect(b.engine.summary(run.id).state).toBe('succeeded');
    expect(b.engine.task(run.id, 'install', 'd1')).toMatchObject({ state: 'succeeded', attempt: 2, outputs: { release: 'r9' } });
    expect(() => b.engine.callback('never-issued', {})).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('an approval: the new attempt awaits approval with the edited message, and the approval finishes it', async () => {
    const { r, run } = await launched([{ id: 'ok', tool: 'wf.approval', scope: 'run', inputs: { message: 'go?' } }]);
    await settle(r.clock, () => states(r.engine, run.id)['ok@'] === 'awaiting-approval', 'the approval is awaited');
    const t = r.engine.retry(run.id, 'ok', '', 'bob', { message: 'go now?' });
    expect(t).toMatchObject({ state: 'ready', attempt: 1 });
    await settle(r.clock, () => states(r.engine, run.id)['ok@'] === 'awaiting-approval', 'the new attempt is awaited');
    expect(r.engine.task(run.id, 'ok', '')).toMatchObject({ attempt: 2, inputs: { message: 'go now?' } });
    r.engine.approve(run.id, 'ok', '', 'carol');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id).state).toBe('succeeded');
    expect(r.engine.attempts(run.id, 'ok', '').map((a) => [a.attempt, a.state, a.by, a.cancelledBy ?? null])).toEqual([[1, 'cancelled', 'engine', 'bob'], [2, 'succeeded', 'bob', null]]);
  });

  it('a kill -9 between the cut and the new attempt: the restart starts that attempt under the operator, with the edits', async () => {
    const db = openStore(':memory:');
    const clock = new VirtualClock();
    const { r, run } = await launched([{ id: 'install', tool: 'install', scope: 'host', inputs: { image: 'c7' } }], { db, clock });
    await settle(r.clock, () => states(r.engine, run.id)['install@d1'] === 'awaiting-callback', 'the install awaits its callback');
    const old = tokenOf(r.calls[0]);
    r.engine.retry(run.id, 'install', 'd1', 'bob', { image: 'r9' });
    // Stopped before the scheduler runs again: as a crash right after the retry's transaction.
    void r.engine.dispose();
    await flush();
    expect(r.calls.filter((c) => c.tool === 'install')).toHaveLength(1);
    expect(r.engine.task(run.id, 'install', 'd1')).toMatchObject({ state: 'ready', attempt: 1 });
    expect(r.engine.attempts(run.id, 'install', 'd1').map((a) => [a.attempt, a.state])).toEqual([[1, 'cancelled']]);

    const b = rig(tools, { db, clock });
    await settle(clock, () => b.calls.length === 1 && states(b.engine, run.id)['install@d1'] === 'awaiting-callback', 'the new attempt awaits');
    expect(b.calls[0]).toMatchObject({ attempt: 2, input: { image: 'r9' } });
    expect(b.engine.attempts(run.id, 'install', 'd1').map((a) => [a.attempt, a.state, a.by, a.edited])).toEqual([[1, 'cancelled', 'engine', null], [2, 'running', 'bob', { image: 'r9' }]]);
    expect(() => b.engine.callback(old, { release: 'late' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    b.engine.callback(tokenOf(b.calls[0]), { release: 'r9' });
    await settle(clock, () => isOver(b.engine, run.id), 'the run ends');
    expect(b.engine.summary(run.id).state).toBe('succeeded');
  });

  it("an automatic retry's backoff: the next attempt starts now, by the operator, nothing to cut", async () => {
    const r = rig((c) => [fakeTool('flaky', {}, c, (ctx) => {
      if (ctx.attempt < 2) throw new Error('not yet');
      return done();
    })]);
    r.engine.saveTemplate(tpl([{ id: 'flaky', tool: 'flaky', scope: 'host', inputs: {}, retry: { max: 3, backoffMs: 600_000, factor: 1, maxBackoffMs: 600_000 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => states(r.engine, run.id)['flaky@d1'] === 'waiting', 'backing off');
    const at = r.clock.now();
    r.engine.retry(run.id, 'flaky', 'd1', 'bob');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.clock.now()).toBe(at);
    expect(r.engine.attempts(run.id, 'flaky', 'd1').map((a) => [a.attempt, a.state, a.by])).toEqual([[1, 'failed', 'engine'], [2, 'succeeded', 'bob']]);
    expect(r.engine.events(run.id).find((e) => e.kind === 'retry')?.detail).toEqual({ attempt: 2, from: 'waiting' });
  });

  it('refuses a task whose call is in flight, and a waiting step the template says is not retryable', async () => {
    const { r, run } = await launched([
      { id: 'probe', tool: 'probe', scope: 'host', inputs: { image: 'stuck' }, poll: POLL, retryable: false },
      { id: 'hang', tool: 'hang', scope: 'host', inputs: {}, after: [] },
    ]);
    await settle(r.clock, () => states(r.engine, run.id)['probe@d1'] === 'waiting' && states(r.engine, run.id)['hang@d1'] === 'running', 'one waits, one is in its call');
    expect(() => r.engine.retry(run.id, 'hang', 'd1', 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: `step hang on host d1 of run ${run.id} is running; only a failed or waiting task can be retried` }));
    expect(() => r.engine.retry(run.id, 'probe', 'd1', 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'Step probe is not retryable (its template says retryable: false)' }));
    expect(r.engine.attempts(run.id, 'probe', 'd1').map((a) => a.state)).toEqual(['running']);
    expect(r.engine.events(run.id).filter((e) => e.kind === 'retry')).toEqual([]);
  });
});

describe('operator skip of a waiting task', () => {
  it('cuts the attempt (cancelled by the operator, signal aborted); the late callback is refused and the run goes on', async () => {
    const { r, run } = await launched([{ id: 'install', tool: 'install', scope: 'host', inputs: { image: 'c7' } }, { id: 'after', tool: 'after', scope: 'host', inputs: {} }]);
    await settle(r.clock, () => states(r.engine, run.id)['install@d1'] === 'awaiting-callback', 'the install awaits its callback');
    const old = tokenOf(r.calls[0]);
    r.engine.skip(run.id, 'install', 'd1', 'bob');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id).state).toBe('succeeded');
    expect(r.engine.attempts(run.id, 'install', 'd1').map((a) => [a.state, a.cancelledBy, a.error])).toEqual([['cancelled', 'bob', 'skipped by bob']]);
    expect(() => r.engine.callback(old, { release: 'late' })).toThrow(expect.objectContaining({ code: 'CONFLICT', params: expect.objectContaining({ state: 'skipped' }) }));
    expect(r.engine.task(run.id, 'install', 'd1').state).toBe('skipped');
  });
});
