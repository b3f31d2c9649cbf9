// The host-key card's actions: the key is read through the CoreClient into the open device's
// state, a forget sends the typed hostname and rereads, and a refusal is kept as the error.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RemoteError } from '../../../../../src-shared/errors';
import { setClient } from '../../../../../src-renderer/stores/client';
import { fakeClient } from '../fake-client';
import { dismissHostKeyError, forgetHostKey, loadHostKey } from '../../../../../src-renderer/stores/device/actions';
import { initialDevice } from '../../../../../src-renderer/stores/device/slice';
import { useAppStore } from '../../../../../src-renderer/stores/store';

const open = (deviceId: string) => useAppStore.setState({ device: { ...initialDevice, deviceId } });
const hostKey = () => useAppStore.getState().device.hostKey;

afterEach(() => {
  setClient(null);
  useAppStore.setState({ device: initialDevice });
});

describe('host key actions', () => {
  it('reads the pinned key of the open device', async () => {
    open('dev-1');
    const { call } = fakeClient({ 'device.hostKey': () => ({ host: '10.0.0.1', port: 22, fingerprint: 'SHA256:old' }) });
    await loadHostKey('dev-1');
    expect(call).toHaveBeenCalledWith('device.hostKey', { deviceId: 'dev-1' });
    expect(hostKey().key).toEqual({ host: '10.0.0.1', port: 22, fingerprint: 'SHA256:old' });
  });

  it('ignores an answer for a device no longer open', async () => {
    open('dev-2');
    fakeClient({ 'device.hostKey': () => ({ host: 'h', port: 22, fingerprint: 'x' }) });
    await loadHostKey('dev-1');
    expect(hostKey().key).toBeNull();
  });

  it('forgets with the typed hostname, keeps the answer and rereads the key', async () => {
    open('dev-1');
    let pinned: string | null = 'SHA256:old';
    const { call } = fakeClient({
      'device.forgetHostKey': () => {
        const forgotten = pinned;
        pinned = null;
        return { forgotten };
      },
      'device.hostKey': () => ({ host: '10.0.0.1', port: 22, fingerprint: pinned }),
    });
    await forgetHostKey('dev-1', 'srv-1');
    expect(call).toHaveBeenCalledWith('device.forgetHostKey', { deviceId: 'dev-1', confirmHostname: 'srv-1' });
    expect(hostKey()).toMatchObject({ busy: false, done: { forgotten: 'SHA256:old' }, error: null });
    await vi.waitFor(() => expect(hostKey().key?.fingerprint).toBeNull());
  });

  it('keeps a refusal as the error until dismissed', async () => {
    open('dev-1');
    fakeClient({
      'device.forgetHostKey': () => {
        throw new RemoteError({ name: 'ForbiddenError', code: 'FORBIDDEN', message: 'no', params: { method: 'device.forgetHostKey', required: 'admin', actual: 'operator' } });
      },
    });
    await forgetHostKey('dev-1', 'srv-1');
    expect(hostKey()).toMatchObject({ busy: false, done: null, error: { name: 'ForbiddenError', code: 'FORBIDDEN' } });
    dismissHostKeyError();
    expect(hostKey().error).toBeNull();
  });
});
