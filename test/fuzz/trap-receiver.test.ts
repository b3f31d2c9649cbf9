// Fuzzing the trap receiver: 100k+ datagrams, random and mutated from packets captured from
// snmptrap/snmpinform (v1, v2c, v3 SHA/AES and SHA-256/AES-256), through the receiver's own
// receive path (handle(): exactly what its socket calls), then a slice over real UDP.
// Each datagram must end as exactly one of: an event, a named SnmpError, a repeat, or a
// datagram net-snmp answered itself; handle() never throws and nothing escapes the process.
// Reproduce a failure with FUZZ_SEED=<the seed printed>.
import * as dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrapReceiver, SnmpError, type TrapEvent, type TrapReceiver } from '../../src-main/core/protocols/snmp';
import { V3_USERS } from '../support/snmp-peers';
import { mutate, rng } from './mutate';

const HOST = '127.54.0.1';
const PORT = 18400;
const SINK = { address: '127.54.0.2', port: 18401 }; // where replies (reports, inform acks) go
const corpus = JSON.parse(readFileSync(new URL('./fixtures/snmp-trap-packets.json', import.meta.url), 'utf8')) as {
  community: string; engineId: string; packets: Array<{ label: string; hex: string }>;
};
const seeds = corpus.packets.map((p) => ({ label: p.label, bytes: Buffer.from(p.hex, 'hex') }));
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const NAMED = new Set(['SnmpMalformedPacketError', 'SnmpAuthError', 'SnmpUnexpectedPduError']);
const OID = /^\d+(\.\d+)+$/;

describe('trap receiver fuzz', () => {
  let receiver: TrapReceiver;
  let sink: dgram.Socket;
  const events: TrapEvent[] = [];
  const errors: unknown[] = [];
  const escaped: unknown[] = [];
  let thrown = 0;
  const onEscape = (err: unknown): void => void escaped.push(err);

  beforeAll(async () => {
    console.log(`trap receiver fuzz: FUZZ_SEED=${SEED}`);
    process.on('uncaughtException', onEscape);
    process.on('unhandledRejection', onEscape);
    sink = dgram.createSocket('udp4');
    await new Promise<void>((r) => sink.bind(SINK.port, SINK.address, r));
    receiver = await createTrapReceiver({
      address: HOST, port: PORT, communities: [corpus.community], users: Object.values(V3_USERS), engineId: corpus.engineId,
      onTrap: (e) => events.push(e), onError: (e) => errors.push(e),
    });
  });
  afterAll(async () => {
    if (receiver) console.log('trap receiver fuzz outcomes', JSON.stringify(receiver.stats()));
    await receiver?.dispose();
    await new Promise<void>((r) => (sink ? sink.close(() => r()) : r()));
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  });

  function feed(bytes: Buffer): void {
    try {
      receiver.handle(bytes, SINK);
    } catch {
      thrown++;
    }
  }

  function checkOutcomes(): void {
    const s = receiver.stats();
    const errorCount = Object.values(s.errors).reduce((a, b) => a + b, 0);
    expect(thrown).toBe(0);
    expect(escaped).toEqual([]);
    expect(s.traps + s.informs + s.repeats + s.answered + errorCount).toBe(s.datagrams);
    expect(s.traps + s.informs).toBe(events.length);
    expect(errorCount).toBe(errors.length);
    const stray = errors.filter((e) => !(e instanceof SnmpError) || !NAMED.has(e.name));
    expect(stray.slice(0, 3)).toEqual([]);
    const bad = events.filter((e) => !OID.test(e.trapOid) || !['1', '2c', '3'].includes(e.version) || !['trap', 'inform'].includes(e.kind)
      || !e.varbinds.every((v) => typeof v.oid === 'string' && typeof v.type === 'string'));
    expect(bad.slice(0, 3)).toEqual([]);
  }

  it('survives 30,000 random datagrams', () => {
    const r = rng(SEED);
    for (let i = 0; i < 30_000; i++) {
      const len = Math.floor(r() * (r() < 0.2 ? 1500 : 300));
      const b = Buffer.from(Array.from({ length: len }, () => Math.floor(r() * 256)));
      if (len && r() < 0.5) b[0] = 0x30; // a SEQUENCE start gets the decoder further
      feed(b);
    }
    checkOutcomes();
  });

  it('survives 40,000 mutations of captured v1 / v2c traps and informs', () => {
    const r = rng(SEED + 1);
    const pool = seeds.filter((s) => !s.label.startsWith('v3'));
    const other = (): Buffer => seeds[Math.floor(r() * seeds.length)].bytes;
    for (let i = 0; i < 40_000; i++) feed(mutate(pool[Math.floor(r() * pool.length)].bytes, r, other));
    checkOutcomes();
  });

  it('survives 40,000 mutations of captured v3 authPriv traps, informs and discoveries', () => {
    const r = rng(SEED + 2);
    const pool = seeds.filter((s) => s.label.startsWith('v3'));
    const other = (): Buffer => seeds[Math.floor(r() * seeds.length)].bytes;
    for (let i = 0; i < 40_000; i++) feed(mutate(pool[Math.floor(r() * pool.length)].bytes, r, other));
    checkOutcomes();
    // The mutations reached deep: many still decode to events, many get as far as USM checks.
    expect(receiver.stats().traps).toBeGreaterThan(1000);
    expect(receiver.stats().errors.SnmpAuthError).toBeGreaterThan(1000);
    // The seeds themselves still decode: the fuzzing above broke nothing.
    const n = events.length;
    for (const s of seeds) if (s.bytes.length > 100) feed(s.bytes);
    expect(events.length).toBeGreaterThan(n);
  });

  it('survives 3,000 mutated datagrams over its real UDP socket', async () => {
    const r = rng(SEED + 3);
    const client = dgram.createSocket('udp4');
    await new Promise<void>((res) => client.bind(0, '127.54.0.3', res));
    const other = (): Buffer => seeds[Math.floor(r() * seeds.length)].bytes;
    let sent = 0;
    // One datagram in flight at a time: a burst would overflow the socket's receive buffer.
    while (sent < 3000) {
      const b = mutate(seeds[Math.floor(r() * seeds.length)].bytes, r, other);
      if (!b.length) continue;
      const before = receiver.stats().datagrams;
      await new Promise<void>((res) => client.send(b, PORT, HOST, () => res()));
      sent++;
      for (let spins = 0; receiver.stats().datagrams === before; spins++) {
        if (spins > 20_000) throw new Error(`datagram ${sent} (${b.toString('hex')}) never reached the receiver`);
        await new Promise<void>((res) => setImmediate(res));
      }
    }
    await new Promise<void>((res) => client.close(() => res()));
    checkOutcomes();
  });
});
