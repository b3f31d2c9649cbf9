// Statistics per template over [from, to): runs counted by outcome (paused as running), success
// rate, mean and nearest-rank P90 of finished runs' durations, and per step the failed
// attempts, the most frequent error and the mean time of succeeded attempts; runs launched
// outside the period are left out.
import { describe, expect, it } from 'vitest';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { percentile } from '../../../../src-main/core/workflows/stats';
import { done, fakeTool, flush, hostIds, isOver, pending, rig, settle } from './helpers';

const flow: WfTemplate = {
  id: 'online', name: 'Server online', params: [{ name: 'fail', type: 'string', required: false, default: '' }, { name: 'ms', type: 'number', required: true }],
  steps: [
    { id: 'bmc', tool: 'bmc', scope: 'host', inputs: { fail: '${params.fail}', ms: '${params.ms}' }, retry: { max: 1, backoffMs: 1000, factor: 1, maxBackoffMs: 1000 } },
    { id: 'wait', tool: 'wait', scope: 'host', inputs: {} },
  ],
};

describe('stats', () => {
  it('counts runs, rates, durations and per-step failures over the period', async () => {
    const { z } = await import('zod');
    const r = rig((calls) => [
      fakeTool('bmc', { input: z.object({ fail: z.string(), ms: z.number() }) }, calls, async (_c, i) => {
        await new Promise((res) => r.clock.setTimeout(() => res(undefined), Number(i.ms)));
        if (i.fail) throw new Error(String(i.fail));
        return done();
      }),
      fakeTool('wait', { kind: 'approval' }, calls, () => pending()),
    ]);
    r.engine.saveTemplate(flow, 'alice');
    const from = r.clock.now();
    const launch = (p: Record<string, unknown>) => r.engine.launch('online', p, hostIds(1), 'alice').id;
    const ok = [launch({ ms: 100 }), launch({ ms: 300 }), launch({ ms: 200 })];
    const bad = [launch({ ms: 50, fail: 'BMC does not answer' }), launch({ ms: 50, fail: 'BMC does not answer' }), launch({ ms: 50, fail: 'bad password' })];
    const open = launch({ ms: 10 });
    await settle(r.clock, () => bad.every((id) => isOver(r.engine, id)) && [...ok, open].every((id) => r.engine.task(id, 'wait', 'd1').state === 'awaiting-approval'), 'the runs reach their ends');
    for (const id of ok) {
      r.clock.t += 1000;
      r.engine.approve(id, 'wait', 'd1', 'bob');
    }
    await flush();
    r.clock.t += 1;
    const later = launch({ ms: 1 });
    expect(r.engine.summary(later).state).toBe('running');
    const s = r.engine.stats('online', from, r.clock.now());
    expect(s).toMatchObject({ templateId: 'online', name: 'Server online', total: 7, succeeded: 3, failed: 3, running: 1, successRate: 0.5 });
    const durations = [...ok, ...bad].map((id) => r.engine.summary(id)).map((x) => x.finishedAt! - x.createdAt).sort((a, b) => a - b);
    expect(s.meanMs).toBe(Math.round(durations.reduce((a, b) => a + b, 0) / durations.length));
    expect(s.p90Ms).toBe(durations[5]);
    expect(s.steps).toEqual([
      { stepId: 'bmc', failures: 6, topError: 'BMC does not answer', meanMs: Math.round((100 + 300 + 200 + 10) / 4) },
      { stepId: 'wait', failures: 0, topError: null, meanMs: expect.any(Number) },
    ]);
    expect(r.engine.stats('online', r.clock.now(), r.clock.now() + 1)).toMatchObject({ total: 1, running: 1, successRate: null, meanMs: null, p90Ms: null });
    expect(() => r.engine.stats('online', 5, 5)).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('P90 is the nearest rank', () => {
    expect(percentile([], 90)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });
});
