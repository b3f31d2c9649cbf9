// The WebSocket gateway's limits over real sockets: before login a small frame, one auth message
// and a deadline; caps per remote address (close 1013 with a reason); after login per-method
// frame limits, the receive limit re-armed, and the per-connection budget (RATE_LIMITED).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { startServeServer, type ServeServer } from '../../../src-main/serve/serve-server';
import { connect } from '../../support/ws-client';

let dir: string;
let core: Core;
let server: ServeServer;
let tokens: Record<string, string>;
let wsUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-wsh-'));
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), '<!doctype html>');
  core = await createCore({ storePath: join(dir, 'fd.db'), secretKey: randomBytes(32), lab: false });
  tokens = Object.fromEntries(core.auth.rotateTokens().map((t) => [t.role, t.token]));
  server = await startServeServer({ core, staticDir: join(dir, 'www'), bind: '127.0.0.1', port: 0, limits: { maxConnectionsPerAddress: 3, authDeadlineMs: 400 } });
  wsUrl = `${server.url.replace('http', 'ws')}api`;
});
afterAll(async () => {
  await server.close();
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const open = (localAddress = '127.0.0.1'): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { localAddress });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
const closed = (ws: WebSocket): Promise<{ code: number; reason: string; ms: number }> => {
  const t = performance.now();
  return new Promise((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString(), ms: performance.now() - t })));
};

describe('before login', () => {
  it('closes on a frame over 4 KB (1009), on garbage and on a call (4401), and at the deadline', async () => {
    const big = await open('127.0.0.20');
    const c1 = closed(big);
    big.send('x'.repeat(5000));
    expect((await c1).code).toBe(1009);

    const garbage = await open('127.0.0.20');
    const c2 = closed(garbage);
    garbage.send('not json');
    expect((await c2).code).toBe(4401);

    const idle = await open('127.0.0.20');
    const c3 = await closed(idle);
    expect(c3).toMatchObject({ code: 4401, reason: 'authentication timed out' });
    expect(c3.ms).toBeGreaterThan(300);
  });

  it('caps sockets per remote address, saying why', async () => {
    const three = await Promise.all([open('127.0.0.21'), open('127.0.0.21'), open('127.0.0.21')]);
    const fourth = await open('127.0.0.21');
    expect(await closed(fourth)).toMatchObject({ code: 1013, reason: 'too many connections from 127.0.0.21 (limit 3)' });
    const other = await open('127.0.0.22'); // another address is not affected
    for (const ws of [...three, other]) ws.terminate();
  });
});

describe('after login', () => {
  it('takes calls up to the method frame limit and refuses larger ones with MessageTooLargeError', async () => {
    const op = await connect(server.url, tokens.operator);
    // 3 MB: over 1 MB (ordinary calls), under 8 MB (inventory.import): the receive limit was re-armed
    const text = `record\r\n${'x'.repeat(3 * 1024 * 1024)}`;
    await expect(op.call('inventory.import', { format: 'csv', text })).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(op.call('inventory.elevation', { cabinetId: 'x'.repeat(1.5 * 1024 * 1024) })).rejects.toMatchObject({ name: 'MessageTooLargeError', code: 'BAD_REQUEST', params: { limitBytes: 1024 * 1024 } });
    await op.close();
    // a viewer may call nothing that needs more than 1 MB: ws itself closes at 1009
    const viewer = await open();
    viewer.send(JSON.stringify({ type: 'auth', token: tokens.viewer }));
    await new Promise((r) => viewer.once('message', r));
    const c = closed(viewer);
    viewer.send(JSON.stringify({ type: 'call', id: 1, method: 'inventory.import', args: { format: 'csv', text } }));
    expect((await c).code).toBe(1009);
  });

  it('answers a flood with RATE_LIMITED (retryAfterMs) and keeps serving the connection', async () => {
    const viewer = await connect(server.url, tokens.viewer);
    const results = await Promise.allSettled(Array.from({ length: 400 }, () => viewer.call('fleet.overview', undefined)));
    const limited = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(100);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({ name: 'RateLimitedError', code: 'RATE_LIMITED', params: { retryAfterMs: expect.any(Number) } });
    await new Promise((r) => setTimeout(r, 600));
    await expect(viewer.call('fleet.overview', undefined)).resolves.toBeTruthy();
    await viewer.close();
  });
});
