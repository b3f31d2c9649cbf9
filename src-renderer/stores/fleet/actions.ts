// Fleet actions: navigation, loading what the open view needs (overview, a room's cabinets,
// a cabinet's elevation), the device selection, and the fleet's live updates.
import type { CoreClient, Disposable } from '../../../src-shared/api';
import type { DeviceStatusChange } from '../../../src-shared/domain';
import { getClient } from '../client';
import { loadDeviceDetail } from '../device/actions';
import { loadRunDetail } from '../workflows/run-actions';
import { initialLab } from '../lab/slice';
import { deviceStatusChannel } from '../live/device-status';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { applyPendingStatus } from './pending-power';
import { formatRoute, parseRoute, type Route } from './route';
import type { FleetState } from './slice';

/** How often the open room or cabinet is refetched at most while overview events arrive. */
const VIEW_REFRESH_MS = 2_000;
/** A safety net for wall screens: reload the overview even if events stop arriving. */
const OVERVIEW_RELOAD_MS = 30_000;

const fleet = () => useAppStore.getState().fleet;
const patchFleet = (p: Partial<FleetState> | ((f: FleetState) => Partial<FleetState>)) => patch('fleet', p);

/** Go somewhere: through location.hash, so back/forward and bookmarks work. */
export function navigate(route: Route): void {
  const hash = formatRoute(route);
  if (location.hash === hash || (route.view === 'overview' && location.hash === '')) applyRoute(route);
  else location.hash = hash; // the hashchange listener applies it
}

export function applyRoute(route: Route): void {
  const prev = fleet().route;
  const sameCabinet = prev.view === 'cabinet' && route.view === 'cabinet' && prev.cabinetId === route.cabinetId;
  patchFleet((f) => ({
    route,
    cabinetsError: null,
    elevationError: null,
    cabinets: route.view === 'room' && f.cabinets?.roomId === route.roomId ? f.cabinets : null,
    elevation: sameCabinet ? f.elevation : null,
    selectedDeviceId: sameCabinet ? f.selectedDeviceId : null,
  }));
  if (!sameCabinet) useAppStore.setState({ lab: initialLab });
  if (route.view === 'room') void loadCabinets(route.roomId);
  if (route.view === 'cabinet') void loadElevation(route.cabinetId);
  // The device view opens (and closes) the device itself: see watchDevice.
}

export async function loadOverview(): Promise<void> {
  try {
    const overview = await getClient().call('fleet.overview', undefined);
    patchFleet({ overview, overviewError: null });
  } catch (err) {
    patchFleet({ overviewError: toShownError(err) });
  }
}

export async function loadCabinets(roomId: string): Promise<void> {
  try {
    const list = await getClient().call('inventory.cabinets', { roomId });
    if (isRoute('room', roomId)) patchFleet({ cabinets: { roomId, list }, cabinetsError: null });
  } catch (err) {
    if (isRoute('room', roomId)) patchFleet({ cabinetsError: toShownError(err) });
  }
}

export async function loadElevation(cabinetId: string): Promise<void> {
  try {
    const elevation = await getClient().call('inventory.elevation', { cabinetId });
    if (isRoute('cabinet', cabinetId)) patchFleet({ elevation, elevationError: null });
  } catch (err) {
    if (isRoute('cabinet', cabinetId)) patchFleet({ elevationError: toShownError(err) });
  }
}

export function selectDevice(deviceId: string | null): void {
  patchFleet({ selectedDeviceId: deviceId });
  useAppStore.setState({ lab: initialLab });
}

/** Refetch what the open room, cabinet or device page shows. */
export function refreshOpenView(): void {
  const r = fleet().route;
  if (r.view === 'room') void loadCabinets(r.roomId);
  if (r.view === 'cabinet') void loadElevation(r.cabinetId);
  if (r.view === 'device') void loadDeviceDetail(r.deviceId);
  if (r.view === 'wf-run') void loadRunDetail(r.runId);
}

function isRoute(view: 'room' | 'cabinet', id: string): boolean {
  const r = fleet().route;
  return (r.view === 'room' && view === 'room' && r.roomId === id) || (r.view === 'cabinet' && view === 'cabinet' && r.cabinetId === id);
}

/** Folds a status batch into the open cabinet's elevation; nothing changes when none of it is shown. */
export function applyStatusChanges(changes: readonly DeviceStatusChange[]): void {
  const elevation = fleet().elevation;
  if (!elevation || changes.length === 0) return;
  const byId = new Map(changes.map((c) => [c.deviceId, c.status]));
  if (!elevation.devices.some((d) => byId.has(d.id))) return;
  patchFleet({
    elevation: {
      ...elevation,
      devices: elevation.devices.map((d) => (byId.has(d.id) ? { ...d, status: byId.get(d.id) ?? d.status } : d)),
    },
  });
}

/** The fleet's live updates while signed in: overview, status batches, hash navigation. */
export function attachFleetLive(client: CoreClient): Disposable {
  let viewTimer: ReturnType<typeof setTimeout> | null = null;
  const scheduleViewRefresh = (): void => {
    const view = fleet().route.view;
    if (viewTimer || (view !== 'room' && view !== 'cabinet')) return;
    viewTimer = setTimeout(() => {
      viewTimer = null;
      refreshOpenView();
    }, VIEW_REFRESH_MS);
  };
  const subs = [
    client.on('onDidChangeOverview', (overview) => {
      patchFleet({ overview, overviewError: null });
      scheduleViewRefresh();
    }),
    deviceStatusChannel.subscribe(applyStatusChanges),
    deviceStatusChannel.subscribe(applyPendingStatus),
  ];
  const onHash = (): void => applyRoute(parseRoute(location.hash));
  window.addEventListener('hashchange', onHash);
  const reload = setInterval(() => void loadOverview(), OVERVIEW_RELOAD_MS);
  return {
    dispose() {
      for (const s of subs) s.dispose();
      window.removeEventListener('hashchange', onHash);
      clearInterval(reload);
      if (viewTimer) clearTimeout(viewTimer);
    },
  };
}
