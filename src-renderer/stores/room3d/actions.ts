// 3D room actions, writing the app store's room3d slice (through patch): open a room (its
// layout once, then readings polled every few seconds and the status stream folded in; where
// the browser has no WebGL, the room's cabinets polled for the 2D room instead), colour
// mode, selection, hover, and "focus cabinet", which the scene answers by flying the camera.
// The firing alarms (kept live by the alarms store) are folded into the readings' cabinet
// flags for the alarms colour mode, again whenever they change.
// A search hit for a device in the open 3D room lands here instead of on the device page
// (see claimSearchHit).
import type { DeviceStatusChange } from '../../../src-shared/domain';
import type { RoomReadings } from '../../../src-shared/domain/fleet';
import { getClient } from '../client';
import { navigate } from '../fleet/actions';
import { deviceStatusChannel } from '../live/device-status';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { withAlarmFlags } from './alarm-flags';
import { initialRoom3d, type Room3dHover, type Room3dMode, type Room3dState } from './slice';

/** How often fleet.roomReadings is asked while the 3D room is open. */
export const ROOM3D_POLL_MS = 3_000;

const get = () => useAppStore.getState().room3d;
const set = (p: Partial<Room3dState> | ((s: Room3dState) => Partial<Room3dState>)) => patch('room3d', p);

let pollTimer: ReturnType<typeof setInterval> | null = null;
let unsubscribe: (() => void) | null = null;
/** The room's readings as the core sent them (before the alarm flags are folded in). */
let rawReadings: RoomReadings | null = null;

const flagged = (r: RoomReadings): RoomReadings => withAlarmFlags(r, get().layout, useAppStore.getState().alarms.firing);

/**
 * Opens a room: loads the layout (unless it is already this room's) and starts polling its
 * readings. With `flat` (no WebGL) it polls the room's cabinets for the 2D room instead, and
 * loads neither layout nor readings. Returns a close function.
 */
export function openRoom3d(roomId: string, opts: { flat?: boolean } = {}): () => void {
  if (get().roomId !== roomId) set({ ...initialRoom3d, mode: get().mode, probeSuspect: get().probeSuspect, roomId });
  if (pollTimer) clearInterval(pollTimer);
  unsubscribe?.();
  unsubscribe = null;
  if (opts.flat) {
    void loadFlatCabinets(roomId);
    pollTimer = setInterval(() => void loadFlatCabinets(roomId), ROOM3D_POLL_MS);
  } else {
    void loadLayout(roomId);
    void loadReadings(roomId);
    pollTimer = setInterval(() => void loadReadings(roomId), ROOM3D_POLL_MS);
    const sub = deviceStatusChannel.subscribe(applyRoomStatus);
    const alarmsSub = useAppStore.subscribe((st, prev) => {
      if (st.alarms.firing === prev.alarms.firing && st.room3d.layout === prev.room3d.layout) return;
      const raw = rawReadings;
      if (raw && get().roomId === raw.roomId) set((r) => ({ readings: flagged(raw), colourSeq: r.colourSeq + 1 }));
    });
    unsubscribe = () => (sub.dispose(), alarmsSub());
  }
  return () => {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
    unsubscribe?.();
    unsubscribe = null;
  };
}

export async function loadLayout(roomId: string): Promise<void> {
  try {
    const layout = await getClient().call('inventory.roomLayout', { roomId });
    if (get().roomId === roomId) set({ layout, layoutError: null });
  } catch (err) {
    if (get().roomId === roomId) set({ layoutError: toShownError(err) });
  }
}

export async function loadReadings(roomId: string): Promise<void> {
  try {
    const readings = await getClient().call('fleet.roomReadings', { roomId });
    if (get().roomId !== roomId) return;
    rawReadings = readings;
    set((s) => ({ readings: flagged(readings), readingsError: null, liveStatus: {}, colourSeq: s.colourSeq + 1 }));
  } catch (err) {
    if (get().roomId === roomId) set({ readingsError: toShownError(err) });
  }
}

/** The room's cabinets with their counts (the 2D room's tiles), for a browser without WebGL. */
export async function loadFlatCabinets(roomId: string): Promise<void> {
  try {
    const list = await getClient().call('inventory.cabinets', { roomId });
    if (get().roomId === roomId) set({ flatCabinets: list, flatCabinetsError: null });
  } catch (err) {
    if (get().roomId === roomId) set({ flatCabinetsError: toShownError(err) });
  }
}

/** Folds a status batch into the room's colours when any of its devices is in the room. */
export function applyRoomStatus(batch: readonly DeviceStatusChange[]): void {
  const layout = get().layout;
  if (!layout || batch.length === 0) return;
  const here = new Set(layout.devices.map((d) => d.id));
  const mine = batch.filter((c) => here.has(c.deviceId));
  if (mine.length === 0) return;
  set((s) => {
    const liveStatus = { ...s.liveStatus };
    for (const c of mine) liveStatus[c.deviceId] = c.status;
    return { liveStatus, colourSeq: s.colourSeq + 1 };
  });
}

export function setRoom3dMode(mode: Room3dMode): void {
  set((s) => ({ mode, colourSeq: s.colourSeq + 1 }));
}

export function selectRoom3dCabinet(cabinetId: string | null): void {
  set({ selectedCabinetId: cabinetId });
}

export function setRoom3dHover(hover: Room3dHover | null): void {
  const h = get().hover;
  if (h === hover || (h && hover && h.cabinetId === hover.cabinetId && h.deviceId === hover.deviceId && h.x === hover.x && h.y === hover.y)) return;
  set({ hover });
}

/** Flies the camera to a cabinet and selects it. */
export function focusCabinet(cabinetId: string, landedDeviceId: string | null = null): void {
  set((s) => ({ selectedCabinetId: cabinetId, landedDeviceId, focus: { cabinetId, seq: (s.focus?.seq ?? 0) + 1 } }));
}

/** The cabinet's elevation; with a device, #/cabinet/<id>?device=<deviceId> (the elevation lights it). */
export function openCabinetElevation(cabinetId: string, deviceId?: string | null): void {
  if (!deviceId) navigate({ view: 'cabinet', cabinetId });
  else location.hash = `#/cabinet/${encodeURIComponent(cabinetId)}?device=${encodeURIComponent(deviceId)}`;
}

export function openDevicePage(deviceId: string): void {
  navigate({ view: 'device', deviceId });
}

/**
 * The header search's hook: while a 3D room is open and the hit's cabinet is in it, the hit
 * flies the camera there (URL kept in step) instead of leaving the room. Returns true when handled.
 */
export function claimSearchHit(hit: { deviceId: string; cabinetId: string }): boolean {
  const route = useAppStore.getState().fleet.route;
  const layout = get().layout;
  if (route.view !== 'room3d' || !layout || layout.room.id !== route.roomId) return false;
  if (!layout.cabinets.some((c) => c.id === hit.cabinetId)) return false;
  navigate({ view: 'room3d', roomId: route.roomId, cabinetId: hit.cabinetId, deviceId: hit.deviceId });
  focusCabinet(hit.cabinetId, hit.deviceId);
  return true;
}
