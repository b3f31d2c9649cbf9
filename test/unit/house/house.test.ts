// House rules over every source file: none over 400 lines, and each opens with a comment
// that says what it is for (issue 7, items 8 and the size limit).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SOURCE_DIRS = ['src-shared', 'src-main', 'src-preload', 'src-renderer', 'src-daemons'];
const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mjs']);
const MAX_LINES = 400;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(full);
    return entry.isFile() && SOURCE_EXTENSIONS.has(path.extname(entry.name)) ? [full] : [];
  });
}

const sources = SOURCE_DIRS.map((dir) => path.join(root, dir))
  .filter((dir) => existsSync(dir))
  .flatMap(walk)
  .map((full) => ({ file: path.relative(root, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') }))
  .sort((a, b) => a.file.localeCompare(b.file));

/** Lines as an editor numbers them: a final newline does not start another line. */
function lineCount(text: string): number {
  if (text === '') return 0;
  const lines = text.split(/\r?\n/);
  return text.endsWith('\n') ? lines.length - 1 : lines.length;
}

describe('house rules', () => {
  it('finds the source files', () => {
    expect(sources.length).toBeGreaterThan(50);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const tooLong = sources
      .map(({ file, text }) => ({ file, lines: lineCount(text) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file} (${lines} lines)`);
    expect(tooLong, `split these below ${MAX_LINES} lines`).toEqual([]);
  });

  it('opens every source file with a comment (first non-empty line starts with // or /*)', () => {
    const uncommented = sources
      .filter(({ text }) => {
        const first = text.split(/\r?\n/).find((line) => line.trim() !== '');
        const opening = (first ?? '').trim();
        return !(opening.startsWith('//') || opening.startsWith('/*'));
      })
      .map(({ file }) => file);
    expect(uncommented, 'give these an opening comment saying what the file is for').toEqual([]);
  });
});
