// In-page half of the 3D room bench (bundled by test/bench/room3d.ts with esbuild): builds a
// synthetic room of N devices with the real scene code, renders frames and times them,
// then the same for one bare InstancedMesh of N boxes, and times a full colour update.
import * as THREE from 'three';
import type { RoomReadings } from '../../src-shared/domain/fleet';
import type { RoomLayout } from '../../src-shared/domain/inventory';
import { applyColours, buildRoomScene } from '../../src-renderer/views/room3d/scene';
import type { BenchRow } from './room3d-row';

const PER_CABINET = 20;
const PER_ROW = 25;

function syntheticRoom(devices: number): { layout: RoomLayout; readings: RoomReadings } {
  const nCab = Math.ceil(devices / PER_CABINET);
  const nRows = Math.ceil(nCab / PER_ROW);
  const rows = Array.from({ length: nRows }, (_, r) => ({ id: `row-${r}`, roomId: 'bench', name: `R${r + 1}`, xM: 2, yM: 2 + r * 3.6 + (r % 2 ? 1.2 : 0), facing: (r % 2 ? 'south' : 'north') as 'south' | 'north', coldAisle: 'front' as const }));
  const cabinets = Array.from({ length: nCab }, (_, i) => ({ id: `cab-${i}`, rowId: `row-${Math.floor(i / PER_ROW)}`, name: `C${i}`, position: (i % PER_ROW) + 1, uHeight: 42, ratedPowerKw: 8, feedA: 'A', feedB: 'B', widthMm: 600, depthMm: 1200 }));
  const kinds = ['server', 'server', 'server', 'switch', 'pdu'] as const;
  const list = Array.from({ length: devices }, (_, i) => ({ id: `dev-${i}`, cabinetId: `cab-${Math.floor(i / PER_CABINET)}`, kind: kinds[i % kinds.length] ?? 'server', hostname: `h${i}`, sn: `SN${i}`, uPosition: 1 + (i % PER_CABINET) * 2, uHeight: 2 }));
  // Rows of north-facing cabinets start at their east end (the row runs west), so xM is the far corner.
  const layout: RoomLayout = {
    site: { id: 's', name: 'Bench', city: '-' },
    room: { id: 'bench', siteId: 's', name: 'Bench', widthM: PER_ROW * 0.6 + 4, depthM: nRows * 3.6 + 4 },
    rows: rows.map((r) => (r.facing === 'north' ? { ...r, xM: 2 + PER_ROW * 0.6 } : r)),
    cabinets,
    devices: list,
  };
  const statuses = ['up', 'degraded', 'unreachable', 'unknown'] as const;
  const readings: RoomReadings = {
    roomId: 'bench',
    generatedAt: Date.now(),
    cabinets: cabinets.map((c, i) => ({ cabinetId: c.id, powerW: 3000 + (i % 50) * 100, ratedKw: 8, utilisation: (i % 13) / 10, inletC: 18 + (i % 18), readAt: 1, worst: statuses[i % 4] ?? 'up', feed: 'redundant', darkOnA: 0, darkOnB: 0, identifying: [], flags: [] })),
    devices: list.map((d, i) => ({ deviceId: d.id, status: statuses[i % 4] ?? 'up', inletC: 20 + (i % 10), powerW: null })),
  };
  return { layout, readings };
}

function timeFrames(renderer: THREE.WebGLRenderer, scene: THREE.Scene, camera: THREE.Camera, frames: number): { msPerFrame: number; calls: number } {
  const gl = renderer.getContext();
  const px = new Uint8Array(4);
  renderer.render(scene, camera); // warm-up: shader compile, buffer upload
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    camera.position.x += 0.001;
    renderer.render(scene, camera);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px); // waits for the frame to finish
  }
  return { msPerFrame: (performance.now() - t0) / frames, calls: renderer.info.render.calls };
}


function run(devices: number, frames: number): BenchRow {
  const canvas = document.createElement('canvas');
  document.body.appendChild(canvas);
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: false });
  renderer.setPixelRatio(1);
  renderer.setSize(640, 400);
  const { layout, readings } = syntheticRoom(devices);
  const rs = buildRoomScene(layout);
  const camera = new THREE.PerspectiveCamera(50, 640 / 400, 0.1, 500);
  const w = rs.placement.widthM;
  const d = rs.placement.depthM;
  camera.position.set(w / 2, Math.max(w, d) * 0.8 + 4, d + Math.max(w, d) * 0.35);
  camera.lookAt(w / 2, 0, d / 2);
  applyColours(rs, { mode: 'status', readings, liveStatus: {}, blinkOn: false, selectedCabinetId: null });
  const room = timeFrames(renderer, rs.scene, camera, frames);
  // A full colour update (every cabinet and device), best of 5: main-thread ms.
  let colourMs = Infinity;
  for (let i = 0; i < 5; i++) colourMs = Math.min(colourMs, applyColours(rs, { mode: i % 2 ? 'power' : 'status', readings, liveStatus: {}, blinkOn: false, selectedCabinetId: null }));
  const instances = rs.cabinetIds.length + rs.deviceCabinet.size;
  rs.dispose();

  // The floor to compare with: one InstancedMesh, the same instance count, same material, nothing else.
  const bare = new THREE.Scene();
  bare.add(new THREE.HemisphereLight(0xffffff, 0x404858, 2.2));
  const mesh = new THREE.InstancedMesh(new THREE.BoxGeometry(1, 1, 1), new THREE.MeshLambertMaterial(), instances);
  const m = new THREE.Matrix4();
  const cab = rs.placement.cabinets;
  const dev = rs.placement.devices;
  const all = [...cab, ...dev];
  all.forEach((p, i) => {
    m.compose(new THREE.Vector3(p.x, p.y, p.z), new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(0, 1, 0), p.rotY), new THREE.Vector3(p.w, p.h, p.d));
    mesh.setMatrixAt(i, m);
    mesh.setColorAt(i, new THREE.Color(0x2fb56a));
  });
  bare.add(mesh);
  const floor = timeFrames(renderer, bare, camera, frames);
  renderer.dispose();
  canvas.remove();
  return { devices, instances, roomCalls: room.calls, roomMs: room.msPerFrame, bareCalls: floor.calls, bareMs: floor.msPerFrame, colourMs };
}

(globalThis as unknown as { runRoom3dBench: typeof run }).runRoom3dBench = run;
