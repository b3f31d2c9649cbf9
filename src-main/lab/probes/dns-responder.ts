// A tiny DNS server over UDP for the probe matrix's DNS probes, in tests and the lab: it names
// itself the way real anycast resolvers do, so a vantage can tell which instance answered it -
// CHAOS-class TXT id.server and hostname.bind (RFC 4892) carry the instance name, and so does
// EDNS0's NSID option (RFC 5001, option code 3) when a query asks for it. It also answers IN A
// for names it is given (a resolver's ordinary work), says REFUSED for anything else, and
// ignores what is not a well-formed query (no reply at all: never an amplifier, never a loop
// with another responder). Two instances may share one address:port with reusePort (Linux
// SO_REUSEPORT): the kernel spreads sources over them by a hash of the 4-tuple, the lab's
// anycast in one namespace; closing one moves its sources to the other.
// The wire code is written here (a dozen fields of RFC 1035 s4.1) rather than taken from
// dns-packet, which the project does not depend on; encodeDnsQuery / decodeDnsReply are the
// client half the tests and lab peers use.
import dgram from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';

export const DNS_TYPE = { A: 1, TXT: 16, AAAA: 28, OPT: 41 } as const;
export const DNS_CLASS = { IN: 1, CH: 3 } as const;
export const DNS_RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export const EDNS_NSID = 3;
/** The names whose CHAOS TXT answer is the instance name. */
export const IDENTITY_NAMES = ['id.server', 'hostname.bind'] as const;

export interface DnsResponderOptions {
  readonly address: string;
  /** 0: any free port (see DnsResponder.port). */
  readonly port: number;
  /** What id.server, hostname.bind and NSID answer: 1-63 printable ASCII characters. */
  readonly instanceName: string;
  /** SO_REUSEPORT, so several instances share address:port (Linux). */
  readonly reusePort?: boolean;
  /** IN A records it answers: name -> IPv4 address. */
  readonly records?: Readonly<Record<string, string>>;
}

export interface DnsResponder {
  readonly address: string;
  readonly port: number;
  readonly instanceName: string;
  /** Queries answered so far (malformed ones are not counted). */
  readonly answered: number;
  close(): Promise<void>;
}

interface Question {
  readonly id: number;
  readonly rd: boolean;
  readonly opcode: number;
  readonly name: string;
  /** The question section's bytes as received (echoed back in the reply). */
  readonly raw: Uint8Array;
  readonly type: number;
  readonly klass: number;
  /** Present when the query carried an OPT record. */
  readonly edns?: { readonly version: number; readonly nsid: boolean };
}

const MAX_NAME = 255;

/** Reads a name at off (compression pointers followed, loops refused); null when malformed. */
function readName(b: Uint8Array, off: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let end = -1;
  let length = 0;
  for (let jumps = 0; jumps < 32; ) {
    if (off >= b.length) return null;
    const len = b[off];
    if (len === 0) {
      if (end < 0) end = off + 1;
      return { name: labels.join('.'), end };
    }
    if ((len & 0xc0) === 0xc0) {
      if (off + 1 >= b.length) return null;
      if (end < 0) end = off + 2;
      off = ((len & 0x3f) << 8) | b[off + 1];
      jumps++;
      continue;
    }
    if (len & 0xc0 || off + 1 + len > b.length) return null;
    length += len + 1;
    if (length > MAX_NAME) return null;
    labels.push(String.fromCharCode(...b.subarray(off + 1, off + 1 + len)).toLowerCase());
    off += 1 + len;
  }
  return null;
}

/** The one question of a well-formed query, or null (a reply, no question, truncated, trailing junk...). */
export function parseDnsQuery(b: Uint8Array): Question | null {
  if (b.length < 12 || b.length > 4096) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const flags = v.getUint16(2);
  if (flags & 0x8000) return null; // QR: a response
  const [qd, an, ns, ar] = [v.getUint16(4), v.getUint16(6), v.getUint16(8), v.getUint16(10)];
  if (qd !== 1 || an !== 0 || ns !== 0 || ar > 1) return null;
  const q = readName(b, 12);
  if (!q || q.end + 4 > b.length) return null;
  const type = v.getUint16(q.end);
  const klass = v.getUint16(q.end + 2);
  let off = q.end + 4;
  const raw = b.slice(12, off);
  let edns: Question['edns'];
  if (ar === 1) {
    const n = readName(b, off);
    if (!n || n.name !== '' || n.end + 10 > b.length) return null;
    off = n.end;
    if (v.getUint16(off) !== DNS_TYPE.OPT) return null;
    const version = b[off + 5];
    const rdlen = v.getUint16(off + 8);
    off += 10;
    if (off + rdlen > b.length) return null;
    let nsid = false;
    for (let o = off; o < off + rdlen; ) {
      if (o + 4 > off + rdlen) return null;
      const code = v.getUint16(o);
      const len = v.getUint16(o + 2);
      if (o + 4 + len > off + rdlen) return null;
      if (code === EDNS_NSID) nsid = true;
      o += 4 + len;
    }
    off += rdlen;
    edns = { version, nsid };
  }
  if (off !== b.length) return null;
  return { id: v.getUint16(0), rd: (flags & 0x0100) !== 0, opcode: (flags >> 11) & 0xf, name: q.name, raw, type, klass, edns };
}

function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.').filter(Boolean)) {
    if (label.length > 63 || !/^[\x21-\x7e]+$/.test(label)) throw new Error(`bad DNS label '${label}' in '${name}'`);
    out.push(label.length, ...Array.from(label, (c) => c.charCodeAt(0)));
  }
  out.push(0);
  if (out.length > MAX_NAME) throw new Error(`DNS name '${name}' is longer than 255 bytes`);
  return out;
}

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** An answer RR whose name points at the question's (offset 12). */
const rr = (type: number, klass: number, ttl: number, rdata: number[]): number[] => [0xc0, 12, ...u16(type), ...u16(klass), ...u32(ttl), ...u16(rdata.length), ...rdata];

function checkName(instanceName: string): void {
  if (typeof instanceName !== 'string' || !/^[\x20-\x7e]{1,63}$/.test(instanceName)) throw new Error(`instanceName must be 1-63 printable ASCII characters, got ${JSON.stringify(instanceName)}`);
}

function checkRecords(records: Readonly<Record<string, string>>): void {
  for (const [name, addr] of Object.entries(records)) {
    encodeName(name);
    if (!isIPv4(addr)) throw new Error(`record ${name}: '${addr}' is not an IPv4 address`);
  }
}

/**
 * The reply to one datagram, or null when it is not a well-formed query (then nothing is sent).
 * Pure: the server below and the unit tests call it.
 */
export function answerDns(query: Uint8Array, o: { readonly instanceName: string; readonly records?: Readonly<Record<string, string>> }): Uint8Array | null {
  const q = parseDnsQuery(query);
  if (!q) return null;
  const answers: number[][] = [];
  let rcode: number = DNS_RCODE.REFUSED;
  let extRcode = 0;
  const records = new Map(Object.entries(o.records ?? {}).map(([k, a]) => [k.toLowerCase().replace(/\.$/, ''), a]));
  if (q.edns && q.edns.version !== 0) {
    rcode = 0;
    extRcode = 1; // BADVERS (16): the upper 8 bits of the 12-bit code live in the OPT record
  } else if (q.opcode !== 0) {
    rcode = DNS_RCODE.NOTIMP;
  } else if (q.klass === DNS_CLASS.CH && (IDENTITY_NAMES as readonly string[]).includes(q.name)) {
    rcode = DNS_RCODE.NOERROR;
    if (q.type === DNS_TYPE.TXT) answers.push(rr(DNS_TYPE.TXT, DNS_CLASS.CH, 0, [o.instanceName.length, ...ascii(o.instanceName)]));
  } else if (q.klass === DNS_CLASS.IN && records.has(q.name)) {
    rcode = DNS_RCODE.NOERROR; // the name exists: an A answer, or no data for other types
    if (q.type === DNS_TYPE.A) answers.push(rr(DNS_TYPE.A, DNS_CLASS.IN, 60, records.get(q.name)!.split('.').map(Number)));
  }
  const opt: number[] = [];
  if (q.edns) {
    const nsid = q.edns.nsid ? [...u16(EDNS_NSID), ...u16(o.instanceName.length), ...ascii(o.instanceName)] : [];
    opt.push(0, ...u16(DNS_TYPE.OPT), ...u16(1232), extRcode, 0, 0, 0, ...u16(nsid.length), ...nsid);
  }
  const flags = 0x8000 | (q.opcode << 11) | 0x0400 | (q.rd ? 0x0100 : 0) | rcode; // QR, AA, RD copied
  return Uint8Array.from([...u16(q.id), ...u16(flags), ...u16(1), ...u16(answers.length), ...u16(0), ...u16(q.edns ? 1 : 0), ...q.raw, ...answers.flat(), ...opt]);
}

/** A query datagram: one question, and an OPT record asking for NSID when nsid is set. */
export function encodeDnsQuery(q: { readonly id: number; readonly name: string; readonly type: number; readonly klass: number; readonly nsid?: boolean }): Uint8Array {
  const opt = q.nsid ? [0, ...u16(DNS_TYPE.OPT), ...u16(1232), 0, 0, 0, 0, ...u16(4), ...u16(EDNS_NSID), ...u16(0)] : [];
  return Uint8Array.from([...u16(q.id & 0xffff), ...u16(0x0100), ...u16(1), ...u16(0), ...u16(0), ...u16(q.nsid ? 1 : 0), ...encodeName(q.name), ...u16(q.type), ...u16(q.klass), ...opt]);
}

export interface DnsReply {
  readonly id: number;
  readonly rcode: number;
  readonly aa: boolean;
  readonly answers: readonly { readonly type: number; readonly klass: number; readonly ttl: number; readonly txt?: readonly string[]; readonly a?: string }[];
  /** The NSID option's text, when the reply carried one. */
  readonly nsid?: string;
}

/** Reads a reply (what the probes and tests need of one); null when it is not a well-formed reply. */
export function decodeDnsReply(b: Uint8Array): DnsReply | null {
  if (b.length < 12) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const flags = v.getUint16(2);
  if (!(flags & 0x8000)) return null;
  const [qd, an, ns, ar] = [v.getUint16(4), v.getUint16(6), v.getUint16(8), v.getUint16(10)];
  let off = 12;
  for (let i = 0; i < qd; i++) {
    const n = readName(b, off);
    if (!n || n.end + 4 > b.length) return null;
    off = n.end + 4;
  }
  const answers: DnsReply['answers'][number][] = [];
  let nsid: string | undefined;
  let ext = 0;
  for (let i = 0; i < an + ns + ar; i++) {
    const n = readName(b, off);
    if (!n || n.end + 10 > b.length) return null;
    const type = v.getUint16(n.end);
    const klass = v.getUint16(n.end + 2);
    const ttl = v.getUint32(n.end + 4);
    const len = v.getUint16(n.end + 8);
    const start = n.end + 10;
    if (start + len > b.length) return null;
    const data = b.subarray(start, start + len);
    if (type === DNS_TYPE.OPT) {
      ext = ttl >>> 24;
      for (let o = 0; o + 4 <= data.length; ) {
        const code = (data[o] << 8) | data[o + 1];
        const l = (data[o + 2] << 8) | data[o + 3];
        if (code === EDNS_NSID) nsid = String.fromCharCode(...data.subarray(o + 4, o + 4 + l));
        o += 4 + l;
      }
    } else if (i < an) {
      if (type === DNS_TYPE.TXT) {
        const txt: string[] = [];
        for (let o = 0; o < data.length; o += 1 + data[o]) txt.push(String.fromCharCode(...data.subarray(o + 1, o + 1 + data[o])));
        answers.push({ type, klass, ttl, txt });
      } else if (type === DNS_TYPE.A && len === 4) answers.push({ type, klass, ttl, a: Array.from(data).join('.') });
      else answers.push({ type, klass, ttl });
    }
    off = start + len;
  }
  return { id: v.getUint16(0), rcode: (ext << 4) | (flags & 0xf), aa: (flags & 0x0400) !== 0, answers, nsid };
}

/** Starts the server; rejects with the reason when the options are bad or the bind fails. */
export async function startDnsResponder(o: DnsResponderOptions): Promise<DnsResponder> {
  checkName(o.instanceName);
  if (!isIPv4(o.address) && !isIPv6(o.address)) throw new Error(`address must be an IPv4 or IPv6 address, got '${o.address}'`);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`port must be an integer 0..65535, got ${o.port}`);
  const records = o.records ?? {};
  checkRecords(records);
  const socket = dgram.createSocket({ type: isIPv4(o.address) ? 'udp4' : 'udp6', reusePort: o.reusePort ?? false });
  let answered = 0;
  socket.on('message', (msg, rinfo) => {
    const reply = answerDns(msg, { instanceName: o.instanceName, records });
    if (!reply) return;
    answered++;
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => reject(new Error(`DNS responder '${o.instanceName}' cannot bind ${o.address}:${o.port}: ${err.message}`, { cause: err }));
    socket.once('error', fail);
    socket.bind(o.port, o.address, () => {
      socket.off('error', fail);
      resolve();
    });
  });
  socket.on('error', () => {
    // a send to a vanished peer (ICMP unreachable): nothing to do for a responder
  });
  let closed: Promise<void> | null = null;
  return {
    address: o.address,
    port: socket.address().port,
    instanceName: o.instanceName,
    get answered() {
      return answered;
    },
    close: () => (closed ??= new Promise<void>((r) => socket.close(() => r()))),
  };
}
