// Byte-level mutations for the SNMP fuzz tests: a seedable PRNG and a mutator that knows a
// little about BER (tags, long-form lengths) without encoding anything itself.
import { createRng } from '../../src-shared/random';

/** The shared seedable PRNG, under the name the fuzz tests use. */
export const rng = createRng;

const TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x30, 0x40, 0x41, 0x42, 0x43, 0x44, 0x46, 0x80, 0x81, 0x82, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8];
const EDGE = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xfe, 0xff];

export function mutate(src: Buffer, r: () => number, other: () => Buffer): Buffer {
  const pick = (n: number): number => Math.floor(r() * n);
  let b = Buffer.from(src);
  const rounds = 1 + pick(4);
  for (let k = 0; k < rounds; k++) {
    const at = pick(Math.max(1, b.length));
    switch (pick(9)) {
      case 0: b[at] ^= 1 << pick(8); break; // bit flip
      case 1: b[at] = EDGE[pick(EDGE.length)]; break; // edge byte (lengths, signs)
      case 2: if (TAGS.includes(b[at])) b[at] = TAGS[pick(TAGS.length)]; else b[at] = pick(256); break; // retag
      case 3: b = b.subarray(0, at); break; // truncate
      case 4: b = Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(8) }, () => pick(256))), b.subarray(at)]); break; // insert
      case 5: b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + pick(8))]); break; // delete
      case 6: { const o = other(); const cut = pick(o.length); b = Buffer.concat([b.subarray(0, at), o.subarray(cut)]); break; } // splice
      case 7: { const len = 1 + pick(16); b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]); break; } // duplicate a chunk
      default: b[at] = (b[at] + (r() < 0.5 ? 1 : -1)) & 0xff; // off by one (lengths, counts)
    }
  }
  return b;
}
