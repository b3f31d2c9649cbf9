// The matrix painter: a cell's colour by each metric against the thresholds (green under warn,
// amber from warn, red from bad, red when every probe failed), white for no data, a down member's
// whole row and column white (never red) with the grey mark where they cross, tiles cut at the
// tile size with edge tiles holding only what is left, and the base64 cells decoded as packed.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROBE_THRESHOLDS as T } from '../../../../src-shared/domain/probe';
import { cellAt, COLOUR, decodeCells, paintTiles, planTiles, sameTiling, type MatrixMetric, type MatrixTile } from '../../../../src-renderer/views/matrix/paint';
import { cellWords, matrix, toBase64, type CellSpec } from './fixtures';

function paint(rows: number, cols: number, set: (i: number, j: number) => CellSpec | null, metric: MatrixMetric, down: { rows?: number[]; cols?: number[] } = {}, tile?: number): MatrixTile[] {
  const tiles = planTiles(rows, cols, tile);
  paintTiles({ cells: cellWords(rows, cols, set), rows: { length: rows, down: down.rows ?? [] }, cols: { length: cols, down: down.cols ?? [] }, thresholds: T, metric }, tiles);
  return tiles;
}

/** The colour of cell (i, j), read from whichever tile holds it. */
function pixel(tiles: MatrixTile[], i: number, j: number): number[] {
  const t = tiles.find((x) => i >= x.row0 && i < x.row0 + x.rows && j >= x.col0 && j < x.col0 + x.cols);
  if (!t) throw new Error(`no tile holds ${i},${j}`);
  const o = ((i - t.row0) * t.cols + (j - t.col0)) * 4;
  return Array.from(t.pixels.subarray(o, o + 4));
}

describe('matrix painter', () => {
  it('colours P99 green / amber / red at the thresholds, white where there is no data', () => {
    const spec = [
      { p99Us: T.p99WarnUs - 1, ok: 100 },
      { p99Us: T.p99WarnUs, ok: 100 },
      { p99Us: T.p99BadUs - 1, ok: 100 },
      { p99Us: T.p99BadUs, ok: 100 },
      null,
      { p99Us: 0, ok: 0, failed: 30 },
    ];
    const tiles = paint(1, spec.length, (_, j) => spec[j] ?? null, 'p99');
    expect([0, 1, 2, 3, 4, 5].map((j) => pixel(tiles, 0, j))).toEqual([COLOUR.good, COLOUR.warn, COLOUR.warn, COLOUR.bad, COLOUR.none, COLOUR.bad]);
  });

  it('colours drop rate (drops over successful probes, or the failed share when higher) by the drop thresholds, whatever the latency', () => {
    const slow = 60_000;
    const spec: CellSpec[] = [
      { p99Us: slow, ok: 1000, drops: 0 },
      { p99Us: slow, ok: 1000, drops: 4 },
      { p99Us: 1, ok: 1000, drops: 5 },
      { p99Us: 1, ok: 1000, drops: 20 },
      { p99Us: 1, ok: 50, failed: 50 },
      { p99Us: 1, ok: 995, failed: 5 },
    ];
    const tiles = paint(1, spec.length, (_, j) => spec[j] ?? null, 'drop');
    expect(spec.map((_, j) => pixel(tiles, 0, j))).toEqual([COLOUR.good, COLOUR.good, COLOUR.warn, COLOUR.bad, COLOUR.bad, COLOUR.warn]);
    // The same cells by P99: the slow ones are red there.
    const byP99 = paint(1, spec.length, (_, j) => spec[j] ?? null, 'p99');
    expect(pixel(byP99, 0, 0)).toEqual(COLOUR.bad);
    expect(pixel(byP99, 0, 2)).toEqual(COLOUR.good);
  });

  it('draws a down member as a white cross over red cells, with the grey mark where its row meets its column', () => {
    const n = 6;
    const tiles = paint(n, n, () => ({ p99Us: 90_000, ok: 10, drops: 10 }), 'p99', { rows: [2], cols: [2] });
    for (let k = 0; k < n; k++) {
      if (k === 2) continue;
      expect(pixel(tiles, 2, k)).toEqual(COLOUR.none);
      expect(pixel(tiles, k, 2)).toEqual(COLOUR.none);
      expect(pixel(tiles, k, (k + 1) % n === 2 ? 3 : (k + 1) % n)).toEqual(COLOUR.bad);
    }
    expect(pixel(tiles, 2, 2)).toEqual(COLOUR.downMark);
    expect(COLOUR.downMark).not.toEqual(COLOUR.none);
  });

  it('cuts tiles at the tile size: the cells either side of a boundary land in their own tiles, edge tiles hold only what is left', () => {
    const rows = 5;
    const cols = 7;
    const good = { p99Us: 10, ok: 10 };
    const bad = { p99Us: 90_000, ok: 10 };
    // Red on the boundary's far side (row 4, column 4), green elsewhere, a down column right on the cut.
    const tiles = paint(rows, cols, (i, j) => (i === 4 && j === 4 ? bad : good), 'p99', { cols: [3] }, 4);
    expect(tiles.map((t) => [t.row0, t.col0, t.rows, t.cols, t.pixels.length])).toEqual([
      [0, 0, 4, 4, 64],
      [0, 4, 4, 3, 48],
      [4, 0, 1, 4, 16],
      [4, 4, 1, 3, 12],
    ]);
    expect(pixel(tiles, 4, 4)).toEqual(COLOUR.bad);
    expect(pixel(tiles, 3, 4)).toEqual(COLOUR.good);
    expect(pixel(tiles, 4, 3)).toEqual(COLOUR.none);
    expect(pixel(tiles, 3, 3)).toEqual(COLOUR.none);
    expect(pixel(tiles, 4, 2)).toEqual(COLOUR.good);
    expect(sameTiling(tiles, 5, 7, 4)).toBe(true);
    expect(sameTiling(tiles, 5, 8, 4)).toBe(false);
    expect(sameTiling(tiles, 6, 7, 4)).toBe(false);
  });

  it('a 1,000 x 1,000 matrix is one tile of 1,000 x 1,000 pixels by default; 2,100 rows take three tile rows', () => {
    expect(planTiles(1000, 1000).map((t) => [t.rows, t.cols])).toEqual([[1000, 1000]]);
    expect(planTiles(2100, 10).map((t) => [t.row0, t.rows])).toEqual([
      [0, 1024],
      [1024, 1024],
      [2048, 52],
    ]);
    expect(() => planTiles(10, 10, 8192)).toThrow(/tile size 8192/);
  });

  it('decodes the base64 cells as the contract packs them and reads one cell back for hover', () => {
    const m = matrix(3, 2, (i, j) => (i === 1 && j === 0 ? { p50Us: 700, p99Us: 2400, ok: 99, drops: 3, failed: 1 } : null));
    const cells = decodeCells(m.cells, 3, 2);
    expect(cellAt(cells, 2, 1, 0)).toEqual({ p50Us: 700, p99Us: 2400, ok: 99, drops: 3, failed: 1 });
    expect(cellAt(cells, 2, 0, 1)).toBeNull();
    expect(() => decodeCells(m.cells, 3, 3)).toThrow(/96 bytes for 3 x 3 cells, expected 144/);
    expect(decodeCells('', 0, 0)).toHaveLength(0);
    expect(toBase64(cells)).toBe(m.cells);
  });

  it('refuses cells that do not fit the axes', () => {
    const tiles = planTiles(2, 2);
    expect(() => paintTiles({ cells: new Uint32Array(4), rows: { length: 2, down: [] }, cols: { length: 2, down: [] }, thresholds: T, metric: 'p99' }, tiles)).toThrow(/4 cell words for 2 x 2 cells/);
  });
});
