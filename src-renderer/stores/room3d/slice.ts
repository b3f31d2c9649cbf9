// The 3D room's state, in a store of its own (the scene reads it with subscribe/getState,
// outside React): the room's layout (geometry, once per room), its live readings (polled
// and folded with the status stream), the colour mode, the selection, hover and focus.
import { create } from 'zustand';
import type { RoomReadings, RoomDeviceStatus } from '../../../src-shared/domain/fleet';
import type { RoomLayout } from '../../../src-shared/domain/inventory';
import type { ShownError } from '../shown-error';

export type Room3dMode = 'status' | 'power' | 'inlet' | 'feed' | 'alarms';

export interface Room3dHover {
  readonly cabinetId: string;
  readonly deviceId: string | null;
  readonly x: number;
  readonly y: number;
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
};

export const useRoom3dStore = create<Room3dState>()(() => initialRoom3d);
