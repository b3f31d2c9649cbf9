// The 3D room's three.js scene, built once per room from its placement: a floor grid sized
// to the room, aisle strips, row labels (canvas-texture sprites), ONE InstancedMesh for the
// cabinets and one per device kind, colours per instance (instanceColor). Live data only
// rewrites the colour buffers (applyColours, timed: readings decoded into typed arrays once
// per readings object, then flat loops over per-instance index arrays built here); picking
// raycasts the instanced meshes, which return the instanceId, mapped back to a cabinet or device id.
import * as THREE from 'three';
import type { DeviceKind, RoomLayout } from '../../../src-shared/domain/inventory';
import type { CabinetReading, DeviceReading, RoomReadings, RoomDeviceStatus } from '../../../src-shared/domain/fleet';
import { ALARM_TABLE, alarmCode, copyRgb, FEED_TABLE, feedCode, INLET_STOPS, NO_DATA, POWER_STOPS, rampInto, STATUS_TABLE, statusCode, statusOrNone, writeRgb, type ColourMode, type Rgb } from './colour';
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
  dispose(): void;
}

export interface ColourInput {
  readonly mode: ColourMode;
  readonly readings: RoomReadings | null;
  readonly liveStatus: Readonly<Record<string, RoomDeviceStatus>>;
  /** Blink phase: identifying cabinets (and their devices) are drawn white when true. */
  readonly blinkOn: boolean;
  readonly selectedCabinetId: string | null;
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

/**
 * The floor as one canvas texture: the room's outline, aisle strips (cold blue, hot red) and
 * the row labels painted on it, so marks and labels cost one draw call however many rows.
 */
function floorTexture(p: RoomPlacement, w: number, d: number): THREE.CanvasTexture {
  const ppm = Math.max(8, Math.min(64, Math.floor(2048 / Math.max(w, d))));
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(w * ppm);
  canvas.height = Math.ceil(d * ppm);
  const g = canvas.getContext('2d');
  if (g) {
    g.fillStyle = '#1b212b';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.strokeStyle = '#56637a';
    g.lineWidth = 3;
    g.strokeRect(1, 1, canvas.width - 2, canvas.height - 2);
    for (const a of p.aisles) {
      g.save();
      g.translate(a.x * ppm, a.z * ppm);
      g.rotate(-a.rotY);
      g.fillStyle = a.kind === 'cold' ? 'rgba(47, 127, 224, 0.45)' : 'rgba(224, 74, 48, 0.40)';
      g.fillRect((-a.length / 2) * ppm, (-a.width / 2) * ppm, a.length * ppm, a.width * ppm);
      g.restore();
    }
    g.fillStyle = '#e8edf5';
    g.font = `bold ${Math.round(ppm * 0.45)}px sans-serif`;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    for (const l of p.labels) g.fillText(l.name, l.x * ppm, l.z * ppm);
  }
  const tex = new THREE.CanvasTexture(canvas);
  tex.colorSpace = THREE.SRGBColorSpace;
  return tex;
}

/** Builds the room's scene once; colours start grey until applyColours runs. */
export function buildRoomScene(layout: RoomLayout, placement: RoomPlacement = placeRoom(layout)): RoomScene {
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0x10141b);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x404858, 2.2));
  const sun = new THREE.DirectionalLight(0xffffff, 1.2);
  sun.position.set(placement.widthM * 0.3, 12, placement.depthM * 0.2);
  scene.add(sun);

  const w = Math.max(1, placement.widthM);
  const d = Math.max(1, placement.depthM);
  const floor = new THREE.Mesh(new THREE.PlaneGeometry(w, d), new THREE.MeshBasicMaterial({ map: floorTexture(placement, w, d) }));
  floor.rotation.x = -Math.PI / 2;
  floor.position.set(w / 2, 0, d / 2);
  scene.add(floor);
  const size = Math.max(w, d);
  const grid = new THREE.GridHelper(size, Math.max(1, Math.round(size / 0.6)), 0x3a4454, 0x283040);
  grid.position.set(size / 2, 0.002, size / 2);
  scene.add(grid);

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

/** The readings decoded into typed arrays, once per readings object (each poll brings a new one). */
interface Decoded {
  readings: RoomReadings | null;
  /** readings.devices[i].deviceId as last seen, and its room-device index (-1: not in this room). */
  devIds: string[];
  devPos: Int32Array;
  cabIds: string[];
  cabPos: Int32Array;
  /** Per room device: status code (-1: no reading), inlet (NaN: none). */
  status: Int8Array;
  inlet: Float32Array;
  /** Per cabinet, plus one "no cabinet" slot at the end: has a reading, worst, utilisation, inlet, feed, alarm level, identifying. */
  cabHas: Uint8Array;
  cabWorst: Int8Array;
  cabUtil: Float32Array;
  cabInlet: Float32Array;
  cabFeed: Int8Array;
  cabAlarm: Int8Array;
  ident: Uint8Array;
  anyIdentifying: boolean;
  /** Scratch: statuses with liveStatus folded on top; cabinet colours of the current mode. */
  liveStatus: Int8Array;
  cabRgb: Float32Array;
}

const decodedOf = new WeakMap<RoomScene, Decoded>();

/** Maps each position of a readings list to an index here (-1: not here), reusing last time's mapping where the id at a position is unchanged (the core answers in a stable order). */
function positions<T>(list: readonly T[], idOf: (t: T) => string, ids: string[], pos: Int32Array, index: ReadonlyMap<string, number>): Int32Array {
  const n = list.length;
  let out = pos;
  if (pos.length < n) {
    out = new Int32Array(n);
    out.set(pos);
  }
  if (ids.length > n) ids.length = n;
  for (let i = 0; i < n; i++) {
    const id = idOf(list[i] as T);
    if (ids[i] === id) continue;
    ids[i] = id;
    out[i] = index.get(id) ?? -1;
  }
  return out;
}

const deviceIdOf = (d: DeviceReading): string => d.deviceId;
const cabinetIdOf = (c: CabinetReading): string => c.cabinetId;

function decode(rs: RoomScene, dec: Decoded, readings: RoomReadings | null): void {
  dec.readings = readings;
  dec.status.fill(-1);
  dec.inlet.fill(NaN);
  dec.cabHas.fill(0);
  dec.ident.fill(0);
  dec.anyIdentifying = false;
  const devs = readings?.devices ?? [];
  dec.devPos = positions(devs, deviceIdOf, dec.devIds, dec.devPos, rs.deviceIndex);
  for (let i = 0; i < devs.length; i++) {
    const ri = dec.devPos[i] as number;
    const d = devs[i] as (typeof devs)[number];
    if (ri < 0) continue;
    dec.status[ri] = statusCode(d.status);
    dec.inlet[ri] = d.inletC !== null && Number.isFinite(d.inletC) ? d.inletC : NaN;
  }
  const cabs = readings?.cabinets ?? [];
  dec.cabPos = positions(cabs, cabinetIdOf, dec.cabIds, dec.cabPos, rs.cabinetIndex);
  for (let i = 0; i < cabs.length; i++) {
    const ci = dec.cabPos[i] as number;
    const c = cabs[i] as CabinetReading;
    if (ci < 0) continue;
    dec.cabHas[ci] = 1;
    dec.cabWorst[ci] = statusCode(c.worst);
    dec.cabUtil[ci] = c.utilisation ?? NaN;
    dec.cabInlet[ci] = c.inletC ?? NaN;
    dec.cabFeed[ci] = feedCode(c.feed);
    dec.cabAlarm[ci] = alarmCode(c.flags);
    if (c.identifying.length > 0) {
      dec.ident[ci] = 1;
      dec.anyIdentifying = true;
    }
  }
}

function decodedFor(rs: RoomScene): Decoded {
  let dec = decodedOf.get(rs);
  if (dec) return dec;
  const nDev = rs.deviceIndex.size;
  const nCab = rs.cabinetIds.length + 1; // the last slot: no cabinet
  dec = {
    readings: null, devIds: [], devPos: new Int32Array(0), cabIds: [], cabPos: new Int32Array(0),
    status: new Int8Array(nDev), inlet: new Float32Array(nDev),
    cabHas: new Uint8Array(nCab), cabWorst: new Int8Array(nCab), cabUtil: new Float32Array(nCab), cabInlet: new Float32Array(nCab),
    cabFeed: new Int8Array(nCab), cabAlarm: new Int8Array(nCab), ident: new Uint8Array(nCab), anyIdentifying: false,
    liveStatus: new Int8Array(nDev), cabRgb: new Float32Array(nCab * 3),
  };
  decode(rs, dec, null);
  decodedOf.set(rs, dec);
  return dec;
}

/** Each cabinet's colour in this mode into dec.cabRgb (NO_DATA without a reading, and in the last slot). */
function cabinetColours(mode: ColourMode, dec: Decoded): void {
  const out = dec.cabRgb;
  const n = dec.cabHas.length;
  for (let ci = 0; ci < n; ci++) {
    const o = ci * 3;
    if (!dec.cabHas[ci]) writeRgb(out, o, NO_DATA, 1);
    else if (mode === 'status') copyRgb(out, o, STATUS_TABLE, statusOrNone(dec.cabWorst[ci]), 1);
    else if (mode === 'power') {
      const u = dec.cabUtil[ci] as number;
      if (Number.isFinite(u)) rampInto(POWER_STOPS, Math.max(0, u), out, o, 1);
      else writeRgb(out, o, NO_DATA, 1);
    } else if (mode === 'inlet') {
      const c = dec.cabInlet[ci] as number;
      if (Number.isFinite(c)) rampInto(INLET_STOPS, c, out, o, 1);
      else writeRgb(out, o, NO_DATA, 1);
    } else if (mode === 'feed') copyRgb(out, o, FEED_TABLE, dec.cabFeed[ci] as number, 1);
    else copyRgb(out, o, ALARM_TABLE, dec.cabAlarm[ci] as number, 1);
  }
}

/**
 * Rewrites every instance's colour from the readings and mode; geometry is untouched. Returns
 * ms spent. The readings are decoded into typed arrays once per readings object; after that
 * a mode, selection or blink change is one pass over flat arrays, writing no objects.
 */
export function applyColours(rs: RoomScene, input: ColourInput): number {
  const t0 = performance.now();
  const dec = decodedFor(rs);
  if (dec.readings !== input.readings) decode(rs, dec, input.readings);
  let status = dec.status;
  const live = Object.keys(input.liveStatus);
  if (live.length > 0) {
    status = dec.liveStatus;
    status.set(dec.status);
    for (const id of live) {
      const ri = rs.deviceIndex.get(id);
      if (ri !== undefined) status[ri] = statusCode(input.liveStatus[id] as RoomDeviceStatus);
    }
  }
  const { mode } = input;
  cabinetColours(mode, dec);
  const cab = dec.cabRgb;
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
    mesh.instanceColor.needsUpdate = true;
  }
  return performance.now() - t0;
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
