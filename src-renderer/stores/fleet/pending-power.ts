// "powering off…" right after the console's own power action succeeds: the BMC has done
// it, but the poller has not seen it yet. Pending until a status batch (or the device
// detail, polled after the action) shows the state the action leads to, or a timeout.
// Kept in the fleet slice, per device, so the device page, the elevation and the header
// all read the same thing.
import type { DeviceStatus, DeviceStatusChange, PowerAction } from '../../../src-shared/domain';
import { patch, useAppStore } from '../store';
import type { AppState } from '../store';

/** What the action should lead to: off (unreachable), on (answering), or down and back up. */
export type PendingExpect = 'off' | 'on' | 'restart';

export interface PendingPower {
  deviceId: string;
  hostname: string | null;
  action: PowerAction;
  expect: PendingExpect;
  since: number;
  /** restart only: the device has been seen down since the action. */
  sawDown: boolean;
}

/** The lab host boots in seconds, a real server in minutes: past this, stop saying "powering…". */
export const PENDING_POWER_TIMEOUT_MS = 3 * 60_000;

const timers = new Map<string, ReturnType<typeof setTimeout>>();

const pending = () => useAppStore.getState().fleet.pendingPower;

export function expectOf(action: PowerAction): PendingExpect {
  return action === 'on' ? 'on' : action === 'off' || action === 'soft' ? 'off' : 'restart';
}

/** Whether a status ends the wait (restart: only once it has been seen down). */
export function confirms(p: Pick<PendingPower, 'expect' | 'sawDown'>, status: DeviceStatus): boolean {
  const answering = status === 'up' || status === 'degraded';
  if (p.expect === 'off') return status === 'unreachable';
  if (p.expect === 'on') return answering;
  return answering && p.sawDown;
}

/** After the core confirmed a power action: pending until confirmed, or the timeout. */
export function beginPendingPower(deviceId: string, action: PowerAction, hostname: string | null = null, now = Date.now()): void {
  const entry: PendingPower = { deviceId, hostname, action, expect: expectOf(action), since: now, sawDown: false };
  patch('fleet', (f) => ({ pendingPower: { ...f.pendingPower, [deviceId]: entry } }));
  const old = timers.get(deviceId);
  if (old) clearTimeout(old);
  timers.set(
    deviceId,
    setTimeout(() => endPendingPower(deviceId, now), PENDING_POWER_TIMEOUT_MS),
  );
}

/** Ends the wait; with `since`, only the wait that began then (not a newer action's). */
export function endPendingPower(deviceId: string, since?: number): void {
  const p = pending()[deviceId];
  if (!p || (since !== undefined && p.since !== since)) return;
  const t = timers.get(deviceId);
  if (t) clearTimeout(t);
  timers.delete(deviceId);
  patch('fleet', (f) => {
    const next = { ...f.pendingPower };
    delete next[deviceId];
    return { pendingPower: next };
  });
}

/** Folds a status batch: a change to the expected state ends that device's wait. */
export function applyPendingStatus(changes: readonly DeviceStatusChange[]): void {
  const map = pending();
  if (Object.keys(map).length === 0) return;
  for (const c of changes) {
    const p = map[c.deviceId];
    if (!p || c.at < p.since) continue;
    if (p.expect === 'restart' && c.status === 'unreachable' && !p.sawDown) {
      patch('fleet', (f) => ({ pendingPower: { ...f.pendingPower, [c.deviceId]: { ...p, sawDown: true } } }));
      continue;
    }
    if (confirms(p, c.status)) endPendingPower(c.deviceId, p.since);
  }
}

/** The device detail confirms too, when it comes from a poll made after the action. */
export function confirmPendingFromDetail(deviceId: string, status: DeviceStatus, lastPollAt: number | null): void {
  const p = pending()[deviceId];
  if (p && lastPollAt !== null && lastPollAt >= p.since && confirms(p, status)) endPendingPower(deviceId, p.since);
}

/** Forgets every wait (sign-out). */
export function clearPendingPower(): void {
  for (const t of timers.values()) clearTimeout(t);
  timers.clear();
  patch('fleet', { pendingPower: {} });
}

export const selectPendingPower = (s: AppState) => s.fleet.pendingPower;
