// Masking by maintenance windows: an alarm whose object is inside the scope of a window active
// at `now` (from <= now < to) is masked - kept and shown as masked, not notified. Computed
// afresh at each step, so when the window ends an alarm still firing comes back unmasked (the
// notifier sees masked -> unmasked while firing and notifies then). Pure.
//
//   maskAlarms(alarms, windows, places, now) -> alarms with `masked` set
//   notifiable(alarm) -> firing, not masked, not grouped under a root
// An object the inventory does not place (deleted since) is only masked by a window whose
// scope is empty (everything) or lists its id among devices.
import type { Alarm, MaintenanceWindow } from '../../../src-shared/domain/alarm';
import { inSelection, type Place } from './selection';

const unplaced = (objectId: string): Place => ({ siteId: null, roomId: null, rowId: null, cabinetId: null, deviceId: objectId, kind: null });

export function activeWindows(windows: readonly MaintenanceWindow[], now: number): MaintenanceWindow[] {
  return windows.filter((w) => w.from <= now && now < w.to);
}

export function maskAlarms(alarms: readonly Alarm[], windows: readonly MaintenanceWindow[], places: ReadonlyMap<string, Place>, now: number): Alarm[] {
  const active = activeWindows(windows, now);
  return alarms.map((a) => {
    const place = places.get(a.objectId) ?? unplaced(a.objectId);
    const masked = active.some((w) => inSelection(w.scope, place));
    return masked === a.masked ? a : { ...a, masked };
  });
}

/** Whether an alarm is one to notify about: firing, not masked, not grouped under a root. */
export const notifiable = (a: Alarm): boolean => a.state === 'firing' && !a.masked && a.rootId === undefined;
