// The outbox: http.callback's message is written with the step's completion and delivered to a
// real HTTP server with an Idempotency-Key of <run>/<step>/<host>, retried with backoff while
// the receiver fails, marked sent on a 2xx; after a restart an unsent row is sent again with
// the same key and the same bytes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { WfTemplate } from '../../../../src-shared/domain/workflow';
import { openStore } from '../../../../src-main/core/store/database';
import { hostIds, isOver, rig, settle } from './helpers';
import { provisioningTools } from './template-tools';

interface Delivery { key: string; method: string; type: string | undefined; body: string }

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A receiver that answers the first `failFirst` requests 503, then 200. */
async function receiver(failFirst: number): Promise<{ url: string; got: Delivery[] }> {
  const got: Delivery[] = [];
  let n = 0;
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ key: String(req.headers['idempotency-key']), method: req.method!, type: req.headers['content-type'], body });
      res.statusCode = n++ < failFirst ? 503 : 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

const flow = (): WfTemplate => ({
  id: 'cb', name: 'Callback', params: [{ name: 'url', type: 'string', required: true }],
  steps: [
    { id: 'check', tool: 'sys.check', scope: 'host', inputs: {} },
    { id: 'notify', tool: 'http.callback', scope: 'host', inputs: { method: 'post', url: '${params.url}', body: { sn: '${host.sn}', os: '${steps.check.outputs.os}' } } },
  ],
});

describe('outbox', () => {
  it('delivers with the Idempotency-Key, retrying until a 2xx, then marks it sent', async () => {
    const rx = await receiver(2);
    const r = rig((calls) => provisioningTools(calls), { fetch: globalThis.fetch });
    r.engine.saveTemplate(flow(), 'alice');
    const run = r.engine.launch('cb', { url: rx.url }, hostIds(1), 'alice');
    await settle(r.clock, () => isOver(r.engine, run.id), 'the run ends');
    expect(r.engine.task(run.id, 'notify', 'd1').outputs).toEqual({ idempotencyKey: `${run.id}/notify/d1`, method: 'POST', url: rx.url });
    expect(r.engine.outbox(run.id)).toEqual([expect.objectContaining({ idempotency_key: `${run.id}/notify/d1`, sent_at: null })]);
    for (let i = 0; i < 200 && r.engine.outbox(run.id)[0].sent_at === null; i++) {
      await new Promise((res) => setTimeout(res, 5));
      r.clock.fireNext();
    }
    const row = r.engine.outbox(run.id)[0];
    expect(row).toMatchObject({ attempts: 3, last_error: null });
    expect(row.sent_at).not.toBeNull();
    expect(rx.got).toHaveLength(3);
    expect(new Set(rx.got.map((d) => JSON.stringify(d)))).toEqual(new Set([JSON.stringify({ key: `${run.id}/notify/d1`, method: 'POST', type: 'application/json', body: '{"sn":"SN1001","os":"centos7"}' })]));
    await r.engine.dispose();
  });

  it('sends an unsent row again after a restart with the same key and bytes', async () => {
    const rx = await receiver(0);
    const db = openStore(':memory:');
    // The first engine cannot reach anything: every delivery fails.
    const dead = (() => Promise.reject(new Error('connection refused'))) as unknown as typeof fetch;
    const a = rig((calls) => provisioningTools(calls), { db, fetch: dead });
    a.engine.saveTemplate(flow(), 'alice');
    const run = a.engine.launch('cb', { url: rx.url }, hostIds(2), 'alice');
    await settle(a.clock, () => isOver(a.engine, run.id) && a.engine.outbox(run.id).every((o) => o.attempts > 0), 'the run ends and both sends failed');
    expect(a.engine.outbox(run.id).map((o) => o.last_error)).toEqual([`POST ${rx.url}: connection refused`, `POST ${rx.url}: connection refused`]);
    await a.engine.dispose();
    const b = rig((calls) => provisioningTools(calls), { db, clock: a.clock, fetch: globalThis.fetch });
    for (let i = 0; i < 200 && b.engine.outbox(run.id).some((o) => o.sent_at === null); i++) {
      await new Promise((res) => setTimeout(res, 5));
      b.clock.fireNext();
    }
    expect(rx.got.map((d) => d.key).sort()).toEqual([`${run.id}/notify/d1`, `${run.id}/notify/d2`]);
    expect(rx.got.find((d) => d.key.endsWith('/d2'))!.body).toBe('{"sn":"SN1002","os":"centos7"}');
    await b.engine.dispose();
  });
});
