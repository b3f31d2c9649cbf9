// The open run against a fake client: progress events replace the changed tasks in place
// (the detail is read again only when the run's state changes); the selected task loads its
// attempts and log lines, and a progress event for it fetches only the lines after the last
// one held; a retry sends only the edits and applies the task it gets back; refusals stay
// on the task; pause answers update the run; the runs list follows progress.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WfAttempt, WfLogLine } from '../../../../../src-shared/domain/workflow';
import { RemoteError } from '../../../../../src-shared/errors';
import { getClient, setClient } from '../../../../../src-renderer/stores/client';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { loadRuns } from '../../../../../src-renderer/stores/workflows/actions';
import { attachWorkflowsLive, LOG_PAGE, openRun, receiveProgress, RUNS_RELOAD_MS, runAction, selectTask, taskAction } from '../../../../../src-renderer/stores/workflows/run-actions';
import { initialWorkflows } from '../../../../../src-renderer/stores/workflows/slice';
import { detail, fakeClient, task } from './fixtures';

const wf = () => useAppStore.getState().workflows;
const line = (id: number): WfLogLine => ({ id, runId: 'run-1', stepId: 'notify', host: 'dev-a', at: 1_000 + id, level: 'info', line: `line ${id}` });
const attempt = (n: number, extra: Partial<WfAttempt> = {}): WfAttempt => ({
  runId: 'run-1', stepId: 'notify', host: 'dev-a', attempt: n, inputs: { notifyUrl: 'http://127.0.0.1:9/a' }, outputs: null, state: 'failed',
  failure: 'error', error: 'refused', startedAt: 10, finishedAt: 20, by: 'engine', edited: null, ...extra,
});

beforeEach(() => {
  vi.stubGlobal('location', { hash: '' });
});

afterEach(() => {
  setClient(null);
  vi.useRealTimers();
  vi.unstubAllGlobals();
  useAppStore.setState({ workflows: initialWorkflows });
});

describe('the open run, live', () => {
  it('applies the changed tasks in place and reads the detail again only when the state changes', async () => {
    let reads = 0;
    const { listeners } = fakeClient({ 'workflows.run': () => (reads++, reads === 1 ? detail() : detail({ state: 'failed', finishedAt: 9_000, done: 2, failed: 1 })) });
    const live = attachWorkflowsLive(getClient());
    await openRun('run-1');
    expect(wf().run?.detail?.tasks.map((t) => t.state)).toEqual(['succeeded', 'running', 'running']);

    listeners.get('onDidProgressWorkflow')!({ runId: 'run-1', state: 'running', done: 2, total: 3, failed: 0, tasks: [task('notify', 'dev-b', 'succeeded')] });
    expect(wf().run?.detail?.tasks.map((t) => `${t.host}:${t.state}`)).toEqual([':succeeded', 'dev-a:running', 'dev-b:succeeded']);
    expect(wf().run?.detail?.done).toBe(2);
    expect(reads).toBe(1);

    // Someone else's run changes nothing here.
    receiveProgress({ runId: 'run-2', state: 'failed', done: 0, total: 1, failed: 1, tasks: [task('notify', 'dev-a', 'failed', { runId: 'run-2' })] });
    expect(wf().run?.detail?.tasks[1].state).toBe('running');

    receiveProgress({ runId: 'run-1', state: 'failed', done: 2, total: 3, failed: 1, tasks: [task('notify', 'dev-a', 'failed', { error: 'refused' })] });
    expect(wf().run?.detail?.state).toBe('failed');
    await vi.waitFor(() => expect(reads).toBe(2));
    expect(wf().run?.detail?.finishedAt).toBe(9_000);
    live.dispose();
    expect(listeners.has('onDidProgressWorkflow')).toBe(false);
  });

  it('keeps the runs list in step and reads it again when a run changes state', async () => {
    vi.useFakeTimers();
    const { template: _t, tasks: _k, ...row } = detail();
    let lists = 0;
    fakeClient({ 'workflows.runs': () => (lists++, [row]) });
    await loadRuns();
    receiveProgress({ runId: 'run-1', state: 'running', done: 2, total: 3, failed: 0, tasks: [] });
    expect(wf().runs?.[0]).toMatchObject({ done: 2, state: 'running' });
    await vi.advanceTimersByTimeAsync(RUNS_RELOAD_MS + 1);
    expect(lists).toBe(1);
    receiveProgress({ runId: 'run-1', state: 'succeeded', done: 3, total: 3, failed: 0, tasks: [] });
    expect(wf().runs?.[0]).toMatchObject({ done: 3, state: 'succeeded' });
    await vi.advanceTimersByTimeAsync(RUNS_RELOAD_MS + 1);
    expect(lists).toBe(2);
  });

  it('pauses: the answer updates the run, then the detail is read again', async () => {
    let paused = false;
    const { calls } = fakeClient({
      'workflows.run': () => detail({ state: paused ? 'paused' : 'running' }),
      'workflows.pause': () => {
        paused = true;
        const { template: _t, tasks: _k, ...s } = detail({ state: 'paused' });
        return s;
      },
    });
    await openRun('run-1');
    await runAction('pause');
    expect(calls('workflows.pause')).toEqual([{ runId: 'run-1' }]);
    expect(calls('workflows.run')).toHaveLength(2);
    expect(wf().run).toMatchObject({ busy: null, actionError: null, detail: { state: 'paused' } });
  });

  it('keeps a refused run action', async () => {
    fakeClient({
      'workflows.run': () => detail(),
      'workflows.resume': () => Promise.reject(new RemoteError({ name: 'WorkflowStateError', code: 'CONFLICT', message: 'Run run-1 is running; only a paused run can be resumed', params: { state: 'running' } })),
    });
    await openRun('run-1');
    await runAction('resume');
    expect(wf().run).toMatchObject({ busy: null, actionError: { code: 'CONFLICT' } });
  });
});

describe('the selected task', () => {
  it('loads attempts and log lines; a progress event for it fetches only newer lines', async () => {
    const { calls } = fakeClient({
      'workflows.run': () => detail(),
      'workflows.attempts': () => [attempt(1)],
      'workflows.logs': (a) => (a.afterId === 0 ? [line(1), line(2)] : [line(3)]),
    });
    await openRun('run-1');
    await selectTask({ stepId: 'notify', host: 'dev-a' });
    expect(calls('workflows.attempts')).toEqual([{ runId: 'run-1', stepId: 'notify', host: 'dev-a' }]);
    expect(calls('workflows.logs')).toEqual([{ runId: 'run-1', stepId: 'notify', host: 'dev-a', afterId: 0, limit: LOG_PAGE }]);
    expect(wf().task).toMatchObject({ stepId: 'notify', host: 'dev-a', logsMore: false });
    expect(wf().task?.logs.map((l) => l.id)).toEqual([1, 2]);

    // Another host's task moving asks nothing; this one's fetches lines after 2.
    receiveProgress({ runId: 'run-1', state: 'running', done: 1, total: 3, failed: 0, tasks: [task('notify', 'dev-b', 'failed')] });
    expect(calls('workflows.logs')).toHaveLength(1);
    receiveProgress({ runId: 'run-1', state: 'running', done: 1, total: 3, failed: 1, tasks: [task('notify', 'dev-a', 'failed')] });
    await vi.waitFor(() => expect(wf().task?.logs.map((l) => l.id)).toEqual([1, 2, 3]));
    expect(calls('workflows.logs')[1]).toMatchObject({ afterId: 2 });
    expect(calls('workflows.attempts')).toHaveLength(2);
  });

  it('a run-scope task leaves the host out', async () => {
    const { calls } = fakeClient({ 'workflows.run': () => detail(), 'workflows.attempts': () => [], 'workflows.logs': () => [] });
    await openRun('run-1');
    await selectTask({ stepId: 'approve', host: '' });
    expect(calls('workflows.attempts')).toEqual([{ runId: 'run-1', stepId: 'approve' }]);
    expect(calls('workflows.logs')).toEqual([{ runId: 'run-1', stepId: 'approve', afterId: 0, limit: LOG_PAGE }]);
  });

  it('retries with only the edits and applies the task it gets back', async () => {
    const failed = detail({ state: 'failed', tasks: [task('approve', '', 'succeeded'), task('notify', 'dev-a', 'failed'), task('notify', 'dev-b', 'succeeded')] });
    const { calls } = fakeClient({
      'workflows.run': () => failed,
      'workflows.attempts': () => [attempt(1)],
      'workflows.logs': () => [],
      'workflows.retry': () => task('notify', 'dev-a', 'ready', { attempt: 1 }),
    });
    await openRun('run-1');
    await selectTask({ stepId: 'notify', host: 'dev-a' });
    expect(await taskAction('retry', { inputs: { notifyUrl: 'http://127.0.0.1:8080/ok' } })).toBe(true);
    expect(calls('workflows.retry')).toEqual([{ runId: 'run-1', stepId: 'notify', host: 'dev-a', inputs: { notifyUrl: 'http://127.0.0.1:8080/ok' } }]);
    expect(wf().run?.detail?.tasks[1].state).toBe('ready');
    expect(wf().task).toMatchObject({ busy: null, actionError: null });
    await taskAction('retry');
    expect(calls('workflows.retry')[1]).toEqual({ runId: 'run-1', stepId: 'notify', host: 'dev-a' });
  });

  it('keeps a refused retry on the task, and approves a run-scope task with its note', async () => {
    const { calls } = fakeClient({
      'workflows.run': () => detail(),
      'workflows.attempts': () => [],
      'workflows.logs': () => [],
      'workflows.retry': () => Promise.reject(new RemoteError({ name: 'ValidationError', code: 'VALIDATION', message: 'bad url', params: { field: 'notifyUrl' } })),
      'workflows.approve': () => task('approve', '', 'succeeded'),
    });
    await openRun('run-1');
    await selectTask({ stepId: 'notify', host: 'dev-a' });
    expect(await taskAction('retry', { inputs: { notifyUrl: 'nope' } })).toBe(false);
    expect(wf().task).toMatchObject({ busy: null, actionError: { code: 'VALIDATION', params: { field: 'notifyUrl' } } });
    await selectTask({ stepId: 'approve', host: '' });
    expect(wf().task?.actionError).toBeNull();
    await taskAction('approve', { text: '  window open ' });
    expect(calls('workflows.approve')).toEqual([{ runId: 'run-1', stepId: 'approve', note: 'window open' }]);
  });
});
