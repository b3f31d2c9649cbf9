import { describe, expect, it } from 'vitest';
import { formatCsvField, parseCsv, serializeCsv } from '../../../../src-main/core/inventory/csv';

const values = (text: string): string[][] => parseCsv(text).records.map((r) => r.fields.map((f) => f.value));

describe('parseCsv', () => {
  it('keeps each record\'s starting line and each field\'s 1-based column', () => {
    const { records, issues } = parseCsv('a,b,c\r\nd,,f\r\n');
    expect(issues).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: [{ value: 'a', column: 1 }, { value: 'b', column: 2 }, { value: 'c', column: 3 }] },
      { line: 2, fields: [{ value: 'd', column: 1 }, { value: '', column: 2 }, { value: 'f', column: 3 }] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = 'x,"a, b","say ""hi"""\r\n"multi\r\nline\nfield",2,3\r\nlast,row,"end"';
    const { records, issues } = parseCsv(text);
    expect(issues).toEqual([]);
    expect(records.map((r) => r.fields.map((f) => f.value))).toEqual([
      ['x', 'a, b', 'say "hi"'],
      ['multi\r\nline\nfield', '2', '3'],
      ['last', 'row', 'end'],
    ]);
    // The quoted field spans lines 2-4, so the next record starts on line 5.
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('accepts LF and lone CR line ends, skips blank lines and a BOM', () => {
    const { records } = parseCsv('\ufeffa,b\n\nc,d\re,f\r\n\r\n');
    expect(records.map((r) => [r.line, r.fields.map((f) => f.value).join('|')])).toEqual([
      [1, 'a|b'],
      [3, 'c|d'],
      [4, 'e|f'],
    ]);
  });

  it('keeps empty fields, including a trailing one and a quoted empty one', () => {
    expect(values('a,\n,b\n""\n,\n')).toEqual([['a', ''], ['', 'b'], [''], ['', '']]);
    expect(values('a,b,')).toEqual([['a', 'b', '']]);
  });

  it('reports an unterminated quote with its line and column instead of throwing', () => {
    const { records, issues } = parseCsv('a,b\nc,"open\nstill open\n');
    expect(records.map((r) => r.line)).toEqual([1]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, column: 2 });
    expect(issues[0].message).toMatch(/never closed/);
  });

  it('reports text after a closing quote and a stray quote, keeping the record', () => {
    const { records, issues } = parseCsv('a,"b"x,c\nd,e"f,g\n');
    expect(records.map((r) => r.fields.map((f) => f.value))).toEqual([['a', 'bx', 'c'], ['d', 'e"f', 'g']]);
    expect(issues.map((i) => [i.line, i.column])).toEqual([[1, 2], [2, 2]]);
    expect(issues[0].message).toMatch(/after its closing quote/);
    expect(issues[1].message).toMatch(/not quoted/);
  });

  it('handles the empty text', () => {
    expect(parseCsv('')).toEqual({ records: [], issues: [] });
  });
});

describe('serializeCsv', () => {
  it('quotes only fields that need it and ends lines with CRLF', () => {
    expect(formatCsvField('plain')).toBe('plain');
    expect(formatCsvField('a,b')).toBe('"a,b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField('two\nlines')).toBe('"two\nlines"');
    expect(serializeCsv([['a', 'b'], ['c', '']])).toBe('a,b\r\nc,\r\n');
  });

  it('round-trips awkward values exactly', () => {
    const rows = [
      ['id', 'text'],
      ['1', ' leading and trailing '],
      ['2', 'comma, "quote", CRLF\r\nLF\nCR\r'],
      ['3', ''],
      ['4', '北京 机房 ✓'],
      [''],
    ];
    const text = serializeCsv(rows);
    const parsed = parseCsv(text);
    expect(parsed.issues).toEqual([]);
    expect(parsed.records.map((r) => r.fields.map((f) => f.value))).toEqual(rows);
    expect(serializeCsv(parsed.records.map((r) => r.fields.map((f) => f.value)))).toBe(text);
  });
});
