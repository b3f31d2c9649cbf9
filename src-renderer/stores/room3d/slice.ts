// The 3D room's slice of the app store (key room3d; the scene reads it with
// useAppStore.subscribe/getState, outside React): the room's layout (geometry, once per
// room), its live readings (polled and folded with the status stream), the colour mode,
// the selection, hover and focus; without WebGL, the room's cabinets for the 2D view shown
// in the canvas's place; the probe matrix's current top suspect (drawn highlighted when it is
// in this room).
import type { StateCreator } from 'zustand';
import type { CabinetSummary, RoomReadings, RoomDeviceStatus } from '../../../src-shared/domain/fleet';
import type { RoomLayout } from '../../../src-shared/domain/inventory';
import type { NetComponent } from '../../../src-shared/domain/probe';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export type Room3dMode = 'status' | 'power' | 'inlet' | 'feed' | 'alarms';

export interface Room3dHover {
  readonly cabinetId: string;
  readonly deviceId: string | null;
  readonly x: number;
  readonly y: number;
}

/** The probe matrix's top suspect as the room shows it: the component, what it is called, its evidence in brief. */
export interface RoomProbeSuspect {
  readonly component: NetComponent;
  readonly name: string;
  readonly votes: number;
  readonly badPairs: number;
}

export interface Room3dState {
  roomId: string | null;
  layout: RoomLayout | null;
  layoutError: ShownError | null;
  readings: RoomReadings | null;
  readingsError: ShownError | null;
  /** Device statuses from the live stream newer than the last readings (folded over them). */
  liveStatus: Readonly<Record<string, RoomDeviceStatus>>;
  /** Bumped whenever anything colours depend on changes (readings, stream, mode). */
  colourSeq: number;
  mode: Room3dMode;
  selectedCabinetId: string | null;
  /** The device a search landed on (shown beside the canvas). */
  landedDeviceId: string | null;
  hover: Room3dHover | null;
  /** A request to fly the camera: seq increases per request, so the same cabinet twice flies twice. */
  focus: { cabinetId: string; seq: number } | null;
  /** Without WebGL: the room's cabinets, for the 2D room shown instead of the canvas (polled). */
  flatCabinets: readonly CabinetSummary[] | null;
  flatCabinetsError: ShownError | null;
  /** The localiser's current top suspect (any room; null: none); kept across rooms. */
  probeSuspect: RoomProbeSuspect | null;
}

export interface Room3dSlice {
  room3d: Room3dState;
}

export const initialRoom3d: Room3dState = {
  roomId: null,
  layout: null,
  layoutError: null,
  readings: null,
  readingsError: null,
  liveStatus: {},
  colourSeq: 0,
  mode: 'status',
  selectedCabinetId: null,
  landedDeviceId: null,
  hover: null,
  focus: null,
  flatCabinets: null,
  flatCabinetsError: null,
  probeSuspect: null,
};

export const createRoom3dSlice: StateCreator<AppState, [], [], Room3dSlice> = () => ({ room3d: initialRoom3d });
