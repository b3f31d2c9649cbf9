// 3D room selectors over the app store, at module scope; each returns a value already in the state.
import type { AppState } from '../store';

export const selectR3Layout = (s: AppState) => s.room3d.layout;
export const selectR3LayoutError = (s: AppState) => s.room3d.layoutError;
export const selectR3Readings = (s: AppState) => s.room3d.readings;
export const selectR3ReadingsError = (s: AppState) => s.room3d.readingsError;
export const selectR3Mode = (s: AppState) => s.room3d.mode;
export const selectR3Selected = (s: AppState) => s.room3d.selectedCabinetId;
export const selectR3Hover = (s: AppState) => s.room3d.hover;
export const selectR3Landed = (s: AppState) => s.room3d.landedDeviceId;
export const selectR3FlatCabinets = (s: AppState) => s.room3d.flatCabinets;
export const selectR3FlatCabinetsError = (s: AppState) => s.room3d.flatCabinetsError;

/** A cabinet's reading by id (linear scan: a room has hundreds of cabinets at most). */
export const cabinetReadingOf = (s: AppState, cabinetId: string) => s.room3d.readings?.cabinets.find((c) => c.cabinetId === cabinetId);

/** The open room's name: from its layout, else from the fleet overview (no layout without WebGL), else null. */
export const selectR3RoomName = (s: AppState): string | null => {
  if (s.room3d.layout) return s.room3d.layout.room.name;
  for (const site of s.fleet.overview?.sites ?? []) for (const room of site.rooms) if (room.id === s.room3d.roomId) return room.name;
  return null;
};

/** The probe matrix's top suspect the room highlights (null: none). */
export const selectR3ProbeSuspect = (s: AppState) => s.room3d.probeSuspect;
