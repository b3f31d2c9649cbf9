// The one zustand store, built from the capabilities' slices. Views read it through the
// selectX functions beside each slice; only the action modules write it (through patch).
import { create } from 'zustand';
import { createDeviceSlice, type DeviceSlice } from './device/slice';
import { createEventsSlice, type EventsSlice } from './events/slice';
import { createFleetSlice, type FleetSlice } from './fleet/slice';
import { createInventorySlice, type InventorySlice } from './inventory/slice';
import { createAuditSlice, type AuditSlice } from './audit/slice';
import { createCredentialsSlice, type CredentialsSlice } from './credentials/slice';
import { createDeviceEditSlice, type DeviceEditSlice } from './device-edit/slice';
import { createPlacesSlice, type PlacesSlice } from './places/slice';
import { createLabSlice, createLabStatusSlice, type LabSlice, type LabStatusSlice } from './lab/slice';
import { createRoom3dSlice, type Room3dSlice } from './room3d/slice';
import { createRunSlice, type RunSlice } from './run/slice';
import { createSearchSlice, type SearchSlice } from './search/slice';
import { createSessionSlice, type SessionSlice } from './session/slice';
import { createWorkflowsSlice, type WorkflowsSlice } from './workflows/slice';
import { createAgentsSlice, type AgentsSlice } from './agents/slice';
import { createProbesSlice, type ProbesSlice } from './probes/slice';
import { createAlarmsSlice, type AlarmsSlice } from './alarms/slice';

export type AppState = SessionSlice &
  FleetSlice &
  LabSlice &
  LabStatusSlice &
  InventorySlice &
  DeviceSlice &
  EventsSlice &
  RunSlice &
  SearchSlice &
  CredentialsSlice &
  AuditSlice &
  DeviceEditSlice &
  PlacesSlice &
  Room3dSlice &
  WorkflowsSlice &
  AgentsSlice &
  ProbesSlice &
  AlarmsSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createFleetSlice(...a),
  ...createLabSlice(...a),
  ...createInventorySlice(...a),
  ...createDeviceSlice(...a),
  ...createEventsSlice(...a),
  ...createRunSlice(...a),
  ...createSearchSlice(...a),
  ...createLabStatusSlice(...a),
  ...createCredentialsSlice(...a),
  ...createAuditSlice(...a),
  ...createDeviceEditSlice(...a),
  ...createPlacesSlice(...a),
  ...createRoom3dSlice(...a),
  ...createWorkflowsSlice(...a),
  ...createAgentsSlice(...a),
  ...createProbesSlice(...a),
  ...createAlarmsSlice(...a),
}));

/** Merges a partial update (or one computed from the slice's current state) into one slice. */
export function patch<K extends keyof AppState>(key: K, p: Partial<AppState[K]> | ((current: AppState[K]) => Partial<AppState[K]>)): void {
  useAppStore.setState((s) => ({ [key]: { ...s[key], ...(typeof p === 'function' ? p(s[key]) : p) } }) as Pick<AppState, K>);
}
