// The device page's lifecycle move: sent with the state shown as expectedFrom, the outcome kept
// and the device reread; a refusal kept as the error (and the device reread: someone may have
// moved it) until dismissed; one move at a time.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RemoteError } from '../../../../../src-shared/errors';
import { setClient } from '../../../../../src-renderer/stores/client';
import { fakeClient } from '../fake-client';
import { dismissLifecycleMove, moveLifecycle } from '../../../../../src-renderer/stores/device/lifecycle-actions';
import { initialDevice } from '../../../../../src-renderer/stores/device/slice';
import { useAppStore } from '../../../../../src-renderer/stores/store';

const open = (deviceId: string) => useAppStore.setState({ device: { ...initialDevice, deviceId } });
const move = () => useAppStore.getState().device.lifecycle;
const detail = (lifecycle: string) => ({ device: { id: 'dev-1', lifecycle }, status: 'up', lastPollAt: 1 });

afterEach(() => {
  setClient(null);
  useAppStore.setState({ device: initialDevice });
});

describe('moveLifecycle', () => {
  it('sends the move with the shown state as expectedFrom, keeps the outcome and rereads the device', async () => {
    open('dev-1');
    const { call } = fakeClient({ 'inventory.setLifecycle': () => ({ changed: 1, unchanged: 0 }), 'device.detail': () => detail('provisioning') });
    await moveLifecycle('dev-1', 'racked', 'provisioning');
    expect(call).toHaveBeenCalledWith('inventory.setLifecycle', { deviceIds: ['dev-1'], to: 'provisioning', expectedFrom: 'racked' });
    expect(move()).toEqual({ pending: null, done: 'provisioning', error: null });
    expect(useAppStore.getState().device.detail?.device.lifecycle).toBe('provisioning');
  });

  it('keeps a refusal until dismissed, and rereads the device to show its real state', async () => {
    open('dev-1');
    fakeClient({
      'inventory.setLifecycle': () => {
        throw new RemoteError({ name: 'LifecycleMoveError', code: 'CONFLICT', message: 'no', params: { to: 'provisioning', refused: [] } });
      },
      'device.detail': () => detail('online'),
    });
    await moveLifecycle('dev-1', 'racked', 'provisioning');
    expect(move()).toMatchObject({ pending: null, done: null, error: { name: 'LifecycleMoveError', code: 'CONFLICT' } });
    expect(useAppStore.getState().device.detail?.device.lifecycle).toBe('online');
    dismissLifecycleMove();
    expect(move()).toEqual({ pending: null, done: null, error: null });
  });

  it('sends one move at a time', async () => {
    open('dev-1');
    let release = () => {};
    const { call } = fakeClient({
      'inventory.setLifecycle': () => new Promise((resolve) => (release = () => resolve({ changed: 1, unchanged: 0 }))),
      'device.detail': () => detail('offline'),
    });
    const first = moveLifecycle('dev-1', 'online', 'offline');
    await vi.waitFor(() => expect(move().pending).toBe('offline'));
    await moveLifecycle('dev-1', 'online', 'maintenance');
    release();
    await first;
    expect(call.mock.calls.filter(([m]) => m === 'inventory.setLifecycle')).toHaveLength(1);
    expect(move().done).toBe('offline');
  });
});
