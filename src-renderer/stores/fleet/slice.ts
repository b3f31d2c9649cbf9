// The fleet as the views show it: overview (with the devices per lifecycle state), the open room's cabinets, the open cabinet.
import type { StateCreator } from 'zustand';
import type { CabinetElevation, CabinetSummary, FleetOverview, LifecycleCounts } from '../../../src-shared/domain';
import type { PendingPower } from './pending-power';
import type { Route } from './route';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export interface FleetState {
  route: Route;
  overview: FleetOverview | null;
  overviewError: ShownError | null;
  /** Devices per lifecycle state (inventory.lifecycleCounts), once loaded. */
  lifecycleCounts: LifecycleCounts | null;
  lifecycleCountsError: ShownError | null;
  /** Cabinets of route.roomId, once loaded. */
  cabinets: { roomId: string; list: CabinetSummary[] } | null;
  cabinetsError: ShownError | null;
  elevation: CabinetElevation | null;
  elevationError: ShownError | null;
  selectedDeviceId: string | null;
  /** Devices whose power action succeeded and whose new state the poller has not confirmed yet. */
  pendingPower: Readonly<Record<string, PendingPower>>;
}

export interface FleetSlice {
  fleet: FleetState;
}

export const initialFleet: FleetState = {
  route: { view: 'overview' },
  overview: null,
  overviewError: null,
  lifecycleCounts: null,
  lifecycleCountsError: null,
  cabinets: null,
  cabinetsError: null,
  elevation: null,
  elevationError: null,
  selectedDeviceId: null,
  pendingPower: {},
};

export const createFleetSlice: StateCreator<AppState, [], [], FleetSlice> = () => ({ fleet: initialFleet });
