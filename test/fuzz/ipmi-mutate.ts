// Shared by the IPMI fuzz tests: the captured ipmitool exchanges as seed datagrams, and the
// mutations applied to them (bit flips, byte sets, truncation, insertion, splices, extreme
// length fields).
import { readFileSync, readdirSync } from 'node:fs';

const FIXTURES = new URL('../unit/core/protocols/ipmi/fixtures/', import.meta.url);

export interface Capture {
  username: string;
  password: string;
  packets: { from: 'client' | 'bmc'; hex: string }[];
}

export function captures(): Capture[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as Capture);
}

export function seedPackets(from?: 'client' | 'bmc'): Buffer[] {
  return captures().flatMap((c) => c.packets.filter((p) => !from || p.from === from).map((p) => Buffer.from(p.hex, 'hex')));
}

export function randomBytes(rnd: () => number, max: number): Buffer {
  const b = Buffer.alloc(Math.floor(rnd() * max));
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
  return b;
}

/** 1-4 mutations of a seed. */
export function mutate(seed: Buffer, rnd: () => number): Buffer {
  let b = Buffer.from(seed);
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (b.length + 1));
    switch (Math.floor(rnd() * 7)) {
      case 0:
        if (b.length) b[at % b.length] ^= 1 << Math.floor(rnd() * 8);
        break;
      case 1:
        if (b.length) b[at % b.length] = Math.floor(rnd() * 256);
        break;
      case 2:
        b = b.subarray(0, at);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), randomBytes(rnd, 12), b.subarray(at)]);
        break;
      case 4: {
        const from = Math.floor(rnd() * (b.length + 1));
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + Math.floor(rnd() * 16)), b.subarray(at)]);
        break;
      }
      case 5:
        if (b.length >= 2) b.writeUInt16LE([0, 1, 0xff, 0xffff, 0x7fff][Math.floor(rnd() * 5)], Math.floor(rnd() * (b.length - 1)));
        break;
      default:
        if (b.length) b[at % b.length] = [0x00, 0x01, 0x06, 0x07, 0x10, 0x7f, 0x80, 0xc0, 0xff][Math.floor(rnd() * 9)];
    }
  }
  return b;
}
