// Where things sit in the 3D room, as a pure function of the room layout: each cabinet's
// centre, rotation and size from its row's start corner, facing and its position and
// footprint; each device's box on its cabinet's front at its U slot; the aisles' strips.
// World axes: x = plan x (west to east), z = plan y (north to south), y up; metres.
import type { RoomLayout, RowFacing } from '../../../src-shared/domain/inventory';

/** One rack unit, metres. */
export const U_M = 0.04445;
/** Plinth under the first U and the top above the last, metres. */
export const CABINET_BASE_M = 0.1;
export const CABINET_TOP_M = 0.1;
/** Slab depth of a device drawn on the cabinet's front, and its inset from the cabinet's sides. */
export const DEVICE_SLAB_M = 0.04;
export const DEVICE_WIDTH_M = 0.483;
/** Width of the aisle marks drawn on the floor on each side of a row. */
export const AISLE_MARK_M = 0.6;

export interface Placed {
  /** Centre in world metres. */
  readonly x: number;
  readonly y: number;
  readonly z: number;
  /** Rotation about the up axis, radians: local +z is the cabinet's front. */
  readonly rotY: number;
  /** Size along local x (width), y (height), z (depth). */
  readonly w: number;
  readonly h: number;
  readonly d: number;
}

export interface PlacedCabinet extends Placed {
  readonly id: string;
  readonly rowId: string;
  /** Unit normal of the front, in the plan (x, z). */
  readonly front: readonly [number, number];
}

export interface PlacedDevice extends Placed {
  readonly id: string;
  readonly cabinetId: string;
}

export interface AisleMark {
  readonly rowId: string;
  readonly kind: 'cold' | 'hot';
  /** Centre and size on the floor (x, z), rotation about up. */
  readonly x: number;
  readonly z: number;
  readonly rotY: number;
  readonly length: number;
  readonly width: number;
}

export interface RowLabel {
  readonly rowId: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

export interface RoomPlacement {
  readonly widthM: number;
  readonly depthM: number;
  readonly cabinets: readonly PlacedCabinet[];
  readonly devices: readonly PlacedDevice[];
  readonly aisles: readonly AisleMark[];
  readonly labels: readonly RowLabel[];
}

/** The front's outward normal on the plan (north: towards y = 0). */
export function frontNormal(facing: RowFacing): [number, number] {
  if (facing === 'north') return [0, -1];
  if (facing === 'south') return [0, 1];
  if (facing === 'east') return [1, 0];
  return [-1, 0];
}

/** Seen from in front, the row runs to the right: the viewer looks along -normal. */
export function alongRow(facing: RowFacing): [number, number] {
  const [nx, nz] = frontNormal(facing);
  return [nz === 0 ? 0 : nz, nx === 0 ? 0 : -nx];
}

/** Rotation about up that turns local +z into the front normal (and local +x along the row). */
export function rotationOf(facing: RowFacing): number {
  const [nx, nz] = frontNormal(facing);
  return Math.atan2(nx, nz);
}

export function cabinetHeightM(uHeight: number): number {
  return CABINET_BASE_M + uHeight * U_M + CABINET_TOP_M;
}

/** Local offset (x, z) rotated by rotY into world (x, z). */
function rotate(rotY: number, lx: number, lz: number): [number, number] {
  const c = Math.cos(rotY);
  const s = Math.sin(rotY);
  return [c * lx + s * lz, -s * lx + c * lz];
}

export function placeRoom(layout: RoomLayout): RoomPlacement {
  const cabinets: PlacedCabinet[] = [];
  const aisles: AisleMark[] = [];
  const labels: RowLabel[] = [];
  const byRow = new Map<string, RoomLayout['cabinets'][number][]>();
  for (const c of layout.cabinets) {
    const list = byRow.get(c.rowId) ?? [];
    list.push(c);
    byRow.set(c.rowId, list);
  }
  for (const row of layout.rows) {
    const list = (byRow.get(row.id) ?? []).slice().sort((a, b) => a.position - b.position);
    const [nx, nz] = frontNormal(row.facing);
    const [ax, az] = alongRow(row.facing);
    const rotY = rotationOf(row.facing);
    let cursor = 0;
    let prevPos = 0;
    let maxDepth = 0;
    for (const c of list) {
      const w = (c.widthMm > 0 ? c.widthMm : 600) / 1000;
      const d = (c.depthMm > 0 ? c.depthMm : 1200) / 1000;
      // A gap in the numbering leaves a default-width space, so positions stay where the floor has them.
      cursor += Math.max(0, c.position - prevPos - 1) * 0.6;
      prevPos = c.position;
      const h = cabinetHeightM(c.uHeight);
      const along = cursor + w / 2;
      cabinets.push({
        id: c.id,
        rowId: row.id,
        x: row.xM + ax * along - nx * (d / 2),
        y: h / 2,
        z: row.yM + az * along - nz * (d / 2),
        rotY,
        w,
        h,
        d,
        front: [nx, nz],
      });
      cursor += w;
      maxDepth = Math.max(maxDepth, d);
    }
    if (list.length === 0) continue;
    const mid = cursor / 2;
    const cold = row.coldAisle === 'front' ? 1 : -1;
    // Front side: just outside the fronts; rear side: just behind the deepest cabinet.
    const frontOff = AISLE_MARK_M / 2;
    const rearOff = -(maxDepth + AISLE_MARK_M / 2);
    for (const [off, isFront] of [
      [frontOff, true],
      [rearOff, false],
    ] as const) {
      aisles.push({
        rowId: row.id,
        kind: (isFront ? cold === 1 : cold === -1) ? 'cold' : 'hot',
        x: row.xM + ax * mid + nx * off,
        z: row.yM + az * mid + nz * off,
        rotY,
        length: cursor,
        width: AISLE_MARK_M,
      });
    }
    // On the floor just before the row's first cabinet (seen from the front: to its left).
    labels.push({ rowId: row.id, name: row.name, x: row.xM - ax * 0.7 - nx * (maxDepth / 2), y: 0, z: row.yM - az * 0.7 - nz * (maxDepth / 2) });
  }
  const cabById = new Map(cabinets.map((c) => [c.id, c]));
  const uOf = new Map(layout.cabinets.map((c) => [c.id, c.uHeight]));
  const devices: PlacedDevice[] = [];
  for (const dev of layout.devices) {
    const cab = cabById.get(dev.cabinetId);
    if (!cab) continue;
    const uH = Math.max(1, dev.uHeight);
    const cabU = uOf.get(dev.cabinetId) ?? 42;
    const first = Math.min(Math.max(1, dev.uPosition), cabU);
    const h = uH * U_M - 0.004;
    const y = CABINET_BASE_M + (first - 1 + uH / 2) * U_M;
    const [ox, oz] = rotate(cab.rotY, 0, cab.d / 2 + DEVICE_SLAB_M / 2);
    devices.push({ id: dev.id, cabinetId: dev.cabinetId, x: cab.x + ox, y, z: cab.z + oz, rotY: cab.rotY, w: Math.min(DEVICE_WIDTH_M, cab.w - 0.04), h, d: DEVICE_SLAB_M });
  }
  return { widthM: layout.room.widthM, depthM: layout.room.depthM, cabinets, devices, aisles, labels };
}

/**
 * Where to look at a cabinet's front from: inside its aisle (1.1 m out, so the facing row never
 * hides it) and above the cabinets (0.9 m over its top), looking down at its middle: the
 * whole cabinet fits a 50 degree view.
 */
export function viewpointOf(c: PlacedCabinet, distanceM = 1.1): { eye: [number, number, number]; target: [number, number, number] } {
  return {
    eye: [c.x + c.front[0] * (c.d / 2 + distanceM), c.h + 0.9, c.z + c.front[1] * (c.d / 2 + distanceM)],
    target: [c.x + c.front[0] * (c.d / 2), c.h * 0.5, c.z + c.front[1] * (c.d / 2)],
  };
}
