// Fan-out and flow control: a per-step concurrency bound, batches (the next starts when the one
// before it has finished), the stop rule (more than maxFailPct of a batch failed: the run
// pauses, and resumes on an operator's word), a global bound across runs, pause / resume /
// revoke (in-flight attempts see their AbortSignal fire), and progress batched per run.
import { describe, expect, it } from 'vitest';
import type { WfProgress, WfTemplate } from '../../../../src-shared/domain/workflow';
import type { ToolContext } from '../../../../src-main/core/workflows/tool';
import { done, fakeTool, flush, hostIds, isOver, rig, settle, states } from './helpers';
import { provisioningTools } from './template-tools';

const tpl = (steps: WfTemplate['steps']): WfTemplate => ({ id: 'flow', name: 'Flow', params: [], steps });

/** A tool whose calls stay in flight until the test releases them (or fail them). */
function held() {
  const open = new Map<string, { ok: () => void; fail: (m: string) => void; ctx: ToolContext }>();
  let peak = 0;
  const t = (calls: never[]) => [
    ...provisioningTools(calls),
    fakeTool('held', {}, calls, (ctx) => new Promise((resolve, reject) => {
      const key = `${ctx.runId}/${ctx.host?.id ?? ''}`;
      open.set(key, { ok: () => { open.delete(key); resolve(done()); }, fail: (m) => { open.delete(key); reject(new Error(m)); }, ctx });
      peak = Math.max(peak, open.size);
    })),
  ];
  return { open, tools: t, peak: () => peak };
}

describe('fan-out', () => {
  it('runs at most `concurrency` hosts of a step at once', async () => {
    const h = held();
    const r = rig(h.tools as never);
    r.engine.saveTemplate(tpl([{ id: 's', tool: 'held', scope: 'host', inputs: {}, fanOut: { concurrency: 3, batchSize: 10, maxFailPct: 100 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(10), 'alice');
    await flush();
    expect(h.open.size).toBe(3);
    while (!isOver(r.engine, run.id)) {
      for (const k of [...h.open.keys()].slice(0, 2)) h.open.get(k)!.ok();
      await flush();
      expect(h.open.size).toBeLessThanOrEqual(3);
    }
    expect(h.peak()).toBe(3);
    expect(r.engine.summary(run.id)).toMatchObject({ state: 'succeeded', done: 10 });
  });

  it('starts a batch only when the one before it has finished', async () => {
    const h = held();
    const r = rig(h.tools as never);
    r.engine.saveTemplate(tpl([{ id: 's', tool: 'held', scope: 'host', inputs: {}, fanOut: { concurrency: 10, batchSize: 2, maxFailPct: 100 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(5), 'alice');
    const hostsOpen = () => [...h.open.values()].map((o) => o.ctx.host!.id).sort();
    await flush();
    expect(hostsOpen()).toEqual(['d1', 'd2']);
    h.open.get(`${run.id}/d1`)!.ok();
    await flush();
    expect(hostsOpen()).toEqual(['d2']);
    h.open.get(`${run.id}/d2`)!.fail('bad disk');
    await flush();
    expect(hostsOpen()).toEqual(['d3', 'd4']);
    h.open.get(`${run.id}/d3`)!.ok();
    h.open.get(`${run.id}/d4`)!.ok();
    await flush();
    expect(hostsOpen()).toEqual(['d5']);
  });

  it('pauses the run when more than maxFailPct of a batch failed; resume carries on with the next batch', async () => {
    const h = held();
    const r = rig(h.tools as never);
    r.engine.saveTemplate(tpl([{ id: 's', tool: 'held', scope: 'host', inputs: {}, fanOut: { concurrency: 10, batchSize: 3, maxFailPct: 34 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(6), 'alice');
    await flush();
    h.open.get(`${run.id}/d1`)!.fail('no BMC');
    h.open.get(`${run.id}/d2`)!.ok();
    h.open.get(`${run.id}/d3`)!.fail('no BMC');
    await settle(r.clock, () => r.engine.summary(run.id).state === 'paused', 'the stop rule pauses the run');
    await flush();
    expect(h.open.size).toBe(0);
    expect(states(r.engine, run.id)).toMatchObject({ 's@d4': 'ready', 's@d5': 'ready', 's@d6': 'ready' });
    expect(r.engine.events(run.id).find((e) => e.kind === 'stop-rule')).toMatchObject({ actor: 'engine', stepId: null, detail: { step: 's', batch: 0, failed: 2, ran: 3, maxFailPct: 34 } });
    r.engine.resume(run.id, 'bob');
    await flush();
    expect([...h.open.values()].map((o) => o.ctx.host!.id).sort()).toEqual(['d4', 'd5', 'd6']);
    for (const o of [...h.open.values()]) o.ok();
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id)).toMatchObject({ state: 'failed', done: 4, failed: 2 });
  });

  it('a batch with at most maxFailPct failed does not pause', async () => {
    const h = held();
    const r = rig(h.tools as never);
    r.engine.saveTemplate(tpl([{ id: 's', tool: 'held', scope: 'host', inputs: {}, fanOut: { concurrency: 10, batchSize: 3, maxFailPct: 34 } }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(6), 'alice');
    await flush();
    h.open.get(`${run.id}/d1`)!.fail('no BMC');
    h.open.get(`${run.id}/d2`)!.ok();
    h.open.get(`${run.id}/d3`)!.ok();
    await flush();
    expect(r.engine.summary(run.id).state).toBe('running');
    expect(h.open.size).toBe(3);
  });
});

describe('global concurrency, pause, resume, revoke', () => {
  it('bounds tool calls in flight across runs', async () => {
    const h = held();
    const r = rig(h.tools as never, { maxConcurrent: 2 });
    r.engine.saveTemplate(tpl([{ id: 's', tool: 'held', scope: 'host', inputs: {} }]), 'alice');
    const runs = [1, 2, 3].map(() => r.engine.launch('flow', {}, hostIds(2), 'alice'));
    await flush();
    expect(h.open.size).toBe(2);
    while (!runs.every((x) => isOver(r.engine, x.id))) {
      h.open.values().next().value!.ok();
      await flush();
      expect(h.open.size).toBeLessThanOrEqual(2);
    }
    expect(h.peak()).toBe(2);
  });

  it('pause lets in-flight attempts finish but starts nothing; resume goes on', async () => {
    const h = held();
    const r = rig(h.tools as never);
    r.engine.saveTemplate(tpl([{ id: 'a', tool: 'held', scope: 'host', inputs: {} }, { id: 'b', tool: 'sys.check', scope: 'host', inputs: {} }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(2), 'alice');
    await flush();
    expect(r.engine.pause(run.id, 'bob').state).toBe('paused');
    expect(() => r.engine.pause(run.id, 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: `Run ${run.id} is paused; only a running run can be paused` }));
    for (const o of [...h.open.values()]) o.ok();
    await settle(r.clock, () => states(r.engine, run.id)['a@d2'] === 'succeeded', 'the in-flight attempts finish');
    await flush();
    expect(r.calls.filter((c) => c.tool === 'sys.check')).toHaveLength(0);
    expect(states(r.engine, run.id)).toMatchObject({ 'b@d1': 'ready', 'b@d2': 'ready' });
    r.engine.resume(run.id, 'bob');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.summary(run.id).state).toBe('succeeded');
    expect(r.engine.events(run.id).map((e) => `${e.kind}:${e.actor}`)).toEqual(['launch:alice', 'pause:bob', 'resume:bob', 'finished:engine']);
  });

  it('revoke aborts in-flight attempts and marks everything left revoked', async () => {
    const h = held();
    const r = rig(h.tools as never);
    r.engine.saveTemplate(tpl([{ id: 'a', tool: 'held', scope: 'host', inputs: {} }, { id: 'b', tool: 'sys.check', scope: 'host', inputs: {} }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(3), 'alice');
    await flush();
    h.open.get(`${run.id}/d1`)!.ok();
    await flush();
    const signals = [...h.open.values()].map((o) => o.ctx.signal);
    expect(signals).toHaveLength(2);
    expect(r.engine.revoke(run.id, 'bob').state).toBe('revoked');
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(states(r.engine, run.id)).toEqual({ 'a@d1': 'succeeded', 'a@d2': 'revoked', 'a@d3': 'revoked', 'b@d1': 'succeeded', 'b@d2': 'revoked', 'b@d3': 'revoked' });
    expect(r.engine.attempts(run.id, 'a', 'd2')).toEqual([expect.objectContaining({ state: 'cancelled', cancelledBy: 'bob', failure: null, error: 'revoked by bob' })]);
    // A late answer from an aborted call changes nothing.
    for (const o of [...h.open.values()]) o.ok();
    await flush();
    expect(states(r.engine, run.id)['a@d2']).toBe('revoked');
    expect(() => r.engine.revoke(run.id, 'bob')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });
});

describe('progress', () => {
  it('coalesces a run\'s changes into at most one event per interval, with only the tasks that changed', async () => {
    const h = held();
    const r = rig(h.tools as never);
    const events: WfProgress[] = [];
    r.engine.onProgress((p) => events.push(p));
    r.engine.saveTemplate(tpl([{ id: 'a', tool: 'held', scope: 'host', inputs: {} }, { id: 'b', tool: 'sys.check', scope: 'host', inputs: {} }]), 'alice');
    const run = r.engine.launch('flow', {}, hostIds(4), 'alice');
    await flush();
    expect(events).toHaveLength(0);
    await r.clock.advance(100);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ runId: run.id, state: 'running', done: 0, total: 8 });
    expect(events[0].tasks.map((t) => `${t.stepId}@${t.host}:${t.state}`).sort()).toEqual(['a@d1:running', 'a@d2:running', 'a@d3:running', 'a@d4:running']);
    h.open.get(`${run.id}/d1`)!.ok();
    h.open.get(`${run.id}/d2`)!.ok();
    await flush();
    await r.clock.advance(100);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ done: 4 });
    expect(events[1].tasks.map((t) => `${t.stepId}@${t.host}:${t.state}`).sort()).toEqual(['a@d1:succeeded', 'a@d2:succeeded', 'b@d1:succeeded', 'b@d2:succeeded']);
    for (const o of [...h.open.values()]) o.ok();
    await settle(r.clock, () => events.at(-1)?.state === 'succeeded', 'the last event says succeeded');
    expect(events.at(-1)).toMatchObject({ done: 8, total: 8, failed: 0 });
  });
});
