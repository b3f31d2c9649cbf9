// The trap and inform receiver: net-snmp's Receiver (v1, v2c and v3 USM; informs are
// acknowledged by net-snmp before the event is delivered) on a UDP address of the caller's
// choosing, decoded into TrapEvents. Every datagram goes through handle(), which is also the
// decode path the fuzz tests drive: whatever a datagram holds, the receiver emits either one
// TrapEvent or one named SnmpError, and never throws. net-snmp itself can throw from inside
// its socket listener (an inform echoing a BIT STRING it cannot re-encode, for one), which
// would kill the process, so its listener is replaced by handle()'s guarded one.
import * as dgram from 'node:dgram';
import * as snmp from 'net-snmp';
import { decodeVarbind, type TypedVarbind } from './codec';
import {
  SnmpAuthError,
  SnmpError,
  SnmpMalformedPacketError,
  SnmpUnexpectedPduError,
} from './errors';
import { netSnmpUser, type SnmpUser } from './session';

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
  /** v1 only: the agent-addr field. */
  agentAddress?: string;
  /** The notification's own varbinds: sysUpTime.0 and snmpTrapOID.0 left out. */
  varbinds: TypedVarbind[];
}

export interface TrapReceiverOptions {
  /** Bind address (loopback in tests and the lab; a real interface in production). */
  address?: string;
  /** UDP port; 0 binds a free one (see address()). */
  port: number;
  /** v1/v2c communities accepted. */
  communities?: readonly string[];
  /** v3 USM users accepted (traps and informs). */
  users?: readonly SnmpUser[];
  /** This receiver's snmpEngineID (hex) for informs; generated when absent. */
  engineId?: string;
  onTrap: (event: TrapEvent) => void;
  /** Every datagram that is not an accepted notification, as a named error. */
  onError?: (error: SnmpError) => void;
  now?: () => number;
  /** Injected transport, like node:dgram. */
  dgramModule?: { createSocket(type: 'udp4'): dgram.Socket };
}

export interface TrapReceiverStats {
  datagrams: number;
  traps: number;
  informs: number;
  /** Retransmitted informs acknowledged again but not delivered twice. */
  repeats: number;
  /** Datagrams net-snmp answered itself (v3 engine discovery, USM reports) with no event. */
  answered: number;
  /** Errors by name. */
  errors: Record<string, number>;
}

export interface TrapReceiver {
  address(): { address: string; port: number };
  stats(): TrapReceiverStats;
  /** Feeds one datagram through the receive path, exactly as the socket does. Never throws. */
  handle(buffer: Buffer, rinfo: { address: string; port: number }): void;
  dispose(): Promise<void>;
}

interface NetReceiver {
  getAuthorizer(): { addCommunity(c: string): void; addUser(u: snmp.User): void };
  onMsg(socket: dgram.Socket, buffer: Buffer, rinfo: dgram.RemoteInfo): void;
  close(cb?: () => void): void;
  listener: { sockets: Record<string, dgram.Socket> };
}

interface NetPdu {
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
}

/** net-snmp caches one localized key per (protocol, password, engineID) forever; a sender
 * that varies its engine ID would grow it without bound. Past this many it is cleared. */
const KEY_CACHE_LIMIT = 4096;
/** An inform with the same source and request-id within this window is a retransmission. */
const INFORM_REPEAT_WINDOW_MS = 60_000;

/** A dgram module whose sockets bind an ephemeral port whatever port they are asked for. */
function anyPort(mod: { createSocket(type: 'udp4'): dgram.Socket }): { createSocket(type: 'udp4'): dgram.Socket } {
  return {
    createSocket(type) {
      const socket = mod.createSocket(type);
      const bind = socket.bind.bind(socket) as (...args: unknown[]) => dgram.Socket;
      socket.bind = ((...args: unknown[]) => {
        if (typeof args[0] === 'number') args[0] = 0;
        else if (typeof args[0] === 'object' && args[0] !== null) args[0] = { ...(args[0] as object), port: 0 };
        return bind(...args);
      }) as typeof socket.bind;
      return socket;
    },
  };
}

export function createTrapReceiver(opts: TrapReceiverOptions): Promise<TrapReceiver> {
  const now = opts.now ?? Date.now;
  // net-snmp reads port 0 as "not given" and binds 162: ask the socket itself for port 0.
  const base = opts.port === 0 ? anyPort(opts.dgramModule ?? dgram) : (opts.dgramModule ?? dgram);
  const stats: TrapReceiverStats = { datagrams: 0, traps: 0, informs: 0, repeats: 0, answered: 0, errors: {} };
  let current: { bytes: number; source: string; rinfo: { address: string; port: number } } | null = null;
  let disposed = false;

  const recentInforms = new Map<string, number>();
  const isRepeat = (key: string, at: number): boolean => {
    const seen = recentInforms.get(key);
    if (seen !== undefined && at - seen < INFORM_REPEAT_WINDOW_MS) return true;
    recentInforms.set(key, at);
    if (recentInforms.size > 1024) recentInforms.delete(recentInforms.keys().next().value!);
    return false;
  };
  /** Callbacks so far (events and errors): tells handle() whether net-snmp called back. */
  let outcomes = 0;

  const emitError = (err: SnmpError): void => {
    outcomes++;
    stats.errors[err.name] = (stats.errors[err.name] ?? 0) + 1;
    try {
      opts.onError?.(err);
    } catch {
      // a listener's failure is its own
    }
  };

  // net-snmp calls this once per datagram: (error) or (null, { pdu, rinfo }).
  const callback = (error: unknown, data?: { pdu: NetPdu; rinfo: dgram.RemoteInfo }): void => {
    const source = current?.source ?? 'unknown';
    if (error) return emitError(receiveError(error, source, current?.bytes ?? 0));
    if (!data?.pdu) return emitError(new SnmpMalformedPacketError(source, current?.bytes ?? 0, 'no PDU'));
    const result = toEvent(data.pdu, current?.rinfo ?? { address: data.rinfo.address, port: data.rinfo.port }, now());
    if (result instanceof SnmpError) return emitError(result);
    outcomes++;
    // A sender retransmits an inform whose acknowledgement it missed: acknowledged again by
    // net-snmp, delivered once.
    if (result.kind === 'inform' && isRepeat(`${result.source.address}:${result.source.port}/${result.version}/${String(data.pdu.id)}`, result.at)) {
      stats.repeats++;
      return;
    }
    if (result.kind === 'inform') stats.informs++;
    else stats.traps++;
    try {
      opts.onTrap(result);
    } catch {
      // a listener's failure is its own
    }
  };

  const receiver = snmp.createReceiver({
    port: opts.port,
    address: opts.address ?? '127.0.0.1',
    transport: 'udp4',
    includeAuthentication: true,
    engineID: opts.engineId,
    // net-snmp reads port 0 as "the default" (162): bind the socket to an ephemeral port
    // ourselves when that is what the caller asked for.
    dgramModule: opts.port === 0 ? ephemeral(base) : base,
  }, callback) as NetReceiver;
  const authorizer = receiver.getAuthorizer();
  for (const c of opts.communities ?? []) authorizer.addCommunity(c);
  for (const u of opts.users ?? []) authorizer.addUser(netSnmpUser(u));

  const socket = Object.values(receiver.listener.sockets)[0];
  // Replace net-snmp's unguarded listeners with ours.
  socket.removeAllListeners('message');
  socket.removeAllListeners('error');

  function handle(buffer: Buffer, rinfo: { address: string; port: number }): void {
    if (disposed) return;
    stats.datagrams++;
    const source = `${rinfo.address}:${rinfo.port}`;
    current = { bytes: buffer.length, source, rinfo: { address: rinfo.address, port: rinfo.port } };
    const before = outcomes;
    try {
      receiver.onMsg(socket, buffer, { ...rinfo, family: 'IPv4', size: buffer.length });
      // net-snmp answered the datagram itself (a v3 discovery, a USM report) without a callback.
      if (outcomes === before) stats.answered++;
    } catch (err) {
      emitError(new SnmpMalformedPacketError(source, buffer.length, errorText(err), err));
    } finally {
      current = null;
      if (stats.datagrams % 256 === 0) boundKeyCache();
    }
  }

  return new Promise<TrapReceiver>((resolve, reject) => {
    const onBindError = (err: Error): void => {
      try {
        socket.close();
      } catch {
        // never bound
      }
      reject(new SnmpError('UNAVAILABLE', `trap receiver cannot listen on ${opts.address ?? '127.0.0.1'}:${opts.port}: ${err.message}`, { address: opts.address, port: opts.port }, err));
    };
    socket.once('error', onBindError);
    socket.once('listening', () => {
      socket.off('error', onBindError);
      socket.on('error', (err) => emitError(new SnmpError('UNAVAILABLE', `trap receiver socket: ${err.message}`, {}, err)));
      socket.on('message', (buffer: Buffer, rinfo: dgram.RemoteInfo) => handle(buffer, rinfo));
      const closed = new Promise<void>((done) => socket.once('close', () => done()));
      resolve({
        address: () => {
          const a = socket.address();
          return { address: a.address, port: a.port };
        },
        stats: () => ({ ...stats, errors: { ...stats.errors } }),
        handle,
        async dispose() {
          if (!disposed) {
            disposed = true;
            try {
              socket.close();
            } catch {
              return;
            }
          }
          await closed;
        },
      });
    });
  });
}

/** A net-snmp receive error as one of ours. The texts never quote communities or digests. */
function receiveError(error: unknown, source: string, bytes: number): SnmpError {
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

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A decoded PDU as a TrapEvent, or the named error that says why it is not one. */
export function toEvent(pdu: NetPdu, rinfo: { address: string; port: number }, at: number): TrapEvent | SnmpError {
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

/** A dgram module whose sockets bind port 0 whatever port they are asked to bind. */
function ephemeral(base: { createSocket(type: 'udp4'): dgram.Socket }): { createSocket(type: 'udp4'): dgram.Socket } {
  return {
    createSocket(type) {
      const socket = base.createSocket(type);
      const bind = socket.bind.bind(socket) as (port: number, address?: string) => dgram.Socket;
      (socket as { bind: unknown }).bind = (_port: number, address?: string) => bind(0, address);
      return socket;
    },
  };
}

function boundKeyCache(): void {
  const cache = snmp.Authentication.authToKeyCache as Record<string, Buffer>;
  let n = 0;
  for (const _ in cache) if (++n > KEY_CACHE_LIMIT) break;
  if (n > KEY_CACHE_LIMIT) for (const k of Object.keys(cache)) delete cache[k];
}
