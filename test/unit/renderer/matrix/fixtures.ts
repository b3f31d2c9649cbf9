// Probe matrices built in the tests (the product never invents data): n x m cells set one by one,
// packed exactly as the contract says (CELL_WORDS uint32 per cell, little-endian, base64).
import { CELL_WORDS, type MatrixAxis, type ProbeMatrix } from '../../../../src-shared/domain/probe';

export interface CellSpec {
  p50Us?: number;
  p99Us: number;
  ok: number;
  drops?: number;
  failed?: number;
}

export function cellWords(rows: number, cols: number, set: (i: number, j: number) => CellSpec | null): Uint32Array {
  const out = new Uint32Array(rows * cols * CELL_WORDS);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const c = set(i, j);
      if (!c) continue;
      const k = (i * cols + j) * CELL_WORDS;
      out[k] = c.p50Us ?? Math.floor(c.p99Us / 2);
      out[k + 1] = c.p99Us;
      out[k + 2] = c.ok;
      out[k + 3] = (((c.drops ?? 0) << 16) | (c.failed ?? 0)) >>> 0;
    }
  }
  return out;
}

export function toBase64(words: Uint32Array): string {
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function axis(prefix: string, n: number, down: number[] = [], groups: MatrixAxis['groups'] = []): MatrixAxis {
  return { ids: Array.from({ length: n }, (_, i) => `${prefix}${i}`), labels: Array.from({ length: n }, (_, i) => `${prefix.toUpperCase()}${i}`), groups, down };
}

export function matrix(rows: number, cols: number, set: (i: number, j: number) => CellSpec | null, opts: Partial<ProbeMatrix> = {}): ProbeMatrix {
  return {
    level: 'tor',
    from: 1_000_000,
    to: 1_060_000,
    rows: axis('t', rows),
    cols: axis('t', cols),
    cells: toBase64(cellWords(rows, cols, set)),
    range: { from: 0, to: 1_060_000 },
    ...opts,
  };
}
