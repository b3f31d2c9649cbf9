// Fleet selectors at module scope. Each returns a value already in the state (never a
// fresh object), so components re-render only when that value changes.
import type { AppState } from '../store';

export const selectRoute = (s: AppState) => s.fleet.route;
export const selectOverview = (s: AppState) => s.fleet.overview;
export const selectOverviewError = (s: AppState) => s.fleet.overviewError;
export const selectLifecycleCounts = (s: AppState) => s.fleet.lifecycleCounts;
export const selectLifecycleCountsError = (s: AppState) => s.fleet.lifecycleCountsError;
export const selectCabinets = (s: AppState) => s.fleet.cabinets;
export const selectCabinetsError = (s: AppState) => s.fleet.cabinetsError;
export const selectElevation = (s: AppState) => s.fleet.elevation;
export const selectElevationError = (s: AppState) => s.fleet.elevationError;
export const selectSelectedDeviceId = (s: AppState) => s.fleet.selectedDeviceId;

/** The open room's overview row (name, counts), found in the fleet overview. */
export const selectCurrentRoom = (s: AppState) => {
  const r = s.fleet.route;
  const roomId = r.view === 'room' ? r.roomId : r.view === 'cabinet' ? s.fleet.elevation?.room.id : undefined;
  if (!roomId || !s.fleet.overview) return null;
  for (const site of s.fleet.overview.sites) for (const room of site.rooms) if (room.id === roomId) return room;
  return null;
};

export const selectSelectedDevice = (s: AppState) =>
  s.fleet.elevation?.devices.find((d) => d.id === s.fleet.selectedDeviceId) ?? null;

/** The power action awaiting the poller's confirmation on one device, or undefined. */
export const selectPendingPowerOf = (deviceId: string) => (s: AppState) => s.fleet.pendingPower[deviceId];
