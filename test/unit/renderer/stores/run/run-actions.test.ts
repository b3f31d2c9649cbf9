// The Run view's store against a fake client: a started run keeps the core's run id (a
// workflow run's, which the view links to), takes results that arrived before fleet.run
// answered and only its own results after, ends on its onDidFinishRun; a cancel that revoked
// the run stays "cancelling" until the run's end arrives; a cancel of a run that had already
// finished (cancelled: false, as after a restart of the core) offers Cancel again instead of
// waiting for an end that will not come.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunHostResult } from '../../../../../src-shared/domain';
import { getClient, setClient } from '../../../../../src-renderer/stores/client';
import { attachRunLive, cancelRun, clearRun, startRun } from '../../../../../src-renderer/stores/run/actions';
import { initialRun } from '../../../../../src-renderer/stores/run/slice';
import { useAppStore } from '../../../../../src-renderer/stores/store';
import { fakeClient } from '../fake-client';

const job = () => useAppStore.getState().run.job;
const result = (runId: string, deviceId: string, ok = true): RunHostResult => ({
  runId, deviceId, hostname: deviceId, ok, exitCode: ok ? 0 : 3, signal: null, stdout: ok ? 'hi\n' : '', stderr: '', truncated: false, error: null, failure: null, ms: 5,
});

afterEach(() => {
  clearRun();
  setClient(null);
  useAppStore.setState({ run: initialRun });
});

describe('a fleet run in the Run view', () => {
  it('follows its own run id: early results kept, other runs ignored, ended by its finish', async () => {
    let emit: (r: RunHostResult) => void = () => {};
    const { listeners } = fakeClient({
      'fleet.run': () => {
        emit(result('wf-run-1', 'dev-a')); // streamed before the answer
        return { runId: 'wf-run-1', hosts: 2, skipped: [] };
      },
    });
    const live = attachRunLive(getClient());
    emit = (r) => listeners.get('onDidReceiveRunResult')!(r);
    await startRun(['dev-a', 'dev-b'], 'uptime', 30_000);
    expect(job()).toMatchObject({ phase: 'running', started: { runId: 'wf-run-1', hosts: 2 } });
    emit(result('someone-elses-run', 'dev-x'));
    emit(result('wf-run-1', 'dev-b', false));
    listeners.get('onDidFinishRun')!({ runId: 'wf-run-1', succeeded: 1, failed: 1, cancelled: false, ms: 40 });
    expect(job()?.phase).toBe('finished');
    expect(job()?.results.map((r) => `${r.deviceId} ${r.ok}`)).toEqual(['dev-a true', 'dev-b false']);
    expect(job()).toMatchObject({ succeeded: 1, failed: 1, finished: { cancelled: false } });
    live.dispose();
  });

  it('a revoking cancel waits for the end; a cancel of a finished run offers Cancel again', async () => {
    let revoked = true;
    const { listeners, calls } = fakeClient({
      'fleet.run': () => ({ runId: 'wf-run-2', hosts: 1, skipped: [] }),
      'fleet.cancelRun': () => ({ cancelled: revoked }),
    });
    const live = attachRunLive(getClient());
    await startRun(['dev-a'], 'sleep 30', 60_000);
    await cancelRun();
    expect(calls('fleet.cancelRun')).toEqual([{ runId: 'wf-run-2' }]);
    expect(job()).toMatchObject({ phase: 'running', cancelling: true });
    listeners.get('onDidFinishRun')!({ runId: 'wf-run-2', succeeded: 0, failed: 1, cancelled: true, ms: 900 });
    expect(job()).toMatchObject({ phase: 'finished', cancelling: false, finished: { cancelled: true } });

    clearRun();
    revoked = false;
    await startRun(['dev-a'], 'sleep 30', 60_000);
    await cancelRun();
    expect(job()).toMatchObject({ phase: 'running', cancelling: false, cancelError: null });
    live.dispose();
  });
});
