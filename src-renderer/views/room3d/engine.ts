// Runs one room's scene in a canvas: the WebGL renderer, orbit controls, a render loop that
// draws only when something moved (camera, colours, a blink), camera flights (fly-to a
// cabinet, a walk along an aisle), pointer picking and the test hook window.__room3d.
// Colours come from the app store's room3d slice through subscribe/getState, never through React;
// the probe matrix's top suspect, when it is in this room, is written over them (suspect-highlight.ts).
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { RoomLayout } from '../../../src-shared/domain/inventory';
import type { Room3dState, RoomProbeSuspect } from '../../stores/room3d/slice';
import { useAppStore } from '../../stores/store';
import { applyColours, buildRoomScene, pickAt, suspectSlots, type Pick, type RoomScene, type SuspectSlots } from './scene';
import { suspectHighlight } from './suspect-highlight';
import { CABINET_TOP_M, viewpointOf } from './placement';

export interface Room3dHook {
  calls: number;
  triangles: number;
  frames: number;
  colourMs: number;
  instances: { cabinets: number; devices: number };
  /** The layout drawn (tests pick a cabinet and a device's SN from it). */
  layout: RoomLayout;
  /** Whether the camera is flying. */
  flying: boolean;
  project(cabinetId: string): { x: number; y: number } | null;
  /** The centre of a device's front, in CSS pixels relative to the canvas, or null. */
  projectDevice(deviceId: string): { x: number; y: number } | null;
  /** The devices and cabinets drawn in the probe suspect colour now. */
  suspect: { deviceIds: string[]; cabinetIds: string[] };
  pixelAt(x: number, y: number): [number, number, number, number];
}

declare global {
  interface Window {
    __room3d?: Room3dHook;
  }
}

const BLINK_MS = 500;

/** True when the browser can give this page a WebGL context (SwiftShader counts). */
export function hasWebGl(): boolean {
  try {
    const c = document.createElement('canvas');
    return Boolean(c.getContext('webgl2') ?? c.getContext('webgl'));
  } catch {
    return false;
  }
}

interface Flight {
  from: { eye: THREE.Vector3; target: THREE.Vector3 };
  path: { eye: THREE.Vector3; target: THREE.Vector3 }[];
  start: number;
  msPerLeg: number;
  done?: () => void;
}

export class Room3dEngine {
  readonly renderer: THREE.WebGLRenderer;
  readonly camera: THREE.PerspectiveCamera;
  readonly controls: OrbitControls;
  readonly room: RoomScene;
  private dirty = true;
  private raf = 0;
  private frames = 0;
  private flight: Flight | null = null;
  private blinkOn = false;
  private lastBlink = 0;
  private colourMs = 0;
  private suspectFor: RoomProbeSuspect | null | undefined = undefined;
  private suspect: SuspectSlots | null = null;
  private suspectIds: { deviceIds: string[]; cabinetIds: string[] } = { deviceIds: [], cabinetIds: [] };
  private unsub: () => void;
  private readonly raycaster = new THREE.Raycaster();
  private readonly resize: ResizeObserver;

  constructor(
    private readonly host: HTMLElement,
    private readonly layout: RoomLayout,
  ) {
    this.renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true, powerPreference: 'high-performance' });
    this.renderer.setPixelRatio(1);
    this.renderer.info.autoReset = true;
    host.appendChild(this.renderer.domElement);
    this.renderer.domElement.dataset.testid = 'room3d-canvas';
    this.room = buildRoomScene(layout);
    const { widthM: w, depthM: d } = this.room.placement;
    this.camera = new THREE.PerspectiveCamera(50, 1, 0.1, Math.max(200, (w + d) * 3));
    this.camera.position.set(w / 2, Math.max(w, d) * 0.8 + 4, d + Math.max(w, d) * 0.35);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.target.set(w / 2, 0, d / 2);
    this.controls.maxPolarAngle = Math.PI / 2 - 0.05;
    this.controls.addEventListener('change', () => (this.dirty = true));
    this.controls.update();
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(host);
    this.fit();
    this.recolour(useAppStore.getState().room3d);
    this.unsub = useAppStore.subscribe((state, prevState) => {
      const s = state.room3d;
      const prev = prevState.room3d;
      if (s === prev) return;
      if (s.colourSeq !== prev.colourSeq || s.selectedCabinetId !== prev.selectedCabinetId) this.recolour(s);
      if (s.focus && s.focus !== prev.focus) this.flyTo(s.focus.cabinetId);
    });
    const f = useAppStore.getState().room3d.focus;
    if (f) this.flyTo(f.cabinetId, 0);
    this.installHook();
    this.raf = requestAnimationFrame(this.tick);
  }

  private fit(): void {
    const w = Math.max(1, this.host.clientWidth);
    const h = Math.max(1, this.host.clientHeight);
    this.renderer.setSize(w, h, true);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }

  private recolour(s: Room3dState): void {
    if (s.probeSuspect !== this.suspectFor) {
      this.suspectFor = s.probeSuspect;
      const h = suspectHighlight(s.probeSuspect?.component ?? null, this.layout);
      this.suspect = suspectSlots(this.room, h);
      this.suspectIds = { deviceIds: [...h.deviceIds], cabinetIds: [...h.cabinetIds] };
      this.host.dataset.suspect = h.deviceIds.join(' ');
    }
    this.colourMs = applyColours(this.room, { mode: s.mode, readings: s.readings, liveStatus: s.liveStatus, blinkOn: this.blinkOn, selectedCabinetId: s.selectedCabinetId, suspect: this.suspect });
    this.dirty = true;
  }

  private readonly tick = (now: number): void => {
    this.raf = requestAnimationFrame(this.tick);
    const s = useAppStore.getState().room3d;
    if (s.readings?.cabinets.some((c) => c.identifying.length > 0) && now - this.lastBlink >= BLINK_MS) {
      this.lastBlink = now;
      this.blinkOn = !this.blinkOn;
      this.recolour(s);
    } else if (this.blinkOn && !s.readings?.cabinets.some((c) => c.identifying.length > 0)) {
      this.blinkOn = false;
      this.recolour(s);
    }
    if (this.flight) this.stepFlight(now);
    if (!this.dirty) return;
    this.dirty = false;
    this.renderer.render(this.room.scene, this.camera);
    this.frames++;
    this.host.dataset.frames = String(this.frames);
    this.host.dataset.calls = String(this.renderer.info.render.calls);
  };

  private stepFlight(now: number): void {
    const f = this.flight;
    if (!f) return;
    const t = (now - f.start) / f.msPerLeg;
    const leg = Math.min(f.path.length - 1, Math.floor(t));
    const a = leg === 0 ? f.from : f.path[leg - 1];
    const b = f.path[leg];
    if (!a || !b) return;
    const k = Math.min(1, t - leg);
    const e = f.path.length === 1 ? k * k * (3 - 2 * k) : k; // ease a single flight, walk at constant speed
    this.camera.position.lerpVectors(a.eye, b.eye, e);
    this.controls.target.lerpVectors(a.target, b.target, e);
    this.camera.lookAt(this.controls.target);
    this.dirty = true;
    if (t >= f.path.length) {
      this.flight = null;
      this.controls.update();
      f.done?.();
      this.host.dataset.arrived = String(now);
    }
  }

  private startFlight(path: Flight['path'], msPerLeg: number): void {
    this.flight = { from: { eye: this.camera.position.clone(), target: this.controls.target.clone() }, path, start: performance.now(), msPerLeg: Math.max(1, msPerLeg) };
    this.host.dataset.arrived = '';
    this.dirty = true;
  }

  /** Flies to stand in front of a cabinet, looking at it. */
  flyTo(cabinetId: string, ms = 700): void {
    const c = this.room.cabinetById.get(cabinetId);
    if (!c) return;
    const v = viewpointOf(c);
    this.host.dataset.focus = cabinetId;
    this.startFlight([{ eye: new THREE.Vector3(...v.eye), target: new THREE.Vector3(...v.target) }], ms);
  }

  /** Walks the front aisle of a cabinet's row at eye height, from one end to the other. */
  walkAisle(cabinetId: string): void {
    const c = this.room.cabinetById.get(cabinetId);
    if (!c) return;
    const row = this.room.placement.cabinets.filter((x) => x.rowId === c.rowId);
    const first = row[0];
    const last = row[row.length - 1];
    if (!first || !last) return;
    const off = (x: typeof c): THREE.Vector3 => new THREE.Vector3(x.x + x.front[0] * (x.d / 2 + 0.6), 1.6, x.z + x.front[1] * (x.d / 2 + 0.6));
    const dir = off(last).sub(off(first)).normalize();
    const ahead = (p: THREE.Vector3): THREE.Vector3 => p.clone().addScaledVector(dir, 2).setY(1.2);
    const legs = [off(first), off(last)].map((eye) => ({ eye, target: ahead(eye) }));
    this.startFlight(legs, Math.max(1500, row.length * 350));
  }

  pick(clientX: number, clientY: number): Pick {
    const r = this.renderer.domElement.getBoundingClientRect();
    return pickAt(this.room, this.camera, ((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1, this.raycaster);
  }

  /** A point on a cabinet's front in its top band (above the highest U: cabinet colour, no device), in CSS pixels relative to the canvas, or null when unknown or behind the camera. */
  project(cabinetId: string): { x: number; y: number } | null {
    const c = this.room.cabinetById.get(cabinetId);
    if (!c) return null;
    const p = new THREE.Vector3(c.x + c.front[0] * (c.d / 2 + 0.002), c.h - CABINET_TOP_M / 2, c.z + c.front[1] * (c.d / 2 + 0.002)).project(this.camera);
    if (p.z > 1) return null;
    const el = this.renderer.domElement;
    return { x: ((p.x + 1) / 2) * el.clientWidth, y: ((1 - p.y) / 2) * el.clientHeight };
  }

  /** The centre of a device's front (just proud of it), in CSS pixels relative to the canvas, or null. */
  projectDevice(deviceId: string): { x: number; y: number } | null {
    const dv = this.room.placement.devices.find((x) => x.id === deviceId);
    const c = dv ? this.room.cabinetById.get(dv.cabinetId) : undefined;
    if (!dv || !c) return null;
    const p = new THREE.Vector3(dv.x + c.front[0] * (dv.d / 2 + 0.002), dv.y, dv.z + c.front[1] * (dv.d / 2 + 0.002)).project(this.camera);
    if (p.z > 1) return null;
    const el = this.renderer.domElement;
    return { x: ((p.x + 1) / 2) * el.clientWidth, y: ((1 - p.y) / 2) * el.clientHeight };
  }

  private installHook(): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the hook's getters read this engine
    const engine: Room3dEngine = this;
    window.__room3d = {
      get calls() {
        return engine.renderer.info.render.calls;
      },
      get triangles() {
        return engine.renderer.info.render.triangles;
      },
      get frames() {
        return engine.frames;
      },
      get colourMs() {
        return engine.colourMs;
      },
      instances: { cabinets: this.room.cabinetIds.length, devices: this.room.deviceCabinet.size },
      layout: this.layout,
      get flying() {
        return engine.flight !== null;
      },
      project: (id) => engine.project(id),
      projectDevice: (id) => engine.projectDevice(id),
      get suspect() {
        return engine.suspectIds;
      },
      pixelAt: (x, y) => {
        const gl = engine.renderer.getContext();
        const out = new Uint8Array(4);
        engine.renderer.render(engine.room.scene, engine.camera);
        gl.readPixels(Math.round(x), Math.round(engine.renderer.domElement.height - y), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, out);
        return [out[0] ?? 0, out[1] ?? 0, out[2] ?? 0, out[3] ?? 0];
      },
    };
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.unsub();
    this.resize.disconnect();
    this.controls.dispose();
    this.room.dispose();
    this.renderer.dispose();
    this.renderer.domElement.remove();
    if (window.__room3d) delete window.__room3d;
  }
}
