// The open device: its detail, its BMC (read on demand), its recent events, and the
// control action in flight or its outcome.
import type { StateCreator } from 'zustand';
import type { BmcInfo, BootDevice, DeviceDetail, FleetEvent, PowerAction } from '../../src-shared/domain';
import type { ShownError } from './shown-error';
import type { AppState } from './store';

export type ControlRequest =
  | { kind: 'power'; action: PowerAction }
  | { kind: 'identify'; seconds: number; force: boolean }
  | { kind: 'boot'; device: BootDevice; persistent: boolean };

export interface ControlState {
  pending: ControlRequest | null;
  /** The last action the core carried out; power carries the state it reported. */
  done: { request: ControlRequest; power: 'on' | 'off' | null; at: number } | null;
  error: { request: ControlRequest; error: ShownError } | null;
}

export interface DeviceState {
  deviceId: string | null;
  detail: DeviceDetail | null;
  detailError: ShownError | null;
  bmc: BmcInfo | null;
  bmcLoading: boolean;
  bmcError: ShownError | null;
  /** This device's events, newest first. */
  events: FleetEvent[] | null;
  eventsError: ShownError | null;
  control: ControlState;
}

export interface DeviceSlice {
  device: DeviceState;
}

export const initialControl: ControlState = { pending: null, done: null, error: null };

export const initialDevice: DeviceState = {
  deviceId: null,
  detail: null,
  detailError: null,
  bmc: null,
  bmcLoading: false,
  bmcError: null,
  events: null,
  eventsError: null,
  control: initialControl,
};

export const createDeviceSlice: StateCreator<AppState, [], [], DeviceSlice> = () => ({ device: initialDevice });
