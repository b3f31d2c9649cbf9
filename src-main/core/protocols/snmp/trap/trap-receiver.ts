// The trap and inform receiver: net-snmp's Receiver (v1, v2c and v3 USM; informs are
// acknowledged by net-snmp before the event is delivered) on a UDP address of the caller's
// choosing, decoded into TrapEvents. Every datagram goes through handle(), which is also the
// decode path the fuzz tests drive: whatever a datagram holds, the receiver emits either one
// TrapEvent or one named SnmpError, and never throws. net-snmp itself can throw from inside
// its socket listener (an inform echoing a BIT STRING it cannot re-encode, for one), which
// would kill the process, so its listener is replaced by handle()'s guarded one.
import type * as dgram from 'node:dgram';
import * as snmp from 'net-snmp';
import type { AsyncDisposable } from '../../../../../src-shared/lifecycle';
import { SnmpError, SnmpMalformedPacketError } from '../errors';
import { netSnmpUser, type SnmpUser } from '../session/credentials';
import { ephemeralPort, UDP, type DgramModule } from '../transport';
import { errorText, receiveError, toEvent, type NetPdu, type TrapEvent } from './trap-event';

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
  dgramModule?: DgramModule;
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

export interface TrapReceiver extends AsyncDisposable {
  address(): { address: string; port: number };
  stats(): TrapReceiverStats;
  /**
   * Replaces the accepted communities and v3 users, effective from the next datagram (no
   * restart). A user whose keys do not fit its level is left out and named in `skipped`.
   */
  setAuth(auth: { communities: readonly string[]; users: readonly SnmpUser[] }): { skipped: { user: string; reason: string }[] };
  /** Feeds one datagram through the receive path, exactly as the socket does. Never throws. */
  handle(buffer: Buffer, rinfo: { address: string; port: number }): void;
  /** Closes the socket; resolves once it is closed. Idempotent. */
  dispose(): Promise<void>;
}

interface NetAuthorizer {
  addCommunity(c: string): void;
  deleteCommunity(c: string): void;
  getCommunities(): string[];
  addUser(u: snmp.User): void;
  deleteUser(name: string): void;
  getUsers(): snmp.User[];
}

interface NetReceiver {
  getAuthorizer(): NetAuthorizer;
  onMsg(socket: dgram.Socket, buffer: Buffer, rinfo: dgram.RemoteInfo): void;
  close(cb?: () => void): void;
  listener: { sockets: Record<string, dgram.Socket> };
}

/** net-snmp caches one localized key per (protocol, password, engineID) forever; a sender
 * that varies its engine ID would grow it without bound. Past this many it is cleared. */
const KEY_CACHE_LIMIT = 4096;
/** An inform with the same source and request-id within this window is a retransmission. */
const INFORM_REPEAT_WINDOW_MS = 60_000;

export function createTrapReceiver(opts: TrapReceiverOptions): Promise<TrapReceiver> {
  const now = opts.now ?? Date.now;
  // net-snmp reads port 0 as "not given" and binds 162: ask the socket itself for port 0.
  const transport = opts.port === 0 ? ephemeralPort(opts.dgramModule ?? UDP) : (opts.dgramModule ?? UDP);
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
    dgramModule: transport,
  }, callback) as NetReceiver;
  const authorizer = receiver.getAuthorizer();
  for (const c of opts.communities ?? []) authorizer.addCommunity(c);
  for (const u of opts.users ?? []) authorizer.addUser(netSnmpUser(u));

  function setAuth(auth: { communities: readonly string[]; users: readonly SnmpUser[] }): { skipped: { user: string; reason: string }[] } {
    const skipped: { user: string; reason: string }[] = [];
    const users: snmp.User[] = [];
    for (const u of auth.users) {
      try {
        users.push(netSnmpUser(u));
      } catch (err) {
        skipped.push({ user: u.name, reason: errorText(err) });
      }
    }
    // Single-threaded: no datagram is handled between the removals and the additions.
    for (const c of [...authorizer.getCommunities()]) authorizer.deleteCommunity(c);
    for (const u of [...authorizer.getUsers()]) authorizer.deleteUser(u.name);
    for (const c of new Set(auth.communities)) authorizer.addCommunity(c);
    for (const u of users) authorizer.addUser(u);
    return { skipped };
  }

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
        setAuth,
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

function boundKeyCache(): void {
  const cache = snmp.Authentication.authToKeyCache as Record<string, Buffer>;
  let n = 0;
  for (const _ in cache) if (++n > KEY_CACHE_LIMIT) break;
  if (n > KEY_CACHE_LIMIT) for (const k of Object.keys(cache)) delete cache[k];
}
