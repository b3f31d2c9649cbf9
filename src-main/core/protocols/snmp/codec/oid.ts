// OID arithmetic for walks and tables: checking and normalising dotted OIDs, GetNext order,
// subtrees and table columns. Pure functions; a malformed OID is an SnmpValueError.
import { SnmpValueError } from './errors';
import type { TypedVarbind } from './values';

/** "1.3.6.1.2.1.1.5.0" (a leading dot allowed) checked and without the dot; SnmpValueError if malformed. */
export function normalizeOid(oid: string): string {
  const s = oid.charCodeAt(0) === 46 ? oid.slice(1) : oid;
  // One pass (this runs on every request of every walk): digits and single dots, at least two
  // arcs, the first arc 0-2, every arc within 32 bits.
  let arcs = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0) throw new SnmpValueError(oid, 'not a dotted numeric OID');
      if (value > 0xffff_ffff || (arcs === 0 && value > 2)) throw new SnmpValueError(oid, 'arc out of range');
      arcs++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else {
      throw new SnmpValueError(oid, 'not a dotted numeric OID');
    }
  }
  if (arcs < 2) throw new SnmpValueError(oid, 'not a dotted numeric OID');
  return s;
}

export function parseOid(oid: string): number[] {
  return normalizeOid(oid).split('.').map(Number);
}

/** Lexicographic OID order (the order GetNext walks): negative, zero or positive. Allocation-free. */
export function compareOids(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const la = a.length;
  const lb = b.length;
  while (i < la && j < lb) {
    let x = 0;
    for (let c = a.charCodeAt(i); i < la && c !== 46; c = a.charCodeAt(++i)) x = x * 10 + (c - 48);
    let y = 0;
    for (let c = b.charCodeAt(j); j < lb && c !== 46; c = b.charCodeAt(++j)) y = y * 10 + (c - 48);
    if (x !== y) return x - y;
    i++;
    j++;
  }
  return i < la ? 1 : j < lb ? -1 : 0;
}

/** True when `oid` lies strictly inside the subtree rooted at `root`. */
export function isUnder(oid: string, root: string): boolean {
  return oid.length > root.length && oid.startsWith(root) && oid.charCodeAt(root.length) === 46; // '.'
}

/** The arcs of `oid` after `root` ("1.3.6.1.2.1.2.2.1.10.7" under ifEntry -> "10.7"); null if not under it. */
export function oidSuffix(oid: string, root: string): string | null {
  return isUnder(oid, root) ? oid.slice(root.length + 1) : null;
}

/**
 * Groups a walked table by column and row: `table[column][rowIndex]`, where the row index is
 * the OID suffix after the column (a single number for ifIndex-style tables).
 */
export function tableColumns(varbinds: readonly TypedVarbind[], entryOid: string): Map<number, Map<string, TypedVarbind>> {
  const columns = new Map<number, Map<string, TypedVarbind>>();
  for (const vb of varbinds) {
    const suffix = oidSuffix(vb.oid, entryOid);
    if (!suffix) continue;
    const dot = suffix.indexOf('.');
    if (dot < 0) continue;
    const column = Number(suffix.slice(0, dot));
    let rows = columns.get(column);
    if (!rows) columns.set(column, (rows = new Map()));
    rows.set(suffix.slice(dot + 1), vb);
  }
  return columns;
}
