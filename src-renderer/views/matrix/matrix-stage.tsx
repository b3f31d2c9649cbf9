// The probe matrix's stage: mounts the deck.gl MatrixCanvas and the group bands, feeds them the
// store's matrix through useAppStore.subscribe (a new minute repaints the textures in place,
// with no React render), answers hover and click (ToR level: drill down to the two ToRs'
// servers, and their pair's history; other levels: the pair's history), and installs the test
// hook window.__matrix (frames, draw calls, pixels read back at a cell).
import { useEffect, useRef } from 'react';
import type { ProbeMatrix } from '../../../src-shared/domain/probe';
import { useI18n } from '../../i18n/use-i18n';
import { drillDown, openPair, setMatrixHover } from '../../stores/probes/actions';
import type { ProbesState } from '../../stores/probes/slice';
import { useAppStore } from '../../stores/store';
import { MatrixBands } from './matrix-bands';
import { MatrixCanvas } from './matrix-canvas';
import { decodeCells } from './paint';

export interface MatrixHook {
  frames: number;
  calls: number;
  level: string;
  rows: readonly string[];
  cols: readonly string[];
  down: { rows: readonly number[]; cols: readonly number[] };
  /** Stage pixels (CSS, relative to the stage) of a cell's centre. */
  project(row: number, col: number): { x: number; y: number };
  /** The colour drawn at a cell's centre, read back from the canvas. */
  pixelAt(row: number, col: number): [number, number, number, number];
}

declare global {
  interface Window {
    __matrix?: MatrixHook;
  }
}

/** Decoded cells of the matrix shown, kept beside the store (hover reads them). */
export let shownCells: { matrix: ProbeMatrix; cells: Uint32Array } | null = null;

function feed(canvas: MatrixCanvas, bands: MatrixBands, s: ProbesState, prev: ProbesState | null): void {
  const m = s.matrix;
  if (!m || !s.thresholds) return;
  if (shownCells?.matrix !== m) shownCells = { matrix: m, cells: decodeCells(m.cells, m.rows.ids.length, m.cols.ids.length) };
  if (!prev || prev.matrix?.rows !== m.rows || prev.matrix?.cols !== m.cols) bands.setAxes(m.rows, m.cols);
  canvas.setData({ cells: shownCells.cells, rows: m.rows, cols: m.cols, thresholds: s.thresholds, metric: s.metric });
}

export function MatrixStage() {
  const { t } = useI18n();
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const bands = new MatrixBands(el);
    const canvas = new MatrixCanvas(el, {
      onView: (v) => bands.place(v),
      onHover: (c) => setMatrixHover(c),
      onClick: ({ row, col }) => {
        const m = useAppStore.getState().probes.matrix;
        const a = m?.rows.ids[row];
        const b = m?.cols.ids[col];
        if (!m || a === undefined || b === undefined) return;
        void openPair(row, col);
        if (m.level === 'tor') drillDown(a, b);
      },
    });
    feed(canvas, bands, useAppStore.getState().probes, null);
    const unsubscribe = useAppStore.subscribe((s, p) => {
      if (s.probes.matrixSeq !== p.probes.matrixSeq) feed(canvas, bands, s.probes, p.probes);
    });
    installHook(canvas, el);
    return () => {
      unsubscribe();
      canvas.dispose();
      bands.dispose();
      if (window.__matrix) delete window.__matrix;
    };
  }, []);
  return <div ref={host} className="matrix-canvas" data-testid="matrix-stage" tabIndex={0} aria-label={t('matrix.canvasLabel')} onPointerLeave={() => setMatrixHover(null)} />;
}

function installHook(canvas: MatrixCanvas, el: HTMLDivElement): void {
  const axes = () => useAppStore.getState().probes.matrix;
  window.__matrix = {
    get frames() {
      return canvas.frames;
    },
    get calls() {
      return canvas.drawCalls;
    },
    get level() {
      return axes()?.level ?? '';
    },
    get rows() {
      return axes()?.rows.ids ?? [];
    },
    get cols() {
      return axes()?.cols.ids ?? [];
    },
    get down() {
      return { rows: axes()?.rows.down ?? [], cols: axes()?.cols.down ?? [] };
    },
    project: (row, col) => canvas.project(row, col),
    pixelAt: (row, col) => {
      const c = el.querySelector('canvas');
      const gl = c?.getContext('webgl2');
      if (!c || !gl) return [-1, -1, -1, -1];
      const p = canvas.project(row, col);
      const ratio = gl.drawingBufferWidth / Math.max(1, c.clientWidth);
      const out = new Uint8Array(4);
      canvas.deck.redraw('readback'); // drawn now, read in the same task (the buffer is not kept)
      gl.readPixels(Math.floor(p.x * ratio), gl.drawingBufferHeight - Math.floor(p.y * ratio) - 1, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, out);
      return [out[0] ?? 0, out[1] ?? 0, out[2] ?? 0, out[3] ?? 0];
    },
  };
}
