// The gateway's hashes, shared by the nodes, the lab's router and the console (placement must
// agree everywhere): a 32-bit mix of a flow key with a seed (murmur3's finaliser over the two
// words, Math.imul so it stays in int32 and allocates nothing), a string hash for names
// (FNV-1a, for Maglev's per-backend offset and skip and for node seeds), and rendezvous (HRW)
// placement: the top R nodes of a flow by hash, in order.

const fmix = (h: number): number => {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

/** A flow key (k0, k1) mixed with a seed: uniform in u32. */
export function hash32(k0: number, k1: number, seed = 0): number {
  let h = seed ^ 0x9747b28c;
  let k = Math.imul(k0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  k = Math.imul(k1, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  return fmix(h ^ 8);
}

/** FNV-1a of a string's UTF-16 code units, finalised: for names (backends, nodes). */
export function hashName(name: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

/** Scratch for rendezvous (no allocation per packet); R is at most 16. */
const SCORE = new Float64Array(16);

/**
 * The replica set of a flow: the indexes of the top `r` nodes (at most 16) by hash32(k0, k1,
 * seed of the node), highest first (ties: the lower index first). `seeds[i]` is node i's seed
 * (hashName of its id). Writes into `out` and returns how many it wrote (min(r, seeds.length)).
 */
export function rendezvous(k0: number, k1: number, seeds: ArrayLike<number>, r: number, out: Int32Array): number {
  const n = Math.min(r, seeds.length, SCORE.length);
  let have = 0;
  for (let i = 0; i < seeds.length; i++) {
    const s = hash32(k0, k1, seeds[i]);
    if (have === n && s <= SCORE[n - 1]) continue;
    let j = have < n ? have++ : n - 1;
    while (j > 0 && SCORE[j - 1] < s) {
      SCORE[j] = SCORE[j - 1];
      out[j] = out[j - 1];
      j--;
    }
    SCORE[j] = s;
    out[j] = i;
  }
  return n;
}
