// Module-scope selectors. Each returns a value already in the state (never a fresh
// object), so components re-render only when that value changes.
import type { AppState } from './store';

export const selectLanguage = (s: AppState) => s.session.language;
export const selectTransport = (s: AppState) => s.session.transport;
export const selectPhase = (s: AppState) => s.session.phase;
export const selectActor = (s: AppState) => s.session.actor;
export const selectRole = (s: AppState) => s.session.role;
export const selectAuthError = (s: AppState) => s.session.authError;
export const selectConnection = (s: AppState) => s.session.connection;

export const selectRoute = (s: AppState) => s.fleet.route;
export const selectOverview = (s: AppState) => s.fleet.overview;
export const selectOverviewError = (s: AppState) => s.fleet.overviewError;
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

export const selectLabPending = (s: AppState) => s.lab.pending;
export const selectLabResult = (s: AppState) => s.lab.result;
export const selectLabError = (s: AppState) => s.lab.error;

export const selectExporting = (s: AppState) => s.inventory.exporting;
export const selectExported = (s: AppState) => s.inventory.exported;
export const selectExportError = (s: AppState) => s.inventory.exportError;
export const selectImportJob = (s: AppState) => s.inventory.job;
export const selectImportPhase = (s: AppState) => s.inventory.phase;
export const selectImportResult = (s: AppState) => s.inventory.result;
export const selectImportError = (s: AppState) => s.inventory.error;
export const selectImportIssues = (s: AppState) => s.inventory.issues;
export const selectImportLate = (s: AppState) => s.inventory.late;

export const selectDeviceDetail = (s: AppState) => s.device.detail;
export const selectDeviceDetailError = (s: AppState) => s.device.detailError;
export const selectBmc = (s: AppState) => s.device.bmc;
export const selectBmcLoading = (s: AppState) => s.device.bmcLoading;
export const selectBmcError = (s: AppState) => s.device.bmcError;
export const selectDeviceEvents = (s: AppState) => s.device.events;
export const selectDeviceEventsError = (s: AppState) => s.device.eventsError;
export const selectControl = (s: AppState) => s.device.control;

export const selectRecentEvents = (s: AppState) => s.events.recent;
export const selectEventsError = (s: AppState) => s.events.error;

export const selectRunTargets = (s: AppState) => s.run.targets;
export const selectRunJob = (s: AppState) => s.run.job;
export const selectRunResults = (s: AppState) => s.run.job?.results;
