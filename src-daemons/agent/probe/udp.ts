// The UDP echo prober: one dgram socket per agent and address family (bound to the plan's
// bind address when set), datagrams from encodeUdpEcho (magic | nonce | sent-at), answered by
// the target agent's echo responder (responders.ts). A probe's nonce is this socket's random
// 32-bit salt over (generation << 16 | slot): the reply's low bits name its slot in the
// InFlight table, and the nonce kept in a typed column for that slot must match, so a late or
// forged reply never resolves another probe. Replies that do not decode are ignored. Time
// from send() to the reply's arrival (process.hrtime.bigint, kept per slot in a typed column);
// no reply before the deadline -> timeout. A late echo (UDP_ECHO_LATE_MAGIC: the responder's
// loop was stalled as it answered) resolves its probe as ok but `stalled`, and the engine
// sets the sample aside; the prober's own stalls are the engine's to judge. `dgram` is
// injectable (node:dgram's createSocket shape) so the lab can put its network model in the path.
import * as nodeDgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { decodeUdpEcho, encodeUdpEcho, type ProbeTarget } from '../../../src-shared/agent-protocol/probe';
import { InFlight } from './inflight';
import { ERR, elapsedUs, failed, familyOf, type ProbeContext, type ProbeOutcome } from './types';

export interface UdpDgram {
  createSocket(type: 'udp4' | 'udp6'): nodeDgram.Socket;
}

export interface UdpProberOptions {
  readonly dgram?: UdpDgram;
  /** Where a socket could not be opened (port or address trouble), once per socket. */
  readonly log?: (line: string) => void;
}

export interface UdpProber {
  probe(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome>;
  readonly inFlight: number;
  close(): void;
}

type Resolve = (o: ProbeOutcome) => void;

export function createUdpProber(o: UdpProberOptions = {}): UdpProber {
  const dgram = o.dgram ?? nodeDgram;
  const log = o.log ?? (() => {});
  const salt = BigInt(randomInt(0, 2 ** 32)) << 32n;
  let nonces = new BigUint64Array(64);
  let sentAt = new BigUint64Array(64);
  let gen = 0;
  let closed = false;
  const sockets = new Map<string, nodeDgram.Socket>();
  const table = new InFlight<Resolve>((resolve) => resolve(failed(ERR.timeout)));

  const onMessage = (msg: Buffer): void => {
    const t1 = process.hrtime.bigint();
    const echo = decodeUdpEcho(msg);
    if (echo === null) return;
    const slot = Number(echo.nonce & 0xffffn);
    if (slot >= nonces.length || nonces[slot] !== echo.nonce || table.get(slot) === null) return;
    const resolve = table.take(slot)!;
    nonces[slot] = 0n;
    const rttUs = elapsedUs(sentAt[slot], t1);
    resolve(echo.late ? { rttUs, err: ERR.ok, stalled: true } : { rttUs, err: ERR.ok });
  };

  const socketFor = (family: 'udp4' | 'udp6', bind: string | undefined): nodeDgram.Socket => {
    const key = `${family}|${bind ?? ''}`;
    let s = sockets.get(key);
    if (s) return s;
    s = dgram.createSocket(family);
    s.on('message', onMessage);
    s.on('error', (err) => log(`probe: the UDP probe socket (${bind ?? 'any address'}) failed: ${err.message}`));
    if (bind && familyOf(bind) === family) s.bind(0, bind);
    s.unref();
    sockets.set(key, s);
    return s;
  };

  const keepColumns = (): void => {
    if (table.capacity <= nonces.length) return;
    const n = new BigUint64Array(table.capacity);
    n.set(nonces);
    nonces = n;
    const t = new BigUint64Array(table.capacity);
    t.set(sentAt);
    sentAt = t;
  };

  return {
    get inFlight() {
      return table.size;
    },
    probe(target, ctx) {
      if (closed) return Promise.resolve(failed(ERR.error));
      return new Promise<ProbeOutcome>((resolve) => {
        const family = familyOf(target.addr);
        const sock = socketFor(family, ctx.bind);
        const slot = table.add(resolve, ctx.timeoutMs);
        keepColumns();
        gen = (gen + 1) & 0xffff;
        const nonce = salt | BigInt((gen << 16) | slot);
        nonces[slot] = nonce;
        sentAt[slot] = process.hrtime.bigint();
        sock.send(encodeUdpEcho(nonce, Date.now()), target.port ?? ctx.udpPort, target.addr, (err) => {
          if (!err || nonces[slot] !== nonce || table.get(slot) === null) return;
          table.take(slot);
          nonces[slot] = 0n;
          resolve(failed(/EHOSTUNREACH|ENETUNREACH/.test(err.message) ? ERR.unreachable : ERR.error));
        });
      });
    },
    close() {
      closed = true;
      table.drain((resolve) => resolve(failed(ERR.error)));
      for (const s of sockets.values()) s.close();
      sockets.clear();
    },
  };
}
