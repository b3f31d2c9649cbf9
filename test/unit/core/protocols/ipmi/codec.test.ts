// Codec building blocks: checksums, message framing, RMCP/ASF, RMCP+ integrity pad and
// AuthCode, AES-CBC with IPMI's pad rule, the replay window, and that bad bytes become
// IpmiProtocolError (never a RangeError).
import { describe, expect, it } from 'vitest';
import { encryptPayload, decryptPayload, deriveSessionKeys, CIPHER_SUITES } from '../../../../../src-main/core/protocols/ipmi/codec/cipher';
import { completionCodeText } from '../../../../../src-main/core/protocols/ipmi/codec/completion-codes';
import { checksum, decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../../../../src-main/core/protocols/ipmi/codec/message';
import { ReplayWindow, nextSequence } from '../../../../../src-main/core/protocols/ipmi/codec/replay-window';
import { classifyPacket, decodeAsf, encodeAsfPing, encodeAsfPong } from '../../../../../src-main/core/protocols/ipmi/codec/rmcp';
import { decodeRmcpPlus, encodeRmcpPlus, openPayload, verifyIntegrity } from '../../../../../src-main/core/protocols/ipmi/codec/rmcpplus';
import { decodeIpmi15, encodeIpmi15, verifyIpmi15, password16 } from '../../../../../src-main/core/protocols/ipmi/codec/ipmi15';
import { decodeChassisStatus, encodeChassisIdentify, encodeSetBootFlags, decodeBootFlags } from '../../../../../src-main/core/protocols/ipmi/codec/chassis-commands';
import { decodeChannelAuthCapabilities, decodeDeviceId } from '../../../../../src-main/core/protocols/ipmi/codec/app-commands';
import { IpmiArgumentError, IpmiCompletionCodeError, IpmiProtocolError } from '../../../../../src-main/core/protocols/ipmi/errors';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('IPMI message framing', () => {
  it('checksums are two\'s complement: bytes plus checksum sum to zero', () => {
    expect(checksum(hex('20 18'))).toBe(0xc8);
    expect(checksum(hex('81 04 38 8e 04'))).toBe(0xb1);
  });

  it('encodes the request ipmitool sends first (Get Channel Auth Capabilities, rqSeq 0) byte for byte', () => {
    // From the captured exchange: ... 09 | 20 18 c8 81 00 38 8e 04 b5
    expect(encodeRequest({ netFn: 6, cmd: 0x38, rqSeq: 0, data: hex('8e04') }).toString('hex')).toBe('2018c88100388e04b5');
    const r = decodeRequest(hex('2018c88100388e04b5'));
    expect(r).toMatchObject({ rsAddr: 0x20, netFn: 6, rsLun: 0, rqAddr: 0x81, rqSeq: 0, cmd: 0x38 });
    expect(r.data.toString('hex')).toBe('8e04');
  });

  it('decodes ipmi_sim\'s answer and round-trips a response', () => {
    const res = decodeResponse(hex('811c632000380001970603000000000007'.slice(0, 34)));
    expect(res).toMatchObject({ netFn: 6, cmd: 0x38, completionCode: 0, rqSeq: 0 });
    const caps = decodeChannelAuthCapabilities(res.data);
    expect(caps).toMatchObject({ channel: 1, ipmi20: true, ipmi15: true, extended: true });
    expect(caps.authTypes).toEqual({ none: true, md2: true, md5: true, password: true, oem: false });
    const req = decodeRequest(encodeRequest({ netFn: 0, cmd: 1, rqSeq: 33, data: Buffer.alloc(0), rsLun: 2 }));
    const back = decodeResponse(encodeResponse(req, 0xc1, hex('0102')));
    expect(back).toMatchObject({ netFn: 0, cmd: 1, rqSeq: 33, completionCode: 0xc1, rsLun: 2 });
    expect(back.data.toString('hex')).toBe('0102');
  });

  it('refuses bad checksums and short messages with IpmiProtocolError', () => {
    expect(() => decodeRequest(hex('2018c88100388e04b6'))).toThrow(IpmiProtocolError);
    expect(() => decodeRequest(hex('2018c9'))).toThrow(IpmiProtocolError);
    expect(() => decodeResponse(hex('2018c88100388e04b5'))).toThrow(/not a response netFn/);
  });
});

describe('RMCP and ASF', () => {
  it('pings and pongs as ipmitool and ipmi_sim do', () => {
    expect(encodeAsfPing(0).toString('hex')).toBe('0600ff06000011be80000000');
    expect(decodeAsf(hex('0600ff06000011be40000010000011be000000008100000000000000'))).toMatchObject({ type: 'pong', ipmiSupported: true, tag: 0 });
    expect(decodeAsf(encodeAsfPong(7))).toMatchObject({ type: 'pong', tag: 7, ipmiSupported: true });
  });

  it('classifies datagrams by class and auth type', () => {
    expect(classifyPacket(hex('0600ff06000011be80000000'))).toBe('asf');
    expect(classifyPacket(hex('0600ff0700000000000000000009'))).toBe('ipmi15');
    expect(classifyPacket(hex('0600ff0706100000000000000000'))).toBe('rmcpplus');
    expect(() => classifyPacket(hex('0700ff0700'))).toThrow(IpmiProtocolError);
    expect(() => classifyPacket(hex('0600ff0703'))).toThrow(IpmiProtocolError);
  });
});

describe('RMCP+ packets', () => {
  const keys = deriveSessionKeys('hmac-sha1', Buffer.from('secret'), Buffer.alloc(16, 1), Buffer.alloc(16, 2), 0x14, Buffer.from('admin'));
  const c3 = { integrity: 'hmac-sha1-96' as const, confidentiality: 'aes-cbc-128' as const, k1: keys.k1, k2: keys.k2 };

  it('pads the signed span to a multiple of four for every payload length, and verifies', () => {
    for (let len = 0; len < 40; len++) {
      const payload = Buffer.alloc(len, 0xab);
      const pkt = encodeRmcpPlus({ payloadType: 0, sessionId: 0x11223344, sequence: len + 1, payload, crypto: { ...c3, confidentiality: 'none' } });
      const p = decodeRmcpPlus(pkt);
      expect(p.signed!.length % 4).toBe(0);
      expect(p.authCode).toHaveLength(12);
      expect(openPayload(p, { ...c3, confidentiality: 'none' })).toEqual(payload);
    }
  });

  it('encrypts with IPMI\'s pad (1, 2, 3... then the count) and rejects a flipped bit', () => {
    for (let len = 0; len < 34; len++) {
      const payload = Buffer.alloc(len, len);
      const enc = encryptPayload(keys.k2, payload, Buffer.alloc(16, 9));
      expect((enc.length - 16) % 16).toBe(0);
      expect(decryptPayload(keys.k2, enc)).toEqual(payload);
    }
    const pkt = encodeRmcpPlus({ payloadType: 0, sessionId: 5, sequence: 9, payload: hex('2018c88100388e04b5'), crypto: c3 });
    expect(openPayload(decodeRmcpPlus(pkt), c3).toString('hex')).toBe('2018c88100388e04b5');
    const bad = Buffer.from(pkt);
    bad[20] ^= 1;
    expect(() => verifyIntegrity(decodeRmcpPlus(bad), c3)).toThrow(/AuthCode does not verify/);
    expect(() => decryptPayload(keys.k2, Buffer.alloc(20))).toThrow(IpmiProtocolError);
  });

  it('uses HMAC-SHA256-128 (16-byte AuthCode) for suite 17', () => {
    const s = CIPHER_SUITES[17];
    const k = deriveSessionKeys(s.auth, Buffer.from('pw'), Buffer.alloc(16), Buffer.alloc(16), 4, Buffer.alloc(0));
    expect(k.sik).toHaveLength(32);
    const crypto = { integrity: s.integrity, confidentiality: s.confidentiality, k1: k.k1, k2: k.k2 };
    const p = decodeRmcpPlus(encodeRmcpPlus({ payloadType: 0, sessionId: 1, sequence: 1, payload: Buffer.from('x'), crypto }));
    expect(p.authCode).toHaveLength(16);
    expect(openPayload(p, crypto).toString()).toBe('x');
  });
});

describe('IPMI 1.5 packets', () => {
  it('signs with MD5(pw | session | message | seq | pw) and verifies', () => {
    const pw = password16('secret');
    const pkt = encodeIpmi15({ authType: 'md5', sequence: 7, sessionId: 0x102, message: hex('2018c881103b0430'), password: pw });
    const p = decodeIpmi15(pkt);
    expect(p).toMatchObject({ authType: 2, sequence: 7, sessionId: 0x102 });
    expect(() => verifyIpmi15(p, pw)).not.toThrow();
    expect(() => verifyIpmi15(p, password16('wrong'))).toThrow(IpmiProtocolError);
  });
});

describe('commands', () => {
  it('decodes chassis status and Get Device ID as ipmitool prints them', () => {
    expect(decodeChassisStatus(hex('21004000'))).toMatchObject({ powerOn: true, powerRestorePolicy: 'previous', identify: 'off' });
    expect(decodeChassisStatus(hex('00006000')).identify).toBe('indefinite');
    expect(decodeChassisStatus(hex('000000')).identify).toBe('unknown');
    // ipmi_sim's Get Device ID: "Firmware Revision : 9.08", manufacturer 4753, product 0x0f02.
    const d = decodeDeviceId(hex('00 03 09 08 02 9f 91 12 00 02 0f 00 00 00 00'));
    expect(d).toMatchObject({ deviceRevision: 3, firmwareRevision: '9.08', ipmiVersion: '2.0', manufacturerId: 4753, productId: 0x0f02 });
  });

  it('encodes identify and boot flags, refusing what the wire cannot carry', () => {
    expect(encodeChassisIdentify({ seconds: 5 })).toEqual(hex('05'));
    expect(encodeChassisIdentify({ force: true, seconds: 0 })).toEqual(hex('0001'));
    expect(() => encodeChassisIdentify({ seconds: 300 })).toThrow(IpmiArgumentError);
    expect(encodeSetBootFlags('pxe', false)).toEqual(hex('058004000000'));
    expect(encodeSetBootFlags('disk', true)).toEqual(hex('05c008000000'));
    expect(decodeBootFlags(hex('c008000000'))).toMatchObject({ valid: true, persistent: true, device: 'disk' });
  });

  it('names completion codes', () => {
    expect(completionCodeText(0xd4)).toBe('insufficient privilege level');
    const e = new IpmiCompletionCodeError('127.0.0.1', 'Chassis Control', 0xd4);
    expect(e).toMatchObject({ name: 'IpmiCompletionCodeError', completionCode: 0xd4, command: 'Chassis Control', code: 'BAD_REQUEST' });
    expect(e.message).toMatch(/insufficient privilege level \(0xd4\)/);
  });
});

describe('replay window', () => {
  it('accepts new numbers ahead and unseen ones behind, once', () => {
    const w = new ReplayWindow(16, 16);
    expect(w.accept(100)).toBe(true);
    expect(w.accept(100)).toBe(false);
    expect(w.accept(102)).toBe(true);
    expect(w.accept(101)).toBe(true);
    expect(w.accept(101)).toBe(false);
    expect(w.accept(86)).toBe(true); // 16 behind the highest
    expect(w.accept(85)).toBe(false); // 17 behind
    expect(w.accept(119)).toBe(false); // 17 ahead
    expect(w.accept(118)).toBe(true);
    expect(w.accept(0)).toBe(false);
  });

  it('wraps past 0xFFFFFFFF without accepting zero', () => {
    const w = new ReplayWindow();
    expect(w.accept(0xfffffffe)).toBe(true);
    expect(w.accept(nextSequence(0xfffffffe))).toBe(true);
    expect(nextSequence(0xffffffff)).toBe(1);
    expect(w.accept(1)).toBe(true);
    expect(w.accept(0xfffffffe)).toBe(false);
  });
});
