// 3D room selectors at module scope; each returns a value already in the state.
import type { Room3dState } from './slice';

export const selectR3Layout = (s: Room3dState) => s.layout;
export const selectR3LayoutError = (s: Room3dState) => s.layoutError;
export const selectR3Readings = (s: Room3dState) => s.readings;
export const selectR3ReadingsError = (s: Room3dState) => s.readingsError;
export const selectR3Mode = (s: Room3dState) => s.mode;
export const selectR3Selected = (s: Room3dState) => s.selectedCabinetId;
export const selectR3Hover = (s: Room3dState) => s.hover;
export const selectR3Landed = (s: Room3dState) => s.landedDeviceId;

/** A cabinet's reading by id (linear scan: a room has hundreds of cabinets at most). */
export const cabinetReadingOf = (s: Room3dState, cabinetId: string) => s.readings?.cabinets.find((c) => c.cabinetId === cabinetId);
