// Packets captured between ipmitool and real BMCs (ipmi_sim; FleetDeck's simulator for suite
// 17, which ipmi_sim lacks), replayed through FleetDeck's codec with the known password:
// every keyed code ipmitool and the BMC computed must be what FleetDeck computes, every
// session packet must verify and decrypt, and every message must decode.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDeviceId, decodeSessionChallenge, decodeActivateSessionResponse } from '../../../../../src-main/core/protocols/ipmi/codec/app-commands';
import { decodeChassisStatus } from '../../../../../src-main/core/protocols/ipmi/codec/chassis-commands';
import { CIPHER_SUITES, deriveSessionKeys, suiteFor } from '../../../../../src-main/core/protocols/ipmi/codec/cipher';
import { decodeIpmi15, password16, verifyIpmi15 } from '../../../../../src-main/core/protocols/ipmi/codec/ipmi15';
import { decodeRequest, decodeResponse } from '../../../../../src-main/core/protocols/ipmi/codec/message';
import {
  decodeOpenSessionRequest, decodeOpenSessionResponse, decodeRakp1, decodeRakp2, decodeRakp3, decodeRakp4, rakp2AuthCode, rakp3AuthCode, rakp4IntegrityCheck,
} from '../../../../../src-main/core/protocols/ipmi/codec/rakp';
import { classifyPacket } from '../../../../../src-main/core/protocols/ipmi/codec/rmcp';
import { decodeRmcpPlus, encodeRmcpPlus, openPayload } from '../../../../../src-main/core/protocols/ipmi/codec/rmcpplus';
import { decodeSelEntry } from '../../../../../src-main/core/protocols/ipmi/codec/sel';

interface Capture {
  description: string;
  username: string;
  password: string;
  packets: { from: 'client' | 'bmc'; hex: string }[];
}

const load = (name: string): Capture => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Capture;

/** Replays an RMCP+ capture: returns the decoded IPMI messages of the session, in order. */
function replayRmcpPlus(c: Capture, suiteId: number) {
  const packets = c.packets.map((p) => ({ from: p.from, buf: Buffer.from(p.hex, 'hex') })).filter((p) => classifyPacket(p.buf) === 'rmcpplus');
  const payloadOf = (type: number) => {
    const p = packets.find((x) => decodeRmcpPlus(x.buf).payloadType === type);
    if (!p) throw new Error(`no payload type 0x${type.toString(16)}`);
    return decodeRmcpPlus(p.buf).payload;
  };
  const open = decodeOpenSessionRequest(payloadOf(0x10));
  const suite = suiteFor(open.auth!, open.integrity!, open.confidentiality!)!;
  expect(suite.id).toBe(suiteId);
  const opened = decodeOpenSessionResponse(payloadOf(0x11));
  expect(opened.status).toBe(0);
  const r1 = decodeRakp1(payloadOf(0x12));
  const r2 = decodeRakp2(payloadOf(0x13), suite.auth);
  const r3 = decodeRakp3(payloadOf(0x14), suite.auth);
  const r4 = decodeRakp4(payloadOf(0x15), suite.auth);
  expect(r1.username.toString()).toBe(c.username);
  const x = {
    suite, consoleSessionId: open.consoleSessionId, bmcSessionId: opened.bmcSessionId, consoleRandom: r1.consoleRandom,
    bmcRandom: r2.bmcRandom, bmcGuid: r2.bmcGuid, role: r1.role, username: r1.username,
  };
  const kuid = Buffer.from(c.password);
  // The BMC's RAKP 2 code, ipmitool's RAKP 3 code and the BMC's RAKP 4 check all verify.
  expect(rakp2AuthCode(x, kuid).toString('hex')).toBe(r2.authCode.toString('hex'));
  expect(rakp3AuthCode(x, kuid).toString('hex')).toBe(r3.authCode.toString('hex'));
  const keys = deriveSessionKeys(suite.auth, kuid, x.consoleRandom, x.bmcRandom, x.role, x.username);
  expect(rakp4IntegrityCheck(x, keys.sik).toString('hex')).toBe(r4.integrityCheck.toString('hex'));
  expect(rakp2AuthCode(x, Buffer.from('wrong')).equals(r2.authCode)).toBe(false);

  const crypto = { integrity: suite.integrity, confidentiality: suite.confidentiality, k1: keys.k1, k2: keys.k2 };
  const messages: { from: 'client' | 'bmc'; message: Buffer }[] = [];
  for (const p of packets) {
    const d = decodeRmcpPlus(p.buf);
    if (d.payloadType !== 0 || d.sessionId === 0) continue;
    expect(d.sessionId).toBe(p.from === 'client' ? opened.bmcSessionId : open.consoleSessionId);
    const message = openPayload(d, crypto); // throws if the AuthCode or the padding is wrong
    if (p.from === 'client') {
      // Re-encoding with the same IV and sequence gives ipmitool's exact bytes.
      const iv = d.payload.subarray(0, 16);
      expect(encodeRmcpPlus({ payloadType: 0, sessionId: d.sessionId, sequence: d.sequence, payload: message, crypto, iv }).toString('hex')).toBe(p.buf.toString('hex'));
    }
    messages.push({ from: p.from, message });
  }
  return messages;
}

describe('captured exchanges', () => {
  it('ipmitool -C 3 chassis status against ipmi_sim: handshake codes, AES, HMAC-SHA1-96, messages', () => {
    const msgs = replayRmcpPlus(load('ipmitool-c3-ipmi-sim-chassis-status'), 3);
    const requests = msgs.filter((m) => m.from === 'client').map((m) => decodeRequest(m.message));
    const responses = msgs.filter((m) => m.from === 'bmc').map((m) => decodeResponse(m.message));
    expect(requests.map((r) => `${r.netFn}:${r.cmd.toString(16)}`)).toEqual(expect.arrayContaining(['6:3b', '0:1', '6:3c']));
    const status = responses.find((r) => r.netFn === 0 && r.cmd === 1)!;
    expect(status.completionCode).toBe(0);
    expect(decodeChassisStatus(status.data)).toMatchObject({ powerOn: false, powerRestorePolicy: 'always-off' });
  });

  it('ipmitool -C 3 sel list against ipmi_sim: the three SEL entries decode as ipmitool printed them', () => {
    const msgs = replayRmcpPlus(load('ipmitool-c3-ipmi-sim-sel-list'), 3);
    const entries = msgs.filter((m) => m.from === 'bmc').map((m) => decodeResponse(m.message)).filter((r) => r.netFn === 0x0a && r.cmd === 0x43 && r.completionCode === 0)
      .map((r) => decodeSelEntry(r.data.subarray(2)));
    expect(entries.map((e) => [e.recordId, `${e.sensorTypeName} #0x${e.sensorNumber.toString(16).padStart(2, '0')}`, e.description, e.asserted])).toEqual([
      [1, 'Temperature #0x02', 'Upper Non-critical going high', true],
      [2, 'Power Unit #0x08', 'Power off/down', true],
      [3, 'Power Unit #0x08', 'Power off/down', false],
    ]);
  });

  it('ipmitool -C 17 against FleetDeck\'s simulator: HMAC-SHA256 handshake, HMAC-SHA256-128 + AES session', () => {
    const msgs = replayRmcpPlus(load('ipmitool-c17-fleetdeck-sim-power-status'), 17);
    const status = msgs.filter((m) => m.from === 'bmc').map((m) => decodeResponse(m.message)).find((r) => r.netFn === 0 && r.cmd === 1)!;
    expect(decodeChassisStatus(status.data).powerOn).toBe(true);
    expect(CIPHER_SUITES[17].integrity).toBe('hmac-sha256-128');
  });

  it('ipmitool -I lan (IPMI 1.5, MD5) mc info against ipmi_sim: every MD5 AuthCode verifies', () => {
    const c = load('ipmitool-lan-md5-ipmi-sim-mc-info');
    const pw = password16(c.password);
    const ipmi = c.packets.map((p) => ({ from: p.from, buf: Buffer.from(p.hex, 'hex') })).filter((p) => classifyPacket(p.buf) === 'ipmi15').map((p) => ({ ...p, pkt: decodeIpmi15(p.buf) }));
    const signed = ipmi.filter((p) => p.pkt.authType === 2);
    expect(signed.length).toBeGreaterThan(6);
    for (const p of signed) expect(() => verifyIpmi15(p.pkt, pw)).not.toThrow();
    expect(() => verifyIpmi15(signed[0].pkt, password16('wrong'))).toThrow();
    const responses = ipmi.filter((p) => p.from === 'bmc').map((p) => decodeResponse(p.pkt.message));
    const challenge = decodeSessionChallenge(responses.find((r) => r.cmd === 0x39)!.data);
    const activated = decodeActivateSessionResponse(responses.find((r) => r.cmd === 0x3a)!.data);
    expect(challenge.tempSessionId).not.toBe(0);
    expect(activated).toMatchObject({ authType: 2, maxPrivilege: 4 });
    const id = decodeDeviceId(responses.find((r) => r.netFn === 6 && r.cmd === 1)!.data);
    expect(id).toMatchObject({ manufacturerId: 4753, productId: 0x0f02, firmwareRevision: '9.08', ipmiVersion: '2.0' });
  });
});
