// Maglev consistent hashing for the gateway (src-daemons/mgw/DESIGN.md, "Maglev"; the Maglev
// paper, section 3.4): a lookup table of M entries, M prime, each entry a backend's index into
// the configured list. Every backend has a permutation of 0..M-1 from two hashes of its name
// (offset = h1 mod M, skip = h2 mod (M-1) + 1, entry j = (offset + j*skip) mod M; M prime makes
// any skip coprime to M, so it visits every entry once); the backends take turns, each claiming
// the next entry of its permutation that is still empty, until all M are filled. Equal shares
// within a fraction of a percent for M >= 100 x backends, and few entries move when a backend
// comes or goes.
//
// Choices beyond the paper:
// - Table size: the smallest prime >= max(100 x backends, 65537). 100 x is the paper's
//   advice (M >> N keeps the shares even); 65537 (prime) is its common default and keeps
//   small pools as even as large ones (655 backends and fewer share it, as DESIGN.md says).
// - Order: the fill visits backends sorted by name (code-unit order, not locale order), so
//   every node builds the same owner per entry from the same names in whatever order its
//   config lists them. Names must be unique.
// - Weights: each round, a backend is owed weight / (smallest positive weight among those up)
//   turns, carried over as credit when fractional: weight 2 takes two entries per round
//   where weight 1 takes one. Weight 0 drains a backend (no entries), as does up: false.
// - Entries are u16: index 0xffff (NONE) means no backend; the whole table is NONE exactly
//   when no backend is up with a positive weight, otherwise no entry is.
// - Indexes are into the list as given: to compare two tables (disruption) keep the list and
//   set `up: false` rather than splicing a backend out, or the later indexes shift.
import { hash32, hashName } from '../../src-shared/mgw/hash';

/** A table entry that no backend owns. */
export const NONE = 0xffff;
/** Most backends a table can index (0..0xfffe). */
export const MAX_BACKENDS = 0xffff;
/** The flow hash's seed for lookups: a constant of its own, unrelated to the node seeds (hashName of node ids). */
export const LOOKUP_SEED = 0x4d676c76; // 'Mglv'
/** Seeds of the two name hashes: the permutation's offset and skip. */
const OFFSET_SEED = 0x6f666673; // 'offs'
const SKIP_SEED = 0x736b6970; // 'skip'
/** The paper's default table size (a prime), the floor of tableSizeFor. */
export const MIN_TABLE_SIZE = 65537;

export interface MaglevBackend {
  readonly name: string;
  /** Relative share, finite and >= 0; 1 when left out; 0 drains the backend. */
  readonly weight?: number;
  /** False takes the backend out of the table; true when left out. */
  readonly up?: boolean;
}

/** True for a prime (trial division by 6k +- 1: table sizes are below 2^23). */
export function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  if (n < 4) return true;
  if (n % 2 === 0 || n % 3 === 0) return false;
  for (let d = 5; d * d <= n; d += 6) if (n % d === 0 || n % (d + 2) === 0) return false;
  return true;
}

/** The smallest prime >= n. */
export function nextPrime(n: number): number {
  if (!Number.isFinite(n)) throw new RangeError(`nextPrime: ${n} is not a finite number`);
  let p = Math.max(2, Math.ceil(n));
  while (!isPrime(p)) p++;
  return p;
}

/** The table size for a pool of `backends`: the smallest prime >= max(100 x backends, 65537). */
export function tableSizeFor(backends: number): number {
  if (!Number.isInteger(backends) || backends < 0 || backends > MAX_BACKENDS) throw new RangeError(`tableSizeFor: ${backends} backends (0..${MAX_BACKENDS})`);
  return nextPrime(Math.max(100 * backends, MIN_TABLE_SIZE));
}

/**
 * The Maglev table of `backends` with `size` entries (a prime; tableSizeFor gives one): entry
 * = index into `backends` of its owner, only backends up with a positive weight, NONE in every
 * entry when there is none. The same names, weights and states give the same owner per entry
 * whatever their order in the list.
 */
export function buildMaglev(backends: readonly MaglevBackend[], size: number): Uint16Array {
  if (!isPrime(size) || size > 0x40000000) throw new RangeError(`buildMaglev: size ${size} is not a prime below 2^30`);
  if (backends.length > MAX_BACKENDS) throw new RangeError(`buildMaglev: ${backends.length} backends (at most ${MAX_BACKENDS})`);
  const seen = new Set<string>();
  for (const b of backends) {
    if (seen.has(b.name)) throw new RangeError(`buildMaglev: backend name ${JSON.stringify(b.name)} is repeated`);
    seen.add(b.name);
    const w = b.weight ?? 1;
    if (!Number.isFinite(w) || w < 0) throw new RangeError(`buildMaglev: backend ${JSON.stringify(b.name)} has weight ${w}`);
  }
  const table = new Uint16Array(size).fill(NONE);
  // The backends in the table, in name order: their index, permutation state and turns per round.
  const live = backends
    .map((b, index) => ({ name: b.name, index, weight: b.weight ?? 1, up: b.up ?? true }))
    .filter((b) => b.up && b.weight > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const n = live.length;
  if (n === 0) return table;
  const minWeight = live.reduce((m, b) => Math.min(m, b.weight), Infinity);
  const index = new Uint16Array(n);
  const next = new Int32Array(n); // the next entry of each permutation to try
  const skip = new Int32Array(n);
  const turns = new Float64Array(n); // turns owed per round
  const credit = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = live[i];
    index[i] = b.index;
    next[i] = hashName(b.name, OFFSET_SEED) % size;
    skip[i] = (hashName(b.name, SKIP_SEED) % (size - 1)) + 1;
    turns[i] = b.weight / minWeight;
  }
  let filled = 0;
  while (filled < size) {
    for (let i = 0; i < n && filled < size; i++) {
      credit[i] += turns[i];
      while (credit[i] >= 1 && filled < size) {
        credit[i] -= 1;
        // Walk the permutation to its first empty entry: one exists while filled < size.
        // e + step < 2 * size, so one subtraction is the modulo.
        const step = skip[i];
        let e = next[i];
        while (table[e] !== NONE) {
          e += step;
          if (e >= size) e -= size;
        }
        table[e] = index[i];
        e += step;
        next[i] = e >= size ? e - size : e;
        filled++;
      }
    }
  }
  return table;
}

/** The backend index for flow (k0, k1), NONE when no backend is up. No allocation: the packet path. */
export function lookup(table: Uint16Array, k0: number, k1: number): number {
  return table[slotOf(table, k0, k1)];
}

/** The table entry a flow hashes to (lookup's index). */
export function slotOf(table: Uint16Array, k0: number, k1: number): number {
  return hash32(k0, k1, LOOKUP_SEED) % table.length;
}

/** Each backend's share of the table (0..1), for indexes 0..n-1; NONE entries count for none. */
export function shares(table: Uint16Array, n: number): Float64Array {
  const counts = new Float64Array(n);
  for (let i = 0; i < table.length; i++) {
    const b = table[i];
    if (b < n) counts[b]++;
  }
  if (table.length > 0) for (let b = 0; b < n; b++) counts[b] /= table.length;
  return counts;
}

/**
 * Of the entries that `before` gives to a surviving backend (`survivors(index)`), the fraction
 * whose owner differs in `after` (0 when there are none). Both tables index the same list.
 */
export function disruption(before: Uint16Array, after: Uint16Array, survivors: (index: number) => boolean): number {
  if (before.length !== after.length) throw new RangeError(`disruption: tables of ${before.length} and ${after.length} entries`);
  let owned = 0;
  let moved = 0;
  for (let i = 0; i < before.length; i++) {
    const b = before[i];
    if (b === NONE || !survivors(b)) continue;
    owned++;
    if (after[i] !== b) moved++;
  }
  return owned === 0 ? 0 : moved / owned;
}
