// The probe matrix's group bands: site / room / ToR runs of each axis drawn as labelled strips
// along the top (destinations) and the left (sources) edges of the stage, kept in step with
// deck's pan and zoom by moving plain DOM elements (any script, Chinese names included, which a
// WebGL text atlas would have to be built for). Placed imperatively on every view change,
// outside React, like the canvas itself.
import type { MatrixAxis } from '../../../src-shared/domain/probe';
import { BAND_PX, type MatrixViewport } from './matrix-canvas';

const LEVELS = ['site', 'room', 'tor'] as const;
/** A band narrower than this shows no name (its title attribute still does). */
const MIN_LABEL_PX = 28;

export class MatrixBands {
  private readonly top: HTMLDivElement;
  private readonly left: HTMLDivElement;
  private cells: { el: HTMLDivElement; start: number; end: number; depth: number; axis: 'row' | 'col' }[] = [];

  constructor(host: HTMLElement) {
    this.top = document.createElement('div');
    this.top.className = 'matrix-bands matrix-bands-top';
    this.top.dataset.testid = 'matrix-bands-cols';
    this.left = document.createElement('div');
    this.left.className = 'matrix-bands matrix-bands-left';
    this.left.dataset.testid = 'matrix-bands-rows';
    host.append(this.top, this.left);
  }

  /** The axes' groups as bands (rebuilt when the matrix changes; positions follow with place()). */
  setAxes(rows: MatrixAxis, cols: MatrixAxis): void {
    this.top.replaceChildren();
    this.left.replaceChildren();
    this.cells = [];
    const add = (axis: MatrixAxis, which: 'row' | 'col') => {
      const present = LEVELS.filter((l) => axis.groups.some((g) => g.level === l));
      for (const g of axis.groups) {
        const depth = present.indexOf(g.level) + (LEVELS.length - present.length);
        const el = document.createElement('div');
        el.className = `matrix-band matrix-band-${g.level}`;
        el.dataset.level = g.level;
        el.dataset.groupId = g.id;
        el.title = g.name;
        el.textContent = g.name;
        (which === 'row' ? this.left : this.top).appendChild(el);
        this.cells.push({ el, start: g.start, end: g.end, depth, axis: which });
      }
    };
    add(rows, 'row');
    add(cols, 'col');
  }

  place(v: MatrixViewport): void {
    for (const c of this.cells) {
      const a = (c.start - (c.axis === 'row' ? v.top : v.left)) * v.scale;
      const len = (c.end - c.start) * v.scale;
      const s = c.el.style;
      const visible = a + len > 0 && a < (c.axis === 'row' ? v.height : v.width);
      s.display = visible ? '' : 'none';
      if (!visible) continue;
      // Clip to the stage so a long band keeps its name in view.
      const from = Math.max(a, 0);
      const size = Math.min(a + len, c.axis === 'row' ? v.height : v.width) - from;
      if (c.axis === 'row') {
        s.transform = `translate(${c.depth * BAND_PX}px, ${from}px)`;
        s.height = `${size}px`;
        s.width = `${BAND_PX}px`;
      } else {
        s.transform = `translate(${from}px, ${c.depth * BAND_PX}px)`;
        s.width = `${size}px`;
        s.height = `${BAND_PX}px`;
      }
      c.el.classList.toggle('matrix-band-bare', size < MIN_LABEL_PX);
    }
  }

  dispose(): void {
    this.top.remove();
    this.left.remove();
    this.cells = [];
  }
}
