// Device status batches (the core's onDidChangeDeviceStatus) on a live channel, with the
// latest status of each device readable at any time (the 3D room will colour from it).
// The store's fleet and device slices subscribe to fold what they show.
import type { CoreClient } from '../../../src-shared/api';
import type { DeviceStatusChange } from '../../../src-shared/domain';
import type { Disposable } from '../../../src-shared/lifecycle';
import { createLiveChannel } from './channel';

export const deviceStatusChannel = createLiveChannel<readonly DeviceStatusChange[]>('device status');

const latestById = new Map<string, DeviceStatusChange>();

/** The newest change the console has seen for a device, or undefined. */
export function latestStatus(deviceId: string): DeviceStatusChange | undefined {
  return latestById.get(deviceId);
}

export function publishDeviceStatus(batch: readonly DeviceStatusChange[]): void {
  if (batch.length === 0) return;
  for (const c of batch) {
    const had = latestById.get(c.deviceId);
    if (!had || had.at <= c.at) latestById.set(c.deviceId, c);
  }
  deviceStatusChannel.publish(batch);
}

/** Forwards the client's status stream into the channel while signed in. */
export function feedDeviceStatus(client: CoreClient): Disposable {
  return client.on('onDidChangeDeviceStatus', publishDeviceStatus);
}

/** Forgets every device's latest status (sign-out: another session may see another fleet). */
export function clearDeviceStatus(): void {
  latestById.clear();
  deviceStatusChannel.clear();
}
