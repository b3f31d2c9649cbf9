// The configured fleet's PXE hook (http-pxe.ts) against a real HTTP server on 127.0.0.1: what
// os.install's stage and unstage send (JSON body, bearer token), a refusal carrying the hook's
// status and words, a hook that does not answer in time, a hook that is not there.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpPxe } from '../../../../src-main/core/provisioning/http-pxe';

interface Heard { auth: string | undefined; body: Record<string, unknown> }
let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function hook(answer: (body: Record<string, unknown>) => { status: number; text?: string; hang?: boolean }): Promise<{ url: string; heard: Heard[] }> {
  const heard: Heard[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => void (raw += d.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      heard.push({ auth: req.headers.authorization, body });
      const a = answer(body);
      if (a.hang) return;
      res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.text ?? '');
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/fleetdeck/pxe`, heard };
}

const req = { deviceId: 'dev-7', sn: 'SN-7', os: 'debian-12', hostname: 'web-07', durationMs: 1000, callbackUrl: 'http://127.0.0.1:8420/wf/callback/abc' };
const devices = (id: string) => (id === 'dev-7' ? { sn: 'SN-7' } : null);

describe('the PXE hook', () => {
  it('stages and takes back an install with one JSON POST each, with the bearer token', async () => {
    const h = await hook(() => ({ status: 204 }));
    const pxe = httpPxe({ url: h.url, token: 's3cret' }, devices);
    await pxe.stage(req);
    await pxe.unstage!('dev-7');
    expect(h.heard).toEqual([
      { auth: 'Bearer s3cret', body: { action: 'stage', deviceId: 'dev-7', sn: 'SN-7', hostname: 'web-07', os: 'debian-12', callbackUrl: req.callbackUrl } },
      { auth: 'Bearer s3cret', body: { action: 'unstage', deviceId: 'dev-7', sn: 'SN-7' } },
    ]);
  });

  it("a refusal says what the hook said; a 5xx is UNAVAILABLE, a 4xx CONFLICT", async () => {
    const h = await hook((b) => (b.os === 'win-11' ? { status: 422, text: 'no such image: win-11\n' } : { status: 503, text: 'cobbler sync running' }));
    const pxe = httpPxe({ url: h.url }, devices);
    await expect(pxe.stage({ ...req, os: 'win-11' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'The PXE hook refused to stage win-11 for SN-7: HTTP 422: no such image: win-11' });
    await expect(pxe.stage(req)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('HTTP 503: cobbler sync running') });
    expect(h.heard[0].auth).toBeUndefined();
  });

  it('a hook that does not answer in time, or is not there, is UNAVAILABLE naming it', async () => {
    const h = await hook(() => ({ status: 200, hang: true }));
    await expect(httpPxe({ url: h.url, timeoutMs: 300 }, devices).stage(req)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/did not answer within 300 ms to stage debian-12 for SN-7$/) });
    server!.closeAllConnections();
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    await expect(httpPxe({ url: h.url }, devices).stage(req)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('could not be reached') });
    expect(() => httpPxe({ url: 'ftp://127.0.0.1/x' }, devices)).toThrow(/http\(s\) URL/);
  });
});
