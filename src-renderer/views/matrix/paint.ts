// The probe matrix's painter: a ProbeMatrix's packed cells (CELL_WORDS uint32 per cell) plus the
// thresholds and a metric -> RGBA pixels, one pixel per cell, in square tiles of at most
// TILE_CELLS x TILE_CELLS cells (each tile is one texture of the deck.gl view). Pure and
// allocation-free once the tiles exist: new data repaints the same Uint8ClampedArrays in one
// tight loop over the Uint32Array (colours written as packed uint32s), so the view can upload
// them into the same textures in place.
//
// Colours: green under the warning threshold, amber from it, red from the bad one (and red for
// a pair whose every probe failed), white for no data. A member without a live agent (the axis's
// `down`) is a white cross: its whole row / column painted the no-data white, never red, with
// the DOWN_MARK grey where a down row meets a down column (the cross's centre on a square
// matrix), so a test and an eye can tell a cross from a scatter of empty cells.
import { CELL_WORDS, type MatrixAxis, type ProbeThresholds } from '../../../src-shared/domain/probe';
import type { MatrixMetric } from '../../stores/probes/slice';

/**
 * Cells per tile side. 1,024: a 1,000 x 1,000 matrix (the goal size) is one tile, so one texture
 * write (4 MB) and one draw call; 1,024^2 RGBA textures are legal on every WebGL2 device
 * (MAX_TEXTURE_SIZE >= 2,048 there), and a larger server matrix grows by 4 MB tiles that
 * can be repainted and uploaded one at a time, where 2,048 would upload 16 MB for any change.
 */
export const TILE_CELLS = 1024;

export type { MatrixMetric };
export const MATRIX_METRICS: readonly MatrixMetric[] = ['p99', 'drop'];

export type Rgba = readonly [number, number, number, number];
export const COLOUR = {
  good: [46, 160, 67, 255],
  warn: [240, 170, 0, 255],
  bad: [218, 54, 51, 255],
  none: [255, 255, 255, 255],
  downMark: [120, 120, 120, 255],
} as const satisfies Record<string, Rgba>;

/** One tile: the cells [row0, row0 + rows) x [col0, col0 + cols), pixels row-major (RGBA). */
export interface MatrixTile {
  readonly row0: number;
  readonly col0: number;
  readonly rows: number;
  readonly cols: number;
  readonly pixels: Uint8ClampedArray;
}

/** A matrix's base64 cells as the Uint32Array they encode (little-endian, as the contract packs them). */
export function decodeCells(b64: string, rows: number, cols: number): Uint32Array {
  const want = rows * cols * CELL_WORDS;
  if (b64 === '' && want === 0) return new Uint32Array(0);
  const bytes = fromBase64(b64);
  if (bytes.length !== want * 4) throw new Error(`probe matrix cells: ${bytes.length} bytes for ${rows} x ${cols} cells, expected ${want * 4}`);
  const out = new Uint32Array(bytes.buffer, bytes.byteOffset, want);
  if (!LITTLE_ENDIAN) for (let i = 0; i < out.length; i++) out[i] = swap32(out[i] as number);
  return out;
}

/** The platform's decoder where it has one (Uint8Array.fromBase64: 16 MB in a few ms), else atob. */
function fromBase64(b64: string): Uint8Array {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native) return native(b64);
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const swap32 = (v: number): number => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/** The tiles covering rows x cols cells (edge tiles as small as what is left), pixels allocated once. */
export function planTiles(rows: number, cols: number, tile: number = TILE_CELLS): MatrixTile[] {
  if (!Number.isInteger(tile) || tile < 1 || tile > 4096) throw new Error(`probe matrix tile size ${tile}: must be a whole number of cells from 1 to 4096`);
  const out: MatrixTile[] = [];
  for (let r = 0; r < rows; r += tile) {
    for (let c = 0; c < cols; c += tile) {
      const h = Math.min(tile, rows - r);
      const w = Math.min(tile, cols - c);
      out.push({ row0: r, col0: c, rows: h, cols: w, pixels: new Uint8ClampedArray(h * w * 4) });
    }
  }
  return out;
}

/** Whether tiles planned for one shape can be repainted for another (same cuts): the view then keeps its textures. */
export function sameTiling(tiles: readonly MatrixTile[], rows: number, cols: number, tile: number = TILE_CELLS): boolean {
  const want = Math.ceil(rows / tile) * Math.ceil(cols / tile);
  if (tiles.length !== want) return false;
  const last = tiles[tiles.length - 1];
  return !last || (last.row0 + last.rows === rows && last.col0 + last.cols === cols);
}

const packed = (c: Rgba): number => (LITTLE_ENDIAN ? ((c[3] << 24) | (c[2] << 16) | (c[1] << 8) | c[0]) >>> 0 : ((c[0] << 24) | (c[1] << 16) | (c[2] << 8) | c[3]) >>> 0);
const GOOD = packed(COLOUR.good);
const WARN = packed(COLOUR.warn);
const BAD = packed(COLOUR.bad);
const NONE = packed(COLOUR.none);
const MARK = packed(COLOUR.downMark);

export interface PaintInput {
  readonly cells: Uint32Array;
  readonly rows: Pick<MatrixAxis, 'down'> & { readonly length: number };
  readonly cols: Pick<MatrixAxis, 'down'> & { readonly length: number };
  readonly thresholds: ProbeThresholds;
  readonly metric: MatrixMetric;
}

/**
 * Repaints every tile from the cells. Drop colour: Pingmesh's drop rate (drops over successful
 * probes) or, when higher, the share of probes that failed outright (a pair losing half its
 * probes to timeouts is not green); P99 colour: the successful probes' P99.
 */
export function paintTiles(input: PaintInput, tiles: readonly MatrixTile[]): void {
  const { cells, thresholds: t, metric } = input;
  const nCols = input.cols.length;
  if (cells.length !== input.rows.length * nCols * CELL_WORDS) throw new Error(`probe matrix: ${cells.length} cell words for ${input.rows.length} x ${nCols} cells`);
  const warnUs = t.p99WarnUs;
  const badUs = t.p99BadUs;
  const dropWarn = t.dropWarn;
  const dropBad = t.dropBad;
  const p99 = metric === 'p99';
  for (const tile of tiles) {
    const px = new Uint32Array(tile.pixels.buffer, tile.pixels.byteOffset, tile.rows * tile.cols);
    const w = tile.cols;
    for (let r = 0; r < tile.rows; r++) {
      let k = ((tile.row0 + r) * nCols + tile.col0) * CELL_WORDS;
      let o = r * w;
      const end = o + w;
      for (; o < end; o++, k += CELL_WORDS) {
        const ok = cells[k + 2] as number;
        const lost = cells[k + 3] as number;
        const failed = lost & 0xffff;
        let colour: number;
        if (ok === 0) colour = failed === 0 ? NONE : BAD;
        else if (p99) {
          const v = cells[k + 1] as number;
          colour = v >= badUs ? BAD : v >= warnUs ? WARN : GOOD;
        } else {
          const drops = lost >>> 16;
          const rate = Math.max(drops / ok, failed / (ok + failed));
          colour = rate === 0 ? GOOD : rate >= dropBad ? BAD : rate >= dropWarn ? WARN : GOOD;
        }
        px[o] = colour;
      }
    }
    paintCross(input, tile, px);
  }
}

/** The white crosses of `down` members inside one tile, and the grey mark where two cross. */
function paintCross(input: PaintInput, tile: MatrixTile, px: Uint32Array): void {
  const w = tile.cols;
  const downCols: number[] = [];
  for (const c of input.cols.down) if (c >= tile.col0 && c < tile.col0 + w) downCols.push(c - tile.col0);
  for (const r of input.rows.down) {
    if (r < tile.row0 || r >= tile.row0 + tile.rows) continue;
    px.fill(NONE, (r - tile.row0) * w, (r - tile.row0 + 1) * w);
  }
  for (const c of downCols) for (let r = 0, o = c; r < tile.rows; r++, o += w) px[o] = NONE;
  for (const r of input.rows.down) {
    if (r < tile.row0 || r >= tile.row0 + tile.rows) continue;
    for (const c of downCols) px[(r - tile.row0) * w + c] = MARK;
  }
}

/** One cell's figures (for hover): null when the pair has no data. */
export interface CellFigures {
  readonly p50Us: number;
  readonly p99Us: number;
  readonly ok: number;
  readonly drops: number;
  readonly failed: number;
}

export function cellAt(cells: Uint32Array, cols: number, row: number, col: number): CellFigures | null {
  const k = (row * cols + col) * CELL_WORDS;
  if (k < 0 || k + CELL_WORDS > cells.length) return null;
  const ok = cells[k + 2] as number;
  const lost = cells[k + 3] as number;
  if (ok === 0 && (lost & 0xffff) === 0) return null;
  return { p50Us: cells[k] as number, p99Us: cells[k + 1] as number, ok, drops: lost >>> 16, failed: lost & 0xffff };
}

/** The legend's entries for a metric, with the thresholds they stand for. */
export function legendOf(metric: MatrixMetric, t: ProbeThresholds): readonly { key: 'good' | 'warn' | 'bad' | 'none' | 'down'; colour: Rgba; value: number | null }[] {
  const warn = metric === 'p99' ? t.p99WarnUs : t.dropWarn;
  const bad = metric === 'p99' ? t.p99BadUs : t.dropBad;
  return [
    { key: 'good', colour: COLOUR.good, value: warn },
    { key: 'warn', colour: COLOUR.warn, value: warn },
    { key: 'bad', colour: COLOUR.bad, value: bad },
    { key: 'none', colour: COLOUR.none, value: null },
    { key: 'down', colour: COLOUR.downMark, value: null },
  ];
}

export const cssOf = (c: Rgba): string => `rgb(${c[0]} ${c[1]} ${c[2]})`;
