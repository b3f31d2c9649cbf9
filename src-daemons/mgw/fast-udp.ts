// The gateway node's batched UDP (native/mmsg.c: recvmmsg/sendmmsg through Node-API), loaded
// from resources/daemons/mgw-mmsg.node (scripts/build-daemons.mjs builds it with gcc) or
// MGW_MMSG's path; MGW_DATAPLANE=dgram, or no addon, leaves the node on node:dgram (it logs
// which). A BatchSocket is drained in batches when readable, its handler called per datagram;
// sends are queued into one outgoing batch and go with one sendmmsg at the end of each drained
// batch (or when 64 are queued), so a datagram costs a fraction of a system call each way.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface Mmsg {
  open(address: string, port: number, bufferBytes: number): number;
  watch(fd: number, onReadable: () => void): void;
  recv(fd: number, buf: Uint8Array, slot: number, meta: Uint32Array): number;
  send(fd: number, buf: Uint8Array, desc: Uint32Array, n: number): number;
  close(fd: number): void;
}

const BATCH = 64;
/**
 * Bytes per datagram in a batch: a jumbo frame's payload fits. A longer datagram is dropped
 * (watch's onCut), never forwarded cut; node:dgram's path takes up to 65,507.
 */
export const BATCH_SLOT = 9216;
const CUT = 0xffffffff;

let loaded: Mmsg | null | undefined;
/** Where the addon was found (or why not). */
export let mmsgWhere = '';

/** The addon, or null (then the node uses node:dgram). */
export function loadMmsg(): Mmsg | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.env.MGW_DATAPLANE === 'dgram') {
    mmsgWhere = 'MGW_DATAPLANE=dgram';
    return null;
  }
  const here = import.meta.dirname ?? __dirname;
  const candidates = [process.env.MGW_MMSG, path.join(here, 'mgw-mmsg.node'), path.join(here, '..', '..', 'resources', 'daemons', 'mgw-mmsg.node')].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    mmsgWhere = `no mgw-mmsg.node (looked at ${candidates.join(', ')})`;
    return null;
  }
  try {
    loaded = createRequire(path.join(here, 'x.js'))(found) as Mmsg;
    mmsgWhere = found;
  } catch (err) {
    mmsgWhere = `${found}: ${(err as Error).message}`;
  }
  return loaded;
}

/** The outgoing batch every BatchSocket of a node shares (one sendmmsg per flush, on `via`). */
export class BatchOut {
  readonly buf = new Uint8Array(BATCH_SLOT * BATCH);
  private readonly desc = new Uint32Array(4 * BATCH);
  private n = 0;
  constructor(
    private readonly m: Mmsg,
    private readonly fd: number,
  ) {}

  /** The slot to write the next datagram into (flushing first when the batch is full). */
  slot(): number {
    if (this.n === BATCH) this.flush();
    return this.n * BATCH_SLOT;
  }

  /** The datagram written at slot() goes to addr:port (host-order u32). */
  push(len: number, addr: number, port: number): void {
    const d = 4 * this.n;
    this.desc[d] = this.n * BATCH_SLOT;
    this.desc[d + 1] = len;
    this.desc[d + 2] = addr;
    this.desc[d + 3] = port;
    this.n++;
  }

  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    this.n = 0;
    this.m.send(this.fd, this.buf, this.desc, n);
  }
}

export type OnDatagram = (buf: Uint8Array, off: number, len: number, addr: number, port: number) => void;

/** A bound, watched socket: each datagram to onDatagram, then the node's outgoing batch flushed. */
export class BatchSocket {
  private readonly buf = new Uint8Array(BATCH_SLOT * BATCH);
  private readonly meta = new Uint32Array(3 * BATCH);
  private closed = false;
  private constructor(
    private readonly m: Mmsg,
    readonly fd: number,
  ) {}

  /** Throws (EADDRNOTAVAIL, EADDRINUSE ...) as bind would. */
  static open(m: Mmsg, address: string, port: number, bufferBytes: number): BatchSocket {
    return new BatchSocket(m, m.open(address, port, bufferBytes));
  }

  /** Starts reading: onDatagram per datagram (onCut per one longer than BATCH_SLOT, dropped), out flushed after every batch. */
  watch(onDatagram: OnDatagram, out: BatchOut | null, onError: (err: Error) => void, onCut: () => void = () => {}): void {
    this.m.watch(this.fd, () => {
      try {
        // One batch per readiness: the loop then serves the other sockets (the sync socket on
        // node:dgram reads 32 a turn), so replication is not starved by the data plane.
        if (this.closed) return;
        const got = this.m.recv(this.fd, this.buf, BATCH_SLOT, this.meta);
        for (let i = 0; i < got; i++) {
          const len = this.meta[3 * i];
          if (len === CUT) onCut();
          else onDatagram(this.buf, i * BATCH_SLOT, len, this.meta[3 * i + 1], this.meta[3 * i + 2]);
        }
        out?.flush();
      } catch (err) {
        onError(err as Error);
      }
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.m.close(this.fd);
  }
}
