// Moving the open device along its lifecycle (CMDB status): inventory.setLifecycle with the
// state the page shows as expectedFrom (if someone else moved it meanwhile, the core refuses
// and says so), then the device is reread either way. The core checks the role and the move.
import type { DeviceLifecycle } from '../../../src-shared/domain';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { loadDeviceDetail } from './actions';
import { initialLifecycleMove, type LifecycleMoveState } from './slice';

const isOpen = (deviceId: string) => useAppStore.getState().device.deviceId === deviceId;
const patchMove = (p: LifecycleMoveState) => patch('device', { lifecycle: p });

export async function moveLifecycle(deviceId: string, from: DeviceLifecycle, to: DeviceLifecycle): Promise<void> {
  if (useAppStore.getState().device.lifecycle.pending) return;
  patchMove({ pending: to, done: null, error: null });
  try {
    await getClient().call('inventory.setLifecycle', { deviceIds: [deviceId], to, expectedFrom: from });
    if (isOpen(deviceId)) patchMove({ pending: null, done: to, error: null });
  } catch (err) {
    if (isOpen(deviceId)) patchMove({ pending: null, done: null, error: toShownError(err) });
  }
  if (isOpen(deviceId)) await loadDeviceDetail(deviceId);
}

export function dismissLifecycleMove(): void {
  patchMove(initialLifecycleMove);
}
