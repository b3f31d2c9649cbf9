// The run view's model: progress applied to the detail in place, one task replaced, and the
// steps x hosts matrix with its per-step counts, host filters and row limit.
import { describe, expect, it } from 'vitest';
import { applyProgress, buildMatrix, progressPct, TASK_TONE, withTask } from '../../../../../src-renderer/stores/workflows/run-matrix';
import { WF_TASK_STATES } from '../../../../../src-shared/domain/workflow';
import { detail, task } from './fixtures';

describe('applyProgress / withTask', () => {
  it('replaces the changed tasks where they are, takes the counters, says when the state changed', () => {
    const d = detail();
    const { detail: next, stateChanged } = applyProgress(d, { runId: 'run-1', state: 'running', done: 2, total: 3, failed: 0, tasks: [task('notify', 'dev-b', 'succeeded')] });
    expect(stateChanged).toBe(false);
    expect(next.tasks.map((t) => `${t.stepId}/${t.host}:${t.state}`)).toEqual(['approve/:succeeded', 'notify/dev-a:running', 'notify/dev-b:succeeded']);
    expect(next.done).toBe(2);
    expect(d.tasks[2].state).toBe('running'); // the old detail is not changed
    expect(applyProgress(next, { runId: 'run-1', state: 'failed', done: 2, total: 3, failed: 1, tasks: [] }).stateChanged).toBe(true);
  });
  it('ignores another run and appends a task it did not know', () => {
    const d = detail();
    expect(applyProgress(d, { runId: 'other', state: 'failed', done: 0, total: 0, failed: 0, tasks: [] }).detail).toBe(d);
    expect(applyProgress(d, { runId: 'run-1', state: 'running', done: 1, total: 4, failed: 0, tasks: [task('notify', 'dev-c', 'ready')] }).detail.tasks).toHaveLength(4);
    expect(withTask(d, task('notify', 'dev-a', 'failed')).tasks[1].state).toBe('failed');
    expect(withTask(d, task('notify', 'dev-a', 'failed', { runId: 'other' }))).toBe(d);
  });
});

describe('buildMatrix', () => {
  const d = detail({
    hosts: ['dev-a', 'dev-b', 'dev-c'],
    tasks: [task('approve', '', 'succeeded'), task('notify', 'dev-a', 'failed'), task('notify', 'dev-b', 'succeeded'), task('notify', 'dev-c', 'awaiting-callback')],
  });
  const all = { text: '', filter: 'all' as const, limit: 100, names: { 'dev-b': 'bj1-srv-b' } };
  it('has a column per step with its counts and a run-scope row', () => {
    const m = buildMatrix(d, all);
    expect(m.columns.map((c) => [c.step.id, c.done, c.failed, c.total])).toEqual([['approve', 1, 0, 1], ['notify', 1, 1, 3]]);
    expect(m.hasRunScope).toBe(true);
    expect(m.hosts).toEqual(['dev-a', 'dev-b', 'dev-c']);
  });
  it('filters by id or hostname text, failures, or what needs attention', () => {
    expect(buildMatrix(d, { ...all, text: 'SRV-B' }).hosts).toEqual(['dev-b']);
    expect(buildMatrix(d, { ...all, text: 'dev-c' }).hosts).toEqual(['dev-c']);
    expect(buildMatrix(d, { ...all, filter: 'failed' }).hosts).toEqual(['dev-a']);
    expect(buildMatrix(d, { ...all, filter: 'attention' }).hosts).toEqual(['dev-a', 'dev-c']);
  });
  it('draws at most the limit and says how many matched', () => {
    const m = buildMatrix(d, { ...all, limit: 2 });
    expect(m.hosts).toEqual(['dev-a', 'dev-b']);
    expect(m.matched).toBe(3);
  });
});

describe('tones and progress', () => {
  it('has a tone for every task state; only failed is bad, only succeeded good', () => {
    for (const s of WF_TASK_STATES) expect(TASK_TONE[s]).toBeDefined();
    expect(WF_TASK_STATES.filter((s) => TASK_TONE[s] === 'bad')).toEqual(['failed']);
    expect(WF_TASK_STATES.filter((s) => TASK_TONE[s] === 'good')).toEqual(['succeeded']);
  });
  it('rounds progress down and is 0 with nothing to do', () => {
    expect(progressPct(2, 3)).toBe(66);
    expect(progressPct(999, 1000)).toBe(99);
    expect(progressPct(0, 0)).toBe(0);
  });
});
