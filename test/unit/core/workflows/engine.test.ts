// The engine's step kinds end to end on an in-memory journal with a virtual clock: a per-host
// DAG with upstream outputs bound into inputs and a run-scope step after it, input and output
// schema refusals naming the field, poll (pending, waiting, done; deadline -> timeout),
// callback (one-time URL, completed once, unknown or reused tokens refused, a bad body refused
// while the step keeps waiting) and approval (approve, reject).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { done, fakeTool, hostIds, isOver, pending, rig, settle, states } from './helpers';
import { provisioningTools } from './template-tools';

const tpl = (steps: WfTemplate['steps'], params: WfTemplate['params'] = []): WfTemplate => ({ id: 'flow', name: 'Flow', params, steps });

describe('engine: sync steps over a DAG', () => {
  it('runs each host through the steps with bindings resolved, then the run-scope step after all hosts', async () => {
    const r = rig((calls) => provisioningTools(calls));
    r.engine.saveTemplate(tpl([
      { id: 'check', tool: 'sys.check', scope: 'host', inputs: {} },
      { id: 'say', tool: 'note', scope: 'host', inputs: { text: '${steps.check.outputs.os} on ${host.hostname} (${params.purpose})', flags: '${steps.check.outputs.nics}' } },
      { id: 'sum', tool: 'note', scope: 'run', inputs: { text: 'done' } },
    ], [{ name: 'purpose', type: 'string', required: false, default: 'web' }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(3), 'alice');
    expect(run).toMatchObject({ state: 'running', total: 7, hosts: ['d1', 'd2', 'd3'], createdBy: 'alice', params: { purpose: 'web' } });
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id)).toMatchObject({ state: 'succeeded', done: 7, total: 7, failed: 0 });
    const says = r.calls.filter((c) => c.tool === 'note' && c.host);
    expect(says.map((c) => c.input)).toEqual([
      { text: 'centos7 on srv-1 (web)', flags: ['eth0'] },
      { text: 'centos7 on srv-2 (web)', flags: ['eth0'] },
      { text: 'centos7 on srv-3 (web)', flags: ['eth0'] },
    ]);
    const order = r.calls.map((c) => `${c.tool}@${c.host ?? ''}`);
    expect(order.indexOf('note@')).toBe(order.length - 1);
    expect(r.engine.task(run.id, 'say', 'd2')).toMatchObject({ state: 'succeeded', attempt: 1, outputs: { text: 'centos7 on srv-2 (web)' } });
    expect(r.engine.attempts(run.id, 'check', 'd1')).toEqual([expect.objectContaining({ attempt: 1, state: 'succeeded', by: 'engine', edited: null, outputs: { os: 'centos7', disks: 2, nics: ['eth0'] } })]);
    expect(r.engine.events(run.id).map((e) => e.kind)).toEqual(['launch', 'finished']);
  });

  it('fails a task whose resolved inputs do not fit the tool (naming the field), without automatic retries; the host stops there', async () => {
    const r = rig((calls) => provisioningTools(calls));
    r.engine.saveTemplate(tpl([
      { id: 'say', tool: 'note', scope: 'host', inputs: { text: '${params.label}' }, retry: { max: 3, backoffMs: 10, factor: 2, maxBackoffMs: 100 } },
      { id: 'after', tool: 'sys.check', scope: 'host', inputs: {} },
    ], [{ name: 'label', type: 'string', required: false }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    const t = r.engine.task(run.id, 'say', 'd1');
    expect(t).toMatchObject({ state: 'failed', failure: 'error', attempt: 1 });
    expect(t.error).toBe('the inputs do not fit the tool note: text: Invalid input: expected string, received undefined');
    expect(r.calls).toEqual([]);
    expect(states(r.engine, run.id)).toEqual({ 'say@d1': 'failed', 'after@d1': 'pending' });
    expect(r.engine.summary(run.id)).toMatchObject({ state: 'failed', done: 0, failed: 1 });
  });

  it("fails an attempt whose output does not fit the tool's output schema", async () => {
    const r = rig((calls) => [fakeTool('liar', { output: z.object({ power: z.boolean() }) }, calls, () => done({ power: 'on' }))]);
    r.engine.saveTemplate(tpl([{ id: 'bmc', tool: 'liar', scope: 'host', inputs: {} }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.task(run.id, 'bmc', 'd1').error).toBe("the tool's output does not fit its schema: power: Invalid input: expected boolean, received string");
  });
});

describe('engine: poll steps', () => {
  it('checks at the interval with its kept state until done', async () => {
    const r = rig((calls) => [fakeTool('ping', { kind: 'poll', output: z.object({ tries: z.number() }) }, calls, (ctx) => {
      const n = ((ctx.pollState as { n?: number } | null)?.n ?? 0) + 1;
      return n < 3 ? pending({ n }) : done({ tries: n });
    })]);
    r.engine.saveTemplate(tpl([{ id: 'ping', tool: 'ping', scope: 'host', inputs: {}, poll: { intervalMs: 500, deadlineMs: 10_000 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => r.calls.length === 1 && states(r.engine, run.id)['ping@d1'] === 'waiting', 'the first check returns pending');
    const nextAt = (r.db.prepare('SELECT next_at FROM wf_tasks WHERE run_id = ?').get(run.id) as { next_at: number }).next_at;
    expect(nextAt).toBe(r.clock.now() + 500);
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.calls.map((c) => [c.check, c.ctx.pollState, c.attempt])).toEqual([[0, null, 1], [1, { n: 1 }, 1], [2, { n: 2 }, 1]]);
    expect(r.engine.task(run.id, 'ping', 'd1')).toMatchObject({ state: 'succeeded', outputs: { tries: 3 } });
  });

  it('times out at the deadline', async () => {
    const r = rig((calls) => [fakeTool('ping', { kind: 'poll' }, calls, () => pending())]);
    r.engine.saveTemplate(tpl([{ id: 'ping', tool: 'ping', scope: 'host', inputs: {}, poll: { intervalMs: 1000, deadlineMs: 3500 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.task(run.id, 'ping', 'd1')).toMatchObject({ state: 'failed', failure: 'timeout', error: 'no result within the 3500 ms deadline' });
    expect(r.calls.map((c) => c.check)).toEqual([0, 1, 2, 3]);
  });
});

describe('engine: callback steps', () => {
  const install = () => tpl([{ id: 'install', tool: 'os.install', scope: 'host', inputs: { bootDevice: 'pxe', image: 'c7', hostname: 'n-${host.sn}' } }]);

  it('hands the tool a one-time URL; the callback completes the step once with the body as output', async () => {
    const r = rig((calls) => provisioningTools(calls));
    r.engine.saveTemplate(install(), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(2), 'alice');
    await settle(r.clock, () => Object.values(states(r.engine, run.id)).every((s) => s === 'awaiting-callback'), 'both hosts await the callback');
    const urls = r.calls.map((c) => c.ctx.callbackUrl!);
    expect(urls[0]).toMatch(/^https:\/\/deck\.example\/wf\/callback\/[A-Za-z0-9_-]{32}$/);
    expect(new Set(urls).size).toBe(2);
    const token = urls[0].split('/').pop()!;
    expect(() => r.engine.callback(token, { release: 7 })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/^The callback for step install on host d1 does not fit the tool's output: release: Invalid input: expected string/) }));
    expect(states(r.engine, run.id)['install@d1']).toBe('awaiting-callback');
    expect(r.engine.callback(token, { release: 'c7.9' })).toMatchObject({ state: 'succeeded', outputs: { release: 'c7.9' } });
    expect(() => r.engine.callback(token, { release: 'again' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('already used') }));
    expect(() => r.engine.callback('not-a-token', {})).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('not known') }));
    expect(r.engine.task(run.id, 'install', 'd1').outputs).toEqual({ release: 'c7.9' });
    r.engine.callback(urls[1].split('/').pop()!, { release: 'c7.9' });
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id).state).toBe('succeeded');
  });

  it('a callback tool may also poll: a check that reports done finishes it, and the URL is spent', async () => {
    const r = rig((calls) => [fakeTool('installer', { kind: 'callback', output: z.object({ release: z.string() }) }, calls, (ctx) => (ctx.check < 2 ? pending() : done({ release: 'by-poll' })))]);
    r.engine.saveTemplate(tpl([{ id: 'install', tool: 'installer', scope: 'host', inputs: {}, poll: { intervalMs: 100, deadlineMs: 10_000 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.task(run.id, 'install', 'd1')).toMatchObject({ state: 'succeeded', outputs: { release: 'by-poll' } });
    const token = r.calls[0].ctx.callbackUrl!.split('/').pop()!;
    expect(() => r.engine.callback(token, { release: 'late' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it("a failed attempt's URL is spent: the retry gets a new one, and the old one is refused", async () => {
    const r = rig((calls) => [fakeTool('installer', { kind: 'callback', output: z.object({ release: z.string() }) }, calls, () => pending())]);
    r.engine.saveTemplate(tpl([{ id: 'install', tool: 'installer', scope: 'host', inputs: {}, timeoutMs: 1000, retry: { max: 1, backoffMs: 500, factor: 1, maxBackoffMs: 500 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => states(r.engine, run.id)['install@d1'] === 'waiting', 'the first attempt timed out');
    const first = r.calls[0].ctx.callbackUrl!.split('/').pop()!;
    expect(() => r.engine.callback(first, { release: 'late' })).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('no longer awaited') }));
    await settle(r.clock, () => r.calls.length === 2 && states(r.engine, run.id)['install@d1'] === 'awaiting-callback', 'the retry awaits its callback');
    const second = r.calls[1].ctx.callbackUrl!.split('/').pop()!;
    expect(second).not.toBe(first);
    expect(() => r.engine.callback(first, { release: 'late' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(r.engine.callback(second, { release: 'r2' })).toMatchObject({ state: 'succeeded', attempt: 2 });
  });
});

describe('engine: approval steps', () => {
  it('waits for an operator: approve completes it with who and when, reject fails it as rejected', async () => {
    const r = rig((calls) => provisioningTools(calls));
    r.engine.saveTemplate(tpl([
      { id: 'ok', tool: 'wf.approval', scope: 'host', inputs: { message: 'reinstall ${host.hostname}?' } },
      { id: 'go', tool: 'sys.check', scope: 'host', inputs: {} },
    ]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(2), 'alice');
    await settle(r.clock, () => states(r.engine, run.id)['ok@d2'] === 'awaiting-approval' && states(r.engine, run.id)['ok@d1'] === 'awaiting-approval', 'both await approval');
    expect(() => r.engine.approve(run.id, 'go', 'd1', 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: `step go on host d1 of run ${run.id} is pending, not awaiting approval` }));
    const at = r.clock.now();
    expect(r.engine.approve(run.id, 'ok', 'd1', 'bob')).toMatchObject({ state: 'succeeded', outputs: { approvedBy: 'bob', approvedAt: at } });
    expect(r.engine.reject(run.id, 'ok', 'd2', 'carol', 'not this one')).toMatchObject({ state: 'failed', failure: 'rejected', error: 'rejected by carol: not this one' });
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(states(r.engine, run.id)).toEqual({ 'ok@d1': 'succeeded', 'ok@d2': 'failed', 'go@d1': 'succeeded', 'go@d2': 'pending' });
    expect(r.engine.events(run.id).map((e) => [e.kind, e.actor, e.host])).toEqual([['launch', 'alice', null], ['approve', 'bob', 'd1'], ['reject', 'carol', 'd2'], ['finished', 'engine', null]]);
    expect(r.engine.logs(run.id, { stepId: 'ok', host: 'd1' }).map((l) => l.line)).toEqual(['waiting for approval: reinstall srv-1?', 'approved by bob']);
  });
});
