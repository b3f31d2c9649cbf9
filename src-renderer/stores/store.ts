// The one store, built from slices. Components read it through the selectX functions
// in selectors.ts; only the action modules write it.
import { create } from 'zustand';
import { createFleetSlice, type FleetSlice, type FleetState } from './fleet-slice';
import { createInventorySlice, type InventorySlice, type InventoryState } from './inventory-slice';
import { createLabSlice, type LabSlice, type LabState } from './lab-slice';
import { createSessionSlice, type SessionSlice, type SessionState } from './session-slice';

export type AppState = SessionSlice & FleetSlice & LabSlice & InventorySlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createFleetSlice(...a),
  ...createLabSlice(...a),
  ...createInventorySlice(...a),
}));

export function patchSession(p: Partial<SessionState>): void {
  useAppStore.setState((s) => ({ session: { ...s.session, ...p } }));
}

export function patchFleet(p: Partial<FleetState> | ((f: FleetState) => Partial<FleetState>)): void {
  useAppStore.setState((s) => ({ fleet: { ...s.fleet, ...(typeof p === 'function' ? p(s.fleet) : p) } }));
}

export function patchLab(p: Partial<LabState>): void {
  useAppStore.setState((s) => ({ lab: { ...s.lab, ...p } }));
}

export function patchInventory(p: Partial<InventoryState>): void {
  useAppStore.setState((s) => ({ inventory: { ...s.inventory, ...p } }));
}
