// CSV read as it arrives: text is cut after each line break that ends a record (a small
// state machine that reads quotes exactly as parseCsv does), and each cut is parsed with
// parseCsv, numbered from its place in the whole file. Only a partial record is kept.
import type { ImportIssue } from '../../../src-shared/domain';
import { parseCsv, type CsvRecord } from './csv';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

const enum At {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the field closes unless another quote follows. */
  QuoteSeen,
}

export interface CsvStream {
  /** More text of the file (decoded); records complete in it reach onRecord now. */
  push(text: string): void;
  /** The end of the file: the last record, and any unterminated quote, are reported. */
  end(): void;
}

export function createCsvStream(onRecord: (record: CsvRecord) => void, issues: ImportIssue[]): CsvStream {
  let buf = '';
  /** Where the scan resumes in buf, and its state there. */
  let scanned = 0;
  let state = At.FieldStart;
  /** Line breaks in buf before `scanned`. */
  let breaks = 0;
  /** Lines of the file before buf. */
  let lineOffset = 0;

  const emit = (piece: string): void => {
    const r = parseCsv(piece, lineOffset + 1);
    for (const rec of r.records) onRecord(rec);
    issues.push(...r.issues);
  };

  return {
    push(text) {
      buf += text;
      let cut = -1;
      let cutBreaks = 0;
      let i = scanned;
      const n = buf.length;
      while (i < n) {
        const c = buf.charCodeAt(i);
        const isBreak = c === LF || c === CR;
        if (c === CR && i + 1 === n) break; // CR or CRLF: wait for the next character
        const width = c === CR && buf.charCodeAt(i + 1) === LF ? 2 : 1;
        if (isBreak) breaks++;
        switch (state) {
          case At.Quoted:
            if (c === QUOTE) state = At.QuoteSeen;
            break;
          case At.FieldStart:
            if (c === QUOTE) state = At.Quoted;
            else if (!isBreak && c !== COMMA) state = At.Unquoted;
            break;
          case At.QuoteSeen:
            if (c === QUOTE) state = At.Quoted;
            else state = isBreak || c === COMMA ? At.FieldStart : At.Unquoted;
            break;
          case At.Unquoted:
            if (isBreak || c === COMMA) state = At.FieldStart;
            break;
        }
        i += width;
        if (isBreak && state === At.FieldStart) {
          cut = i;
          cutBreaks = breaks;
        }
      }
      scanned = i;
      if (cut < 0) return;
      emit(buf.slice(0, cut));
      buf = buf.slice(cut);
      scanned -= cut;
      breaks -= cutBreaks;
      lineOffset += cutBreaks;
    },
    end() {
      if (buf.length) emit(buf);
      buf = '';
      scanned = 0;
      breaks = 0;
    },
  };
}
