// Wall mode's kiosk URL against a real serve-mode instance: an admin stores a playlist and issues
// a kiosk token; the URL points at the server's own address and its page loads with no login
// (the token is in the fragment, never sent in a request); the token from the URL signs in over
// the WebSocket as a viewer (kiosk:<id>) that reads the playlist and hears the heartbeat, and is
// refused alarms.acknowledge and every other operator or admin method (audited). Revoking the
// token closes the screen's socket (4401) and the token is refused from then on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { startServeServer, type ServeServer } from '../../../src-main/serve/serve-server';
import { connect, type TestClient } from '../../support/ws-client';

let dir: string;
let core: Core;
let server: ServeServer | null = null;
let admin: TestClient;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fd-wall-'));
  const staticDir = join(dir, 'www');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>FleetDeck</title>');
  core = await createCore({
    storePath: join(dir, 'fd.db'), secretKey: randomBytes(32), lab: false, poller: { intervalMs: 60_000, timeoutMs: 200, retries: 0 },
    // As serve-cli does: callback and kiosk URLs point at the server's own address.
    workflows: { callbackBaseUrl: () => server?.url ?? null },
  });
  const tokens = Object.fromEntries(core.auth.rotateTokens().map((t) => [t.role, t.token]));
  server = await startServeServer({ core, staticDir, bind: '127.0.0.1', port: 0 });
  admin = await connect(server.url, tokens.admin!);
});

afterAll(async () => {
  await admin?.close();
  await server?.close();
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw socket signed in with a token: the auth reply, and how it closes. */
function kioskSocket(url: string, token: string) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + 'api');
  const messages: { type: string; [k: string]: unknown }[] = [];
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const authed = new Promise<{ ok: boolean; role?: string; actor?: string }>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      messages.push(msg);
      if (msg.type === 'auth') resolve(msg);
    });
  });
  return { ws, messages, authed, closed };
}

describe('wall kiosk URL in serve mode', () => {
  it('opens a playlist as a viewer with no login, refuses it operator methods, and ends it when revoked', async () => {
    await admin.call('wall.setPlaylist', { id: 'noc', name: 'NOC wall', views: [{ view: 'overview', params: {} }, { view: 'alarms', params: {} }], intervalS: 20 });
    const issued = await admin.call('wall.issueKioskToken', { playlistId: 'noc', label: 'left screen' });
    expect(issued.url).toBe(`${server!.url}#/wall/noc?kiosk=${issued.token}`);

    // The page behind the URL loads without a login (the fragment with the token stays in the browser).
    const page = await fetch(issued.url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('FleetDeck');

    // The screen signs in with the token from the URL: a viewer, named for the token.
    const token = new URLSearchParams(new URL(issued.url!).hash.split('?')[1]).get('kiosk')!;
    expect(token).toBe(issued.token);
    const kiosk = await connect(server!.url, token);
    expect(kiosk.role).toBe('viewer');
    expect(kiosk.actor).toBe(`kiosk:${issued.id}@127.0.0.1`);
    expect(await kiosk.call('wall.playlist', { id: 'noc' })).toMatchObject({ id: 'noc', intervalS: 20, theme: 'dark' });
    expect((await kiosk.call('wall.playlists', undefined)).map((p) => p.id)).toEqual(['noc']);
    await kiosk.call('alarms.list', undefined);

    // Read-only: alarms.acknowledge and the other operator or admin methods are refused, and audited.
    for (const [method, args] of [
      ['alarms.acknowledge', { alarmId: 'down|d1', comment: 'from the wall' }],
      ['alarms.setWindow', { id: 'w1', scope: {}, from: 0, to: 1, reason: 'x' }],
      ['wall.setPlaylist', { id: 'x', name: 'x', views: [{ view: 'overview', params: {} }], intervalS: 10 }],
      ['wall.issueKioskToken', { playlistId: 'noc' }],
      ['wall.revokeKioskToken', { id: issued.id }],
      ['audit.list', {}],
    ] as const) {
      await expect(kiosk.call(method as never, args as never), method).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const refused = await admin.call('audit.list', { actor: 'kiosk:', outcome: 'refused', limit: 50 });
    expect(refused.map((e) => e.action)).toContain('alarms.acknowledge');

    // The heartbeat reaches the screen (it comes every 2 s; this waits for one, whenever it comes).
    await expect.poll(() => kiosk.events.find((e) => e.event === 'onHeartbeat'), { timeout: 30_000, interval: 100 }).toBeTruthy();
    const beat = kiosk.events.find((e) => e.event === 'onHeartbeat')!.payload as { at: number; lastPollAt: number | null; intervalMs: number };
    expect(beat).toMatchObject({ at: expect.any(Number), intervalMs: 2000 });
    await kiosk.close();

    // Revoked: the open screen is disconnected, and the token is refused from then on.
    const screen = kioskSocket(server!.url, token);
    expect(await screen.authed).toMatchObject({ ok: true, role: 'viewer' });
    expect(await admin.call('wall.revokeKioskToken', { id: issued.id })).toEqual({ revoked: true });
    expect(await screen.closed).toBe(4401);
    await expect(connect(server!.url, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await admin.call('wall.kioskTokens', undefined)).find((k) => k.id === issued.id)).toMatchObject({ revokedBy: expect.stringMatching(/^admin@/), lastUsedAt: expect.any(Number) });
  });

  it('announces a changed playlist to a kiosk screen', async () => {
    const issued = await admin.call('wall.issueKioskToken', { playlistId: 'noc' });
    const kiosk = await connect(server!.url, issued.token);
    await admin.call('wall.setPlaylist', { id: 'noc', name: 'NOC wall', views: [{ view: 'matrix', params: { level: 'site' } }], intervalS: 60 });
    await expect.poll(() => kiosk.events.find((e) => e.event === 'onDidChangePlaylists')?.payload, { timeout: 10_000, interval: 50 }).toMatchObject({ id: 'noc', deleted: false });
    expect((await kiosk.call('wall.playlist', { id: 'noc' })).views).toEqual([{ view: 'matrix', params: { level: 'site' } }]);
    await kiosk.close();
  });
});
