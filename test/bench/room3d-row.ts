// One size's figures from the 3D room bench's in-page half (room3d-page.ts, a browser file
// type-checked with the web project) as the Node half (room3d.ts) prints them.
export interface BenchRow {
  devices: number;
  instances: number;
  roomCalls: number;
  roomMs: number;
  bareCalls: number;
  bareMs: number;
  /** Median of the rounds' room/bare ratios. */
  ratio: number;
  /** applyColours, median of 7: the mode changes (same readings); a new readings object arrives. */
  colourModeMs: number;
  colourReadingsMs: number;
}
