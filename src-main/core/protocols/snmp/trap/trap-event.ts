// Notifications decoded: a net-snmp trap, inform or v1 trap PDU as a TrapEvent (RFC 3584
// v1 mapping included), and net-snmp's receive errors as named SnmpErrors. Pure functions.
import * as snmp from 'net-snmp';
import { decodeVarbind, type TypedVarbind } from '../codec';
import { SnmpAuthError, SnmpMalformedPacketError, SnmpUnexpectedPduError, type SnmpError } from '../errors';

export const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
export const SYS_UPTIME_OID = '1.3.6.1.2.1.1.3.0';
/** RFC 3584 3.1: v1 generic traps 0..5 map to snmpTraps.1..6 (coldStart ... egpNeighborLoss). */
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
const OID_TEXT = /^\d+(\.\d+)+$/;

export interface TrapEvent {
  /** Receive time (options.now clock, ms). */
  at: number;
  source: { address: string; port: number };
  version: '1' | '2c' | '3';
  kind: 'trap' | 'inform';
  /** snmpTrapOID.0, or for v1 the OID RFC 3584 derives from enterprise/generic/specific. */
  trapOid: string;
  /** The sender's sysUpTime.0 in ticks (1/100 s), when it sent one. */
  uptime: number | null;
  /** The v3 user that sent it (communities are secrets and are not repeated). */
  user?: string;
  /** The v3 sender's (context) engine ID, hex. */
  engineId?: string;
  /**
   * v1/v2c: the community it came with. For attributing the notification to a device only:
   * it is a secret, never stored, logged or shown.
   */
  community?: string;
  /** v1 only: the agent-addr field. */
  agentAddress?: string;
  /** The notification's own varbinds: sysUpTime.0 and snmpTrapOID.0 left out. */
  varbinds: TypedVarbind[];
}

/** A notification PDU as net-snmp's receiver decodes it. */
export interface NetPdu {
  type?: number;
  id?: number;
  varbinds?: snmp.Varbind[];
  enterprise?: string;
  agentAddr?: string;
  generic?: number;
  specific?: number;
  upTime?: number;
  user?: string;
  community?: string;
  contextEngineID?: string;
}

/** A net-snmp receive error as one of ours. The texts never quote communities or digests. */
export function receiveError(error: unknown, source: string, bytes: number): SnmpError {
  const e = error as { name?: string; message?: string; error?: unknown };
  const message = e.message ?? String(error);
  switch (e.name) {
    case 'ProcessingError':
      return new SnmpMalformedPacketError(source, bytes, errorText(e.error), e.error);
    case 'RequestFailedError': {
      let reason = 'not authorized';
      if (/community not found/i.test(message)) reason = 'unknown community';
      else if (/user not found/i.test(message)) reason = 'unknown user';
      else if (/requires authentication/i.test(message)) reason = 'message not authenticated but the user requires it';
      else if (/requires privacy/i.test(message)) reason = 'message not encrypted but the user requires it';
      return new SnmpAuthError(source, reason);
    }
    case 'ResponseInvalidError': {
      const reason = /decrypt/i.test(message) ? 'cannot decrypt (wrong privacy key?)' : /digest/i.test(message) ? 'authentication digest does not verify' : message;
      if (/decrypt|digest|auth/i.test(message)) return new SnmpAuthError(source, reason);
      return new SnmpMalformedPacketError(source, bytes, reason);
    }
    case 'RequestInvalidError':
      return new SnmpUnexpectedPduError(source, message);
    default:
      return new SnmpMalformedPacketError(source, bytes, message, error);
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A decoded PDU as a TrapEvent, or the named error that says why it is not one. */
export function toEvent(pdu: NetPdu, rinfo: { address: string; port: number }, at: number): TrapEvent | SnmpError {
  const event = decodeEvent(pdu, rinfo, at);
  if ('trapOid' in event) {
    // non-enumerable: a secret that no spread, JSON or log of the event carries along
    if (typeof pdu.community === 'string') Object.defineProperty(event, 'community', { value: pdu.community, enumerable: false });
    if (event.version === '3' && typeof pdu.contextEngineID === 'string' && pdu.contextEngineID) event.engineId = pdu.contextEngineID;
  }
  return event;
}

function decodeEvent(pdu: NetPdu, rinfo: { address: string; port: number }, at: number): TrapEvent | SnmpError {
  const source = `${rinfo.address}:${rinfo.port}`;
  const raw = Array.isArray(pdu.varbinds) ? pdu.varbinds : [];
  const all = raw.map(decodeVarbind);
  const base = { at, source: { address: rinfo.address, port: rinfo.port } };
  if (pdu.type === snmp.PduType.Trap) {
    const generic = typeof pdu.generic === 'number' ? pdu.generic : -1;
    const specific = typeof pdu.specific === 'number' ? pdu.specific : -1;
    const enterprise = typeof pdu.enterprise === 'string' && OID_TEXT.test(pdu.enterprise) ? pdu.enterprise : '';
    let trapOid: string;
    if (generic >= 0 && generic <= 5) trapOid = `${SNMP_TRAPS}.${generic + 1}`;
    else if (generic === 6 && enterprise && specific >= 0) trapOid = `${enterprise}.0.${specific}`;
    else return new SnmpMalformedPacketError(source, 0, `v1 trap with generic-trap ${generic}, specific-trap ${specific}, enterprise "${enterprise}"`);
    return { ...base, version: '1', kind: 'trap', trapOid, uptime: typeof pdu.upTime === 'number' ? pdu.upTime : null,
      agentAddress: typeof pdu.agentAddr === 'string' ? pdu.agentAddr : undefined, varbinds: all };
  }
  const kind = pdu.type === snmp.PduType.InformRequest ? 'inform' : pdu.type === snmp.PduType.TrapV2 ? 'trap' : null;
  if (!kind) return new SnmpUnexpectedPduError(source, `PDU type ${String(pdu.type)}`);
  const trap = all.find((vb) => vb.oid === SNMP_TRAP_OID);
  if (!trap || trap.type !== 'oid' || !OID_TEXT.test(trap.value)) return new SnmpMalformedPacketError(source, 0, `${kind} without an snmpTrapOID.0 OID value`);
  const up = all.find((vb) => vb.oid === SYS_UPTIME_OID);
  const version = typeof pdu.user === 'string' ? '3' : '2c';
  return {
    ...base, version, kind, trapOid: trap.value, uptime: up && up.type === 'timeticks' ? up.value : null,
    ...(version === '3' ? { user: pdu.user } : {}),
    varbinds: all.filter((vb) => vb.oid !== SNMP_TRAP_OID && vb.oid !== SYS_UPTIME_OID),
  };
}
