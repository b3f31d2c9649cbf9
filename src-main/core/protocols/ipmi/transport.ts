// The IPMI transport: UDP datagrams to and from BMCs. One transport (one socket per address
// family, bound to an ephemeral port) serves any number of sessions: each session listens
// for the datagrams of its BMC's address and port. Tests and the lab inject their own
// socket factory; send errors never throw (the request simply times out and is retried).
import { createSocket as dgramCreateSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Disposable } from '../../../../src-shared/lifecycle';

export interface IpmiTransport {
  readonly closed: boolean;
  send(address: string, port: number, data: Buffer): void;
  /** Datagrams from address:port go to `onPacket` until the listener is disposed. */
  listen(address: string, port: number, onPacket: (data: Buffer) => void): Disposable;
  close(): Promise<void>;
}

export interface UdpTransportOptions {
  /** Local address to bind (default: any). */
  bindAddress?: string;
  /** Injected socket factory (default node:dgram's createSocket). */
  createSocket?: (type: 'udp4' | 'udp6') => Socket;
  /** Receive buffer size to ask for: a sweep of hundreds of BMCs answers in bursts. */
  receiveBufferBytes?: number;
}

const key = (address: string, port: number): string => `${address}|${port}`;

export function createUdpTransport(opts: UdpTransportOptions = {}): IpmiTransport {
  const listeners = new Map<string, Set<(data: Buffer) => void>>();
  const sockets = new Map<'udp4' | 'udp6', { socket: Socket; ready: Promise<void> }>();
  const make = opts.createSocket ?? ((type: 'udp4' | 'udp6') => dgramCreateSocket({ type }));
  let closed = false;

  function socketFor(type: 'udp4' | 'udp6'): { socket: Socket; ready: Promise<void> } {
    let s = sockets.get(type);
    if (s) return s;
    const socket = make(type);
    socket.on('error', () => {
      // ICMP unreachable, EPERM...: the sessions see a timeout, which is the truth.
    });
    socket.on('message', (msg, rinfo) => {
      const set = listeners.get(key(rinfo.address, rinfo.port));
      if (!set) return;
      for (const fn of [...set]) fn(msg);
    });
    const ready = new Promise<void>((resolve) => {
      const bindAddress = opts.bindAddress && isIPv6(opts.bindAddress) === (type === 'udp6') ? opts.bindAddress : undefined;
      socket.bind({ port: 0, address: bindAddress }, () => {
        try {
          socket.setRecvBufferSize(opts.receiveBufferBytes ?? 4 * 1024 * 1024);
        } catch {
          // The kernel may cap it; the default still works.
        }
        resolve();
      });
    });
    s = { socket, ready };
    sockets.set(type, s);
    return s;
  }

  return {
    get closed() {
      return closed;
    },
    send(address, port, data) {
      if (closed) return;
      const s = socketFor(isIPv6(address) ? 'udp6' : 'udp4');
      void s.ready.then(() => {
        if (closed) return;
        try {
          s.socket.send(data, port, address, () => {});
        } catch {
          // A socket closed under us: same as a lost datagram.
        }
      });
    },
    listen(address, port, onPacket) {
      const k = key(address, port);
      let set = listeners.get(k);
      if (!set) listeners.set(k, (set = new Set()));
      set.add(onPacket);
      return {
        dispose() {
          const cur = listeners.get(k);
          if (!cur) return;
          cur.delete(onPacket);
          if (cur.size === 0) listeners.delete(k);
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await Promise.all([...sockets.values()].map(async ({ socket, ready }) => {
        await ready;
        await new Promise<void>((resolve) => {
          try {
            socket.close(() => resolve());
          } catch {
            resolve();
          }
        });
      }));
      sockets.clear();
    },
  };
}
