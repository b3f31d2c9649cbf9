// The gateway's batched UDP (src-daemons/mgw/fast-udp.ts over native/mmsg.c, built into
// resources/daemons/mgw-mmsg.node by npm run build): real sockets on loopback. A burst is read
// in batches with each datagram's bytes and source intact; queued sends leave in one flush to
// each datagram's own address; a bind that cannot be done throws the system's reason.
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_SLOT, BatchOut, BatchSocket, loadMmsg, mmsgWhere } from '../../../../src-daemons/mgw/fast-udp';
import { until } from '../../../support/handles';

const m = loadMmsg();
const open: (BatchSocket | dgram.Socket)[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

const bound = (address: string): Promise<dgram.Socket> =>
  new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    open.push(s);
    s.bind(0, address, () => resolve(s));
  });

/** A UDP port nothing holds now (bound, read, released). */
async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('batched UDP (mgw-mmsg.node)', () => {
  it('is built (npm run build:daemons) and loads', () => {
    expect(m, mmsgWhere).not.toBeNull();
  });

  it('reads a burst of 500 datagrams with their bytes and sources, in batches', async () => {
    const target = await freePort();
    const s = BatchSocket.open(m!, '127.0.0.1', target, 1 << 20);
    open.push(s);
    const got: { text: string; addr: number; port: number }[] = [];
    let flushes = 0;
    const out = { flush: () => void flushes++ } as unknown as BatchOut;
    s.watch((buf, off, len, addr, port) => got.push({ text: Buffer.from(buf.subarray(off, off + len)).toString(), addr, port }), out, (err) => {
      throw err;
    });
    const a = await bound('127.0.0.1');
    const b = await bound('127.0.0.2');
    for (let i = 0; i < 500; i++) (i % 2 ? a : b).send(`d${i}`, target, '127.0.0.1');
    await until('all 500 read', () => got.length === 500, 5000);
    expect(got.map((g) => g.text).sort()).toEqual(Array.from({ length: 500 }, (_, i) => `d${i}`).sort());
    expect(got.find((g) => g.text === 'd1')).toMatchObject({ addr: 0x7f000001, port: a.address().port });
    expect(got.find((g) => g.text === 'd0')).toMatchObject({ addr: 0x7f000002, port: b.address().port });
    // Batches: far fewer flushes (one per batch) than datagrams.
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThan(500);
  });

  it('drops a datagram longer than a slot (onCut) instead of handing it on cut', async () => {
    const target = await freePort();
    const s = BatchSocket.open(m!, '127.0.0.1', target, 1 << 20);
    open.push(s);
    const got: number[] = [];
    let cut = 0;
    s.watch((_b, _o, len) => got.push(len), null, (err) => {
      throw err;
    }, () => void cut++);
    const a = await bound('127.0.0.1');
    a.send(Buffer.alloc(BATCH_SLOT + 1, 7), target, '127.0.0.1');
    a.send(Buffer.alloc(BATCH_SLOT, 7), target, '127.0.0.1');
    await until('both seen', () => got.length + cut === 2, 5000);
    expect(cut).toBe(1);
    expect(got).toEqual([BATCH_SLOT]);
  });

  it('sends queued datagrams in one flush, each to its own address', async () => {
    const s = BatchSocket.open(m!, '127.0.0.1', 0, 1 << 20);
    open.push(s);
    const out = new BatchOut(m!, s.fd);
    const r1 = await bound('127.0.0.3');
    const r2 = await bound('127.0.0.4');
    const seen: string[] = [];
    r1.on('message', (d) => seen.push(`r1 ${d.toString()}`));
    r2.on('message', (d) => seen.push(`r2 ${d.toString()}`));
    for (let i = 0; i < 100; i++) {
      const at = out.slot();
      const bytes = Buffer.from(`p${i}`);
      out.buf.set(bytes, at);
      out.push(bytes.length, i % 2 ? 0x7f000004 : 0x7f000003, (i % 2 ? r2 : r1).address().port);
    }
    out.flush();
    await until('100 arrived', () => seen.length === 100, 5000);
    expect(seen).toContain('r1 p0');
    expect(seen).toContain('r2 p99');
    expect(seen.filter((x) => x.startsWith('r2 ')).every((x) => Number(x.slice(4)) % 2 === 1)).toBe(true);
  });

  it('says why a bind fails', async () => {
    const port = await freePort();
    open.push(BatchSocket.open(m!, '127.0.0.1', port, 1 << 20));
    expect(() => BatchSocket.open(m!, '127.0.0.1', port, 1 << 20)).toThrow(new RegExp(`bind 127\\.0\\.0\\.1:${port}: Address already in use`));
    expect(() => BatchSocket.open(m!, '192.0.2.1', 7001, 1 << 20)).toThrow(/bind 192\.0\.2\.1:7001: Cannot assign requested address/);
    expect(() => BatchSocket.open(m!, 'not-an-address', 7001, 1 << 20)).toThrow(/not an IPv4 address/);
    // Wrong arguments are a TypeError, not a crash of the node.
    expect(() => m!.recv(0, [] as unknown as Uint8Array, 2048, new Uint32Array(3))).toThrow(TypeError);
    expect(() => m!.send(0, new Uint8Array(8), 'x' as unknown as Uint32Array, 1)).toThrow(TypeError);
  });
});
