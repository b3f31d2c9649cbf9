// The DNS prober: which anycast instance answers a resolver address, and how fast. A
// CHAOS-class TXT query for id.server (RFC 4892: class CH = 3, type TXT = 16) with an EDNS0 OPT
// record asking for NSID (RFC 5001, option 3), over UDP to the target's address and port (53
// by default), from a fresh socket per query (a fresh source port and a random id, as stub
// resolvers do). The instance is the answer's first TXT string, else the NSID (text when
// printable, hex otherwise). An answer whose rcode is not NOERROR (many resolvers REFUSE
// CHAOS queries) still times the resolver, with no instance. A short, malformed or
// mismatched-id answer is an 'error' sample, never a throw; datagrams from another address
// than the target are ignored. Hand-encoded (about 60 lines here): the daemons may import only
// Node builtins and src-shared (they ship as single-file bundles), node:dns cannot ask in the
// CHAOS class, and the npm codecs (dns-packet and kin) are general codecs many times this size
// for one fixed question.
import * as nodeDgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import type { ProbeTarget } from '../../../src-shared/agent-protocol/probe';
import { InFlight } from './inflight';
import { ERR, elapsedUs, failed, familyOf, type ProbeContext, type ProbeOutcome } from './types';
import type { UdpDgram } from './udp';

const QNAME = [2, 0x69, 0x64, 6, 0x73, 0x65, 0x72, 0x76, 0x65, 0x72, 0]; // id.server.
export const TYPE_TXT = 16;
export const CLASS_CH = 3;
const TYPE_OPT = 41;
const OPT_NSID = 3;

/** The query: header (id, no flags, 1 question, 1 additional), id.server CH TXT, OPT (1232-byte payload) with an empty NSID option. */
export function encodeChaosQuery(id: number): Buffer {
  const b = Buffer.alloc(12 + QNAME.length + 4 + 11 + 4);
  b.writeUInt16BE(id, 0);
  b.writeUInt16BE(1, 4); // QDCOUNT
  b.writeUInt16BE(1, 10); // ARCOUNT
  let o = 12 + Buffer.from(QNAME).copy(b, 12);
  o = b.writeUInt16BE(TYPE_TXT, o);
  o = b.writeUInt16BE(CLASS_CH, o);
  o += 1; // OPT owner: the root
  o = b.writeUInt16BE(TYPE_OPT, o);
  o = b.writeUInt16BE(1232, o); // requestor's UDP payload size
  o += 4; // extended rcode, version, flags: 0
  o = b.writeUInt16BE(4, o); // RDLENGTH
  b.writeUInt16BE(OPT_NSID, o);
  return b;
}

export interface ChaosAnswer {
  readonly rcode: number;
  readonly txt: string | null;
  readonly nsid: string | null;
}

/** Reads an answer to encodeChaosQuery(id); throws a specific Error on anything malformed or not ours. */
export function decodeChaosAnswer(b: Uint8Array, id: number): ChaosAnswer {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const need = (o: number, n: number, what: string): void => {
    if (o + n > buf.length) throw new Error(`DNS answer cut short in ${what} (${buf.length} bytes)`);
  };
  need(0, 12, 'the header');
  if (buf.readUInt16BE(0) !== id) throw new Error(`DNS answer id ${buf.readUInt16BE(0)} is not the query's ${id}`);
  const flags = buf.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new Error('DNS datagram is a query, not an answer');
  const [qd, an, ns, ar] = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
  const skipName = (o: number): number => {
    for (let hops = 0; hops < 128; hops++) {
      need(o, 1, 'a name');
      const len = buf[o];
      if (len === 0) return o + 1;
      if ((len & 0xc0) === 0xc0) {
        need(o, 2, 'a name pointer');
        return o + 2;
      }
      if (len & 0xc0) throw new Error(`DNS answer has a bad label type 0x${len.toString(16)}`);
      o += 1 + len;
    }
    throw new Error('DNS answer has a name of over 128 labels');
  };
  let o = 12;
  for (let i = 0; i < qd; i++) {
    o = skipName(o);
    need(o, 4, 'the question');
    o += 4;
  }
  let txt: string | null = null;
  let nsid: string | null = null;
  for (let i = 0; i < an + ns + ar; i++) {
    o = skipName(o);
    need(o, 10, 'a record header');
    const type = buf.readUInt16BE(o);
    const len = buf.readUInt16BE(o + 8);
    o += 10;
    need(o, len, 'record data');
    if (i < an && type === TYPE_TXT && txt === null && len > 0) {
      if (1 + buf[o] > len) throw new Error('DNS TXT string runs past its record');
      txt = buf.toString('utf8', o + 1, o + 1 + buf[o]);
    }
    if (i >= an + ns && type === TYPE_OPT) {
      for (let p = o; p + 4 <= o + len; ) {
        const code = buf.readUInt16BE(p);
        const olen = buf.readUInt16BE(p + 2);
        if (p + 4 + olen > o + len) throw new Error('DNS EDNS option runs past its record');
        if (code === OPT_NSID && olen > 0) nsid = printable(buf.subarray(p + 4, p + 4 + olen));
        p += 4 + olen;
      }
    }
    o += len;
  }
  return { rcode: flags & 0x0f, txt, nsid };
}

const printable = (b: Buffer): string => (b.every((c) => c >= 0x20 && c < 0x7f) ? b.toString('latin1') : b.toString('hex'));

export interface DnsProberOptions {
  readonly dgram?: UdpDgram;
}

export interface DnsProber {
  probe(target: ProbeTarget, ctx: ProbeContext): Promise<ProbeOutcome>;
  readonly inFlight: number;
  close(): void;
}

interface Pending {
  readonly sock: nodeDgram.Socket;
  readonly resolve: (o: ProbeOutcome) => void;
}

export function createDnsProber(o: DnsProberOptions = {}): DnsProber {
  const dgram = o.dgram ?? nodeDgram;
  let closed = false;
  const end = (p: Pending, out: ProbeOutcome): void => {
    try {
      p.sock.close();
    } catch {
      // closed by its own failure already
    }
    p.resolve(out);
  };
  const table = new InFlight<Pending>((p) => end(p, failed(ERR.timeout)));
  return {
    get inFlight() {
      return table.size;
    },
    probe(target, ctx) {
      if (closed) return Promise.resolve(failed(ERR.error));
      return new Promise<ProbeOutcome>((resolve) => {
        const family = familyOf(target.addr);
        const sock = dgram.createSocket(family);
        const id = randomInt(0, 0x10000);
        const slot = table.add({ sock, resolve }, ctx.timeoutMs);
        let t0 = 0n;
        const settle = (out: ProbeOutcome): void => {
          const p = table.get(slot);
          if (p === null || p.sock !== sock) return;
          table.take(slot);
          end(p, out);
        };
        sock.on('error', () => settle(failed(ERR.error)));
        sock.on('message', (msg, rinfo) => {
          const t1 = process.hrtime.bigint();
          if (rinfo.address !== target.addr) return; // not the resolver we asked
          try {
            const a = decodeChaosAnswer(msg, id);
            const name = (a.txt ?? a.nsid)?.slice(0, 255);
            settle(name === undefined ? { rttUs: elapsedUs(t0, t1), err: ERR.ok } : { rttUs: elapsedUs(t0, t1), err: ERR.ok, instance: name });
          } catch {
            settle(failed(ERR.error));
          }
        });
        const send = (): void => {
          t0 = process.hrtime.bigint();
          sock.send(encodeChaosQuery(id), target.port ?? 53, target.addr, (err) => {
            if (err) settle(failed(/UNREACH/.test(err.message) ? ERR.unreachable : ERR.error));
          });
        };
        if (ctx.bind && familyOf(ctx.bind) === family) sock.bind(0, ctx.bind, send);
        else send();
      });
    },
    close() {
      closed = true;
      table.drain((p) => end(p, failed(ERR.error)));
    },
  };
}
