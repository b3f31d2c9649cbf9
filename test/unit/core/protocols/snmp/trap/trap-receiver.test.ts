// The trap receiver, fed by net-snmp sessions (v2c and v3 traps and informs) and by captured
// snmptrap/snmpinform datagrams; every bad datagram comes out as one named error.
import * as dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import * as snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnmpAuthError, SnmpError, SnmpMalformedPacketError, SnmpUnexpectedPduError } from '../../../../../../src-main/core/protocols/snmp/errors';
import { netSnmpUser } from '../../../../../../src-main/core/protocols/snmp/session/credentials';
import { createSnmpSession } from '../../../../../../src-main/core/protocols/snmp/session/session';
import { toEvent, type TrapEvent } from '../../../../../../src-main/core/protocols/snmp/trap/trap-event';
import { createTrapReceiver, type TrapReceiver } from '../../../../../../src-main/core/protocols/snmp/trap/trap-receiver';
import { until } from '../../../../../support/handles';
import { V3_USERS } from '../../../../../support/snmp-peers';

const HOST = '127.52.4.1';
const PORT = 18204;
const corpus = JSON.parse(readFileSync(new URL('../../../../../fuzz/fixtures/snmp-trap-packets.json', import.meta.url), 'utf8')) as {
  community: string; engineId: string; packets: Array<{ label: string; hex: string }>;
};
const packet = (label: string, nth = 0): Buffer => Buffer.from(corpus.packets.filter((p) => p.label === label)[nth].hex, 'hex');

describe('trap receiver', () => {
  let receiver: TrapReceiver;
  const events: TrapEvent[] = [];
  const errors: SnmpError[] = [];
  const source = { address: '127.52.4.9', port: 40000 };

  beforeAll(async () => {
    receiver = await createTrapReceiver({
      address: HOST, port: PORT, communities: [corpus.community, 'public-traps'], users: Object.values(V3_USERS), engineId: corpus.engineId,
      onTrap: (e) => events.push(e), onError: (e) => errors.push(e), now: () => 1234,
    });
  });
  afterAll(async () => {
    await receiver?.dispose();
  });

  it('turns captured snmptrap / snmpinform datagrams (v1, v2c, v3) into events', () => {
    for (const label of ['v1-trap', 'v1-linkdown', 'v2c-trap', 'v2c-inform', 'v3-sha-trap', 'v3-sha256-trap']) receiver.handle(packet(label), source);
    receiver.handle(packet('v3-sha-inform', 1), source);
    receiver.handle(packet('v3-sha256-inform', 1), source);
    expect(errors).toEqual([]);
    expect(events.map((e) => [e.version, e.kind, e.trapOid, e.user ?? null])).toEqual([
      ['1', 'trap', '1.3.6.1.4.1.8072.4.0.17', null],
      ['1', 'trap', '1.3.6.1.6.3.1.1.5.3', null], // linkDown(2) -> snmpTraps.3
      ['2c', 'trap', '1.3.6.1.6.3.1.1.5.3', null],
      ['2c', 'inform', '1.3.6.1.6.3.1.1.5.4', null],
      ['3', 'trap', '1.3.6.1.6.3.1.1.5.3', 'fd-sha-aes'],
      ['3', 'trap', '1.3.6.1.6.3.1.1.5.3', 'fd-sha256-aes256'],
      ['3', 'inform', '1.3.6.1.6.3.1.1.5.4', 'fd-sha-aes'],
      ['3', 'inform', '1.3.6.1.6.3.1.1.5.4', 'fd-sha256-aes256'],
    ]);
    const v2 = events[2];
    expect(v2).toMatchObject({ at: 1234, source, uptime: expect.any(Number) });
    expect(v2.varbinds.map((v) => [v.oid, v.type])).toEqual([
      ['1.3.6.1.2.1.2.2.1.1.3', 'integer'], ['1.3.6.1.2.1.2.2.1.2.3', 'octets'], ['1.3.6.1.2.1.31.1.1.1.6.3', 'counter64'],
      ['1.3.6.1.2.1.4.20.1.1.127.0.0.3', 'ipAddress'], ['1.3.6.1.4.1.8072.2.3.2.1', 'oid'], ['1.3.6.1.4.1.8072.9.9', 'octets'],
    ]);
    expect(v2.varbinds[2].value).toBe(18446744073709551000n);
    expect(events[0]).toMatchObject({ agentAddress: '127.0.0.9' });
    expect(JSON.stringify(events, (_, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(corpus.community);
    // The same inform again (a retransmission): acknowledged, not delivered twice.
    receiver.handle(packet('v2c-inform'), source);
    expect(events).toHaveLength(8);
    expect(receiver.stats().repeats).toBe(1);
  });

  it('names every refusal: garbage, unknown community, wrong key, a GetRequest, a BIT STRING net-snmp cannot echo', () => {
    const n = errors.length;
    receiver.handle(Buffer.from('not snmp at all'), source);
    receiver.handle(Buffer.alloc(0), source);
    const wrongCommunity = Buffer.from(packet('v2c-trap').toString('latin1').replace(corpus.community, 'fd-nope'), 'latin1');
    receiver.handle(wrongCommunity, source);
    const tampered = packet('v3-sha-trap');
    tampered[tampered.length - 3] ^= 0x55; // inside the encrypted PDU: the digest no longer verifies
    receiver.handle(tampered, source);
    // The captured v2c inform with its OCTET STRING tag turned into BIT STRING: net-snmp decodes
    // it, acknowledges the inform by re-encoding it, and throws from inside its socket handler.
    const inform = packet('v2c-inform');
    const at = inform.indexOf(Buffer.from('Ethernet1/3')) - 2;
    expect(inform[at]).toBe(0x04);
    inform[at] = 0x03;
    receiver.handle(inform, source);
    const names = errors.slice(n).map((e) => e.name);
    expect(names).toEqual(['SnmpMalformedPacketError', 'SnmpMalformedPacketError', 'SnmpAuthError', 'SnmpAuthError', 'SnmpMalformedPacketError']);
    expect(errors.slice(n).every((e) => e instanceof SnmpError && e.details !== undefined)).toBe(true);
    expect(errors[n + 2]).toMatchObject({ host: '127.52.4.9:40000', reason: 'unknown community' });
    expect(JSON.stringify(errors.map((e) => [e.message, e.details]))).not.toContain('fd-nope');
  });

  it('receives v2c and v3 traps and informs from net-snmp sessions over UDP, and acknowledges the informs', async () => {
    const before = events.length;
    const v2 = snmp.createSession(HOST, 'public-traps', { version: snmp.Version2c, trapPort: PORT, timeout: 2000 });
    const v3 = snmp.createV3Session(HOST, netSnmpUser(V3_USERS.sha256), { version: snmp.Version3, trapPort: PORT, timeout: 2000 });
    const vb = [{ oid: '1.3.6.1.2.1.2.2.1.1.9', type: snmp.ObjectType.Integer, value: 9 }];
    const send = (fn: (cb: (err: Error | null) => void) => void): Promise<void> => new Promise((res, rej) => fn((err) => (err ? rej(err) : res())));
    await send((cb) => v2.trap('1.3.6.1.6.3.1.1.5.3', vb, cb));
    await send((cb) => v2.inform('1.3.6.1.6.3.1.1.5.4', vb, cb)); // resolves on the receiver's acknowledgement
    await send((cb) => v3.trap('1.3.6.1.6.3.1.1.5.3', vb, cb));
    await send((cb) => v3.inform('1.3.6.1.6.3.1.1.5.4', vb, cb));
    await until('four events', () => events.length - before === 4, 5000);
    expect(events.slice(before).map((e) => `${e.version}/${e.kind}/${e.varbinds[0].oid}`).sort()).toEqual([
      '2c/inform/1.3.6.1.2.1.2.2.1.1.9', '2c/trap/1.3.6.1.2.1.2.2.1.1.9', '3/inform/1.3.6.1.2.1.2.2.1.1.9', '3/trap/1.3.6.1.2.1.2.2.1.1.9',
    ]);
    expect(events.slice(before).every((e) => e.source.address.startsWith('127.') && e.source.port > 0)).toBe(true);
    v2.close();
    v3.close();
  });

  it('answers a v2c GetRequest with an SnmpUnexpectedPduError, not a crash', async () => {
    const n = errors.length;
    const s = createSnmpSession({ host: HOST, port: PORT, credentials: { version: '2c', community: corpus.community }, timeoutMs: 200, retries: 0 });
    await expect(s.get(['1.3.6.1.2.1.1.5.0'])).rejects.toMatchObject({ name: 'SnmpTimeoutError' });
    await s.close();
    await until('the error', () => errors.length > n, 2000);
    expect(errors[n]).toBeInstanceOf(SnmpUnexpectedPduError);
    expect(receiver.stats()).toMatchObject({ traps: 7, informs: 5, errors: { SnmpUnexpectedPduError: 1, SnmpAuthError: 2, SnmpMalformedPacketError: 3 } });
  });

  it('maps PDUs to events per RFC 3584, and refuses notifications without snmpTrapOID.0', () => {
    const r = { address: '127.0.0.1', port: 1 };
    expect(toEvent({ type: snmp.PduType.Trap, generic: 0, specific: 0, enterprise: '1.3.6.1.4.1.9', varbinds: [] }, r, 0)).toMatchObject({ trapOid: '1.3.6.1.6.3.1.1.5.1', uptime: null });
    expect(toEvent({ type: snmp.PduType.Trap, generic: 9, varbinds: [] }, r, 0)).toBeInstanceOf(SnmpMalformedPacketError);
    expect(toEvent({ type: snmp.PduType.TrapV2, varbinds: [{ oid: '1.3.6.1.2.1.1.3.0', type: snmp.ObjectType.TimeTicks, value: 5 }] }, r, 0)).toBeInstanceOf(SnmpMalformedPacketError);
    expect(toEvent({ type: snmp.PduType.GetRequest, varbinds: [] }, r, 0)).toBeInstanceOf(SnmpUnexpectedPduError);
  });

  it('binds a free port when asked for port 0 (net-snmp alone would take 162)', async () => {
    const r = await createTrapReceiver({ address: HOST, port: 0, communities: ['c'], onTrap: () => {} });
    const { address, port } = r.address();
    expect(address).toBe(HOST);
    expect(port).toBeGreaterThan(1024);
    await r.dispose();
  });

  it('rejects a port already taken with a named error and leaves no socket behind', async () => {
    const taken = dgram.createSocket('udp4');
    await new Promise<void>((r) => taken.bind(PORT + 1, HOST, r));
    await expect(createTrapReceiver({ address: HOST, port: PORT + 1, onTrap: () => {} })).rejects.toMatchObject({ name: 'SnmpError', code: 'UNAVAILABLE' });
    taken.close();
    expect(SnmpAuthError).toBeDefined();
  });
});
