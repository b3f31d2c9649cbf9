// The DNS prober against a small DNS server started in the test (dgram on 127.0.0.1): the query
// is a CHAOS TXT id.server question with an EDNS0 NSID request; the instance is the TXT string,
// else the NSID (hex when not printable); a REFUSED answer still times the resolver; short,
// malformed and mismatched-id answers are 'error' samples; silence is 'timeout'.
import * as dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { CLASS_CH, createDnsProber, decodeChaosAnswer, encodeChaosQuery, TYPE_TXT } from '../../../../src-daemons/agent/probe/dns';
import { ERR } from '../../../../src-daemons/agent/probe/types';
import { ctx, target } from './rig';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** The question section of a query: QNAME labels, type and class. */
function question(q: Buffer): { name: string; type: number; cls: number; end: number; nsidAsked: boolean } {
  const labels: string[] = [];
  let o = 12;
  while (q[o] !== 0) {
    labels.push(q.toString('latin1', o + 1, o + 1 + q[o]));
    o += 1 + q[o];
  }
  o++;
  const end = o + 4;
  // The OPT record follows: root name, type 41, ..., option code 3.
  const nsidAsked = q.length >= end + 15 && q.readUInt16BE(end + 1) === 41 && q.readUInt16BE(end + 11) === 3;
  return { name: labels.join('.'), type: q.readUInt16BE(o), cls: q.readUInt16BE(o + 2), end, nsidAsked };
}

/** An answer to query q: its question echoed, a TXT record (a compressed pointer to the question's name) and/or an OPT with NSID. */
function answer(q: Buffer, o: { txt?: string; nsid?: Buffer; rcode?: number; id?: number }): Buffer {
  const { end } = question(q);
  const head = Buffer.from(q.subarray(0, end));
  head.writeUInt16BE(o.id ?? q.readUInt16BE(0), 0);
  head.writeUInt16BE(0x8400 | (o.rcode ?? 0), 2);
  head.writeUInt16BE(o.txt === undefined ? 0 : 1, 6);
  head.writeUInt16BE(0, 8);
  head.writeUInt16BE(o.nsid === undefined ? 0 : 1, 10);
  const parts: Buffer[] = [head];
  if (o.txt !== undefined) {
    const t = Buffer.from(o.txt);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(TYPE_TXT, 2);
    rr.writeUInt16BE(CLASS_CH, 4);
    rr.writeUInt16BE(t.length + 1, 10);
    parts.push(rr, Buffer.from([t.length]), t);
  }
  if (o.nsid !== undefined) {
    const opt = Buffer.alloc(11 + 4);
    opt.writeUInt16BE(41, 1);
    opt.writeUInt16BE(1232, 3);
    opt.writeUInt16BE(4 + o.nsid.length, 9);
    opt.writeUInt16BE(3, 11);
    opt.writeUInt16BE(o.nsid.length, 13);
    parts.push(opt, o.nsid);
  }
  return Buffer.concat(parts);
}

/** A DNS server on 127.0.0.1 that answers each query with reply(query); null: stays silent. */
async function server(reply: (q: Buffer) => Buffer | null): Promise<{ port: number; queries: Buffer[] }> {
  const s = dgram.createSocket('udp4');
  const queries: Buffer[] = [];
  s.on('message', (q, rinfo) => {
    queries.push(q);
    const a = reply(q);
    if (a) s.send(a, rinfo.port, rinfo.address);
  });
  await new Promise<void>((res) => s.bind(0, '127.0.0.1', res));
  cleanup.push(() => s.close());
  return { port: s.address().port, queries };
}

const probe = async (port: number, timeoutMs = 1500) => {
  const p = createDnsProber();
  cleanup.push(() => p.close());
  return p.probe(target({ kind: 'dns', port }), ctx({ timeoutMs }));
};

describe('DNS CHAOS id.server probes', () => {
  it('asks CH TXT id.server with NSID and reports the TXT string as the instance', async () => {
    const dns = await server((q) => answer(q, { txt: 'bj1-dns-a', nsid: Buffer.from('ignored-when-txt') }));
    const o = await probe(dns.port);
    expect(o).toMatchObject({ err: ERR.ok, instance: 'bj1-dns-a' });
    expect(o.rttUs).toBeGreaterThanOrEqual(0);
    expect(question(dns.queries[0])).toMatchObject({ name: 'id.server', type: 16, cls: 3, nsidAsked: true });
  });

  it('uses the NSID when there is no TXT answer (hex when it is not printable)', async () => {
    const a = await server((q) => answer(q, { nsid: Buffer.from('sh2-dns-b') }));
    expect(await probe(a.port)).toMatchObject({ err: ERR.ok, instance: 'sh2-dns-b' });
    const b = await server((q) => answer(q, { nsid: Buffer.from([0, 1, 0xfe]) }));
    expect(await probe(b.port)).toMatchObject({ err: ERR.ok, instance: '0001fe' });
  });

  it('a REFUSED answer still times the resolver, with no instance', async () => {
    const dns = await server((q) => answer(q, { rcode: 5 }));
    const o = await probe(dns.port);
    expect(o.err).toBe(ERR.ok);
    expect(o.instance).toBeUndefined();
  });

  it('short, malformed and mismatched-id answers are errors, not crashes', async () => {
    const cases: ((q: Buffer) => Buffer)[] = [
      () => Buffer.from([1, 2, 3]),
      (q) => answer(q, { id: (q.readUInt16BE(0) + 1) & 0xffff, txt: 'x' }),
      (q) => answer(q, { txt: 'truncated' }).subarray(0, q.length + 6),
      (q) => {
        const a = answer(q, { txt: 'abc' });
        a[a.length - 4] = 200; // the TXT length byte says 200, its record holds 4
        return a;
      },
      (q) => Buffer.from(q), // the query itself bounced back: QR not set
    ];
    for (const c of cases) {
      const dns = await server(c);
      expect(await probe(dns.port)).toEqual({ rttUs: -1, err: ERR.error });
    }
  });

  it('silence is a timeout', async () => {
    const dns = await server(() => null);
    expect(await probe(dns.port, 1000)).toEqual({ rttUs: -1, err: ERR.timeout });
  });

  it('a name pointer is skipped, never followed, so a pointer loop cannot spin the decoder', () => {
    const q = encodeChaosQuery(7);
    const bad = Buffer.alloc(12 + 2);
    bad.writeUInt16BE(7, 0);
    bad.writeUInt16BE(0x8000, 2);
    bad.writeUInt16BE(1, 4);
    bad.writeUInt16BE(0xc00c, 12); // points at itself: skipName stops at the pointer, then the question is cut short
    expect(() => decodeChaosAnswer(bad, 7)).toThrow(/cut short in the question/);
    expect(q.length).toBe(12 + 11 + 4 + 15);
  });
});
