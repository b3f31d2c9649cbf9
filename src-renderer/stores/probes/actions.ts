// Probe views' actions, writing the app store's probes slice (through patch): open the matrix the
// route names (thresholds once, the matrix, and a new one on every onDidProbeMinute while the
// scrubber is at the newest minute; read again after a reconnect), scrub to a time, switch the
// metric, hover, a pair's history on click, drill from two ToRs to their servers and back
// (through the route, so the browser's back button works too), a host on the 3D room view, and
// the public network's quality. Answers to older requests are dropped (a fast scrub asks many).
import type { Disposable } from '../../../src-shared/api';
import type { MatrixLevel } from '../../../src-shared/domain/probe';
import { getClient } from '../client';
import { navigate } from '../fleet/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import type { MatrixHover, MatrixMetric, ProbesState, PublicMetric } from './slice';

const get = () => useAppStore.getState().probes;
const set = (p: Partial<ProbesState> | ((s: ProbesState) => Partial<ProbesState>)) => patch('probes', p);

/** The public network's window (minutes) the map shows. */
export const PUBLIC_WINDOW_MIN = 10;

let matrixSeq = 0;

/** Asks for the matrix of the current request; an answer to an older request is dropped. */
export async function loadMatrix(): Promise<void> {
  const req = get().request;
  if (!req) return;
  const mine = ++matrixSeq;
  try {
    const args = { level: req.level, ...(req.at !== null ? { at: req.at } : {}), ...(req.tors ? { tors: [req.tors[0], req.tors[1]] as [string, string] } : {}) };
    const matrix = await getClient().call('probes.matrix', args);
    if (mine === matrixSeq) set((s) => ({ matrix, matrixError: null, matrixSeq: s.matrixSeq + 1, hover: null }));
  } catch (err) {
    if (mine === matrixSeq) set({ matrixError: toShownError(err) });
  }
}

export async function loadThresholds(): Promise<void> {
  try {
    const thresholds = await getClient().call('probes.thresholds', undefined);
    set((s) => ({ thresholds, matrixSeq: s.matrixSeq + 1 }));
  } catch (err) {
    set({ matrixError: toShownError(err) });
  }
}

let live: Disposable | null = null;

/**
 * Opens the matrix at a level (with tors: the server matrix of those two ToRs) and follows new
 * minutes until disposed. Another level or pair of ToRs keeps the metric and the subscription
 * but forgets the scrubbed time and the open pair.
 */
export function openMatrix(level: MatrixLevel, tors: readonly [string, string] | null): Disposable {
  const prev = get().request;
  const same = prev && prev.level === level && prev.tors?.[0] === tors?.[0] && prev.tors?.[1] === tors?.[1];
  // A drill-down keeps the clicked ToR pair's history open beside the servers of those two ToRs.
  const pair = get().pair;
  const keepPair = pair && tors && pair.level === 'tor' && pair.a === tors[0] && pair.b === tors[1];
  if (!same) set({ request: { level, tors, at: null }, matrix: null, matrixError: null, pair: keepPair ? pair : null, hover: null, roomLinkError: null });
  live?.dispose();
  const minute = getClient().on('onDidProbeMinute', () => {
    if (get().request?.at === null) void loadMatrix();
  });
  // An agent that connects or goes away changes the white crosses now, not at the next minute.
  const connected = new Map<string, boolean>();
  const agent = getClient().on('onDidChangeAgent', (a) => {
    const was = connected.get(a.id);
    connected.set(a.id, a.connected);
    if (was !== undefined && was !== a.connected && get().request?.at === null) void loadMatrix();
  });
  const sub = { dispose: () => (minute.dispose(), agent.dispose()) };
  const unsubscribe = useAppStore.subscribe((s, p) => {
    if (p.session.phase === 'reconnecting' && s.session.phase === 'ready') void loadMatrix();
  });
  const mine: Disposable = { dispose: () => (sub.dispose(), unsubscribe(), live === mine && (live = null)) };
  live = mine;
  if (!get().thresholds) void loadThresholds();
  void loadMatrix();
  return mine;
}

/** The scrubber: the window ending at `at` (ms), or null for the newest minute (live). */
export function setMatrixAt(at: number | null): void {
  const req = get().request;
  if (!req || req.at === at) return;
  set({ request: { ...req, at } });
  void loadMatrix();
}

export function setMatrixMetric(metric: MatrixMetric): void {
  set((s) => ({ metric, matrixSeq: s.matrixSeq + 1 }));
}

export function setMatrixLevel(level: MatrixLevel): void {
  navigate({ view: 'matrix', level, tors: null });
}

export function setMatrixHover(hover: MatrixHover | null): void {
  const h = get().hover;
  if (h === hover || (h && hover && h.row === hover.row && h.col === hover.col && h.x === hover.x && h.y === hover.y)) return;
  set({ hover });
}

/** Cell (row, col) of the open matrix clicked: its pair's minutes both ways, in the side panel. */
export async function openPair(row: number, col: number): Promise<void> {
  const m = get().matrix;
  const a = m?.rows.ids[row];
  const b = m?.cols.ids[col];
  if (!m || a === undefined || b === undefined) return;
  const pair = { level: m.level, a, b, aLabel: m.rows.labels[row] ?? a, bLabel: m.cols.labels[col] ?? b };
  set({ pair: { ...pair, figures: null, error: null } });
  const same = () => get().pair?.a === a && get().pair?.b === b && get().pair?.level === pair.level;
  try {
    const figures = await getClient().call('probes.pair', { level: m.level, a, b });
    if (same()) set({ pair: { ...pair, figures, error: null } });
  } catch (err) {
    if (same()) set({ pair: { ...pair, figures: null, error: toShownError(err) } });
  }
}

export function closePair(): void {
  set({ pair: null });
}

/** A ToR-level cell: the server matrix of its two ToRs (one ToR twice for a diagonal cell). */
export function drillDown(torA: string, torB: string): void {
  navigate({ view: 'matrix', level: 'server', tors: [torA, torB] });
}

/** Back from a drill-down to the ToR matrix. */
export function drillUp(): void {
  navigate({ view: 'matrix', level: 'tor', tors: null });
}

/** A server on the 3D room view: its room, its cabinet in view and the device named as landed. */
export async function openHostInRoom(deviceId: string): Promise<void> {
  try {
    const d = await getClient().call('device.detail', { deviceId });
    set({ roomLinkError: null });
    navigate({ view: 'room3d', roomId: d.room.id, cabinetId: d.cabinet.id, deviceId: d.device.id });
  } catch (err) {
    set({ roomLinkError: toShownError(err) });
  }
}

let publicSeq = 0;

export async function loadPublic(): Promise<void> {
  const mine = ++publicSeq;
  try {
    const q = await getClient().call('probes.public', { minutes: PUBLIC_WINDOW_MIN });
    if (mine === publicSeq) set({ publicQuality: q, publicError: null });
  } catch (err) {
    if (mine === publicSeq) set({ publicError: toShownError(err) });
  }
}

/** Opens the public network map: its quality now and again on every new minute, until disposed. */
export function openPublic(): Disposable {
  const sub = getClient().on('onDidProbeMinute', () => void loadPublic());
  void loadPublic();
  return sub;
}

export function setPublicMetric(m: PublicMetric): void {
  set({ publicMetric: m });
}
