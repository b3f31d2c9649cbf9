// The TCP connect prober (Pingmesh's probe): a new socket per probe, so each gets a new
// ephemeral source port and ECMP spreads the probes over the paths; bound to the plan's bind
// address when set (the lab gives every host its own 127.x address, and responders see the
// source). Its time runs from connect() to 'connect' (process.hrtime.bigint): the SYN ->
// SYN-ACK round trip, or about 1 s / 3 s more when the kernel retransmitted the SYN (the
// console's synDrops counts those as drops; the agent just reports the time). The connection
// is then reset (no FIN handshake, no TIME_WAIT left on this side at 200 probes/s).
// Errors: ETIMEDOUT or our own deadline -> timeout, ECONNREFUSED -> refused, EHOSTUNREACH /
// ENETUNREACH -> unreachable, anything else -> error. Deadlines live in one InFlight table
// (one sweep timer, not a timer per probe); the socket listeners are shared functions that
// find their probe by the slot kept on the socket, so nothing per probe outlives it.
// `net` is injectable (node:net's createConnection shape) so the lab can put its network
// model between prober and responder.
import * as nodeNet from 'node:net';
import type { ProbeTarget } from '../../../src-shared/agent-protocol/probe';
import { InFlight } from './inflight';
import { ERR, elapsedUs, failed, type ProbeContext, type ProbeOutcome, type ProbeErrorIndex } from './types';

export interface TcpNet {
  createConnection(options: nodeNet.NetConnectOpts): nodeNet.Socket;
}

export interface TcpProberOptions {
  readonly net?: TcpNet;
}

export interface TcpProber {
  probe(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome>;
  readonly inFlight: number;
  /** Ends every probe in flight (as 'error') and refuses new ones. */
  close(): void;
}

interface Pending {
  readonly sock: nodeNet.Socket;
  readonly t0: bigint;
  readonly resolve: (o: ProbeOutcome) => void;
}

const SLOT = Symbol('fleetdeck.probe.slot');
type Tagged = nodeNet.Socket & { [SLOT]?: number };

export function tcpErrorIndex(code: string | undefined): ProbeErrorIndex {
  switch (code) {
    case 'ETIMEDOUT':
      return ERR.timeout;
    case 'ECONNREFUSED':
      return ERR.refused;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return ERR.unreachable;
    default:
      return ERR.error;
  }
}

const kill = (sock: nodeNet.Socket): void => {
  if (typeof sock.resetAndDestroy === 'function' && !sock.destroyed && sock.readyState === 'open') sock.resetAndDestroy();
  else sock.destroy();
};

export function createTcpProber(o: TcpProberOptions = {}): TcpProber {
  const net = o.net ?? nodeNet;
  let closed = false;
  const table = new InFlight<Pending>((p) => {
    kill(p.sock);
    p.resolve(failed(ERR.timeout, p.sock.localPort ?? 0));
  });

  function onConnect(this: Tagged): void {
    const t1 = process.hrtime.bigint();
    const slot = this[SLOT] ?? -1;
    const p = table.get(slot);
    if (p === null || p.sock !== this) return void kill(this); // it had timed out already
    table.take(slot);
    const srcPort = this.localPort ?? 0;
    kill(this);
    p.resolve({ rttUs: elapsedUs(p.t0, t1), err: ERR.ok, srcPort });
  }

  function onError(this: Tagged, err: NodeJS.ErrnoException): void {
    const slot = this[SLOT] ?? -1;
    const p = table.get(slot);
    this.destroy();
    if (p === null || p.sock !== this) return; // a late error of a finished probe (its slot may serve another now)
    table.take(slot);
    p.resolve(failed(tcpErrorIndex(err.code), this.localPort ?? 0));
  }

  return {
    get inFlight() {
      return table.size;
    },
    probe(target, ctx) {
      if (closed) return Promise.resolve(failed(ERR.error));
      return new Promise<ProbeOutcome>((resolve) => {
        const opts: nodeNet.NetConnectOpts = { host: target.addr, port: target.port ?? ctx.tcpPort };
        if (ctx.bind) opts.localAddress = ctx.bind;
        let sock: Tagged;
        const t0 = process.hrtime.bigint();
        try {
          sock = net.createConnection(opts);
        } catch {
          return resolve(failed(ERR.error)); // an address node refuses outright
        }
        sock[SLOT] = table.add({ sock, t0, resolve }, ctx.timeoutMs);
        sock.on('connect', onConnect); // fires once; on() spares the wrapper once() makes per socket
        sock.on('error', onError);
      });
    },
    close() {
      closed = true;
      table.drain((p) => {
        p.sock.destroy();
        p.resolve(failed(ERR.error));
      });
    },
  };
}
