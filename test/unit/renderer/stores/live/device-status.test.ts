// Device status batches travel on the live channel, outside React state: a push reaches its
// subscribers and the latest-status reads without notifying the zustand store's subscribers
// (so no component re-renders); the store changes only when a slice folds in what it shows.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CabinetElevation, DeviceStatusChange, ElevationDevice } from '../../../../../src-shared/domain';
import { applyStatusChanges } from '../../../../../src-renderer/stores/fleet/actions';
import { initialFleet } from '../../../../../src-renderer/stores/fleet/slice';
import {
  clearDeviceStatus,
  deviceStatusChannel,
  feedDeviceStatus,
  latestStatus,
  publishDeviceStatus,
} from '../../../../../src-renderer/stores/live/device-status';
import { useAppStore } from '../../../../../src-renderer/stores/store';

const change = (deviceId: string, status: DeviceStatusChange['status'], at: number): DeviceStatusChange => ({ deviceId, status, previous: 'up', at });

afterEach(() => {
  clearDeviceStatus();
  useAppStore.setState({ fleet: initialFleet });
});

describe('device status on the live channel', () => {
  it('delivers a batch to subscribers without notifying the store', () => {
    const storeListener = vi.fn();
    const offStore = useAppStore.subscribe(storeListener);
    const got: (readonly DeviceStatusChange[])[] = [];
    const sub = deviceStatusChannel.subscribe((b) => got.push(b));
    const batch = [change('dev-1', 'unreachable', 10), change('dev-2', 'degraded', 11)];
    publishDeviceStatus(batch);
    expect(got).toEqual([batch]);
    expect(storeListener).not.toHaveBeenCalled();
    sub.dispose();
    publishDeviceStatus([change('dev-1', 'up', 12)]);
    expect(got).toHaveLength(1);
    offStore();
  });

  it('keeps the newest status of each device for reads without subscribing', () => {
    publishDeviceStatus([change('dev-1', 'unreachable', 20)]);
    publishDeviceStatus([change('dev-1', 'up', 30), change('dev-2', 'degraded', 25)]);
    publishDeviceStatus([change('dev-1', 'degraded', 15)]); // older than what is kept
    expect(latestStatus('dev-1')?.status).toBe('up');
    expect(latestStatus('dev-2')?.status).toBe('degraded');
    expect(deviceStatusChannel.latest()).toEqual([change('dev-1', 'degraded', 15)]);
    clearDeviceStatus();
    expect(latestStatus('dev-1')).toBeUndefined();
    expect(deviceStatusChannel.latest()).toBeUndefined();
  });

  it('drops empty batches', () => {
    const seen = vi.fn();
    const sub = deviceStatusChannel.subscribe(seen);
    publishDeviceStatus([]);
    expect(seen).not.toHaveBeenCalled();
    sub.dispose();
  });

  it('changes the store only when the open elevation shows a device of the batch', () => {
    const sub = deviceStatusChannel.subscribe(applyStatusChanges);
    const storeListener = vi.fn();
    const offStore = useAppStore.subscribe(storeListener);
    publishDeviceStatus([change('dev-1', 'unreachable', 1)]); // no elevation open
    expect(storeListener).not.toHaveBeenCalled();

    const device = { id: 'dev-1', status: 'up' } as ElevationDevice;
    const elevation = { devices: [device] } as unknown as CabinetElevation;
    useAppStore.setState({ fleet: { ...initialFleet, elevation } });
    storeListener.mockClear();
    publishDeviceStatus([change('dev-9', 'unreachable', 2)]); // not in this cabinet
    expect(storeListener).not.toHaveBeenCalled();
    publishDeviceStatus([change('dev-1', 'unreachable', 3)]);
    expect(storeListener).toHaveBeenCalledOnce();
    expect(useAppStore.getState().fleet.elevation?.devices[0].status).toBe('unreachable');
    sub.dispose();
    offStore();
  });

  it('feeds the client stream into the channel until disposed', () => {
    let listener: ((batch: DeviceStatusChange[]) => void) | null = null;
    const client = {
      call: vi.fn(),
      on: vi.fn((_event: string, l: (batch: DeviceStatusChange[]) => void) => {
        listener = l;
        return { dispose: () => (listener = null) };
      }),
    };
    const seen = vi.fn();
    const sub = deviceStatusChannel.subscribe(seen);
    const feed = feedDeviceStatus(client as never);
    expect(client.on).toHaveBeenCalledWith('onDidChangeDeviceStatus', expect.any(Function));
    listener!([change('dev-3', 'up', 5)]);
    expect(seen).toHaveBeenCalledOnce();
    feed.dispose();
    expect(listener).toBeNull();
    sub.dispose();
  });
});
