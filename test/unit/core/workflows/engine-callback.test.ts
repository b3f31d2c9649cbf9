// A callback tool that judges the body posted to its one-time URL (Tool.onCallback): done maps
// the body to the output (still parsed by the output schema: a misfit is refused and nothing
// is journaled), a throw fails the task with the tool's error in the callback's transaction
// (the URL is spent, an automatic retry gets a new one), pending takes the report and keeps
// the attempt waiting on the same URL with its poll state. After a restart the failure a
// callback journaled is still there, and a token issued before it reaches onCallback with the
// attempt's input and poll state read back from the journal.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { openStore } from '../../../../src-main/core/store/database';
import type { Tool } from '../../../../src-main/core/workflows/tool';
import { fakeTool, flush, hostIds, isOver, pending, rig, settle, states, VirtualClock, type Call } from './helpers';

interface Seen {
  readonly body: unknown;
  readonly input: unknown;
  readonly pollState: unknown;
  readonly check: number;
}

/** An installer step whose onCallback reads {status, release, reason}; its poll checks only keep their state. */
function installer(seen: Seen[]) {
  const onCallback: Tool['onCallback'] = (ctx, body, input) => {
    const b = body as { status?: string; release?: string; reason?: string; promise?: boolean };
    seen.push({ body, input, pollState: ctx.pollState, check: ctx.check });
    if (b.promise) return Promise.resolve({ status: 'pending' }) as never;
    if (b.status === 'failed') throw new Error(`the installer says ${String(input.image)} failed on ${ctx.host?.hostname}: ${b.reason}`);
    if (b.status === 'progress') {
      ctx.log(`the installer is at ${b.release}`);
      return { status: 'pending' };
    }
    return { status: 'done', output: { release: b.release }, ...(b.status === 'notify' ? { outbox: { method: 'POST', url: 'http://127.0.0.1:9/hook', body: { release: b.release } } } : {}) };
  };
  return (calls: Call[]): Tool[] => [
    fakeTool('installer', { kind: 'callback', idempotent: false, input: z.object({ image: z.string() }), output: z.object({ release: z.string() }), onCallback }, calls, (ctx, input) =>
      pending(ctx.check === 0 ? { staged: input.image } : ctx.pollState)),
  ];
}

const tpl = (step: Partial<WfTemplate['steps'][number]> = {}): WfTemplate => ({
  id: 'flow', name: 'Flow', params: [], steps: [{ id: 'install', tool: 'installer', scope: 'host', inputs: { image: 'c7-${host.sn}' }, poll: { intervalMs: 1000, deadlineMs: 600_000 }, ...step }],
});

async function launched(seen: Seen[], step?: Partial<WfTemplate['steps'][number]>, opts: { db?: ReturnType<typeof openStore>; clock?: VirtualClock } = {}) {
  const r = rig(installer(seen), opts);
  r.engine.saveTemplate(tpl(step), 'alice');
  const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
  await settle(r.clock, () => r.calls.length >= 2 && states(r.engine, run.id)['install@d1'] === 'awaiting-callback', 'the install was staged and checked once');
  const token = r.calls[0].ctx.callbackUrl!.split('/').pop()!;
  return { r, run, token };
}

describe('engine: a callback the tool judges (onCallback)', () => {
  it('done: the verdict is the output, parsed by the output schema; a misfit is refused and nothing journaled', async () => {
    const seen: Seen[] = [];
    const { r, run, token } = await launched(seen);
    expect(() => r.engine.callback(token, { status: 'installed' })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/^The callback for step install on host d1 does not fit the tool's output: release: /) }));
    expect(states(r.engine, run.id)['install@d1']).toBe('awaiting-callback');
    expect(r.engine.events(run.id).map((e) => e.kind)).toEqual(['launch']);
    expect(r.engine.callback(token, { status: 'notify', release: 'c7.9', noise: 1 })).toMatchObject({ state: 'succeeded', outputs: { release: 'c7.9' } });
    expect(seen.map((s) => [s.input, s.pollState, s.check])).toEqual([[{ image: 'c7-SN1001' }, { staged: 'c7-SN1001' }, 2], [{ image: 'c7-SN1001' }, { staged: 'c7-SN1001' }, 2]]);
    expect(r.engine.outbox(run.id).map((o) => [o.url, o.body])).toEqual([['http://127.0.0.1:9/hook', '{"release":"c7.9"}']]);
    expect(r.engine.events(run.id).filter((e) => e.kind === 'callback').map((e) => [e.actor, e.host, e.detail])).toEqual([['callback', 'd1', { verdict: 'done' }]]);
    expect(() => r.engine.callback(token, { release: 'again' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('already used') }));
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id).state).toBe('succeeded');
  });

  it("a throw fails the task with the tool's error at once, in the callback's transaction, and spends the URL", async () => {
    const seen: Seen[] = [];
    const { r, run, token } = await launched(seen);
    const task = r.engine.callback(token, { status: 'failed', reason: 'disk /dev/sda not found' });
    const error = 'the installer says c7-SN1001 failed on srv-1: disk /dev/sda not found';
    expect(task).toMatchObject({ state: 'failed', failure: 'error', error });
    expect(r.engine.attempts(run.id, 'install', 'd1').map((a) => [a.attempt, a.state, a.failure, a.error])).toEqual([[1, 'failed', 'error', error]]);
    expect(r.engine.events(run.id).map((e) => [e.kind, e.detail])).toEqual([['launch', { version: 1, hosts: 1 }], ['callback', { verdict: 'failed' }], ['finished', { state: 'failed', done: 0, total: 1, failed: 1 }]]);
    expect(r.engine.logs(run.id).map((l) => [l.level, l.line])).toEqual([['info', 'the callback URL was called'], ['error', `failed (error): ${error}`]]);
    expect(() => r.engine.callback(token, { status: 'installed', release: 'late' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('is failed') }));
    const checks = r.calls.length;
    await r.clock.advance(10_000);
    expect(r.calls.length, 'no check runs after the failure').toBe(checks);
  });

  it("a throw is the attempt's failure: an automatic retry starts a new attempt with a new URL", async () => {
    const seen: Seen[] = [];
    const { r, run, token } = await launched(seen, { retry: { max: 1, backoffMs: 500, factor: 1, maxBackoffMs: 500 } });
    expect(r.engine.callback(token, { status: 'failed', reason: 'no disk' })).toMatchObject({ state: 'waiting' });
    await settle(r.clock, () => r.calls.some((c) => c.attempt === 2) && states(r.engine, run.id)['install@d1'] === 'awaiting-callback', 'the retry awaits its callback');
    const second = r.calls.find((c) => c.attempt === 2)!.ctx.callbackUrl!.split('/').pop()!;
    expect(second).not.toBe(token);
    expect(() => r.engine.callback(token, { status: 'installed', release: 'old' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(r.engine.callback(second, { status: 'installed', release: 'r2' })).toMatchObject({ state: 'succeeded', attempt: 2, outputs: { release: 'r2' } });
  });

  it('pending takes the report and waits on: the same URL stays valid, the poll checks go on with their state', async () => {
    const seen: Seen[] = [];
    const { r, run, token } = await launched(seen);
    expect(r.engine.callback(token, { status: 'progress', release: '40%' })).toMatchObject({ state: 'awaiting-callback', attempt: 1 });
    expect(r.engine.logs(run.id).map((l) => l.line)).toEqual(['the callback URL was called', 'the installer is at 40%', 'the tool took the report and waits on']);
    const before = r.calls.length;
    await settle(r.clock, () => r.calls.length >= before + 2, 'two more checks');
    expect(r.calls.slice(before).map((c) => [c.attempt, c.ctx.pollState])).toEqual([[1, { staged: 'c7-SN1001' }], [1, { staged: 'c7-SN1001' }]]);
    expect(r.engine.callback(token, { status: 'installed', release: 'c7.9' })).toMatchObject({ state: 'succeeded', attempt: 1, outputs: { release: 'c7.9' } });
    expect(r.engine.events(run.id).filter((e) => e.kind === 'callback').map((e) => e.detail)).toEqual([{ verdict: 'pending' }, { verdict: 'done' }]);
  });

  it('a verdict that is not one (a promise) fails the task naming why', async () => {
    const seen: Seen[] = [];
    const { r, run, token } = await launched(seen);
    expect(r.engine.callback(token, { promise: true })).toMatchObject({ state: 'failed', error: "the tool installer's onCallback returned a promise (onCallback must answer synchronously)" });
    expect(r.engine.summary(run.id).state).toBe('failed');
  });
});

describe('engine: onCallback across a restart', () => {
  it('the failure a callback journaled is still there after a restart; nothing runs again', async () => {
    const db = openStore(':memory:');
    const clock = new VirtualClock();
    const seen: Seen[] = [];
    const { r, run, token } = await launched(seen, {}, { db, clock });
    r.engine.callback(token, { status: 'failed', reason: 'no disk' });
    await r.engine.dispose();
    const b = rig(installer(seen), { db, clock });
    await flush();
    const error = 'the installer says c7-SN1001 failed on srv-1: no disk';
    expect(b.engine.task(run.id, 'install', 'd1')).toMatchObject({ state: 'failed', failure: 'error', error });
    expect(b.engine.attempts(run.id, 'install', 'd1').map((a) => [a.state, a.error])).toEqual([['failed', error]]);
    expect(b.engine.summary(run.id).state).toBe('failed');
    expect(() => b.engine.callback(token, { status: 'installed', release: 'late' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    await clock.advance(10_000);
    expect(b.calls).toEqual([]);
  });

  it('a token issued before the restart reaches onCallback with the input and poll state read back from the journal', async () => {
    const db = openStore(':memory:');
    const clock = new VirtualClock();
    const seen: Seen[] = [];
    const { r, run, token } = await launched(seen, {}, { db, clock });
    await r.engine.dispose();
    const b = rig(installer(seen), { db, clock });
    await flush();
    expect(b.engine.callback(token, { status: 'failed', reason: 'no disk' })).toMatchObject({ state: 'failed', error: 'the installer says c7-SN1001 failed on srv-1: no disk' });
    expect(seen).toEqual([{ body: { status: 'failed', reason: 'no disk' }, input: { image: 'c7-SN1001' }, pollState: { staged: 'c7-SN1001' }, check: 2 }]);
    expect(b.engine.summary(run.id).state).toBe('failed');
  });
});
