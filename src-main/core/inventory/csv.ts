// RFC 4180 CSV: quoted fields, doubled quotes, CRLF (LF and lone CR are accepted too),
// newlines inside quoted fields. Every record keeps the line it starts on and every field
// its 1-based column, so later stages can point at the exact cell. Malformed input is
// reported as ImportIssues, never thrown.
import type { ImportIssue } from '../../../src-shared/domain';

export interface CsvField {
  value: string;
  /** 1-based field index within the record. */
  column: number;
}

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: CsvField[];
}

export interface CsvParseResult {
  records: CsvRecord[];
  issues: ImportIssue[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parses CSV text. Blank lines are skipped. A record with a stray quote is kept (the quote
 * taken literally) and reported; an unterminated quoted field swallows the rest of the
 * file, so that record is reported and dropped. firstLine numbers the text's first line (a
 * piece of a streamed file).
 */
export function parseCsv(text: string, firstLine = 1): CsvParseResult {
  const records: CsvRecord[] = [];
  const issues: ImportIssue[] = [];
  const n = text.length;
  // A byte-order mark is dropped at the start of a file, not of a later piece of one.
  let i = firstLine === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = firstLine;

  while (i < n) {
    const recordLine = line;
    const fields: CsvField[] = [];
    let onlyBlank = true;
    let dropped = false;

    for (;;) {
      const column = fields.length + 1;
      let value = '';
      if (text.charCodeAt(i) === QUOTE) {
        onlyBlank = false;
        const quoteLine = line;
        i++;
        let start = i;
        let closed = false;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === QUOTE) {
            if (text.charCodeAt(i + 1) === QUOTE) {
              value += text.slice(start, i + 1);
              i += 2;
              start = i;
              continue;
            }
            value += text.slice(start, i);
            i++;
            closed = true;
            break;
          }
          if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) line++;
          i++;
        }
        if (!closed) {
          issues.push({
            line: quoteLine,
            column,
            field: '',
            code: 'csv-unclosed-quote',
            params: { column, quoteLine },
            message: `field ${column} opens a quote on line ${quoteLine} that is never closed: the rest of the file was read as one field`,
          });
          dropped = true;
          break;
        }
        if (i < n && !isDelimiter(text.charCodeAt(i))) {
          const start2 = i;
          while (i < n && !isDelimiter(text.charCodeAt(i))) i++;
          issues.push({
            line: recordLine,
            column,
            field: '',
            code: 'csv-text-after-quote',
            params: { column, text: text.slice(start2, i) },
            message: `field ${column} has text after its closing quote (${JSON.stringify(text.slice(start2, i))}); a quote inside a quoted field must be doubled ("")`,
          });
          value += text.slice(start2, i);
        }
      } else {
        const start = i;
        while (i < n && !isDelimiter(text.charCodeAt(i))) i++;
        value = text.slice(start, i);
        if (value !== '') onlyBlank = false;
        if (value.includes('"')) {
          issues.push({
            line: recordLine,
            column,
            field: '',
            code: 'csv-stray-quote',
            params: { column, value },
            message: `field ${column} contains a quote but is not quoted; write it as "${value.replaceAll('"', '""')}"`,
          });
        }
      }
      fields.push({ value, column });
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === COMMA) {
        onlyBlank = false;
        i++;
        continue;
      }
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      break;
    }

    if (!dropped && !(onlyBlank && fields.length === 1)) records.push({ line: recordLine, fields });
  }
  return { records, issues };
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === LF || c === CR;
}

/** Quotes a field only when it must be: it holds a comma, a quote, CR or LF. */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Serialises records, each line ended by CRLF as RFC 4180 says; `field` formats each cell. */
export function serializeCsv(rows: readonly (readonly string[])[], field: (value: string) => string = formatCsvField): string {
  let out = '';
  for (const row of rows) {
    // A lone empty field would read back as a blank line, which the parser skips.
    out += row.length === 1 && row[0] === '' ? '""' : row.map(field).join(',');
    out += '\r\n';
  }
  return out;
}
