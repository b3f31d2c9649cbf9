// Fuzz the gateway's two wire formats (src-shared/mgw/encap.ts and sync.ts): byte mutations
// (test/fuzz/mutate.ts) of valid datagrams of both formats, each fed to both decoders (an
// encapsulation reaching the sync socket is refused, not misread), and random valid messages
// of every sync type. Whatever goes in, a decoder returns a message or throws an
// MgwCodecError; never a TypeError, a RangeError or a hang. Decoding is canonical: what
// decodes re-encodes to the very bytes it came from (so it is a valid datagram, and nothing a
// mutation changed went unnoticed). Seeded: MGW_FUZZ_SEED replays a run, MGW_FUZZ_CASES sizes it.
import { describe, expect, it } from 'vitest';
import { decodeEncap, encodeEncap, ENCAP_FLAG_HEALTH, ENCAP_FLAG_NEW, ENCAP_FLAG_REDIRECT, type EncapHeader } from '../../src-shared/mgw/encap';
import { packK1, PROTO_TCP, PROTO_UDP } from '../../src-shared/mgw/key';
import { decodeSync, encodeSync, MAX_NACK_RANGES, NO_BACKEND } from '../../src-shared/mgw/sync';
import { ENTRY_DELETE, ENTRY_UPSERT, MAX_BATCH_ENTRIES, NODE_STATES, type SyncEntry, type SyncMessage } from '../../src-shared/mgw/sync-types';
import { MgwCodecError } from '../../src-shared/mgw/wire';
import { mutate, rng } from './mutate';

const CASES = Number(process.env.MGW_FUZZ_CASES ?? 200_000);
const SEED = Number(process.env.MGW_FUZZ_SEED ?? 20261203);

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
/** A u32 that is an edge value half the time. */
const u32 = (r: Rand): number => (r() < 0.5 ? [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff][int(r, 6)] : int(r, 2 ** 32));
const u16 = (r: Rand): number => (r() < 0.5 ? [0, 1, 0xfffe, 0xffff][int(r, 4)] : int(r, 0x10000));

function randomEntry(r: Rand): SyncEntry {
  const k1 = packK1(u16(r), int(r, 4096), r() < 0.5 ? PROTO_UDP : PROTO_TCP);
  return r() < 0.3
    ? { op: ENTRY_DELETE, k0: u32(r), k1, backend: NO_BACKEND, idleS: u16(r) }
    : { op: ENTRY_UPSERT, k0: u32(r), k1, backend: int(r, 0xffff), idleS: u16(r) };
}

/** A valid message of a random type with random (often edge) values. */
function randomSync(r: Rand): SyncMessage {
  const head = { node: u16(r), epoch: u32(r) };
  switch (int(r, 5)) {
    case 0: {
      const n = r() < 0.2 ? MAX_BATCH_ENTRIES : int(r, MAX_BATCH_ENTRIES + 1);
      return { type: 'batch', ...head, seq: u32(r), bulk: r() < 0.5, entries: Array.from({ length: n }, () => randomEntry(r)) };
    }
    case 1: {
      const cumulative = r() < 0.2 ? 0 : int(r, 2 ** 31);
      const nacks: [number, number][] = [];
      let from = cumulative + 1 + int(r, 3);
      const want = r() < 0.2 ? MAX_NACK_RANGES : int(r, MAX_NACK_RANGES + 1);
      while (nacks.length < want && from <= 0xffffffff) {
        const to = Math.min(0xffffffff, from + (r() < 0.5 ? 0 : int(r, 1000)));
        nacks.push([from, to]);
        from = to + 2 + int(r, 1000);
      }
      return { type: 'ack', ...head, peerEpoch: u32(r), cumulative, nacks };
    }
    case 2:
      return { type: 'heartbeat', ...head, state: NODE_STATES[int(r, NODE_STATES.length)], sessions: u32(r), sentSeq: u32(r) };
    case 3:
      return { type: 'resync-request', ...head, requestId: u32(r) };
    default:
      return { type: 'resync-done', ...head, requestId: u32(r), lastSeq: u32(r), sessions: u32(r) };
  }
}

function randomEncap(r: Rand): Uint8Array {
  const header: EncapHeader = {
    flags: [0, ENCAP_FLAG_NEW, ENCAP_FLAG_HEALTH, ENCAP_FLAG_REDIRECT, ENCAP_FLAG_NEW | ENCAP_FLAG_REDIRECT][int(r, 5)],
    proto: r() < 0.5 ? PROTO_UDP : PROTO_TCP, node: u16(r), vip: u32(r), vipPort: u16(r), client: u32(r), clientPort: u16(r), seq: u32(r),
  };
  return encodeEncap(header, Uint8Array.from({ length: int(r, 64) }, () => int(r, 256)));
}

const seedRng = rng(SEED ^ 0x5eed);
const SYNC_SEEDS = Array.from({ length: 40 }, () => Buffer.from(encodeSync(randomSync(seedRng))));
const ENCAP_SEEDS = Array.from({ length: 20 }, () => Buffer.from(randomEncap(seedRng)));
const ALL_SEEDS = [...SYNC_SEEDS, ...ENCAP_SEEDS];

type Outcome = 'sync' | 'encap' | string;
/** What each decoder makes of the bytes: the message type, or the fault. Re-encoding must give the same bytes back. */
function judge(input: Uint8Array, caseNo: number): [Outcome, Outcome] {
  const fail = (what: string, err: unknown): never => {
    throw new Error(`case ${caseNo} (seed ${SEED}, ${what}, ${Buffer.from(input).toString('hex').slice(0, 400)}): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  };
  const outcome = (decode: () => Uint8Array, name: string): Outcome => {
    let again: Uint8Array;
    try {
      again = decode();
    } catch (err) {
      if (err instanceof MgwCodecError) return err.fault;
      return fail(name, err);
    }
    if (Buffer.compare(again, input) !== 0) fail(name, new Error(`re-encoded as ${Buffer.from(again).toString('hex').slice(0, 400)}`));
    return name;
  };
  return [
    outcome(() => encodeSync(decodeSync(input)), 'sync'),
    outcome(() => {
      const { header, payload } = decodeEncap(input);
      return encodeEncap(header, payload);
    }, 'encap'),
  ];
}

describe('gateway wire formats under fuzz', () => {
  it('random valid messages of every type round-trip to the same value and bytes', () => {
    const r = rng(SEED);
    const types = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const m = randomSync(r);
      types.add(m.type);
      const bytes = encodeSync(m);
      const back = decodeSync(bytes);
      expect(back).toEqual(m);
      expect(Buffer.compare(encodeSync(back), bytes)).toBe(0);
    }
    expect(types.size).toBe(5);
    for (const s of ENCAP_SEEDS) expect(judge(s, -1)).toEqual(['bad-magic', 'encap']);
    for (const s of SYNC_SEEDS) {
      const [sync, encap] = judge(s, -1);
      expect(sync).toBe('sync');
      expect(encap).toBe(s.length < 24 ? 'short' : 'bad-magic');
    }
  });

  it(`${CASES.toLocaleString('en-US')} mutated datagrams: a message that re-encodes to the same bytes, or an MgwCodecError`, () => {
    const r = rng(SEED);
    const tally = new Map<string, number>();
    const count = (k: string): void => void tally.set(k, (tally.get(k) ?? 0) + 1);
    for (let i = 0; i < CASES; i++) {
      const seeds = i % 3 === 2 ? ENCAP_SEEDS : SYNC_SEEDS;
      const input = mutate(seeds[int(r, seeds.length)], r, () => ALL_SEEDS[int(r, ALL_SEEDS.length)]);
      const [sync, encap] = judge(input, i);
      count(`sync:${sync}`);
      count(`encap:${encap}`);
    }
    const get = (k: string): number => tally.get(k) ?? 0;
    console.log(`mgw codec fuzz: ${CASES} cases (seed ${SEED}): ${[...tally].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    // Both outcomes are exercised for both formats, and the decoders' deeper rules are reached.
    expect(get('sync:sync')).toBeGreaterThan(CASES / 100);
    expect(get('encap:encap')).toBeGreaterThan(CASES / 100);
    for (const f of ['short', 'bad-magic', 'version', 'unknown-type', 'length', 'too-many-entries', 'reserved', 'bad-op', 'unknown-proto', 'bad-backend', 'bad-state', 'too-many-nacks', 'bad-nack']) {
      expect(get(`sync:${f}`), `sync fault ${f}`).toBeGreaterThan(0);
    }
    for (const f of ['short', 'bad-magic', 'version', 'reserved', 'unknown-proto']) expect(get(`encap:${f}`), `encap fault ${f}`).toBeGreaterThan(0);
  }, 600_000);
});
