// The PDF writer's fonts: Noto Sans SC (SIL OFL 1.1) from the npm package
// @fontsource/noto-sans-sc, static weights 400 and 700 as WOFF (1.0) unicode-range slices.
// pdfkit's fontkit subsets WOFF 1.0 correctly; the variable WOFF2 slices the renderer uses
// (@fontsource-variable) come out of its subsetter without outlines (blank glyphs), so the
// main process uses this static build instead. Each slice a string touches is registered
// in the document once (lazily, on first use) and text is split into runs by slice, so a
// PDF embeds only small subsets of the slices it needs. The package is a runtime
// dependency: under Node and in the packaged app (app.asar/node_modules, read through
// Electron's fs) it is found with require.resolve from this module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type FontWeight = 'regular' | 'bold';

/** A run of text drawn in one font (one slice and weight), as pdfkit font names. */
export interface TextRun {
  readonly font: string;
  readonly text: string;
}

interface Slice {
  readonly key: string;
  readonly ranges: readonly (readonly [number, number])[];
}

/** The standard PDF fonts used for characters no slice covers (they draw as .notdef). */
const FALLBACK: Record<FontWeight, string> = { regular: 'Helvetica', bold: 'Helvetica-Bold' };
const WEIGHT: Record<FontWeight, number> = { regular: 400, bold: 700 };

/** The folder of @fontsource/noto-sans-sc (package.json, unicode.json, files/). */
export function notoSansScDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
}

function parseRanges(spec: string): [number, number][] {
  return spec.split(',').map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
    const from = parseInt(a ?? '', 16);
    const to = b === undefined ? from : parseInt(b, 16);
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new Error(`noto-sans-sc unicode.json: bad range '${part}'`);
    return [from, to];
  });
}

let slicesCache: { dir: string; slices: Slice[] } | undefined;

function loadSlices(dir: string): Slice[] {
  if (slicesCache?.dir === dir) return slicesCache.slices;
  const raw = JSON.parse(readFileSync(join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  // Latin first: its slice also holds the ASCII the other slices repeat in part.
  const slices = Object.entries(raw)
    .map(([k, spec]) => ({ key: k.replace(/^\[|\]$/g, ''), ranges: parseRanges(spec) }))
    .sort((a, b) => Number(b.key === 'latin') - Number(a.key === 'latin'));
  slicesCache = { dir, slices };
  return slices;
}

/** What fonts.ts needs from a pdfkit document. */
export interface FontHost {
  registerFont(name: string, src: Buffer): unknown;
}

/**
 * The fonts of one document: maps each character to its slice, registers slice fonts in
 * the document on first use (the file bytes are cached across documents).
 */
export class ReportFonts {
  private readonly slices: Slice[];
  private readonly registered = new Set<string>();
  private readonly byCodePoint = new Map<number, string | null>();
  private static readonly bytes = new Map<string, Buffer>();

  constructor(private readonly host: FontHost, private readonly dir: string = notoSansScDir()) {
    this.slices = loadSlices(dir);
  }

  private sliceOf(cp: number): string | null {
    const hit = this.byCodePoint.get(cp);
    if (hit !== undefined) return hit;
    const slice = this.slices.find((s) => s.ranges.some(([a, b]) => cp >= a && cp <= b));
    const key = slice?.key ?? null;
    this.byCodePoint.set(cp, key);
    return key;
  }

  private fontFor(key: string | null, weight: FontWeight): string {
    if (key === null) return FALLBACK[weight];
    const name = `NotoSansSC-${WEIGHT[weight]}-${key}`;
    if (!this.registered.has(name)) {
      const file = join(this.dir, 'files', `noto-sans-sc-${key}-${WEIGHT[weight]}-normal.woff`);
      let buf = ReportFonts.bytes.get(file);
      if (!buf) {
        buf = readFileSync(file);
        ReportFonts.bytes.set(file, buf);
      }
      this.host.registerFont(name, buf);
      this.registered.add(name);
    }
    return name;
  }

  /** Splits text into runs of one font each (a run per slice and weight). */
  runs(text: string, weight: FontWeight): TextRun[] {
    const out: { font: string; text: string }[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      const last = out[out.length - 1];
      const font = this.fontFor(this.sliceOf(cp), weight);
      if (last?.font === font) last.text += ch;
      else out.push({ font, text: ch });
    }
    return out;
  }
}
