// The one store, built from slices. Components read it through the selectX functions
// in selectors.ts; only the action modules write it.
import { create } from 'zustand';
import { createDeviceSlice, type DeviceSlice, type DeviceState } from './device-slice';
import { createEventsSlice, type EventsSlice, type EventsState } from './events-slice';
import { createFleetSlice, type FleetSlice, type FleetState } from './fleet-slice';
import { createInventorySlice, type InventorySlice, type InventoryState } from './inventory-slice';
import { createLabSlice, type LabSlice, type LabState } from './lab-slice';
import { createRunSlice, type RunSlice, type RunState } from './run-slice';
import { createSessionSlice, type SessionSlice, type SessionState } from './session-slice';

export type AppState = SessionSlice & FleetSlice & LabSlice & InventorySlice & DeviceSlice & EventsSlice & RunSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createFleetSlice(...a),
  ...createLabSlice(...a),
  ...createInventorySlice(...a),
  ...createDeviceSlice(...a),
  ...createEventsSlice(...a),
  ...createRunSlice(...a),
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

export function patchDevice(p: Partial<DeviceState> | ((d: DeviceState) => Partial<DeviceState>)): void {
  useAppStore.setState((s) => ({ device: { ...s.device, ...(typeof p === 'function' ? p(s.device) : p) } }));
}

export function patchEvents(p: Partial<EventsState>): void {
  useAppStore.setState((s) => ({ events: { ...s.events, ...p } }));
}

export function patchRun(p: Partial<RunState> | ((r: RunState) => Partial<RunState>)): void {
  useAppStore.setState((s) => ({ run: { ...s.run, ...(typeof p === 'function' ? p(s.run) : p) } }));
}
