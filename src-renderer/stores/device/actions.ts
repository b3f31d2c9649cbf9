// Device actions: what the open device shows (detail, BMC on demand, its events, its SSH
// host key), the control actions on it, and its live updates. The core checks every role
// and every hostname confirmation; the UI shows its answer, refusal included.
import type { CoreClient, Disposable } from '../../../src-shared/api';
import type { BootDevice, DeviceStatusChange, FleetEvent, PowerAction } from '../../../src-shared/domain';
import { getClient } from '../client';
import { mergeEvents } from '../events/merge-events';
import { beginPendingPower, confirmPendingFromDetail } from '../fleet/pending-power';
import { deviceStatusChannel } from '../live/device-status';
import { toShownError, type ShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { nextAnsweredAt } from './freshness';
import { initialControl, initialDevice, type ControlRequest, type DeviceState, type HostKeyState } from './slice';

/** Interfaces, RTT and power move: the open device is reread this often. */
const DETAIL_REFRESH_MS = 10_000;
const DEVICE_EVENTS_LIMIT = 50;

const dev = () => useAppStore.getState().device;
const isOpen = (deviceId: string) => dev().deviceId === deviceId;
const patchDevice = (p: Partial<DeviceState> | ((d: DeviceState) => Partial<DeviceState>)) => patch('device', p);
const patchHostKey = (p: Partial<HostKeyState>) => patchDevice((d) => ({ hostKey: { ...d.hostKey, ...p } }));

/** Opens a device and keeps it fresh until disposed (the view's lifetime). */
export function watchDevice(deviceId: string): Disposable {
  if (!isOpen(deviceId)) useAppStore.setState({ device: { ...initialDevice, deviceId } });
  void loadDeviceDetail(deviceId);
  void loadDeviceEvents(deviceId);
  const timer = setInterval(() => void loadDeviceDetail(deviceId), DETAIL_REFRESH_MS);
  return {
    dispose() {
      clearInterval(timer);
      if (isOpen(deviceId)) useAppStore.setState({ device: initialDevice });
    },
  };
}

export async function loadDeviceDetail(deviceId: string): Promise<void> {
  try {
    const detail = await getClient().call('device.detail', { deviceId });
    confirmPendingFromDetail(deviceId, detail.status, detail.lastPollAt);
    if (isOpen(deviceId)) patchDevice((d) => ({ detail, detailError: null, answeredAt: nextAnsweredAt(d.answeredAt, detail.status, detail.lastPollAt) }));
  } catch (err) {
    if (isOpen(deviceId)) patchDevice({ detailError: toShownError(err) });
  }
}

/** Live IPMI: may take a second, or fail when the BMC does not answer. */
export async function loadBmc(deviceId: string): Promise<void> {
  patchDevice({ bmcLoading: true, bmcError: null });
  try {
    const bmc = await getClient().call('device.bmc', { deviceId });
    if (isOpen(deviceId)) patchDevice({ bmc, bmcLoading: false });
  } catch (err) {
    // What the BMC said before is not shown as if it were still true.
    if (isOpen(deviceId)) patchDevice({ bmc: null, bmcLoading: false, bmcError: toShownError(err) });
  }
}

export async function loadDeviceEvents(deviceId: string): Promise<void> {
  try {
    const events = await getClient().call('events.recent', { deviceId, limit: DEVICE_EVENTS_LIMIT });
    if (isOpen(deviceId)) patchDevice((d) => ({ events: mergeEvents(d.events ?? [], events, DEVICE_EVENTS_LIMIT), eventsError: null }));
  } catch (err) {
    if (isOpen(deviceId)) patchDevice({ eventsError: toShownError(err) });
  }
}

export function powerDevice(deviceId: string, action: PowerAction, confirmHostname: string): Promise<void> {
  return control(deviceId, { kind: 'power', action }, async () => {
    const r = await getClient().call('device.power', { deviceId, action, confirmHostname });
    return r.power;
  });
}

export function identifyDevice(deviceId: string, seconds: number, force: boolean): Promise<void> {
  return control(deviceId, { kind: 'identify', seconds, force }, async () => {
    await getClient().call('device.identify', { deviceId, seconds, force });
    return null;
  });
}

export function setBootDevice(deviceId: string, device: BootDevice, persistent: boolean): Promise<void> {
  return control(deviceId, { kind: 'boot', device, persistent }, async () => {
    await getClient().call('device.bootDevice', { deviceId, device, persistent });
    return null;
  });
}

export function dismissControl(): void {
  patchDevice({ control: initialControl });
}

async function control(deviceId: string, request: ControlRequest, run: () => Promise<'on' | 'off' | null>): Promise<void> {
  if (dev().control.pending) return;
  patchDevice({ control: { pending: request, done: null, error: null } });
  try {
    const power = await run();
    // "powering off…" until the poller confirms (stores/fleet/pending-power).
    if (request.kind === 'power') {
      const d = dev().detail?.device;
      beginPendingPower(deviceId, request.action, d?.id === deviceId ? d.hostname : null);
    }
    if (!isOpen(deviceId)) return;
    patchDevice({ control: { pending: null, done: { request, power, at: Date.now() }, error: null } });
    // Show what the action changed: the BMC's power and identify state, the poll, the audit event.
    if (request.kind !== 'boot' || dev().bmc) void loadBmc(deviceId);
    void loadDeviceDetail(deviceId);
    void loadDeviceEvents(deviceId);
  } catch (err) {
    if (isOpen(deviceId)) patchDevice({ control: { pending: null, done: null, error: { request, error: toShownError(err) } } });
  }
}

/** Admin: binds the device's credentials at its current addresses (after an operator moved it), then rereads it; the error, if any. */
export async function bindDeviceCredentials(deviceId: string): Promise<ShownError | null> {
  try {
    await getClient().call('credentials.bind', { deviceIds: [deviceId] });
    await loadDeviceDetail(deviceId);
    return null;
  } catch (err) {
    return toShownError(err);
  }
}

// ---- the SSH host key ----

/** Reads the pinned key (the host-key card calls it on mount and after each forget). */
export async function loadHostKey(deviceId: string): Promise<void> {
  try {
    const key = await getClient().call('device.hostKey', { deviceId });
    if (isOpen(deviceId)) patchHostKey({ key });
  } catch (err) {
    if (isOpen(deviceId)) patchHostKey({ error: toShownError(err) });
  }
}

/** Admin: forgets the pinned key after a reinstall; `typed` goes to the core as confirmHostname. */
export async function forgetHostKey(deviceId: string, typed: string): Promise<void> {
  patchHostKey({ busy: true, error: null });
  try {
    const done = await getClient().call('device.forgetHostKey', { deviceId, confirmHostname: typed });
    if (!isOpen(deviceId)) return;
    patchHostKey({ done, busy: false });
    void loadHostKey(deviceId);
  } catch (err) {
    if (isOpen(deviceId)) patchHostKey({ error: toShownError(err), busy: false });
  }
}

export function dismissHostKeyError(): void {
  patchHostKey({ error: null });
}

// ---- live ----

function applyFleetEvents(events: readonly FleetEvent[]): void {
  const id = dev().deviceId;
  const mine = id ? events.filter((e) => e.deviceId === id) : [];
  if (mine.length > 0) patchDevice((d) => ({ events: mergeEvents(d.events ?? [], mine, DEVICE_EVENTS_LIMIT) }));
}

export function applyDeviceStatusChanges(changes: readonly DeviceStatusChange[]): void {
  const detail = dev().detail;
  if (!detail) return;
  const change = changes.filter((c) => c.deviceId === detail.device.id).pop();
  if (!change || change.status === detail.status) return;
  // The values the detail holds (sysName, uptime, RTT) stay, from their last answer: the view marks them stale.
  const answeredAt = nextAnsweredAt(nextAnsweredAt(dev().answeredAt, detail.status, detail.lastPollAt), change.status, change.at);
  patchDevice({ detail: { ...detail, status: change.status, lastPollAt: change.at }, answeredAt });
}

/** The open device's share of the fleet event stream and of the status batches. */
export function attachDeviceLive(client: CoreClient): Disposable {
  const subs = [client.on('onDidReceiveFleetEvent', applyFleetEvents), deviceStatusChannel.subscribe(applyDeviceStatusChanges)];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}
