// Spreadsheet-safe CSV cells and RFC 1123 host names: the neutralise/restore pair is exact,
// every OWASP trigger is guarded and quoted, and host names are judged label by label.
import { describe, expect, it } from 'vitest';
import { formatSafeCsvField, neutraliseCell, restoreCell } from '../../../../src-main/core/inventory/csv-safety';
import { isRfc1123Hostname } from '../../../../src-main/core/inventory/hostname';

describe('neutraliseCell / restoreCell', () => {
  const triggers = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://x")'];
  it('guards every cell a spreadsheet would evaluate with one leading quote', () => {
    for (const v of triggers) expect(neutraliseCell(v)).toBe(`'${v}`);
  });
  it('leaves ordinary cells alone', () => {
    for (const v of ['', 'web-01', 'A-PDB-01', "'quoted", "it's", '10.0.0.1', '2001:db8::1', 'a=b']) expect(neutraliseCell(v)).toBe(v);
  });
  it('round-trips every value, including ones that already look guarded', () => {
    for (const v of [...triggers, "'=x", "''=x", "'", "'abc", 'plain', '', "'-", '-']) expect(restoreCell(neutraliseCell(v))).toBe(v);
  });
  it('takes off exactly one quote, and only before a trigger', () => {
    expect(restoreCell("'=1+1")).toBe('=1+1');
    expect(restoreCell("''=1")).toBe("'=1");
    expect(restoreCell("'abc")).toBe("'abc");
  });
  it('quotes neutralised cells and escapes their quotes', () => {
    expect(formatSafeCsvField('=1+1')).toBe(`"'=1+1"`);
    expect(formatSafeCsvField('=A1&"x"')).toBe(`"'=A1&""x"""`);
    expect(formatSafeCsvField('plain')).toBe('plain');
    expect(formatSafeCsvField('a,b')).toBe('"a,b"');
  });
});

describe('isRfc1123Hostname', () => {
  it('accepts letters, digits and hyphens in labels, a leading digit included', () => {
    for (const h of ['web-01', 'bj1-r1-c0205-srv01', 'a', '1host', 'db.example.com', 'x'.repeat(63), `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`]) {
      expect(isRfc1123Hostname(h), h).toBe(true);
    }
  });
  it('refuses formulas, spaces, underscores, empty and over-long labels, edge hyphens', () => {
    for (const h of ['=1+1', '+cmd', 'web 01', 'web_01', '', 'a..b', '.a', 'a.', '-web', 'web-', 'x'.repeat(64), `${'a'.repeat(63)}.`.repeat(4) + 'a', 'héllo']) {
      expect(isRfc1123Hostname(h), h).toBe(false);
    }
  });
});
