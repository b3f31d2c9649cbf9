// The 3D room's three.js scene, built once per room from its placement: the floor's marks
// (aisle strips, the room's outline and tile grid, row labels from one canvas atlas) over a
// background of the floor's colour, ONE InstancedMesh for the cabinets and one per device
// kind, colours per instance (instanceColor). Live data only
// rewrites the colour buffers (applyColours, timed: readings decoded into typed arrays once
// per readings object, then flat loops over per-instance index arrays built here); picking
// raycasts the instanced meshes, which return the instanceId, mapped back to a cabinet or device id.
import * as THREE from 'three';
import type { DeviceKind, RoomLayout } from '../../../src-shared/domain/inventory';
import type { RoomReadings, RoomDeviceStatus } from '../../../src-shared/domain/fleet';
import { copyRgb, DecodedReadings, INLET_STOPS, rampInto, STATUS_TABLE, statusOrNone, SUSPECT_COLOUR, writeRgb, type ColourMode, type Rgb } from './colour';
import { placeRoom, type Placed, type PlacedCabinet, type RoomPlacement } from './placement';

export interface RoomScene {
  readonly scene: THREE.Scene;
  readonly placement: RoomPlacement;
  readonly cabinetMesh: THREE.InstancedMesh;
  readonly deviceMeshes: ReadonlyMap<DeviceKind, THREE.InstancedMesh>;
  /** Instance index -> id, per mesh. */
  readonly cabinetIds: readonly string[];
  readonly deviceIdsByKind: ReadonlyMap<DeviceKind, readonly string[]>;
  readonly cabinetById: ReadonlyMap<string, PlacedCabinet>;
  readonly deviceCabinet: ReadonlyMap<string, string>;
  /** Id -> cabinet index (placement.cabinets, = the cabinet mesh's instance) and room-device index (placement.devices). */
  readonly cabinetIndex: ReadonlyMap<string, number>;
  readonly deviceIndex: ReadonlyMap<string, number>;
  /** Per device mesh, per instance: its room-device index and its cabinet's index (the colour loop reads these, no Map). */
  readonly deviceSlots: ReadonlyMap<DeviceKind, { readonly roomIndex: Int32Array; readonly cabinetIndex: Int32Array }>;
  /** The last readings as typed arrays, by those indexes (decoded again only for a new readings object). */
  readonly decoded: DecodedReadings;
  /** Device id -> its mesh's kind and instance index (the suspect highlight writes these few directly). */
  readonly deviceInstance: ReadonlyMap<string, readonly [DeviceKind, number]>;
  dispose(): void;
}

/** Instances drawn in the probe suspect colour over whatever the mode gives them. */
export interface SuspectSlots {
  readonly devices: readonly (readonly [DeviceKind, number])[];
  readonly cabinets: readonly number[];
}

export interface ColourInput {
  readonly mode: ColourMode;
  readonly readings: RoomReadings | null;
  readonly liveStatus: Readonly<Record<string, RoomDeviceStatus>>;
  /** Blink phase: identifying cabinets (and their devices) are drawn white when true. */
  readonly blinkOn: boolean;
  readonly selectedCabinetId: string | null;
  /** The probe matrix's top suspect in this room (suspectSlots), or null. */
  readonly suspect?: SuspectSlots | null;
}

const BLINK: Rgb = [1, 1, 1];
const matrix = new THREE.Matrix4();
const quat = new THREE.Quaternion();
const up = new THREE.Vector3(0, 1, 0);
const pos = new THREE.Vector3();
const scl = new THREE.Vector3();

function setMatrix(mesh: THREE.InstancedMesh, i: number, p: Placed): void {
  quat.setFromAxisAngle(up, p.rotY);
  pos.set(p.x, p.y, p.z);
  scl.set(p.w, p.h, p.d);
  matrix.compose(pos, quat, scl);
  mesh.setMatrixAt(i, matrix);
}

function instanced(count: number, material: THREE.Material): THREE.InstancedMesh {
  const mesh = new THREE.InstancedMesh(new THREE.BoxGeometry(1, 1, 1), material, Math.max(1, count));
  mesh.count = count;
  mesh.instanceColor = new THREE.InstancedBufferAttribute(new Float32Array(Math.max(1, count) * 3), 3);
  mesh.instanceColor.setUsage(THREE.DynamicDrawUsage);
  return mesh;
}

/** The floor's colour, which is also the background: no floor quad to fill (the costliest thing in a frame on software GL). */
const FLOOR = 0x1b212b;
const srgb = new THREE.Color();
/** a over b at alpha t, blended in sRGB as a canvas would. */
function over(a: number, b: number, t: number): THREE.Color {
  const x = new THREE.Color(a).getRGB({ r: 0, g: 0, b: 0 }, THREE.SRGBColorSpace);
  const y = srgb.set(b).getRGB({ r: 0, g: 0, b: 0 }, THREE.SRGBColorSpace);
  return new THREE.Color().setRGB(y.r + (x.r - y.r) * t, y.g + (x.g - y.g) * t, y.b + (x.b - y.b) * t, THREE.SRGBColorSpace);
}

/** Pushes a flat quad on the floor (centre, rotation about up, length along local x, width along local z), facing up. */
function quad(pos: number[], cx: number, cz: number, rotY: number, l: number, wd: number, y: number): void {
  const c = Math.cos(rotY);
  const s = Math.sin(rotY);
  const at = (lx: number, lz: number): number[] => [cx + c * lx + s * lz, y, cz - s * lx + c * lz];
  const [a, b, cc, d] = [at(-l / 2, -wd / 2), at(l / 2, -wd / 2), at(l / 2, wd / 2), at(-l / 2, wd / 2)];
  for (const v of [a, cc, b, a, d, cc]) pos.push(...(v as number[]));
}

function geometry(attrs: Record<string, [number[], number]>): THREE.BufferGeometry {
  const g = new THREE.BufferGeometry();
  for (const [name, [data, size]] of Object.entries(attrs)) g.setAttribute(name, new THREE.Float32BufferAttribute(data, size));
  return g;
}

/**
 * The floor's marks: aisle strips (cold blue, hot red) in one mesh of vertex colours, the
 * room's outline and its 0.6 m tile grid in one set of lines, the row labels on quads from
 * one small canvas atlas. Three draw calls however many rows.
 */
function floorMarks(p: RoomPlacement, w: number, d: number): THREE.Object3D[] {
  const out: THREE.Object3D[] = [];
  const pos: number[] = [];
  const col: number[] = [];
  for (const a of p.aisles) {
    quad(pos, a.x, a.z, a.rotY, a.length, a.width, 0);
    const c = a.kind === 'cold' ? over(0x2f7fe0, FLOOR, 0.45) : over(0xe04a30, FLOOR, 0.4);
    for (let i = 0; i < 6; i++) col.push(c.r, c.g, c.b);
  }
  // Pushed back in depth, so the grid lines over them never flicker at a distance.
  if (pos.length) out.push(new THREE.Mesh(geometry({ position: [pos, 3], color: [col, 3] }), new THREE.MeshBasicMaterial({ vertexColors: true, polygonOffset: true, polygonOffsetFactor: 1, polygonOffsetUnits: 1 })));

  const lp: number[] = [];
  const lc: number[] = [];
  const seg = (x1: number, z1: number, x2: number, z2: number, c: THREE.Color): void => {
    lp.push(x1, 0.003, z1, x2, 0.003, z2);
    lc.push(c.r, c.g, c.b, c.r, c.g, c.b);
  };
  const grid = new THREE.Color(0x283040);
  const edge = new THREE.Color(0x56637a);
  for (let x = 0.6; x < w - 0.01; x += 0.6) seg(x, 0, x, d, grid);
  for (let z = 0.6; z < d - 0.01; z += 0.6) seg(0, z, w, z, grid);
  for (const [x1, z1, x2, z2] of [[0, 0, w, 0], [w, 0, w, d], [w, d, 0, d], [0, d, 0, 0]] as const) seg(x1, z1, x2, z2, edge);
  out.push(new THREE.LineSegments(geometry({ position: [lp, 3], color: [lc, 3] }), new THREE.LineBasicMaterial({ vertexColors: true })));

  const labels = labelMesh(p);
  if (labels) out.push(labels);
  return out;
}

/** Row labels: the names painted once into an atlas (64 px a line, 0.45 m letters on the floor), one quad each. */
function labelMesh(p: RoomPlacement): THREE.Mesh | null {
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d');
  if (!g || p.labels.length === 0) return null;
  const CELL = 64;
  const PX_PER_M = 100;
  const font = 'bold 45px sans-serif';
  g.font = font;
  const widths = p.labels.map((l) => Math.ceil(g.measureText(l.name).width) + 8);
  const cells: { x: number; y: number; w: number }[] = [];
  let [x, y, wide] = [0, 0, 1];
  for (const cw of widths) {
    if (x + cw > 1024 && x > 0) [x, y] = [0, y + CELL];
    cells.push({ x, y, w: cw });
    x += cw;
    wide = Math.max(wide, x);
  }
  canvas.width = wide;
  canvas.height = y + CELL;
  Object.assign(g, { font, fillStyle: '#e8edf5', textAlign: 'center', textBaseline: 'middle' });
  const pos: number[] = [];
  const uv: number[] = [];
  p.labels.forEach((l, i) => {
    const c = cells[i] as (typeof cells)[number];
    g.fillText(l.name, c.x + c.w / 2, c.y + CELL / 2);
    quad(pos, l.x, l.z, 0, c.w / PX_PER_M, CELL / PX_PER_M, 0.01);
    const [u0, u1] = [c.x / canvas.width, (c.x + c.w) / canvas.width];
    const [v0, v1] = [1 - (c.y + CELL) / canvas.height, 1 - c.y / canvas.height];
    uv.push(u0, v1, u1, v0, u1, v1, u0, v1, u0, v0, u1, v0); // the corners in quad()'s order: text top towards -z
  });
  const tex = new THREE.CanvasTexture(canvas);
  tex.colorSpace = THREE.SRGBColorSpace;
  tex.generateMipmaps = false;
  tex.minFilter = THREE.LinearFilter;
  return new THREE.Mesh(geometry({ position: [pos, 3], uv: [uv, 2] }), new THREE.MeshBasicMaterial({ map: tex, transparent: true, depthWrite: false }));
}

/** Builds the room's scene once; colours start grey until applyColours runs. */
export function buildRoomScene(layout: RoomLayout, placement: RoomPlacement = placeRoom(layout)): RoomScene {
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(FLOOR);
  // One light: the hemisphere, tilted off vertical (towards +x and +z), so tops, fronts and
  // sides each get their own shade without a directional light's cost per fragment.
  const sky = new THREE.HemisphereLight(0xffffff, 0x404858, 3.2);
  sky.position.set(0.3, 1, 0.35);
  scene.add(sky);
  const w = Math.max(1, placement.widthM);
  const d = Math.max(1, placement.depthM);
  for (const o of floorMarks(placement, w, d)) scene.add(o);

  const cabinetMesh = instanced(placement.cabinets.length, new THREE.MeshLambertMaterial({ color: 0xffffff }));
  placement.cabinets.forEach((c, i) => setMatrix(cabinetMesh, i, c));
  cabinetMesh.name = 'cabinets';
  scene.add(cabinetMesh);

  const kindOf = new Map(layout.devices.map((dv) => [dv.id, dv.kind]));
  const byKind = new Map<DeviceKind, typeof placement.devices[number][]>();
  for (const dv of placement.devices) {
    const k = kindOf.get(dv.id) ?? 'server';
    const list = byKind.get(k) ?? [];
    list.push(dv);
    byKind.set(k, list);
  }
  const cabinetIndex = new Map(placement.cabinets.map((c, i) => [c.id, i]));
  const deviceIndex = new Map(placement.devices.map((dv, i) => [dv.id, i]));
  const noCabinet = placement.cabinets.length;
  const deviceMeshes = new Map<DeviceKind, THREE.InstancedMesh>();
  const deviceIdsByKind = new Map<DeviceKind, string[]>();
  const deviceSlots = new Map<DeviceKind, { roomIndex: Int32Array; cabinetIndex: Int32Array }>();
  for (const [k, list] of byKind) {
    const mesh = instanced(list.length, new THREE.MeshLambertMaterial({ color: 0xffffff, emissive: 0x111111 }));
    list.forEach((dv, i) => setMatrix(mesh, i, dv));
    mesh.name = `devices:${k}`;
    deviceMeshes.set(k, mesh);
    deviceIdsByKind.set(
      k,
      list.map((dv) => dv.id),
    );
    deviceSlots.set(k, {
      roomIndex: Int32Array.from(list, (dv) => deviceIndex.get(dv.id) ?? 0),
      cabinetIndex: Int32Array.from(list, (dv) => cabinetIndex.get(dv.cabinetId) ?? noCabinet),
    });
    scene.add(mesh);
  }
  for (const m of [cabinetMesh, ...deviceMeshes.values()]) {
    m.instanceMatrix.needsUpdate = true;
    m.computeBoundingSphere();
    m.computeBoundingBox();
  }

  return {
    scene,
    placement,
    cabinetMesh,
    deviceMeshes,
    cabinetIds: placement.cabinets.map((c) => c.id),
    deviceIdsByKind,
    cabinetById: new Map(placement.cabinets.map((c) => [c.id, c])),
    deviceCabinet: new Map(placement.devices.map((dv) => [dv.id, dv.cabinetId])),
    cabinetIndex,
    deviceIndex,
    deviceSlots,
    decoded: new DecodedReadings(cabinetIndex, deviceIndex),
    deviceInstance: new Map([...deviceIdsByKind].flatMap(([k, ids]) => ids.map((id, i) => [id, [k, i] as const] as const))),
    dispose() {
      scene.traverse((o) => {
        const m = o as THREE.Mesh;
        m.geometry?.dispose();
        const mats = Array.isArray(m.material) ? m.material : m.material ? [m.material] : [];
        for (const mat of mats) {
          (mat as THREE.MeshBasicMaterial).map?.dispose();
          mat.dispose();
        }
      });
    },
  };
}

/**
 * Rewrites every instance's colour from the readings and mode; geometry is untouched. Returns
 * ms spent. The readings are decoded into typed arrays once per readings object; after that
 * a mode, selection or blink change is one pass over flat arrays, writing no objects.
 */
export function applyColours(rs: RoomScene, input: ColourInput): number {
  const t0 = performance.now();
  const dec = rs.decoded;
  dec.update(input.readings);
  const status = dec.statusWith(input.liveStatus);
  const { mode } = input;
  const cab = dec.cabinetColours(mode);
  const blink = input.blinkOn && dec.anyIdentifying;
  const ident = dec.ident;

  const carr = rs.cabinetMesh.instanceColor?.array as Float32Array | undefined;
  if (carr && rs.cabinetMesh.instanceColor) {
    const selected = input.selectedCabinetId === null ? -1 : (rs.cabinetIndex.get(input.selectedCabinetId) ?? -1);
    // Cabinets are drawn a little darker than their devices, the selection brighter.
    for (let ci = 0; ci < rs.cabinetIds.length; ci++) {
      const dim = ci === selected ? 1 : 0.7;
      if (blink && ident[ci]) writeRgb(carr, ci * 3, BLINK, dim);
      else copyRgb(carr, ci * 3, cab, ci, dim);
    }
    for (const ci of input.suspect?.cabinets ?? []) writeRgb(carr, ci * 3, SUSPECT_COLOUR, 0.85);
    rs.cabinetMesh.instanceColor.needsUpdate = true;
  }
  const inlet = dec.inlet;
  for (const [k, mesh] of rs.deviceMeshes) {
    const slots = rs.deviceSlots.get(k);
    const arr = mesh.instanceColor?.array as Float32Array | undefined;
    if (!slots || !arr || !mesh.instanceColor) continue;
    const { roomIndex, cabinetIndex } = slots;
    const n = roomIndex.length;
    if (mode === 'status') {
      for (let i = 0; i < n; i++) copyRgb(arr, i * 3, STATUS_TABLE, statusOrNone(status[roomIndex[i] as number]), 1);
    } else if (mode === 'inlet') {
      for (let i = 0; i < n; i++) {
        const c = inlet[roomIndex[i] as number] as number;
        if (c === c) rampInto(INLET_STOPS, c, arr, i * 3, 1);
        else copyRgb(arr, i * 3, cab, cabinetIndex[i] as number, 1);
      }
    } else {
      for (let i = 0; i < n; i++) copyRgb(arr, i * 3, cab, cabinetIndex[i] as number, 1);
    }
    if (blink) for (let i = 0; i < n; i++) if (ident[cabinetIndex[i] as number]) writeRgb(arr, i * 3, BLINK, 1);
    for (const [sk, i] of input.suspect?.devices ?? []) if (sk === k) writeRgb(arr, i * 3, SUSPECT_COLOUR, 1);
    mesh.instanceColor.needsUpdate = true;
  }
  return performance.now() - t0;
}

/** The instances of a suspect highlight's devices and cabinets in this scene (ids not in it are left out). */
export function suspectSlots(rs: RoomScene, h: { readonly deviceIds: readonly string[]; readonly cabinetIds: readonly string[] }): SuspectSlots | null {
  const devices = h.deviceIds.flatMap((id) => {
    const slot = rs.deviceInstance.get(id);
    return slot ? [slot] : [];
  });
  const cabinets = h.cabinetIds.flatMap((id) => {
    const ci = rs.cabinetIndex.get(id);
    return ci === undefined ? [] : [ci];
  });
  return devices.length + cabinets.length > 0 ? { devices, cabinets } : null;
}

export type Pick = { cabinetId: string; deviceId: string | null } | null;

/** The cabinet (and device) under a normalised device coordinate, by instance id. */
export function pickAt(rs: RoomScene, camera: THREE.Camera, ndcX: number, ndcY: number, raycaster = new THREE.Raycaster()): Pick {
  raycaster.setFromCamera(new THREE.Vector2(ndcX, ndcY), camera);
  const hits = raycaster.intersectObjects([rs.cabinetMesh, ...rs.deviceMeshes.values()], false);
  const hit = hits.find((h) => h.instanceId !== undefined);
  if (!hit || hit.instanceId === undefined) return null;
  if (hit.object === rs.cabinetMesh) {
    const id = rs.cabinetIds[hit.instanceId];
    return id ? { cabinetId: id, deviceId: null } : null;
  }
  for (const [k, mesh] of rs.deviceMeshes) {
    if (mesh !== hit.object) continue;
    const id = rs.deviceIdsByKind.get(k)?.[hit.instanceId];
    const cab = id ? rs.deviceCabinet.get(id) : undefined;
    return id && cab ? { cabinetId: cab, deviceId: id } : null;
  }
  return null;
}
