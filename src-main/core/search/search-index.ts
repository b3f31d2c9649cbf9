// The device search index: every SN, hostname, management IP and BMC address, lower-cased,
// in one sorted array. Exact and prefix matches are one binary search and a short scan; one
// typo is found by searching each edit-distance-1 variant of the query (substitution,
// insertion, deletion, adjacent transposition over the index's own alphabet) the same way.
import { SEARCH_FIELDS, type DeviceSearchHit, type SearchField } from '../../../src-shared/domain';

/** A device as search shows it (DeviceSearchHit without the match). */
export type SearchRecord = Omit<DeviceSearchHit, 'field' | 'match'>;

export interface SearchIndex {
  readonly devices: number;
  readonly keys: number;
  search(q: string, limit?: number): DeviceSearchHit[];
}

/** Typos are looked for only from this many characters on (shorter: everything is one edit away). */
export const MIN_TYPO_LENGTH = 3;
export const DEFAULT_LIMIT = 20;

/** Match classes, best first: exact, prefix, one edit from the whole value, one edit from a prefix. */
const EXACT = 0;
const PREFIX = 1;
const TYPO = 2;
const TYPO_PREFIX = 3;

export const normalizeQuery = (q: string): string => q.trim().toLowerCase();

export function buildSearchIndex(records: readonly SearchRecord[]): SearchIndex {
  const raw: { key: string; rec: number; field: number }[] = [];
  const alphabet = new Set<string>();
  records.forEach((r, rec) => {
    SEARCH_FIELDS.forEach((f, field) => {
      const v = r[f];
      if (!v) return;
      const key = normalizeQuery(v);
      if (!key) return;
      raw.push({ key, rec, field });
      for (const ch of key) alphabet.add(ch);
    });
  });
  raw.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.field - b.field || a.rec - b.rec));
  const keys = raw.map((e) => e.key);
  const recOf = Int32Array.from(raw, (e) => e.rec);
  const fieldOf = Uint8Array.from(raw, (e) => e.field);
  const letters = [...alphabet].sort();

  /** First position whose key is >= s. */
  function lowerBound(s: string): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  interface Best {
    cls: number;
    key: string;
    field: number;
  }

  /** Keeps a device's best match: lower class, then key order (the order a prefix scan meets them), then field order. */
  function offer(found: Map<number, Best>, i: number, cls: number): void {
    const rec = recOf[i];
    const prev = found.get(rec);
    const key = keys[i];
    if (prev && better(prev, cls, key, fieldOf[i]) <= 0) return;
    found.set(rec, { cls, key, field: fieldOf[i] });
  }

  function better(a: Best, cls: number, key: string, field: number): number {
    return a.cls - cls || (a.key < key ? -1 : a.key > key ? 1 : 0) || a.field - field;
  }

  /** Entries whose key starts with s, in key order, until `want` distinct devices are new to `found`. */
  function scanPrefix(s: string, found: Map<number, Best>, exactCls: number, prefixCls: number, want: number): void {
    let added = 0;
    for (let i = lowerBound(s); i < keys.length && added < want; i++) {
      const key = keys[i];
      if (!key.startsWith(s)) break;
      const had = found.has(recOf[i]);
      offer(found, i, key.length === s.length ? exactCls : prefixCls);
      if (!had) added++;
    }
  }

  function variants(q: string): Set<string> {
    const out = new Set<string>();
    for (let i = 0; i < q.length; i++) {
      const head = q.slice(0, i);
      const tail = q.slice(i + 1);
      out.add(head + tail); // deletion
      for (const c of letters) {
        if (c !== q[i]) out.add(head + c + tail); // substitution
        out.add(head + c + q.slice(i)); // insertion before i (after the end adds nothing a prefix match lacks)
      }
      if (i + 1 < q.length && q[i] !== q[i + 1]) out.add(head + q[i + 1] + q[i] + q.slice(i + 2)); // transposition
    }
    out.delete(q);
    return out;
  }

  function search(q: string, limit = DEFAULT_LIMIT): DeviceSearchHit[] {
    const n = normalizeQuery(q);
    if (!n || limit < 1 || keys.length === 0) return [];
    const found = new Map<number, Best>();
    scanPrefix(n, found, EXACT, PREFIX, limit);
    if (found.size < limit && n.length >= MIN_TYPO_LENGTH) {
      const typos = new Map<number, Best>();
      for (const v of variants(n)) scanPrefix(v, typos, TYPO, TYPO_PREFIX, limit);
      for (const [rec, b] of typos) if (!found.has(rec)) found.set(rec, b);
    }
    return [...found]
      .sort(([ra, a], [rb, b]) => better(a, b.cls, b.key, b.field) || ra - rb)
      .slice(0, limit)
      .map(([rec, b]) => ({
        ...records[rec],
        field: SEARCH_FIELDS[b.field] as SearchField,
        match: b.cls === EXACT ? 'exact' : b.cls === PREFIX ? 'prefix' : 'typo',
      }));
  }

  return { devices: records.length, keys: keys.length, search };
}
