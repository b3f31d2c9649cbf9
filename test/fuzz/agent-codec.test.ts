// Fuzz the agent protocol's codec (src-shared/agent-protocol) with 1,000,000 cases: byte
// mutations of valid frames of every type, fed to a FrameReader in random chunk splits, and
// JSON-level mutations (values swapped for other types, fields dropped or added, numbers at
// their edges) sent as raw frames. Whatever goes in, what comes out is a validated message or
// an AgentProtocolError; never a TypeError, a RangeError or a hang. A message that decodes
// re-encodes to the same bytes' meaning (round trip). Seeded: AGENT_FUZZ_SEED replays a run.
import { describe, expect, it } from 'vitest';
import {
  AgentProtocolError, decodeMessage, encodeFrame, encodeMessage, FrameReader, MAX_FRAME_BYTES,
  type AgentMessage, type AgentMessages, type FrameTypeName,
} from '../../src-shared/agent-protocol';
import { mutate, rng } from './mutate';

const CASES = 1_000_000;
const SEED = Number(process.env.AGENT_FUZZ_SEED ?? 20261202);

const config: AgentMessages['welcome']['config'] = { intervalMs: 10_000, inventoryIntervalMs: 600_000, processes: ['sshd', 'mgw'], files: ['/etc/hosts'], maxCpuPct: 10, maxRssBytes: 64 * 1024 * 1024 };
const nonce = Buffer.alloc(32, 7).toString('base64');
const signature = Buffer.alloc(64, 9).toString('base64');

const SAMPLES: AgentMessage[] = [
  { type: 'hello', body: { version: 1, agentId: 'srv-0001', agentVersion: '1.0.0', hostname: 'web-01' } },
  { type: 'challenge', body: { nonce } },
  { type: 'proof', body: { signature } },
  { type: 'welcome', body: { version: 1, lastSeq: 41, config } },
  { type: 'refused', body: { reason: 'revoked', message: 'agent srv-0001 was revoked by admin' } },
  { type: 'results', body: { results: [
    { seq: 42, at: 1_764_000_000_000, data: { kind: 'metrics', cpuIdlePct: 97.5, load: [0.1, 0.2, 0.3], memTotalBytes: 8e9, memFreeBytes: 6e9, disks: [{ mount: '/', totalBytes: 1e11, usedBytes: 4e10 }], nets: [{ iface: 'eth0', rxBytes: 1e6, txBytes: 2e6, rxPackets: 100, txPackets: 200, rxErrors: 0, txErrors: 1 }] } },
    { seq: 43, at: 1_764_000_000_001, data: { kind: 'process', name: 'sshd', pid: 811, cpuPct: 0.1, rssBytes: 5e6, qps: null, latencyMs: null } },
    { seq: 44, at: 1_764_000_000_002, data: { kind: 'inventory', osRelease: 'Debian GNU/Linux 12', kernel: '6.1.0', packages: [{ name: 'openssh-server', version: '1:9.2p1-2' }], files: [{ path: '/etc/hosts', sha256: 'a'.repeat(64), error: null }, { path: '/etc/shadow', sha256: null, error: 'EACCES' }] } },
    { seq: 45, at: 1_764_000_000_003, data: { kind: 'status', state: 'ok', cpuPct: 0.4, rssBytes: 3e7, bufferDepth: 3, bufferBytes: 900, dropped: 0 } },
  ] } },
  { type: 'ack', body: { upTo: 45 } },
  { type: 'config', body: { config } },
  { type: 'ping', body: { at: 5 } },
  { type: 'pong', body: { at: 5 } },
  { type: 'bye', body: { reason: 'upgrade' } },
];
const SEEDS = SAMPLES.map((m) => Buffer.from(encodeMessage(m.type, m.body as never)));

/** Reads a byte string as a stream in random chunks; every frame out is decoded. */
function readAll(bytes: Uint8Array, r: () => number, reader = new FrameReader()): AgentMessage[] {
  const out: AgentMessage[] = [];
  let at = 0;
  while (at < bytes.length) {
    const n = 1 + Math.floor(r() * Math.min(64, bytes.length - at));
    for (const f of reader.push(bytes.subarray(at, at + n))) out.push(decodeMessage(f));
    at += n;
  }
  return out;
}

/** A JSON value swapped for something of another shape. */
function wildValue(r: () => number): unknown {
  const pick = Math.floor(r() * 14);
  return [null, true, -1, 0, 1.5, 2 ** 53, -(2 ** 60), 1e308, '', 'x'.repeat(300), [], {}, [1, 'a'], { seq: 1 }][pick];
}

function mutateJson(v: unknown, r: () => number, depth = 0): unknown {
  if (r() < 0.15 || depth > 6) return wildValue(r);
  if (Array.isArray(v)) {
    const a = v.map((x) => (r() < 0.3 ? mutateJson(x, r, depth + 1) : x));
    if (r() < 0.2) a.splice(Math.floor(r() * (a.length + 1)), 0, wildValue(r));
    if (r() < 0.2 && a.length) a.splice(Math.floor(r() * a.length), 1);
    return a;
  }
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    for (const k of keys) if (r() < 0.3) o[k] = mutateJson(o[k], r, depth + 1);
    if (r() < 0.15 && keys.length) delete o[keys[Math.floor(r() * keys.length)]];
    if (r() < 0.1) o[['kind', 'seq', '__proto__', 'constructor', 'extra'][Math.floor(r() * 5)]] = wildValue(r);
    return o;
  }
  return r() < 0.5 ? wildValue(r) : v;
}

describe('agent protocol codec under fuzz', () => {
  it('every valid sample round-trips through the stream reader', () => {
    const r = rng(1);
    const all = Buffer.concat(SEEDS);
    const got = readAll(all, r);
    expect(got.map((m) => m.type)).toEqual(SAMPLES.map((m) => m.type));
    expect(got).toEqual(SAMPLES);
  });

  it('refuses what breaks the rules with the rule named', () => {
    const fault = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        if (err instanceof AgentProtocolError) return err.fault;
        throw err;
      }
      return 'accepted';
    };
    expect(fault(() => new FrameReader().push(Uint8Array.of(0, 0, 0, 0, 1)))).toBe('frame-empty');
    const huge = new Uint8Array(5);
    new DataView(huge.buffer).setUint32(0, MAX_FRAME_BYTES + 1);
    huge[4] = 6;
    expect(fault(() => new FrameReader().push(huge))).toBe('frame-too-large');
    expect(fault(() => new FrameReader().push(Uint8Array.of(0, 0, 0, 1, 99)))).toBe('unknown-type');
    const frame = (type: FrameTypeName, text: string | Uint8Array) => new FrameReader().push(encodeFrame(type, typeof text === 'string' ? new TextEncoder().encode(text) : text))[0];
    expect(fault(() => decodeMessage(frame('ack', Uint8Array.of(0xff, 0xfe))))).toBe('bad-utf8');
    expect(fault(() => decodeMessage(frame('ack', '{"upTo":')))).toBe('bad-json');
    expect(fault(() => decodeMessage(frame('ack', '{"upTo":-1}')))).toBe('bad-message');
    const outOfOrder = { results: [{ ...(SAMPLES[5].body as AgentMessages['results']).results[1] }, { ...(SAMPLES[5].body as AgentMessages['results']).results[0] }] };
    expect(fault(() => decodeMessage(frame('results', JSON.stringify(outOfOrder))))).toBe('bad-message');
    // A reader that met a bad header stays refused: the stream has lost its framing.
    const spent = new FrameReader();
    expect(fault(() => spent.push(Uint8Array.of(0, 0, 0, 0, 1)))).toBe('frame-empty');
    expect(fault(() => spent.push(SEEDS[0]))).toBe('frame-empty');
  });

  it(`${CASES.toLocaleString('en-US')} mutated inputs: a message or an AgentProtocolError, nothing else`, () => {
    const r = rng(SEED);
    const counts = { accepted: 0, incomplete: 0, refused: 0, byFault: new Map<string, number>() };
    for (let i = 0; i < CASES; i++) {
      const s = Math.floor(r() * SEEDS.length);
      let input: Uint8Array;
      if (i % 4 === 3) {
        const m = SAMPLES[s];
        input = encodeFrame(m.type, new TextEncoder().encode(JSON.stringify(mutateJson(m.body, r))));
      } else {
        input = mutate(SEEDS[s], r, () => SEEDS[Math.floor(r() * SEEDS.length)]);
      }
      try {
        const reader = new FrameReader();
        const out = readAll(input, r, reader);
        for (const m of out) expect(decodeMessage(new FrameReader().push(encodeMessage(m.type, m.body as never))[0])).toEqual(m);
        // A cut frame waits for its rest; nothing is decoded from it.
        if (reader.buffered > 0) counts.incomplete++;
        else counts.accepted++;
      } catch (err) {
        if (!(err instanceof AgentProtocolError)) {
          throw new Error(`case ${i} (seed ${SEED}, ${Buffer.from(input).toString('hex').slice(0, 400)}): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
        }
        counts.refused++;
        counts.byFault.set(err.fault, (counts.byFault.get(err.fault) ?? 0) + 1);
      }
    }
    console.log(`agent codec fuzz: ${CASES} cases (seed ${SEED}): ${counts.accepted} decoded whole, ${counts.incomplete} waiting for more bytes, ${counts.refused} refused (${[...counts.byFault].map(([k, v]) => `${k} ${v}`).join(', ')})`);
    expect(counts.accepted + counts.incomplete + counts.refused).toBe(CASES);
    // Both outcomes are exercised: the mutations are neither all fatal nor all harmless.
    expect(counts.accepted).toBeGreaterThan(CASES / 100);
    expect(counts.byFault.get('bad-message') ?? 0).toBeGreaterThan(CASES / 100);
  }, 600_000);
});
