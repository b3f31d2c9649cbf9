// Fuzz FleetDeck's IPMI codec: random datagrams and mutations of the captured ipmitool /
// ipmi_sim / simulator exchanges through every decoder, and the payloads inside them
// (session messages, RAKP messages, command responses, SDR and SEL records). Whatever goes
// in, what comes out is a value or an IpmiError; never a RangeError or a TypeError.
import { describe, expect, it } from 'vitest';
import * as app from '../../src-main/core/protocols/ipmi/codec/app-commands';
import * as chassis from '../../src-main/core/protocols/ipmi/codec/chassis-commands';
import { CIPHER_SUITES, decryptPayload, deriveSessionKeys } from '../../src-main/core/protocols/ipmi/codec/cipher';
import { decodeIpmi15, verifyIpmi15, password16 } from '../../src-main/core/protocols/ipmi/codec/ipmi15';
import { decodeRequest, decodeResponse, encodeRequest } from '../../src-main/core/protocols/ipmi/codec/message';
import * as rakp from '../../src-main/core/protocols/ipmi/codec/rakp';
import { classifyPacket, decodeAsf } from '../../src-main/core/protocols/ipmi/codec/rmcp';
import { decodeRmcpPlus, encodeRmcpPlus, openPayload, type SessionCrypto } from '../../src-main/core/protocols/ipmi/codec/rmcpplus';
import { decodeSdrRecord } from '../../src-main/core/protocols/ipmi/codec/sdr';
import { decodeSelEntry } from '../../src-main/core/protocols/ipmi/codec/sel';
import * as storage from '../../src-main/core/protocols/ipmi/codec/storage-commands';
import { IpmiError } from '../../src-main/core/protocols/ipmi/errors';
import { createRng } from '../../src-main/lab/generator';
import { mutate, randomBytes, seedPackets } from './ipmi-mutate';

const CASES = 100_000;

/** Runs fn; an IpmiError counts as a clean refusal, anything else fails the test with the input. */
function guard(i: number, input: Buffer, fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (err instanceof IpmiError) return false;
    throw new Error(`case ${i} (${input.toString('hex')}): ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

const k3 = deriveSessionKeys('hmac-sha1', Buffer.from('secret'), Buffer.alloc(16, 3), Buffer.alloc(16, 4), 0x14, Buffer.from('admin'));
const k17 = deriveSessionKeys('hmac-sha256', Buffer.from('secret'), Buffer.alloc(16, 3), Buffer.alloc(16, 4), 0x14, Buffer.from('admin'));
const CRYPTO: SessionCrypto[] = [
  { integrity: 'hmac-sha1-96', confidentiality: 'aes-cbc-128', k1: k3.k1, k2: k3.k2 },
  { integrity: 'hmac-sha256-128', confidentiality: 'aes-cbc-128', k1: k17.k1, k2: k17.k2 },
  { integrity: 'none', confidentiality: 'none', k1: k3.k1, k2: k3.k2 },
];

/** Every decoder that takes a payload or a command's data. */
const PAYLOAD_DECODERS: ((b: Buffer) => unknown)[] = [
  decodeRequest, decodeResponse, app.decodeChannelAuthCapabilities, app.decodeGetChannelAuthCapabilitiesRequest, app.decodeSessionChallenge,
  app.decodeGetSessionChallengeRequest, app.decodeActivateSessionRequest, app.decodeActivateSessionResponse, app.decodeDeviceId,
  chassis.decodeChassisStatus, chassis.decodeChassisControl, chassis.decodeChassisIdentify, chassis.decodeBootFlags, chassis.decodeGetBootOptions,
  chassis.decodeDcmiPowerReading, storage.decodeRepositoryInfo, storage.decodeReservation, storage.decodeRecordRead, storage.decodeRecordChunk,
  storage.decodeClearSel, storage.decodeSensorReading, decodeSdrRecord, decodeSelEntry,
  rakp.decodeOpenSessionRequest, rakp.decodeOpenSessionResponse, rakp.decodeRakp1,
  (b) => rakp.decodeRakp2(b, 'hmac-sha1'), (b) => rakp.decodeRakp2(b, 'hmac-sha256'), (b) => rakp.decodeRakp3(b, 'hmac-sha256'), (b) => rakp.decodeRakp4(b, 'hmac-sha1'),
  (b) => decryptPayload(k3.k2, b),
];

describe('fuzz: IPMI codec', () => {
  it('decodes 100k random and mutated datagrams to a packet or an IpmiError', () => {
    const rnd = createRng(0x1b2c3d);
    const seeds = seedPackets();
    let decoded = 0;
    for (let i = 0; i < CASES; i++) {
      const input = rnd() < 0.2 ? randomBytes(rnd, 96) : mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
      guard(i, input, () => {
        const kind = classifyPacket(input);
        if (kind === 'asf') decodeAsf(input);
        else if (kind === 'ipmi15') {
          const p = decodeIpmi15(input);
          guard(i, input, () => verifyIpmi15(p, password16('secret')));
          guard(i, input, () => decodeResponse(p.message));
        } else {
          const p = decodeRmcpPlus(input);
          for (const c of CRYPTO) guard(i, input, () => openPayload(p, c));
          guard(i, input, () => decryptPayload(k17.k2, p.payload));
          for (const decode of PAYLOAD_DECODERS.slice(23, 30)) guard(i, input, () => decode(p.payload));
        }
        decoded++;
      });
    }
    // Mutations keep most datagrams parseable at the outer layer, so the inner decoders ran.
    expect(decoded).toBeGreaterThan(CASES / 4);
  });

  it('decodes 100k random and mutated payloads (messages, RAKP, command data, SDR/SEL records) to a value or an IpmiError', () => {
    const rnd = createRng(0x5eed);
    // Inner seeds: every payload of the captures, plus plaintext messages re-wrapped.
    const seeds = seedPackets().flatMap((b) => {
      try {
        const kind = classifyPacket(b);
        if (kind === 'rmcpplus') return [decodeRmcpPlus(b).payload];
        if (kind === 'ipmi15') {
          const m = decodeIpmi15(b).message;
          return [m, m.subarray(7, m.length - 1)];
        }
      } catch {
        // not a seed
      }
      return [];
    });
    seeds.push(encodeRequest({ netFn: 0x0a, cmd: 0x23, rqSeq: 1, data: Buffer.from('0000000000ff', 'hex') }));
    let values = 0;
    for (let i = 0; i < CASES; i++) {
      const input = rnd() < 0.25 ? randomBytes(rnd, 64) : mutate(seeds[Math.floor(rnd() * seeds.length)], rnd);
      const decode = PAYLOAD_DECODERS[i % PAYLOAD_DECODERS.length];
      if (guard(i, input, () => decode(input))) values++;
    }
    expect(values).toBeGreaterThan(CASES / 10);
  });

  it('round-trips 20k random session packets through encode and open for suites 3 and 17', () => {
    const rnd = createRng(0xabc);
    for (let i = 0; i < 20_000; i++) {
      const crypto = CRYPTO[i % 2];
      const payload = randomBytes(rnd, 80);
      const sequence = Math.floor(rnd() * 2 ** 32);
      const p = decodeRmcpPlus(encodeRmcpPlus({ payloadType: 0, sessionId: i + 1, sequence, payload, crypto }));
      if (p.sequence !== sequence || !openPayload(p, crypto).equals(payload)) throw new Error(`case ${i}: round trip changed the packet`);
    }
    expect(CIPHER_SUITES[3].confidentiality).toBe('aes-cbc-128');
  });
});
