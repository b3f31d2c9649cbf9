// What one run of the matrix repaint bench's page (matrix-repaint-page.ts) hands back to the runner (matrix-repaint.ts).
export interface RepaintResult {
  cells: number;
  tiles: number;
  firstMs: number;
  updateMs: number[];
  decodeMs: number[];
  paintMs: number[];
  drawCalls: number[];
  pixelOk: boolean;
}
