// The probe matrix's deck.gl canvas: one Deck with an OrthographicView (x: destination column,
// y: source row, one world unit per cell), one BitmapLayer per tile whose texture this class
// owns and rewrites in place (Texture.writeData) when new cells arrive: the layers, their
// models and textures stay, so a new minute costs one repaint loop and one upload per tile,
// and draw calls grow with tiles (one per 1,024^2 cells), never with cells. A LineLayer draws
// the down members' white crosses at least 2 px wide (a one-cell line would vanish when zoomed
// out) and another, over them, the group separators. Pan and zoom by deck's controller; hover and click
// are answered in cell coordinates. Used by the view and, as it is, by test/bench/matrix-repaint.ts.
import { Deck, OrthographicView, type DeckProps, type OrthographicViewState } from '@deck.gl/core';
import { BitmapLayer, LineLayer } from '@deck.gl/layers';
import type { MatrixAxis, ProbeThresholds } from '../../../src-shared/domain/probe';
import { paintTiles, planTiles, sameTiling, type MatrixMetric, type MatrixTile } from './paint';

type Device = Parameters<NonNullable<DeckProps['onDeviceInitialized']>>[0];
type Texture = ReturnType<Device['createTexture']>;

/** The stage's background (a cell drawn white, green, amber or red is never this). */
export const MATRIX_BACKGROUND: readonly [number, number, number, number] = [29, 35, 42, 255];
/** Room left above and to the left of the cells for the group bands (3 bands of 16 px). */
export const BAND_PX = 16;
export const BANDS_PX = 3 * BAND_PX;

export interface MatrixData {
  readonly cells: Uint32Array;
  readonly rows: MatrixAxis;
  readonly cols: MatrixAxis;
  readonly thresholds: ProbeThresholds;
  readonly metric: MatrixMetric;
}

export interface MatrixCanvasEvents {
  /** The cell under the pointer (null: none), with the pointer's position in the stage. */
  onHover?(cell: { row: number; col: number; x: number; y: number } | null): void;
  onClick?(cell: { row: number; col: number }): void;
  /** After every view change (pan, zoom, resize, new shape): the bands follow. */
  onView?(view: MatrixViewport): void;
  /** After deck drew a frame. */
  onFrame?(): void;
}

/** World (cell) -> stage pixels: x = (col - left) * scale, y = (row - top) * scale. */
export interface MatrixViewport {
  readonly left: number;
  readonly top: number;
  readonly scale: number;
  readonly width: number;
  readonly height: number;
}

/** Lines lie in the cells' plane: drawn over them whatever the depth buffer holds. */
const OVER_CELLS = { depthCompare: 'always', depthWriteEnabled: false } as const;

interface Line {
  from: [number, number];
  to: [number, number];
  width: number;
}

export class MatrixCanvas {
  readonly deck: Deck<OrthographicView>;
  private device: Device | null = null;
  private tiles: MatrixTile[] = [];
  private textures: Texture[] = [];
  private data: MatrixData | null = null;
  private shape = { rows: 0, cols: 0 };
  private viewState: OrthographicViewState = { target: [0, 0, 0], zoom: 0 };
  private size = { width: 1, height: 1 };
  private crosses: Line[] = [];
  private separators: Line[] = [];
  private disposed = false;
  private version = 0;
  frames = 0;
  /** WebGL draw calls of the last frame (one per tile, plus the crosses and separators). */
  drawCalls = 0;
  private callsNow = 0;
  /** Main-thread ms of the last repaint + upload. */
  paintMs = 0;

  constructor(
    parent: HTMLDivElement,
    private readonly events: MatrixCanvasEvents = {},
  ) {
    this.deck = new Deck<OrthographicView>({
      parent,
      views: new OrthographicView({ id: 'matrix', flipY: true, controller: { doubleClickZoom: false, inertia: false } }),
      initialViewState: this.viewState,
      onViewStateChange: ({ viewState }) => {
        this.viewState = viewState as OrthographicViewState;
        this.deck.setProps({ viewState: this.viewState });
        this.events.onView?.(this.viewport());
        return viewState;
      },
      style: { background: `rgb(${MATRIX_BACKGROUND.slice(0, 3).join(' ')})` },
      useDevicePixels: 1,
      onWebGLInitialized: (gl) => this.countDrawCalls(gl),
      onBeforeRender: () => {
        this.callsNow = 0;
      },
      onDeviceInitialized: (device) => {
        this.device = device;
        if (this.data) this.setData(this.data);
      },
      onResize: ({ width, height }) => {
        const first = this.size.width <= 1;
        this.size = { width, height };
        if (first) this.fit();
        else this.events.onView?.(this.viewport());
      },
      onHover: (info) => this.events.onHover?.(this.cellOf(info.coordinate, info.x, info.y)),
      onClick: (info) => {
        const c = this.cellOf(info.coordinate, info.x, info.y);
        if (c) this.events.onClick?.({ row: c.row, col: c.col });
      },
      onAfterRender: () => {
        this.frames += 1;
        this.drawCalls = this.callsNow;
        this.events.onFrame?.();
      },
      getCursor: ({ isDragging }) => (isDragging ? 'grabbing' : 'crosshair'),
      layers: [],
    });
  }

  /** Counts this context's draw calls (the bench and the e2e check they do not grow with cells). */
  private countDrawCalls(gl: WebGL2RenderingContext): void {
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced', 'drawRangeElements'] as const) {
      const original = gl[name].bind(gl) as (...args: unknown[]) => void;
      (gl as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        this.callsNow += 1;
        original(...args);
      };
    }
  }

  private cellOf(coord: number[] | undefined, x: number, y: number): { row: number; col: number; x: number; y: number } | null {
    if (!coord || coord.length < 2) return null;
    const col = Math.floor(coord[0] as number);
    const row = Math.floor(coord[1] as number);
    if (row < 0 || col < 0 || row >= this.shape.rows || col >= this.shape.cols) return null;
    return { row, col, x, y };
  }

  /** New cells (a new minute, another metric or thresholds, another matrix): repainted and uploaded in place when the shape allows. */
  setData(data: MatrixData): void {
    this.data = data;
    const device = this.device;
    if (!device || this.disposed) return;
    const t0 = performance.now();
    const rows = data.rows.ids.length;
    const cols = data.cols.ids.length;
    const reshaped = rows !== this.shape.rows || cols !== this.shape.cols || !sameTiling(this.tiles, rows, cols);
    if (reshaped) {
      for (const t of this.textures) t.destroy();
      this.tiles = planTiles(rows, cols);
      this.textures = this.tiles.map((tile, i) =>
        device.createTexture({
          id: `matrix-tile-${i}`,
          width: tile.cols,
          height: tile.rows,
          format: 'rgba8unorm',
          mipLevels: 1,
          sampler: { minFilter: 'nearest', magFilter: 'nearest', addressModeU: 'clamp-to-edge', addressModeV: 'clamp-to-edge' },
        }),
      );
      this.shape = { rows, cols };
    }
    paintTiles({ cells: data.cells, rows: { length: rows, down: data.rows.down }, cols: { length: cols, down: data.cols.down }, thresholds: data.thresholds, metric: data.metric }, this.tiles);
    this.tiles.forEach((tile, i) => this.textures[i]?.writeData(tile.pixels, { width: tile.cols, height: tile.rows }));
    this.crosses = crossLines(data, rows, cols);
    this.separators = separatorLines(data.rows, data.cols, rows, cols);
    this.version += 1;
    this.paintMs = performance.now() - t0;
    this.setLayers();
    if (reshaped) this.fit();
  }

  /**
   * The same layer ids with the same textures and bounds: deck keeps their models. The tiles'
   * `cellsVersion` (a prop BitmapLayer does not use) changes with each repaint so deck sees
   * changed props and draws the next frame with the rewritten textures.
   */
  private setLayers(): void {
    const cellsVersion = this.version;
    const tiles = this.tiles.map(
      (tile, i) =>
        new BitmapLayer({
          id: `matrix-tile-${i}`,
          image: this.textures[i] ?? null,
          bounds: [tile.col0, tile.row0 + tile.rows, tile.col0 + tile.cols, tile.row0],
          pickable: false,
          cellsVersion,
        } as ConstructorParameters<typeof BitmapLayer>[0]),
    );
    const crosses = this.crosses;
    const separators = this.separators;
    this.deck.setProps({
      layers: [
        ...tiles,
        new LineLayer<Line>({
          id: 'matrix-crosses',
          data: crosses,
          getSourcePosition: (l) => l.from,
          getTargetPosition: (l) => l.to,
          getColor: [255, 255, 255],
          getWidth: 1,
          widthUnits: 'common',
          widthMinPixels: 2,
          parameters: OVER_CELLS,
        }),
        new LineLayer<Line>({
          id: 'matrix-separators',
          data: separators,
          getSourcePosition: (l) => l.from,
          getTargetPosition: (l) => l.to,
          getColor: MATRIX_BACKGROUND as unknown as [number, number, number],
          getWidth: (l) => l.width,
          widthUnits: 'pixels',
          parameters: OVER_CELLS,
        }),
      ],
    });
  }

  /** The whole matrix in view, leaving the bands' room above and to the left. */
  fit(): void {
    const { rows, cols } = this.shape;
    const w = Math.max(1, this.size.width - BANDS_PX - 8);
    const h = Math.max(1, this.size.height - BANDS_PX - 8);
    const scale = rows && cols ? Math.min(w / cols, h / rows) : 1;
    const zoom = Math.log2(scale);
    // The view's centre in world units: the cells start BANDS_PX from the top-left corner.
    const cx = (this.size.width / 2 - BANDS_PX) / scale;
    const cy = (this.size.height / 2 - BANDS_PX) / scale;
    this.viewState = { target: [cx, cy, 0], zoom, minZoom: zoom - 1, maxZoom: Math.max(zoom + 1, 6) };
    this.deck.setProps({ viewState: this.viewState });
    this.events.onView?.(this.viewport());
  }

  viewport(): MatrixViewport {
    const zoom = typeof this.viewState.zoom === 'number' ? this.viewState.zoom : 0;
    const scale = 2 ** zoom;
    const [tx, ty] = (this.viewState.target ?? [0, 0]) as number[];
    return { scale, left: (tx ?? 0) - this.size.width / 2 / scale, top: (ty ?? 0) - this.size.height / 2 / scale, width: this.size.width, height: this.size.height };
  }

  /** Stage pixels of a cell's centre. */
  project(row: number, col: number): { x: number; y: number } {
    const v = this.viewport();
    return { x: (col + 0.5 - v.left) * v.scale, y: (row + 0.5 - v.top) * v.scale };
  }

  dispose(): void {
    this.disposed = true;
    this.deck.finalize();
    for (const t of this.textures) t.destroy();
    this.textures = [];
  }
}

function crossLines(data: MatrixData, rows: number, cols: number): Line[] {
  return [
    ...data.rows.down.map((r): Line => ({ from: [0, r + 0.5], to: [cols, r + 0.5], width: 1 })),
    ...data.cols.down.map((c): Line => ({ from: [c + 0.5, 0], to: [c + 0.5, rows], width: 1 })),
  ];
}

/** A line at every group boundary inside the matrix: 1 px between ToRs, 2 between rooms, 3 between sites. */
function separatorLines(rowsAxis: MatrixAxis, colsAxis: MatrixAxis, rows: number, cols: number): Line[] {
  const px = { tor: 1, room: 2, site: 3 } as const;
  const out: Line[] = [];
  for (const g of rowsAxis.groups) if (g.start > 0) out.push({ from: [0, g.start], to: [cols, g.start], width: px[g.level] });
  for (const g of colsAxis.groups) if (g.start > 0) out.push({ from: [g.start, 0], to: [g.start, rows], width: px[g.level] });
  return out;
}
