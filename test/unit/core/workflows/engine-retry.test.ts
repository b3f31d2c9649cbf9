// Failures and what follows them: automatic retries with bounded exponential backoff (the
// virtual clock shows each wait), an operator's retry with edited inputs (re-checked; both
// attempts kept with who and what changed), skip, timeouts that fail or fail-and-skip (the
// tool's AbortSignal fires), ignoreError, and the refusals for actions in the wrong state.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FleetDeckError } from '../../../../src-shared/errors';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import type { ToolContext } from '../../../../src-main/core/workflows/tool';
import { done, fakeTool, hostIds, isOver, rig, settle, states } from './helpers';
import { provisioningTools } from './template-tools';

const tpl = (steps: WfTemplate['steps']): WfTemplate => ({ id: 'flow', name: 'Flow', params: [], steps });
const bmcInput = z.object({ address: z.string() });
const bmcOutput = z.object({ power: z.boolean() });

describe('automatic retry', () => {
  it('waits backoffMs * factor^(n-1), capped at maxBackoffMs, then succeeds', async () => {
    const at: number[] = [];
    const r = rig((calls) => [fakeTool('flaky', {}, calls, (ctx) => {
      at.push(r.clock.now());
      if (ctx.attempt < 5) throw new Error(`no answer (${ctx.attempt})`);
      return done();
    })]);
    r.engine.saveTemplate(tpl([{ id: 'bmc', tool: 'flaky', scope: 'host', inputs: {}, retry: { max: 5, backoffMs: 100, factor: 2, maxBackoffMs: 300 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(at.slice(1).map((t, i) => t - at[i])).toEqual([100, 200, 300, 300]);
    expect(r.engine.attempts(run.id).map((a) => [a.attempt, a.state, a.error, a.by])).toEqual([
      [1, 'failed', 'no answer (1)', 'engine'], [2, 'failed', 'no answer (2)', 'engine'], [3, 'failed', 'no answer (3)', 'engine'], [4, 'failed', 'no answer (4)', 'engine'], [5, 'succeeded', null, 'engine'],
    ]);
    expect(r.engine.summary(run.id).state).toBe('succeeded');
  });

  it('is bounded: after max retries the task fails with the last error', async () => {
    const r = rig((calls) => [fakeTool('dead', {}, calls, () => { throw new Error('BMC 10.0.0.1 does not answer'); })]);
    r.engine.saveTemplate(tpl([{ id: 'bmc', tool: 'dead', scope: 'host', inputs: {}, retry: { max: 2, backoffMs: 50, factor: 3, maxBackoffMs: 1000 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.calls).toHaveLength(3);
    expect(r.engine.task(run.id, 'bmc', 'd1')).toMatchObject({ state: 'failed', failure: 'error', attempt: 3, error: 'BMC 10.0.0.1 does not answer' });
    expect(r.engine.summary(run.id).state).toBe('failed');
  });
  it('spends no automatic retry on a refusal waiting cannot change (an unbound credential: CONFLICT), and says so', async () => {
    const r = rig((calls) => [fakeTool('unbound', {}, calls, () => { throw new FleetDeckError('CONFLICT', 'the IPMI credential lab-ipmi of srv-1 is not bound to 10.0.0.9:623; an admin must bind it'); })]);
    r.engine.saveTemplate(tpl([{ id: 'bmc', tool: 'unbound', scope: 'host', inputs: {}, retry: { max: 3, backoffMs: 50, factor: 2, maxBackoffMs: 1000 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.calls).toHaveLength(1);
    expect(r.engine.task(run.id, 'bmc', 'd1')).toMatchObject({ state: 'failed', failure: 'error', attempt: 1 });
    expect(r.engine.logs(run.id, {}).map((l) => l.line)).toContain('no automatic retry: CONFLICT does not change by waiting');
  });
});

describe('operator retry with edited inputs', () => {
  const flow = () => tpl([
    { id: 'bmc', tool: 'bmc', scope: 'host', inputs: { address: '10.0.0.${host.id}' } },
    { id: 'next', tool: 'sys.check', scope: 'host', inputs: {}, after: ['bmc'] },
  ]);
  const tools = (calls: never[]) => [
    ...provisioningTools(calls),
    fakeTool('bmc', { input: bmcInput, output: bmcOutput }, calls, (_c, i) => {
      if (String(i.address).includes('d1')) throw new Error(`${String(i.address)} does not answer`);
      return done({ power: true });
    }),
  ];

  it('re-runs a failed task with the edits by the operator; both attempts stay, and the run reopens and finishes', async () => {
    const r = rig(tools as never);
    r.engine.saveTemplate(flow(), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(2), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id).state).toBe('failed');
    expect(() => r.engine.retry(run.id, 'bmc', 'd1', 'bob', { adress: 'x' })).toThrow(expect.objectContaining({ code: 'VALIDATION', message: 'step bmc, input adress: the tool bmc has no input adress (it takes: address)' }));
    expect(() => r.engine.retry(run.id, 'bmc', 'd1', 'bob', { address: 42 })).toThrow(expect.objectContaining({ code: 'VALIDATION', params: expect.objectContaining({ step: 'bmc', field: 'address' }) }));
    expect(() => r.engine.retry(run.id, 'bmc', 'd2', 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: `step bmc on host d2 of run ${run.id} is succeeded; only a failed or waiting task can be retried` }));
    r.engine.retry(run.id, 'bmc', 'd1', 'bob', { address: '10.0.9.9' });
    await settle(r.clock, () => isOver(r.engine, run.id), 'the reopened run ends');
    expect(r.engine.summary(run.id)).toMatchObject({ state: 'succeeded', done: 4 });
    expect(r.engine.attempts(run.id, 'bmc', 'd1').map((a) => ({ attempt: a.attempt, state: a.state, by: a.by, edited: a.edited, inputs: a.inputs }))).toEqual([
      { attempt: 1, state: 'failed', by: 'engine', edited: null, inputs: { address: '10.0.0.d1' } },
      { attempt: 2, state: 'succeeded', by: 'bob', edited: { address: '10.0.9.9' }, inputs: { address: '10.0.9.9' } },
    ]);
    expect(r.engine.events(run.id).map((e) => e.kind)).toEqual(['launch', 'finished', 'reopen', 'retry', 'finished']);
    expect(r.engine.events(run.id)[3]).toMatchObject({ actor: 'bob', stepId: 'bmc', host: 'd1', detail: { attempt: 2, edited: { address: '10.0.9.9' } } });
  });

  it('refuses a retry of a step the template marks not retryable, and a skip of one marked not skippable', async () => {
    const r = rig(tools as never);
    r.engine.saveTemplate(tpl([{ id: 'bmc', tool: 'bmc', scope: 'host', inputs: { address: '${host.id}' }, retryable: false, skippable: false }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(() => r.engine.retry(run.id, 'bmc', 'd1', 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'Step bmc is not retryable (its template says retryable: false)' }));
    expect(() => r.engine.skip(run.id, 'bmc', 'd1', 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'Step bmc may not be skipped (its template says skippable: false)' }));
    expect(() => r.engine.retry(run.id, 'nope', 'd1', 'bob')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => r.engine.retry('no-run', 'bmc', 'd1', 'bob')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('skip lets a failed host carry on', async () => {
    const r = rig(tools as never);
    r.engine.saveTemplate(flow(), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(2), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    r.engine.skip(run.id, 'bmc', 'd1', 'bob');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the reopened run ends');
    expect(states(r.engine, run.id)).toEqual({ 'bmc@d1': 'skipped', 'bmc@d2': 'succeeded', 'next@d1': 'succeeded', 'next@d2': 'succeeded' });
    expect(r.engine.summary(run.id).state).toBe('succeeded');
  });
});

describe('timeouts and ignoreError', () => {
  const hang = (signals: AbortSignal[]) => (calls: never[]) => [
    ...provisioningTools(calls),
    fakeTool('hang', {}, calls, (ctx: ToolContext) => {
      signals.push(ctx.signal);
      return new Promise(() => {});
    }),
    fakeTool('boom', { output: z.object({ n: z.number() }) }, calls, () => { throw new Error('boom'); }),
  ];

  it("onTimeout 'fail': the attempt is aborted and the host stops", async () => {
    const signals: AbortSignal[] = [];
    const r = rig(hang(signals) as never);
    r.engine.saveTemplate(tpl([{ id: 'install', tool: 'hang', scope: 'host', inputs: {}, timeoutMs: 5000, onTimeout: 'fail' }, { id: 'after', tool: 'sys.check', scope: 'host', inputs: {} }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    expect(r.engine.task(run.id, 'install', 'd1')).toMatchObject({ state: 'failed', failure: 'timeout', error: 'timed out after 5000 ms' });
    expect(states(r.engine, run.id)['after@d1']).toBe('pending');
    expect(r.engine.summary(run.id).state).toBe('failed');
  });

  it("onTimeout 'fail-and-skip': the task fails as timed out and the host carries on past it", async () => {
    const signals: AbortSignal[] = [];
    const r = rig(hang(signals) as never);
    r.engine.saveTemplate(tpl([{ id: 'install', tool: 'hang', scope: 'host', inputs: {}, timeoutMs: 5000, onTimeout: 'fail-and-skip' }, { id: 'after', tool: 'sys.check', scope: 'host', inputs: {} }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(2), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(states(r.engine, run.id)).toEqual({ 'install@d1': 'failed', 'install@d2': 'failed', 'after@d1': 'succeeded', 'after@d2': 'succeeded' });
    expect(r.engine.task(run.id, 'install', 'd1')).toMatchObject({ failure: 'timeout' });
    expect(r.engine.summary(run.id)).toMatchObject({ state: 'succeeded', done: 4, failed: 2 });
  });

  it('ignoreError: a failure counts as done; bindings to its outputs are empty', async () => {
    const r = rig(hang([]) as never);
    r.engine.saveTemplate(tpl([
      { id: 'b', tool: 'boom', scope: 'host', inputs: {}, ignoreError: true },
      { id: 'say', tool: 'note', scope: 'host', inputs: { text: 'v', count: '${steps.b.outputs.n}' } },
    ]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(states(r.engine, run.id)).toEqual({ 'b@d1': 'failed', 'say@d1': 'succeeded' });
    expect(r.calls.find((c) => c.tool === 'note')!.input).toEqual({ text: 'v' });
    expect(r.engine.summary(run.id).state).toBe('succeeded');
  });
});
