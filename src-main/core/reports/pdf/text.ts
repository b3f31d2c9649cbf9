// Text on a PDF page for the report writer: measuring, drawing and wrapping strings that mix
// scripts, each split into runs by font slice (fonts.ts). Text is always placed at an exact
// x/y with pdfkit's lineBreak off, so pdfkit never wraps or adds a page on its own: the
// layout (table.ts, chart.ts, pdf.ts) decides every position.
import type { FontWeight, ReportFonts } from './fonts';

export interface TextStyle {
  readonly size: number;
  readonly weight?: FontWeight;
  readonly color?: string;
}

export class PdfText {
  constructor(private readonly doc: PDFKit.PDFDocument, private readonly fonts: ReportFonts) {}

  width(text: string, style: TextStyle): number {
    let w = 0;
    for (const run of this.fonts.runs(text, style.weight ?? 'regular')) {
      this.doc.font(run.font).fontSize(style.size);
      w += this.doc.widthOfString(run.text);
    }
    return w;
  }

  /** Draws one line with its top at y; align places it inside [x, x + width]. */
  draw(text: string, x: number, y: number, style: TextStyle, align: 'left' | 'right' | 'center' = 'left', width = 0): void {
    const total = align === 'left' ? 0 : this.width(text, style);
    let cx = align === 'right' ? x + width - total : align === 'center' ? x + (width - total) / 2 : x;
    this.doc.fillColor(style.color ?? '#111111');
    for (const run of this.fonts.runs(text, style.weight ?? 'regular')) {
      this.doc.font(run.font).fontSize(style.size);
      this.doc.text(run.text, cx, y, { lineBreak: false });
      cx += this.doc.widthOfString(run.text);
    }
  }

  /** Cuts text to fit width, ending in an ellipsis when it had to be cut. */
  fit(text: string, width: number, style: TextStyle): string {
    if (this.width(text, style) <= width) return text;
    const chars = [...text];
    while (chars.length > 0 && this.width(`${chars.join('')}…`, style) > width) chars.pop();
    return `${chars.join('')}…`;
  }

  /** Greedy line breaking: at spaces, and between any two CJK characters. */
  wrap(text: string, width: number, style: TextStyle): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const token of tokens(paragraph)) {
        const candidate = line + token;
        if (line === '' || this.width(candidate.trimEnd(), style) <= width) {
          line = candidate;
          continue;
        }
        lines.push(line.trimEnd());
        line = token.trimStart();
      }
      lines.push(line.trimEnd());
    }
    return lines;
  }
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/u;
/** Closing punctuation stays with the character before it. */
const CLOSING = /^[，。、；：！？）」』】》,.;:!?)\]%]$/u;

/** Words with their trailing space, and each CJK character on its own. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let word = '';
  const flush = (): void => {
    if (word) out.push(word);
    word = '';
  };
  for (const ch of text) {
    if (ch === ' ') {
      word += ch;
      flush();
    } else if (CJK.test(ch)) {
      if (CLOSING.test(ch) && (word || out.length > 0)) {
        if (word) word += ch;
        else out[out.length - 1] += ch;
        continue;
      }
      flush();
      word = ch;
      flush();
    } else {
      if (word.endsWith(' ')) flush();
      word += ch;
    }
  }
  flush();
  return out;
}
