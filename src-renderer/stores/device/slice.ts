// The open device: its detail, its BMC (read on demand), its recent events, the control
// action in flight or its outcome, its pinned SSH host key, and a lifecycle move in flight or its outcome.
import type { StateCreator } from 'zustand';
import type { BmcInfo, BootDevice, DeviceDetail, DeviceLifecycle, FleetEvent, PowerAction } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

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

export interface HostKey {
  host: string;
  port: number;
  fingerprint: string | null;
}

export interface HostKeyState {
  /** The pinned key as last read; null until the read answers. */
  key: HostKey | null;
  /** A forget in flight. */
  busy: boolean;
  /** The last forget's answer: the fingerprint it dropped (null when none was pinned). */
  done: { forgotten: string | null } | null;
  /** The read's or the forget's error. */
  error: ShownError | null;
}

export interface LifecycleMoveState {
  /** The state a move in flight goes to. */
  pending: DeviceLifecycle | null;
  /** The state the last move reached. */
  done: DeviceLifecycle | null;
  error: ShownError | null;
}

export interface DeviceState {
  deviceId: string | null;
  detail: DeviceDetail | null;
  detailError: ShownError | null;
  /** When the device last answered a poll while open: the age of its values once it stops (freshness.ts). */
  answeredAt: number | null;
  bmc: BmcInfo | null;
  bmcLoading: boolean;
  bmcError: ShownError | null;
  /** This device's events, newest first. */
  events: readonly FleetEvent[] | null;
  eventsError: ShownError | null;
  control: ControlState;
  hostKey: HostKeyState;
  lifecycle: LifecycleMoveState;
}

export interface DeviceSlice {
  device: DeviceState;
}

export const initialControl: ControlState = { pending: null, done: null, error: null };

export const initialHostKey: HostKeyState = { key: null, busy: false, done: null, error: null };

export const initialLifecycleMove: LifecycleMoveState = { pending: null, done: null, error: null };

export const initialDevice: DeviceState = {
  deviceId: null,
  detail: null,
  detailError: null,
  answeredAt: null,
  bmc: null,
  bmcLoading: false,
  bmcError: null,
  events: null,
  eventsError: null,
  control: initialControl,
  hostKey: initialHostKey,
  lifecycle: initialLifecycleMove,
};

export const createDeviceSlice: StateCreator<AppState, [], [], DeviceSlice> = () => ({ device: initialDevice });
