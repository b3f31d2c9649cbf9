// The workflow callback route over real HTTP. A real serve process (out/main/serve.js, after
// npm run build): a run launched over the WebSocket whose wf.callback step tells a receiver
// (a real HTTP server here) its one-time URL under serve's own URL; POSTing it completes the
// step (200 {ok:true}), a second POST is 409, the run succeeds and the viewer's socket got the
// progress. In this process (serve-server on 127.0.0.1 over a real core): a bad body is 400
// naming the field, unknown tokens 404, wrong method 405, wrong Content-Type 415, over 64 KiB
// 413 (declared or streamed); paths that try to leave the route and API-shaped bodies reach
// no API. And the route alone: bodies in flight are bounded (503 server-wide, 429 per address).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { startServeServer, type ServeServer } from '../../../src-main/serve/serve-server';
import { createCallbackRoute } from '../../../src-main/serve/workflow-callback-route';
import { until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';
import { SERVE_ENTRY, startServe, type ServeProcess } from '../../support/serve-process';
import { connect } from '../../support/ws-client';

const built = existsSync(SERVE_ENTRY);
if (!built && process.env.CI) throw new Error(`${SERVE_ENTRY} is missing: npm test builds it before vitest`);
const operator: CallContext = { actor: 'oscar', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const dir = mkdtempSync(join(tmpdir(), 'fd-wf-cb-'));
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const dev = (n: number): Device => ({
  id: `dev-${n}`, cabinetId: 'c', kind: 'server', hostname: `srv-${n}`, sn: `SN-${n}`, uPosition: n, uHeight: 1, mgmtIp: `127.0.0.${n}`,
  snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
});
const INVENTORY = JSON.stringify(oneCabinet([dev(1), dev(2)]));
const waitTemplate = (notifyUrl: string) => ({ id: 'wait', name: 'Wait for the installer', params: [], steps: [{ id: 'install', tool: 'wf.callback', scope: 'host', inputs: { notifyUrl } }] });

/** A receiver that is told callback URLs: resolves each POST's `callbackUrl`. */
async function receiver(): Promise<{ url: string; urls: string[] }> {
  const urls: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      urls.push((JSON.parse(raw) as { callbackUrl: string }).callbackUrl);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tell`, urls };
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
async function answer(res: Response): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string; params?: Record<string, unknown> } } }> {
  return { status: res.status, body: (await res.json()) as never };
}

/** A raw request: a body written in chunks (no Content-Length unless given); with `hold`, held open until release() writes it and ends it. */
function raw(url: string, opts: { path: string; headers?: Record<string, string>; chunks?: string[]; hold?: string }) {
  const u = new URL(url);
  let release: () => void = () => {};
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: opts.path, method: 'POST', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of opts.chunks ?? []) req.write(c);
    if (opts.hold !== undefined) release = () => req.end(opts.hold);
    else req.end();
  });
  return { done, release: () => release() };
}

describe.skipIf(!built)('the workflow callback route in a real serve process', () => {
  it('completes a launched step once over HTTP; the reused URL is 409; the run succeeds and streams its progress', async () => {
    const serve: ServeProcess = await startServe(['--no-lab']);
    cleanup.push(() => serve.stop());
    const [adm, op, view] = await Promise.all([connect(serve.url, serve.tokens.admin), connect(serve.url, serve.tokens.operator), connect(serve.url, serve.tokens.viewer)]);
    cleanup.push(() => Promise.all([adm.close(), op.close(), view.close()]));
    await op.call('inventory.import', { format: 'json', text: INVENTORY });
    const rx = await receiver();
    await adm.call('workflows.saveTemplate', { template: waitTemplate(rx.url) });
    const run = await op.call('workflows.launch', { templateId: 'wait', params: {}, deviceIds: ['dev-1'] });
    await until('the receiver is told the callback URL', () => rx.urls.length === 1);
    const url = rx.urls[0];
    expect(url.startsWith(`${serve.url}wf/callback/`)).toBe(true);

    expect(await answer(await fetch(url, json({ status: 7 })))).toMatchObject({ status: 400, body: { ok: false, error: { code: 'VALIDATION', params: { field: 'status' } } } });
    expect(await answer(await fetch(url, json({ status: 'installed' })))).toEqual({ status: 200, body: { ok: true } });
    const again = await answer(await fetch(url, json({ status: 'installed' })));
    expect(again).toMatchObject({ status: 409, body: { ok: false, error: { code: 'CONFLICT' } } });
    expect(again.body.error!.message).toContain('already used');
    expect(await answer(await fetch(`${serve.url}wf/callback/${'A'.repeat(32)}`, json({})))).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });

    const detail = await view.call('workflows.run', { runId: run.id });
    expect(detail).toMatchObject({ state: 'succeeded', tasks: [{ stepId: 'install', host: 'dev-1', state: 'succeeded', outputs: { status: 'installed' } }] });
    await until('the viewer socket got the run finishing', () => view.events.some((e) => e.event === 'onDidProgressWorkflow' && (e.payload as { runId: string; state: string }).runId === run.id && (e.payload as { state: string }).state === 'succeeded'));
  });
});

describe('the workflow callback route in this process', () => {
  let server: ServeServer | null = null;

  async function setup() {
    const staticDir = join(dir, 'www');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>FleetDeck</title>');
    const core: Core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false, workflows: { callbackBaseUrl: () => server?.url ?? null } });
    server = await startServeServer({ core, staticDir, bind: '127.0.0.1', port: 0 });
    const s = server;
    cleanup.push(async () => {
      await s.close();
      await core.dispose();
    });
    await core.api.call(operator, 'inventory.import', { format: 'json', text: INVENTORY });
    const rx = await receiver();
    await core.api.call(admin, 'workflows.saveTemplate', { template: waitTemplate(rx.url) });
    const run = await core.api.call(operator, 'workflows.launch', { templateId: 'wait', params: {}, deviceIds: ['dev-1', 'dev-2'] });
    await until('both hosts are told their URLs', () => rx.urls.length === 2);
    return { core, url: s.url, run, urls: rx.urls };
  }

  it('refuses bodies that are not a JSON object, naming the body, and wrong methods, types and sizes; the step keeps waiting', async () => {
    const { core, url, run, urls } = await setup();
    const cb = urls[0];
    const path = new URL(cb).pathname;
    const notJson = await answer(await fetch(cb, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"status":' }));
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION', params: { field: '(body)' } } } });
    expect(notJson.body.error!.message).toMatch(/^The callback body is not JSON/);
    expect(await answer(await fetch(cb, json(['installed'])))).toMatchObject({ status: 400, body: { error: { message: 'The callback body must be a JSON object, not a list' } } });
    expect(await answer(await fetch(cb, json({ data: 'not an object' })))).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION', params: { field: 'data' } } } });
    const text = await answer(await fetch(cb, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'installed' }));
    expect(text).toMatchObject({ status: 415, body: { error: { code: 'VALIDATION', params: { field: 'Content-Type' } } } });
    const get = await fetch(cb);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    const big = JSON.stringify({ status: 'x', data: { blob: 'y'.repeat(70 * 1024) } });
    expect(await answer(await fetch(cb, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big }))).toMatchObject({ status: 413 });
    const streamed = await raw(url, { path, headers: { 'Content-Type': 'application/json' }, chunks: [big.slice(0, 40_000), big.slice(40_000)] }).done;
    expect(streamed.status).toBe(413);
    expect((await core.api.call(operator, 'workflows.run', { runId: run.id })).tasks.map((t) => t.state)).toEqual(['awaiting-callback', 'awaiting-callback']);
    // An empty POST (no body, no type) is an empty output: it completes the step.
    expect(await answer(await fetch(cb, { method: 'POST' }))).toEqual({ status: 200, body: { ok: true } });
  });

  it('reaches nothing but the step: escaping paths are 404, an API-shaped body only completes its own step', async () => {
    const { core, url, run, urls } = await setup();
    for (const p of ['/wf/callback/../api', '/wf/callback/..%2Fapi', '/wf/callback/', `${new URL(urls[0]).pathname}/extra`, '/wf/callback']) {
      // As sent (fetch would resolve the dots before sending).
      const r = await raw(url, { path: p, headers: { 'Content-Type': 'application/json' }, chunks: ['{}'] }).done;
      expect([r.status, JSON.parse(r.body)], p).toMatchObject([404, { ok: false, error: { code: 'NOT_FOUND' } }]);
    }
    const apiShaped = { type: 'call', id: 1, method: 'workflows.launch', args: { templateId: 'wait', params: {}, deviceIds: ['dev-1'] }, token: 'x' };
    expect(await answer(await fetch(urls[0], json(apiShaped)))).toEqual({ status: 200, body: { ok: true } });
    expect((await core.api.call(operator, 'workflows.runs', undefined)).map((r) => r.id)).toEqual([run.id]);
    expect((await core.api.call(admin, 'audit.list', { action: 'workflows.launch' })).length).toBe(1);
    expect((await core.api.call(operator, 'workflows.run', { runId: run.id })).tasks.map((t) => [t.host, t.state, t.outputs])).toEqual([['dev-1', 'succeeded', {}], ['dev-2', 'awaiting-callback', null]]);
  });
});

describe('the workflow callback route alone: bodies in flight are bounded', () => {
  it('answers 503 past the server-wide bound and 429 past the per-address bound while a body is still arriving', async () => {
    const delivered: string[] = [];
    const server = async (limits: { maxInFlight: number; maxPerAddress: number }) => {
      const route = createCallbackRoute((token) => void delivered.push(token), limits);
      const s = createServer((req, res) => {
        if (!route.handle(req, res)) res.writeHead(418).end();
      });
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      cleanup.push(() => new Promise((r) => s.close(r)));
      return { route, url: `http://127.0.0.1:${(s.address() as AddressInfo).port}` };
    };
    for (const [limits, status, code] of [[{ maxInFlight: 1, maxPerAddress: 8 }, 503, 'UNAVAILABLE'], [{ maxInFlight: 8, maxPerAddress: 1 }, 429, 'RATE_LIMITED']] as const) {
      const { route, url } = await server(limits);
      const slow = raw(url, { path: '/wf/callback/slowtoken', headers: { 'Content-Type': 'application/json', 'Content-Length': '2' }, chunks: ['{'], hold: '}' });
      await until('the slow body is in flight', () => route.inFlight === 1);
      const busy = await answer(await fetch(`${url}/wf/callback/other`, json({})));
      expect(busy).toMatchObject({ status, body: { ok: false, error: { code, params: { retryAfterMs: 1000 } } } });
      slow.release();
      expect(await slow.done).toEqual({ status: 200, body: '{"ok":true}' });
      expect(await answer(await fetch(`${url}/wf/callback/other`, json({})))).toEqual({ status: 200, body: { ok: true } });
      expect(await (await fetch(`${url}/api`, json({}))).status).toBe(418);
    }
    expect(delivered).toEqual(['slowtoken', 'other', 'slowtoken', 'other']);
  });
});
