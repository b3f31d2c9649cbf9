// Acceptance: 30 unauthenticated sockets each try to send 60 MB and 1,000 more sit idle; the
// serve process grows by less than 100 MB (printed), the senders are closed within a second,
// the idle ones at the 5 s login deadline, and an authenticated client is served throughout.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep } from '../../support/handles';
import { SERVE_ENTRY, startServe, type ServeProcess } from '../../support/serve-process';
import { connect } from '../../support/ws-client';
import { rssMb, sampleRss } from './fixtures/rss';

const built = existsSync(SERVE_ENTRY);
if (!built && process.env.CI) throw new Error(`${SERVE_ENTRY} is missing: npm test builds it before vitest`);

const MB = 1024 * 1024;

interface Raw {
  socket: Socket;
  openedAt: number;
  /** performance.now() when the server closed it. */
  closedAt: Promise<number>;
}

/** A raw WebSocket handshake from `localAddress` (loopback): resolves with the upgraded socket. */
function handshake(url: string, localAddress: string): Promise<Raw> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname, port: u.port, path: '/api', localAddress,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
    });
    req.once('upgrade', (_res, socket) => {
      socket.on('error', () => {});
      socket.resume(); // read (and drop) what the server says, so its close is seen
      resolve({ socket, openedAt: performance.now(), closedAt: new Promise((r) => socket.once('close', () => r(performance.now()))) });
    });
    req.once('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)));
    req.once('error', reject);
    req.end();
  });
}

/** A masked text frame header announcing `length` bytes of payload. */
function frameHeader(length: number): Buffer {
  const h = Buffer.alloc(14);
  h[0] = 0x81;
  h[1] = 0x80 | 127;
  h.writeBigUInt64BE(BigInt(length), 2);
  randomBytes(4).copy(h, 10);
  return h;
}

/** Writes a 60 MB frame (or 60 MB of 1 KB garbage frames) until the server closes the socket. */
function send60Mb({ socket, closedAt }: Raw, oneFrame: boolean): Promise<{ closedAfterMs: number; sentMb: number }> {
  const chunk = Buffer.alloc(MB, 0x41);
  const garbage = Buffer.concat(Array.from({ length: 1024 }, () => Buffer.concat([Buffer.from([0x81, 0x80 | 126, 0x04, 0x00]), randomBytes(4), Buffer.alloc(1024, 0x7b)])));
  const t0 = performance.now();
  let sent = 0;
  return new Promise((resolve) => {
    void closedAt.then((at) => resolve({ closedAfterMs: at - t0, sentMb: sent / MB }));
    if (oneFrame) socket.write(frameHeader(60 * MB));
    const pump = (): void => {
      while (sent < 60 * MB && !socket.destroyed) {
        const b = oneFrame ? chunk : garbage.subarray(0, MB);
        sent += b.length;
        if (!socket.write(b)) return void socket.once('drain', pump);
      }
      if (!socket.destroyed) socket.end();
    };
    pump();
  });
}

let serve: ServeProcess | null = null;
afterAll(async () => {
  await serve?.stop();
});

describe.skipIf(!built)('unauthenticated sockets', () => {
  it('cannot grow serve memory, are closed quickly or at the deadline, and do not stall a logged-in client', async () => {
    serve = await startServe(['--no-lab']);
    const viewer = await connect(serve.url, serve.tokens.viewer);
    await viewer.call('fleet.overview', undefined);
    const before = rssMb(serve.pid);
    const rss = sampleRss(serve.pid);

    // The logged-in client calls every 100 ms throughout.
    const latencies: number[] = [];
    let failures = 0;
    let running = true;
    const served = (async () => {
      while (running) {
        const t = performance.now();
        await viewer.call('fleet.overview', undefined).catch(() => failures++);
        latencies.push(performance.now() - t);
        await sleep(100);
      }
    })();

    // 1,000 idle sockets from five loopback addresses (256 per address is the cap).
    const idle = await Promise.all(Array.from({ length: 1000 }, (_, i) => handshake(serve!.url, `127.0.0.${2 + (i % 5)}`)));
    const idleClosed = idle.map((s) => s.closedAt.then((at) => at - s.openedAt));
    const senders = await Promise.all(Array.from({ length: 30 }, (_, i) => handshake(serve!.url, `127.0.0.${10 + (i % 3)}`)));
    const sent = await Promise.all(senders.map((s, i) => send60Mb(s, i % 2 === 0)));
    const idleTimes = await Promise.all(idleClosed);
    running = false;
    await served;
    const peak = rss.stop();
    await viewer.close();

    const slowestSender = Math.max(...sent.map((s) => s.closedAfterMs));
    console.log(
      `abuse: serve RSS ${before.toFixed(0)} MB -> peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB); ` +
        `30 senders closed after ${Math.min(...sent.map((s) => s.closedAfterMs)).toFixed(0)}-${slowestSender.toFixed(0)} ms having written ${Math.max(...sent.map((s) => s.sentMb)).toFixed(1)} MB at most; ` +
        `1,000 idle closed ${(Math.min(...idleTimes) / 1000).toFixed(2)}-${(Math.max(...idleTimes) / 1000).toFixed(2)} s after opening; ` +
        `logged-in client ${latencies.length} calls, ${failures} failed, max ${Math.max(...latencies).toFixed(0)} ms`,
    );
    expect(peak - before).toBeLessThan(100);
    // Closed on the first oversized frame, long before the 5 s pre-auth deadline (typically
    // under 300 ms; the bound leaves room for a loaded 2-core machine: 1,005 ms was seen).
    expect(slowestSender).toBeLessThan(2500);
    expect(Math.min(...idleTimes)).toBeGreaterThan(4500);
    expect(Math.max(...idleTimes)).toBeLessThan(8000);
    expect(failures).toBe(0);
    expect(latencies.length).toBeGreaterThan(20);
  }, 120_000);
});
