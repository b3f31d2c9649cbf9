// The 3D room's three.js scene, built once per room from its placement: a floor grid sized
// to the room, aisle strips, row labels (canvas-texture sprites), ONE InstancedMesh for the
// cabinets and one per device kind, colours per instance (instanceColor). Live data only
// rewrites the colour buffers (applyColours, timed); picking raycasts the instanced meshes,
// which return the instanceId, mapped back to a cabinet or device id.
import * as THREE from 'three';
import type { DeviceKind, RoomLayout } from '../../../src-shared/domain/inventory';
import type { CabinetReading, RoomReadings, RoomDeviceStatus } from '../../../src-shared/domain/fleet';
import { cabinetColour, deviceColour, type ColourMode, type Rgb } from './colour';
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
  const deviceMeshes = new Map<DeviceKind, THREE.InstancedMesh>();
  const deviceIdsByKind = new Map<DeviceKind, string[]>();
  for (const [k, list] of byKind) {
    const mesh = instanced(list.length, new THREE.MeshLambertMaterial({ color: 0xffffff, emissive: 0x111111 }));
    list.forEach((dv, i) => setMatrix(mesh, i, dv));
    mesh.name = `devices:${k}`;
    deviceMeshes.set(k, mesh);
    deviceIdsByKind.set(
      k,
      list.map((dv) => dv.id),
    );
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

function write(arr: Float32Array, i: number, c: Rgb, dim: number): void {
  arr[i * 3] = c[0] * dim;
  arr[i * 3 + 1] = c[1] * dim;
  arr[i * 3 + 2] = c[2] * dim;
}

/** Rewrites every instance's colour from the readings and mode; geometry is untouched. Returns ms spent. */
export function applyColours(rs: RoomScene, input: ColourInput): number {
  const t0 = performance.now();
  const cabReading = new Map<string, CabinetReading>();
  const identifying = new Set<string>();
  for (const c of input.readings?.cabinets ?? []) {
    cabReading.set(c.cabinetId, c);
    if (c.identifying.length > 0) identifying.add(c.cabinetId);
  }
  const devReading = new Map<string, { status: RoomDeviceStatus; inletC: number | null }>();
  for (const dv of input.readings?.devices ?? []) devReading.set(dv.deviceId, dv);
  for (const [id, status] of Object.entries(input.liveStatus)) devReading.set(id, { status, inletC: devReading.get(id)?.inletC ?? null });

  const carr = rs.cabinetMesh.instanceColor?.array as Float32Array | undefined;
  if (carr) {
    rs.cabinetIds.forEach((id, i) => {
      const blink = input.blinkOn && identifying.has(id);
      // Cabinets are drawn a little darker than their devices, the selection brighter.
      write(carr, i, blink ? BLINK : cabinetColour(input.mode, cabReading.get(id)), id === input.selectedCabinetId ? 1 : 0.7);
    });
    if (rs.cabinetMesh.instanceColor) rs.cabinetMesh.instanceColor.needsUpdate = true;
  }
  for (const [k, mesh] of rs.deviceMeshes) {
    const ids = rs.deviceIdsByKind.get(k) ?? [];
    const arr = mesh.instanceColor?.array as Float32Array | undefined;
    if (!arr) continue;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      const cab = rs.deviceCabinet.get(id) ?? '';
      const blink = input.blinkOn && identifying.has(cab);
      write(arr, i, blink ? BLINK : deviceColour(input.mode, devReading.get(id), cabReading.get(cab)), 1);
    }
    if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
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
