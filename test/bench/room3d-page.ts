// In-page half of the 3D room bench (bundled by test/bench/room3d.ts with esbuild): builds a
// synthetic room of N devices with the real scene code and one bare InstancedMesh of the
// same N boxes, renders both in turns and times their frames, then times a full colour
// update when the mode changes and when a new readings object arrives.
import * as THREE from 'three';
import type { RoomReadings } from '../../src-shared/domain/fleet';
import type { RoomLayout } from '../../src-shared/domain/inventory';
import { applyColours, buildRoomScene, type RoomScene } from '../../src-renderer/views/room3d/scene';
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
    camera.position.x += i % 2 ? -0.001 : 0.001;
    renderer.render(scene, camera);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px); // waits for the frame to finish
  }
  return { msPerFrame: (performance.now() - t0) / frames, calls: renderer.info.render.calls };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** The floor to compare with: one InstancedMesh, the same instance count, same material, hemisphere light, nothing else. */
function bareScene(rs: RoomScene): THREE.Scene {
  const bare = new THREE.Scene();
  bare.add(new THREE.HemisphereLight(0xffffff, 0x404858, 2.2));
  const all = [...rs.placement.cabinets, ...rs.placement.devices];
  const mesh = new THREE.InstancedMesh(new THREE.BoxGeometry(1, 1, 1), new THREE.MeshLambertMaterial(), all.length);
  const m = new THREE.Matrix4();
  all.forEach((p, i) => {
    m.compose(new THREE.Vector3(p.x, p.y, p.z), new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(0, 1, 0), p.rotY), new THREE.Vector3(p.w, p.h, p.d));
    mesh.setMatrixAt(i, m);
    mesh.setColorAt(i, new THREE.Color(0x2fb56a));
  });
  bare.add(mesh);
  return bare;
}

/** A copy of the readings as the wire brings them (a new object every poll), a few statuses changed. */
function nextPoll(r: RoomReadings, k: number): RoomReadings {
  const copy = JSON.parse(JSON.stringify(r)) as { devices: { status: string }[] };
  for (let i = k; i < copy.devices.length; i += 97) (copy.devices[i] as { status: string }).status = 'unreachable';
  return copy as unknown as RoomReadings;
}

function run(devices: number, frames: number, rounds: number): BenchRow {
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
  const input = { liveStatus: {}, blinkOn: false, selectedCabinetId: null };
  applyColours(rs, { ...input, mode: 'status', readings });
  const bare = bareScene(rs);
  // Room and bare in turns, so drift on a shared machine hits both alike: the median round of
  // each, and the median of each round's room/bare ratio (a pair measured side by side).
  const roomMs: number[] = [];
  const bareMs: number[] = [];
  const ratios: number[] = [];
  let roomCalls = 0;
  let bareCalls = 0;
  for (let r = 0; r < rounds; r++) {
    const a = timeFrames(renderer, rs.scene, camera, frames);
    const b = timeFrames(renderer, bare, camera, frames);
    roomMs.push(a.msPerFrame);
    bareMs.push(b.msPerFrame);
    ratios.push(a.msPerFrame / b.msPerFrame);
    roomCalls = a.calls;
    bareCalls = b.calls;
  }
  // A full colour update (every cabinet and device), main-thread ms, median of 7 after 2 warm-ups:
  // the mode changes (same readings), and a new readings object arrives (status mode).
  const modes = ['power', 'status', 'inlet', 'feed', 'alarms', 'power', 'status', 'inlet', 'feed'] as const;
  const modeMs = modes.map((mode) => applyColours(rs, { ...input, mode, readings })).slice(2);
  const polls = Array.from({ length: 9 }, (_, k) => nextPoll(readings, k));
  const pollMs = polls.map((r) => applyColours(rs, { ...input, mode: 'status', readings: r })).slice(2);
  const instances = rs.cabinetIds.length + rs.deviceCabinet.size;
  rs.dispose();
  renderer.dispose();
  canvas.remove();
  return { devices, instances, roomCalls, roomMs: median(roomMs), bareCalls, bareMs: median(bareMs), ratio: median(ratios), colourModeMs: median(modeMs), colourReadingsMs: median(pollMs) };
}

(globalThis as unknown as { runRoom3dBench: typeof run }).runRoom3dBench = run;
