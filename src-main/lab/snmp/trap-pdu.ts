// BER encoding of one SNMPv2c SNMPv2-Trap message (RFC 3416), for the lab's devices: a trap
// is sent from the device's own agent socket (source port = its SNMP port), which net-snmp's
// Session cannot do, so the lab encodes the few types a trap needs itself.

export type TrapValue =
  | { type: 'integer'; value: number }
  | { type: 'timeticks'; value: number }
  | { type: 'oid'; value: string }
  | { type: 'octets'; value: string };

export interface TrapVarbind {
  oid: string;
  value: TrapValue;
}

const TAG = { integer: 0x02, octets: 0x04, oid: 0x06, sequence: 0x30, timeticks: 0x43, trapV2: 0xa7 } as const;

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return [0x80 | out.length, ...out];
}

function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag, ...lengthBytes(body.length)]), body]);
}

/** A signed 32-bit integer, two's complement, fewest bytes. */
function signedBody(n: number): Buffer {
  if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31) throw new RangeError(`SNMP integer out of range: ${n}`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v >>= 8;
  } while (!((v === 0 && (bytes[0] & 0x80) === 0) || (v === -1 && (bytes[0] & 0x80) !== 0)));
  return Buffer.from(bytes);
}

/** An unsigned 32-bit value (TimeTicks): a leading zero byte where the top bit is set. */
function unsignedBody(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw new RangeError(`SNMP unsigned out of range: ${n}`);
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

function oidBody(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0)) throw new RangeError(`bad OID "${oid}"`);
  const out: number[] = [];
  for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    const chunk: number[] = [arc % 128];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v % 128));
    out.push(...chunk);
  }
  return Buffer.from(out);
}

function encodeValue(v: TrapValue): Buffer {
  switch (v.type) {
    case 'integer':
      return tlv(TAG.integer, signedBody(v.value));
    case 'timeticks':
      return tlv(TAG.timeticks, unsignedBody(v.value));
    case 'oid':
      return tlv(TAG.oid, oidBody(v.value));
    default:
      return tlv(TAG.octets, Buffer.from(v.value, 'utf8'));
  }
}

export const SYS_UPTIME_0 = '1.3.6.1.2.1.1.3.0';
export const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';

/**
 * An SNMPv2c message carrying an SNMPv2-Trap PDU: sysUpTime.0 and snmpTrapOID.0 first, as
 * RFC 3416 requires, then `varbinds`.
 */
export function encodeV2cTrap(community: string, requestId: number, uptimeTicks: number, trapOid: string, varbinds: readonly TrapVarbind[] = []): Buffer {
  const all: TrapVarbind[] = [
    { oid: SYS_UPTIME_0, value: { type: 'timeticks', value: uptimeTicks } },
    { oid: SNMP_TRAP_OID_0, value: { type: 'oid', value: trapOid } },
    ...varbinds,
  ];
  const list = tlv(TAG.sequence, Buffer.concat(all.map((vb) => tlv(TAG.sequence, Buffer.concat([tlv(TAG.oid, oidBody(vb.oid)), encodeValue(vb.value)])))));
  const pdu = tlv(TAG.trapV2, Buffer.concat([encodeValue({ type: 'integer', value: requestId }), tlv(TAG.integer, signedBody(0)), tlv(TAG.integer, signedBody(0)), list]));
  // version: 1 is SNMPv2c on the wire
  return tlv(TAG.sequence, Buffer.concat([tlv(TAG.integer, signedBody(1)), tlv(TAG.octets, Buffer.from(community, 'utf8')), pdu]));
}
