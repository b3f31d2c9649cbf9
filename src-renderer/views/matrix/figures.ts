// How the matrix words its figures: latencies in µs under a millisecond and in ms above, drop
// rates in percent, a hovered cell's figures both ways (the reverse cell found by id, so it is
// right on a non-square drill-down too), and the scrubber's 24 h window inside a matrix's range.
import { dropRate, type ProbeMatrix } from '../../../src-shared/domain/probe';
import type { Translate } from '../../i18n/i18n';
import { cellAt, type CellFigures } from './paint';

const DAY_MS = 24 * 60 * 60 * 1000;

export function latencyText(t: Translate, us: number): string {
  if (us < 1000) return t('matrix.us', { v: Math.round(us) });
  return t('matrix.ms', { v: us < 10_000 ? (us / 1000).toFixed(2) : us < 100_000 ? (us / 1000).toFixed(1) : String(Math.round(us / 1000)) });
}

export function percentText(rate: number): string {
  const p = rate * 100;
  return `${p === 0 ? '0' : p < 0.1 ? p.toFixed(3) : p < 10 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** A cell's drop rate as the painter colours it: drops over successful probes, or the failed share when higher. */
export function cellLoss(c: CellFigures): number {
  return Math.max(dropRate(c.ok, c.drops), c.failed / Math.max(1, c.ok + c.failed));
}

export interface HoverFigures {
  readonly a: string;
  readonly b: string;
  readonly forward: CellFigures | null;
  /** b -> a; undefined: b is not a source of this matrix (no reverse cell). */
  readonly reverse: CellFigures | null | undefined;
  readonly aDown: boolean;
  readonly bDown: boolean;
}

export function hoverFigures(m: ProbeMatrix, cells: Uint32Array, row: number, col: number): HoverFigures | null {
  const a = m.rows.ids[row];
  const b = m.cols.ids[col];
  if (a === undefined || b === undefined) return null;
  const nCols = m.cols.ids.length;
  const rRow = m.rows.ids.indexOf(b);
  const rCol = m.cols.ids.indexOf(a);
  return {
    a: m.rows.labels[row] ?? a,
    b: m.cols.labels[col] ?? b,
    forward: cellAt(cells, nCols, row, col),
    reverse: rRow < 0 || rCol < 0 ? undefined : cellAt(cells, nCols, rRow, rCol),
    aDown: m.rows.down.includes(row),
    bDown: m.cols.down.includes(col),
  };
}

/** The scrubber's bounds: the last 24 h of the matrix's minutes (null: no minutes yet). */
export function scrubWindow(m: ProbeMatrix | null): { min: number; max: number } | null {
  if (!m?.range) return null;
  return { min: Math.max(m.range.from, m.range.to - DAY_MS), max: m.range.to };
}
