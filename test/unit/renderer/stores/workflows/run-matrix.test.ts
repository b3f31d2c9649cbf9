// The run view's model: progress applied to the detail in place, one task replaced, the
// steps x hosts matrix with its per-step counts, host filters (by id, hostname now or at
// launch, SN) and row limit, and hosts named by the run's labels.
import { describe, expect, it } from 'vitest';
import { applyProgress, buildMatrix, hostName, labelOf, progressPct, TASK_TONE, withTask } from '../../../../../src-renderer/stores/workflows/run-matrix';
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
  const all = { text: '', filter: 'all' as const, limit: 100 };
  it('has a column per step with its counts and a run-scope row', () => {
    const m = buildMatrix(d, all);
    expect(m.columns.map((c) => [c.step.id, c.done, c.failed, c.total])).toEqual([['approve', 1, 0, 1], ['notify', 1, 1, 3]]);
    expect(m.hasRunScope).toBe(true);
    expect(m.hosts).toEqual(['dev-a', 'dev-b', 'dev-c']);
  });
  it('filters by id, hostname (now or at launch) or SN text, failures, or what needs attention', () => {
    expect(buildMatrix(d, { ...all, text: 'WEB-B' }).hosts).toEqual(['dev-b']);
    expect(buildMatrix(d, { ...all, text: 'srv-b' }).hosts, 'the name at launch').toEqual(['dev-b']);
    expect(buildMatrix(d, { ...all, text: 'sn-a' }).hosts).toEqual(['dev-a']);
    expect(buildMatrix(d, { ...all, text: 'bj1' }).hosts).toEqual(['dev-a', 'dev-b', 'dev-c']);
    expect(buildMatrix(d, { ...all, text: 'dev-c' }).hosts).toEqual(['dev-c']);
    expect(buildMatrix({ ...d, hosts: [...d.hosts, 'dev-x'] }, { ...all, text: 'dev-x' }).hosts, 'an id without a label').toEqual(['dev-x']);
    expect(buildMatrix(d, { ...all, filter: 'failed' }).hosts).toEqual(['dev-a']);
    expect(buildMatrix(d, { ...all, filter: 'attention' }).hosts).toEqual(['dev-a', 'dev-c']);
  });
  it('draws at most the limit and says how many matched', () => {
    const m = buildMatrix(d, { ...all, limit: 2 });
    expect(m.hosts).toEqual(['dev-a', 'dev-b']);
    expect(m.matched).toBe(3);
  });
});

describe('host names', () => {
  it("names a host by its label: the inventory's now, the launch one for a device gone, else the id", () => {
    const d = detail();
    expect(hostName(d, 'dev-b')).toBe('bj1-web-b');
    expect(labelOf(d, 'dev-b')?.launchHostname).toBe('bj1-srv-b');
    expect(hostName(d, 'dev-c')).toBe('bj1-srv-c');
    expect(labelOf(d, 'dev-c')?.inInventory).toBe(false);
    expect(hostName(d, 'dev-x')).toBe('dev-x');
    expect(hostName(d, 'toString'), 'only own labels').toBe('toString');
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
