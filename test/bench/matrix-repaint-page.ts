// In-page half of the matrix repaint bench (bundled by test/bench/matrix-repaint.ts with esbuild):
// the real MatrixCanvas (deck.gl, BitmapLayer tiles, textures rewritten in place) in an 800 x 600
// stage, a synthetic n x n ProbeMatrix's cells as base64 (the wire's form), then `updates` new
// minutes: each from the base64 in hand to the pixels presented (decode, repaint, upload, deck's
// next frame and one more animation frame), checked by reading a cell's pixel back.
import { CELL_WORDS, DEFAULT_PROBE_THRESHOLDS, type MatrixAxis } from '../../src-shared/domain/probe';
import { MatrixCanvas } from '../../src-renderer/views/matrix/matrix-canvas';
import { decodeCells } from '../../src-renderer/views/matrix/paint';
import type { RepaintResult } from './matrix-repaint-row';


function synthetic(n: number, minute: number): string {
  const w = new Uint32Array(n * n * CELL_WORDS);
  for (let i = 0, k = 0; i < n * n; i++, k += CELL_WORDS) {
    const h = (Math.imul(i ^ minute, 2654435761) >>> 0) % 1000;
    w[k] = 200 + h;
    w[k + 1] = h < 900 ? 1000 + h : h < 970 ? 7000 : 20_000;
    w[k + 2] = h === 999 ? 0 : 100;
    w[k + 3] = h > 990 ? (3 << 16) : 0;
  }
  const bytes = new Uint8Array(w.buffer);
  return (bytes as unknown as { toBase64(): string }).toBase64();
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

async function run(n: number, updates: number): Promise<RepaintResult> {
  const host = document.createElement('div');
  host.style.cssText = 'position:relative;width:800px;height:600px';
  document.body.appendChild(host);
  let presented: (() => void) | null = null;
  const canvas = new MatrixCanvas(host, { onFrame: () => presented?.() });
  const nextFrame = () => new Promise<void>((r) => (presented = r));
  const axis: MatrixAxis = { ids: Array.from({ length: n }, (_, i) => `h${i}`), labels: Array.from({ length: n }, (_, i) => `h${i}`), groups: [], down: [7] };
  const payloads = Array.from({ length: updates + 1 }, (_, m) => synthetic(n, m));
  const t = DEFAULT_PROBE_THRESHOLDS;
  const t0 = performance.now();
  let shown = nextFrame();
  canvas.setData({ cells: decodeCells(payloads[0] as string, n, n), rows: axis, cols: axis, thresholds: t, metric: 'p99' });
  await shown;
  await frame();
  const firstMs = performance.now() - t0;
  for (let i = 0; i < 5; i++) await frame();
  const out: RepaintResult = { cells: n * n, tiles: Math.ceil(n / 1024) ** 2, firstMs, updateMs: [], decodeMs: [], paintMs: [], drawCalls: [], pixelOk: false };
  for (let u = 1; u <= updates; u++) {
    const b64 = payloads[u] as string;
    const s = performance.now();
    shown = nextFrame();
    const cells = decodeCells(b64, n, n);
    const d = performance.now();
    canvas.setData({ cells, rows: axis, cols: axis, thresholds: t, metric: u % 2 ? 'p99' : 'drop' });
    await shown;
    await frame();
    out.updateMs.push(performance.now() - s);
    out.decodeMs.push(d - s);
    out.paintMs.push(canvas.paintMs);
    out.drawCalls.push(canvas.drawCalls);
    await frame();
  }
  // The down member's column (7) drawn white at a row's centre: the pixels on screen are the data's.
  const gl = (host.querySelector('canvas') as HTMLCanvasElement).getContext('webgl2') as WebGL2RenderingContext;
  const p = canvas.project(100, 7);
  const px = new Uint8Array(4);
  await new Promise<void>((r) => {
    presented = () => {
      gl.readPixels(Math.floor(p.x), gl.drawingBufferHeight - Math.floor(p.y) - 1, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      r();
    };
    canvas.deck.redraw('readback');
  });
  out.pixelOk = px[0] === 255 && px[1] === 255 && px[2] === 255;
  canvas.dispose();
  host.remove();
  return out;
}

(globalThis as unknown as { runMatrixRepaint: typeof run }).runMatrixRepaint = run;
