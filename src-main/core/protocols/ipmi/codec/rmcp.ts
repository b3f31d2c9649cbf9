// RMCP (ASF 2.0 section 3.2.2) framing: the 4-byte header every IPMI-over-LAN datagram
// starts with, and the ASF presence ping / pong that tell whether something at an address
// speaks IPMI at all.
import { IpmiProtocolError } from './errors';
import { ASF_IANA, AUTH_TYPE, RMCP_CLASS_ASF, RMCP_CLASS_IPMI, RMCP_SEQ_NO_ACK, RMCP_VERSION } from './constants';
import { Reader, check } from './reader';

const ASF_PING = 0x80;
const ASF_PONG = 0x40;

export function rmcpHeader(klass: number, sequence = RMCP_SEQ_NO_ACK): Buffer {
  return Buffer.from([RMCP_VERSION, 0x00, sequence & 0xff, klass & 0xff]);
}

export interface AsfPong {
  tag: number;
  iana: number;
  oem: number;
  /** Bit 7: IPMI supported; low nibble: ASF version (1 = 1.0). */
  supportedEntities: number;
  supportedInteractions: number;
  ipmiSupported: boolean;
}

export function encodeAsfPing(tag: number): Buffer {
  const b = Buffer.alloc(12);
  rmcpHeader(RMCP_CLASS_ASF).copy(b, 0);
  b.writeUInt32BE(ASF_IANA, 4);
  b[8] = ASF_PING;
  b[9] = tag & 0xff;
  b[10] = 0;
  b[11] = 0;
  return b;
}

export function encodeAsfPong(tag: number, supportedEntities = 0x81, supportedInteractions = 0): Buffer {
  const b = Buffer.alloc(28);
  rmcpHeader(RMCP_CLASS_ASF).copy(b, 0);
  b.writeUInt32BE(ASF_IANA, 4);
  b[8] = ASF_PONG;
  b[9] = tag & 0xff;
  b[10] = 0;
  b[11] = 16;
  b.writeUInt32BE(ASF_IANA, 12);
  b.writeUInt32BE(0, 16);
  b[20] = supportedEntities;
  b[21] = supportedInteractions;
  return b;
}

export type AsfMessage = { type: 'ping'; tag: number } | ({ type: 'pong' } & AsfPong);

export function decodeAsf(buf: Buffer): AsfMessage {
  const r = new Reader(buf, 'ASF message', 4);
  check(buf.length >= 4 && buf[3] === RMCP_CLASS_ASF, 'not an RMCP ASF message');
  const iana = r.u32be();
  check(iana === ASF_IANA, `ASF IANA ${iana} is not 4542`);
  const type = r.u8();
  const tag = r.u8();
  r.skip(1);
  const len = r.u8();
  const data = r.bytes(len);
  if (type === ASF_PING) return { type: 'ping', tag };
  if (type !== ASF_PONG) throw new IpmiProtocolError(`ASF message type 0x${type.toString(16)} is neither ping nor pong`);
  check(len >= 16, `ASF pong data is ${len} bytes, needs 16`);
  const d = new Reader(data, 'ASF pong');
  const pongIana = d.u32be();
  const oem = d.u32be();
  const supportedEntities = d.u8();
  const supportedInteractions = d.u8();
  return { type: 'pong', tag, iana: pongIana, oem, supportedEntities, supportedInteractions, ipmiSupported: (supportedEntities & 0x80) !== 0 };
}

export type PacketKind = 'asf' | 'ipmi15' | 'rmcpplus';

/** What kind of datagram this is, from the RMCP header and the session auth type byte. */
export function classifyPacket(buf: Buffer): PacketKind {
  check(buf.length >= 5, `datagram of ${buf.length} bytes is shorter than an RMCP header`);
  check(buf[0] === RMCP_VERSION, `RMCP version 0x${buf[0].toString(16)} is not 0x06`);
  const klass = buf[3] & 0x1f;
  if (klass === RMCP_CLASS_ASF) return 'asf';
  check(klass === RMCP_CLASS_IPMI, `RMCP class 0x${buf[3].toString(16)} is neither ASF nor IPMI`);
  const authType = buf[4] & 0x0f;
  if (authType === AUTH_TYPE.RMCP_PLUS) return 'rmcpplus';
  check(authType <= AUTH_TYPE.OEM && authType !== 3, `session auth type 0x${buf[4].toString(16)} is unknown`);
  return 'ipmi15';
}
