// The task panel's controls: operators get Retry (and Edit & retry) on a failed task and on a
// waiting one (poll or callback wait, approval, retry backoff), where the retry says it cuts
// the waiting attempt; Skip on anything not finished; viewers get none; a finished run or a
// step its template marks not retryable / not skippable holds them back. Retrying a waiting
// task through the store sends workflows.retry with the edits and shows the task it gets back,
// and its cut attempt is listed as cancelled.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WfAttempt, WfTaskState } from '../../../../../src-shared/domain/workflow';
import { setClient } from '../../../../../src-renderer/stores/client';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { openRun, selectTask, taskAction } from '../../../../../src-renderer/stores/workflows/run-actions';
import { initialWorkflows } from '../../../../../src-renderer/stores/workflows/slice';
import { taskControls } from '../../../../../src-renderer/stores/workflows/task-controls';
import { detail, fakeClient, task } from './fixtures';

const step = {};
const shown = (c: ReturnType<typeof taskControls>) => Object.entries(c).filter(([, on]) => on).map(([k]) => k);

beforeEach(() => {
  vi.stubGlobal('location', { hash: '' });
});

afterEach(() => {
  setClient(null);
  vi.unstubAllGlobals();
  useAppStore.setState({ workflows: initialWorkflows });
});

describe('task controls', () => {
  it('offers an operator Retry on waiting tasks, saying it cuts the attempt, as on failed ones', () => {
    for (const state of ['waiting', 'awaiting-callback', 'awaiting-approval'] as WfTaskState[]) {
      const c = taskControls('operator', 'running', state, step);
      expect(c, state).toMatchObject({ retry: true, retryCuts: true, skip: true });
    }
    expect(taskControls('operator', 'running', 'awaiting-approval', step).approve).toBe(true);
    expect(taskControls('operator', 'failed', 'failed', step)).toEqual({ retry: true, retryCuts: false, skip: true, approve: false });
    expect(taskControls('admin', 'paused', 'awaiting-callback', step)).toMatchObject({ retry: true, retryCuts: true });
  });

  it('offers no retry for a task whose call is in flight, not yet started or finished', () => {
    for (const state of ['running', 'pending', 'ready'] as WfTaskState[]) expect(shown(taskControls('operator', 'running', state, step)), state).toEqual(['skip']);
    for (const state of ['succeeded', 'skipped', 'revoked'] as WfTaskState[]) expect(shown(taskControls('operator', 'running', state, step)), state).toEqual([]);
  });

  it('offers a viewer nothing, and holds back what the run or the template rules out', () => {
    expect(shown(taskControls('viewer', 'running', 'awaiting-callback', step))).toEqual([]);
    expect(shown(taskControls('operator', 'revoked', 'failed', step))).toEqual([]);
    expect(shown(taskControls('operator', 'running', 'awaiting-callback', { retryable: false }))).toEqual(['skip']);
    expect(shown(taskControls('operator', 'running', 'awaiting-callback', { skippable: false }))).toEqual(['retry', 'retryCuts']);
  });
});

describe('retrying a waiting task', () => {
  it('sends the edits, shows the task it gets back and lists the cut attempt as cancelled', async () => {
    const cut: WfAttempt = {
      runId: 'run-1', stepId: 'notify', host: 'dev-a', attempt: 1, inputs: { notifyUrl: 'http://127.0.0.1:9/a' }, outputs: null, state: 'cancelled',
      failure: null, error: 'cancelled by ops: retried while awaiting-callback', startedAt: 10, finishedAt: 20, by: 'engine', edited: null, cancelledBy: 'ops',
    };
    let retried = false;
    const { calls } = fakeClient({
      'workflows.run': () => detail({ tasks: [task('approve', '', 'succeeded'), task('notify', 'dev-a', 'awaiting-callback'), task('notify', 'dev-b', 'awaiting-callback')] }),
      'workflows.attempts': () => (retried ? [cut, { ...cut, attempt: 2, state: 'running', error: null, cancelledBy: undefined, by: 'ops', edited: { notifyUrl: 'http://127.0.0.1:9/b' } }] : [{ ...cut, state: 'running', error: null, finishedAt: null, cancelledBy: undefined }]),
      'workflows.logs': () => [],
      'workflows.retry': () => {
        retried = true;
        return task('notify', 'dev-a', 'ready');
      },
    });
    await openRun('run-1');
    await selectTask({ stepId: 'notify', host: 'dev-a' });
    expect(await taskAction('retry', { inputs: { notifyUrl: 'http://127.0.0.1:9/b' } })).toBe(true);
    expect(calls('workflows.retry')).toEqual([{ runId: 'run-1', stepId: 'notify', host: 'dev-a', inputs: { notifyUrl: 'http://127.0.0.1:9/b' } }]);
    const w = useAppStore.getState().workflows;
    expect(w.run?.detail?.tasks[1].state).toBe('ready');
    expect(w.task?.attempts?.map((a) => [a.attempt, a.state, a.cancelledBy ?? null])).toEqual([[1, 'cancelled', 'ops'], [2, 'running', null]]);
  });
});
