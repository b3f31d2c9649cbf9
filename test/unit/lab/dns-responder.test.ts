// The lab's DNS responder (src-main/lab/probes/dns-responder.ts): what a DNS probe relies on -
// the instance name from CHAOS TXT id.server / hostname.bind and from NSID, IN A for its
// configured names, REFUSED for the rest, no reply at all to malformed datagrams (random bytes
// and mutated queries: it must neither throw nor answer junk), clear errors for bad options;
// over loopback: two instances sharing 127.0.0.1:port with reusePort both answer (the kernel
// spreads sources), and after one closes every source gets the other; the program form prints
// ready, answers, and exits 0 on SIGTERM.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { answerDns, decodeDnsReply, DNS_CLASS, DNS_RCODE, DNS_TYPE, encodeDnsQuery, startDnsResponder, type DnsReply, type DnsResponder } from '../../../src-main/lab/probes/dns-responder';

const NAME = 'dns-bj1-a';
const records = { 'resolver.lab': '10.213.53.53' };
const ask = (q: Parameters<typeof encodeDnsQuery>[0]): DnsReply | null => {
  const r = answerDns(encodeDnsQuery(q), { instanceName: NAME, records });
  return r && decodeDnsReply(r);
};

describe('answers', () => {
  it('names the instance for CHAOS TXT id.server and hostname.bind, echoing id and RD, authoritative', () => {
    for (const name of ['id.server', 'hostname.bind', 'ID.Server']) {
      const r = ask({ id: 0xbeef, name, type: DNS_TYPE.TXT, klass: DNS_CLASS.CH });
      expect(r).toMatchObject({ id: 0xbeef, rcode: DNS_RCODE.NOERROR, aa: true, answers: [{ type: DNS_TYPE.TXT, klass: DNS_CLASS.CH, txt: [NAME] }] });
      expect(r!.nsid).toBeUndefined();
    }
  });

  it('puts the name in the NSID option when the query asks for it', () => {
    expect(ask({ id: 7, name: 'resolver.lab', type: DNS_TYPE.A, klass: DNS_CLASS.IN, nsid: true })).toMatchObject({ rcode: 0, nsid: NAME, answers: [{ a: '10.213.53.53' }] });
    expect(ask({ id: 8, name: 'id.server', type: DNS_TYPE.TXT, klass: DNS_CLASS.CH, nsid: true })).toMatchObject({ nsid: NAME, answers: [{ txt: [NAME] }] });
  });

  it('answers A for a configured name, no data for its other types, REFUSED for anything else', () => {
    expect(ask({ id: 1, name: 'Resolver.LAB', type: DNS_TYPE.A, klass: DNS_CLASS.IN })).toMatchObject({ rcode: 0, answers: [{ type: DNS_TYPE.A, ttl: 60, a: '10.213.53.53' }] });
    expect(ask({ id: 2, name: 'resolver.lab', type: DNS_TYPE.AAAA, klass: DNS_CLASS.IN })).toMatchObject({ rcode: 0, answers: [] });
    expect(ask({ id: 3, name: 'example.com', type: DNS_TYPE.A, klass: DNS_CLASS.IN })).toMatchObject({ rcode: DNS_RCODE.REFUSED, answers: [] });
    expect(ask({ id: 4, name: 'id.server', type: DNS_TYPE.TXT, klass: DNS_CLASS.IN })).toMatchObject({ rcode: DNS_RCODE.REFUSED });
    expect(ask({ id: 5, name: 'version.bind', type: DNS_TYPE.TXT, klass: DNS_CLASS.CH })).toMatchObject({ rcode: DNS_RCODE.REFUSED });
  });

  it('says BADVERS to an EDNS version it does not speak and NOTIMP to an opcode other than QUERY', () => {
    const q = encodeDnsQuery({ id: 9, name: 'id.server', type: DNS_TYPE.TXT, klass: DNS_CLASS.CH, nsid: true });
    const v1 = Uint8Array.from(q);
    v1[q.length - 9] = 1; // the OPT record's VERSION byte: root name 1, type 2, class 2, ext-rcode 1, then it (15 bytes from the end with NSID)
    expect(decodeDnsReply(answerDns(v1, { instanceName: NAME })!)).toMatchObject({ rcode: 16, answers: [] });
    const notify = Uint8Array.from(q);
    notify[2] |= 4 << 3; // opcode 4 (NOTIFY)
    expect(decodeDnsReply(answerDns(notify, { instanceName: NAME })!)).toMatchObject({ rcode: DNS_RCODE.NOTIMP });
  });
});

describe('malformed input', () => {
  const valid = encodeDnsQuery({ id: 0x1234, name: 'id.server', type: DNS_TYPE.TXT, klass: DNS_CLASS.CH, nsid: true });

  it('ignores replies, empty or truncated queries, trailing junk, two questions and pointer loops', () => {
    const reply = answerDns(valid, { instanceName: NAME })!;
    const two = Uint8Array.from(valid);
    two[5] = 2;
    const loop = Uint8Array.from([...valid.subarray(0, 12), 0xc0, 12, 0, 16, 0, 3]);
    loop[11] = 0;
    for (const bad of [reply, new Uint8Array(0), valid.subarray(0, 11), valid.subarray(0, valid.length - 1), Uint8Array.from([...valid, 0]), two, loop]) {
      expect(answerDns(bad, { instanceName: NAME })).toBeNull();
    }
  });

  it('never throws on random bytes or mutated queries, and what it answers is a reply to that query', () => {
    let answered = 0;
    for (let i = 0; i < 3000; i++) {
      let b: Uint8Array;
      if (i % 3 === 0) b = randomBytes(i % 80);
      else {
        b = Uint8Array.from(valid);
        for (let k = 0; k < 1 + (i % 4); k++) b[(i * 7 + k * 13) % b.length] ^= 1 << ((i + k) % 8);
        if (i % 5 === 0) b = b.subarray(0, i % b.length);
      }
      const r = answerDns(b, { instanceName: NAME });
      if (!r) continue;
      answered++;
      const d = decodeDnsReply(r);
      expect(d).not.toBeNull();
      expect(d!.id).toBe((b[0] << 8) | b[1]);
      expect(r.length).toBeLessThanOrEqual(b.length + 2 * (16 + NAME.length)); // never an amplifier beyond its name
    }
    expect(answered).toBeGreaterThan(0); // some mutations are still queries (another id, class, type)
  });
});

describe('the server', () => {
  const open: DnsResponder[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });

  /** One query from a new socket (a new source port), its reply or null after timeoutMs. */
  const query = (port: number, q: Uint8Array, timeoutMs = 1000): Promise<DnsReply | null> =>
    new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      const done = (r: DnsReply | null): void => {
        clearTimeout(t);
        s.close();
        resolve(r);
      };
      const t = setTimeout(() => done(null), timeoutMs);
      s.on('message', (m) => done(decodeDnsReply(m)));
      s.send(q, port, '127.0.0.1');
    });
  const who = async (port: number): Promise<string | undefined> => (await query(port, encodeDnsQuery({ id: 1, name: 'id.server', type: DNS_TYPE.TXT, klass: DNS_CLASS.CH })))?.answers[0]?.txt?.[0];

  it('refuses bad options with the reason', async () => {
    await expect(startDnsResponder({ address: '127.0.0.1', port: 0, instanceName: '' })).rejects.toThrow(/instanceName must be 1-63 printable ASCII/);
    await expect(startDnsResponder({ address: '127.0.0.1', port: 0, instanceName: 'x'.repeat(64) })).rejects.toThrow(/instanceName/);
    await expect(startDnsResponder({ address: 'localhost', port: 0, instanceName: 'a' })).rejects.toThrow(/address must be an IPv4 or IPv6 address, got 'localhost'/);
    await expect(startDnsResponder({ address: '127.0.0.1', port: 70000, instanceName: 'a' })).rejects.toThrow(/port must be an integer 0..65535, got 70000/);
    await expect(startDnsResponder({ address: '127.0.0.1', port: 0, instanceName: 'a', records: { 'x.lab': '1.2.3' } })).rejects.toThrow(/record x.lab: '1.2.3' is not an IPv4 address/);
    const a = await startDnsResponder({ address: '127.0.0.1', port: 0, instanceName: 'a' });
    open.push(a);
    await expect(startDnsResponder({ address: '127.0.0.1', port: a.port, instanceName: 'b' })).rejects.toThrow(/DNS responder 'b' cannot bind 127.0.0.1:\d+: .*EADDRINUSE/);
  });

  it('stays up through junk and answers the next query', async () => {
    const r = await startDnsResponder({ address: '127.0.0.1', port: 0, instanceName: NAME });
    open.push(r);
    expect(await query(r.port, randomBytes(40), 300)).toBeNull();
    expect(await query(r.port, answerDns(encodeDnsQuery({ id: 2, name: 'id.server', type: DNS_TYPE.TXT, klass: DNS_CLASS.CH }), { instanceName: 'x' })!, 300)).toBeNull();
    expect(await who(r.port)).toBe(NAME);
    expect(r.answered).toBe(1);
  });

  it('shares one address:port with another instance by reusePort; closing one moves its sources to the other', async () => {
    const one = await startDnsResponder({ address: '127.0.0.1', port: 0, instanceName: 'dns-1', reusePort: true });
    const two = await startDnsResponder({ address: '127.0.0.1', port: one.port, instanceName: 'dns-2', reusePort: true });
    open.push(one, two);
    const tally = async (): Promise<Record<string, number>> => {
      const seen: Record<string, number> = {};
      for (const name of await Promise.all(Array.from({ length: 64 }, () => who(one.port)))) seen[name ?? 'none'] = (seen[name ?? 'none'] ?? 0) + 1;
      return seen;
    };
    const before = await tally();
    expect(before['dns-1']).toBeGreaterThan(0);
    expect(before['dns-2']).toBeGreaterThan(0);
    await one.close();
    const after = await tally();
    expect(after).toEqual({ 'dns-2': 64 });
    console.log(`reusePort on 127.0.0.1:${one.port}, 64 sources each: both open ${JSON.stringify(before)}; dns-1 closed ${JSON.stringify(after)}`);
  });

  it('runs as a program: ready, answers, exits 0 on SIGTERM; a bad argument exits 2 naming it', async () => {
    const main = fileURLToPath(new URL('../../../src-main/lab/probes/dns-responder-main.ts', import.meta.url));
    const run = (args: string[]): ReturnType<typeof spawn> => spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const bad = run(['--address', '127.0.0.1', '--port', 'x', '--name', 'n']);
    let err = '';
    bad.stderr!.on('data', (d: Buffer) => void (err += d));
    expect(await new Promise((r) => bad.on('exit', r))).toBe(2);
    expect(err).toContain("--port must be a number 0..65535, got 'x'");

    const p = run(['--address', '127.0.0.1', '--port', '0', '--name', 'prog-1']);
    const ready = await new Promise<string>((resolve, reject) => {
      let out = '';
      p.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('\n')) resolve(out);
      });
      p.on('exit', (c) => reject(new Error(`exited ${c} before ready`)));
    });
    const m = /^ready 127\.0\.0\.1:(\d+) prog-1\n/.exec(ready);
    expect(m).not.toBeNull();
    expect(await who(Number(m![1]))).toBe('prog-1');
    p.kill('SIGTERM');
    expect(await new Promise((r) => p.on('exit', r))).toBe(0);
  });
});
