// The wall capability on a real ':memory:' store, called through the core api (role checks and
// audit as every transport gets them): a playlist round-trips through the store with its
// defaults; empty views, an unknown view, an interval or dwell out of 5 s..1 h and an unknown room
// are refused naming the field; a viewer cannot set one (audited); a kiosk token is returned once
// in its URL, stored only as a hash, signs in through the session as a viewer that cannot call
// operator or admin methods, and is refused (audited) once revoked or its playlist deleted, the
// transports told; the heartbeat carries the core's clock and the newest poll.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvents, ArgsOf, CallContext, Handlers } from '../../../../src-shared/api';
import { createCoreApi } from '../../../../src-main/core/api/core-api';
import { EventHub } from '../../../../src-main/core/events/event-hub';
import { hashToken } from '../../../../src-main/core/security/tokens';
import { startSession } from '../../../../src-main/core/session/session-module';
import { openCoreStore, type CoreStore } from '../../../../src-main/core/store/core-store';
import { WallRepository } from '../../../../src-main/core/store/wall-repository';
import { startWall, type WallDeps } from '../../../../src-main/core/wall/wall-capability';

const viewer: CallContext = { actor: 'wall-1', role: 'viewer' };
const operator: CallContext = { actor: 'ana', role: 'operator' };
const admin: CallContext = { actor: 'root', role: 'admin' };

const open: CoreStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.dispose();
});

function setup(over: Partial<WallDeps> = {}) {
  const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
  open.push(store);
  store.inventory.upsert({
    format: 'fleetdeck-inventory', version: 1,
    sites: [{ id: 's1', name: 'Site', city: 'Beijing' }],
    rooms: [{ id: 'm1', siteId: 's1', name: 'Hall 1', widthM: 20, depthM: 10 }],
    rows: [], cabinets: [], devices: [],
  });
  let t = 1_000_000;
  const hub = new EventHub();
  const events: { event: string; payload: unknown }[] = [];
  hub.on('onDidChangePlaylists', (p) => events.push({ event: 'onDidChangePlaylists', payload: p }));
  hub.on('onHeartbeat', (p) => events.push({ event: 'onHeartbeat', payload: p }));
  const wall = startWall({ store, hub, heartbeatMs: 0, clock: () => t, ...over });
  const session = startSession({ store, kiosk: wall.kiosk });
  const api = createCoreApi({ ...wall.api, ...session.api } as unknown as Handlers, hub, store.audit);
  return { store, wall, session, api, events, advance: (ms: number) => (t += ms), now: () => t };
}

const noc: ArgsOf<'wall.setPlaylist'> = {
  id: 'noc', name: 'NOC wall',
  views: [{ view: 'overview', params: {} }, { view: 'room', params: { roomId: 'm1' }, dwellS: 60 }, { view: 'matrix', params: { level: 'room' } }, { view: 'alarms', params: { minSeverity: 'major' } }],
  intervalS: 30,
};

describe('wall playlists', () => {
  it('round-trips a playlist through the store with its defaults, and announces the change', async () => {
    const { store, api, events, now } = setup();
    const set = await api.call(admin, 'wall.setPlaylist', { ...noc, views: [...noc.views, { view: 'matrix' } as never] });
    expect(set).toMatchObject({ id: 'noc', theme: 'dark', updatedBy: 'root', updatedAt: now() });
    expect(set.views[4]).toEqual({ view: 'matrix', params: { level: 'tor' } });
    const again = new WallRepository(store.db).playlists();
    expect(again).toEqual([set]);
    expect(await api.call(viewer, 'wall.playlists', undefined)).toEqual([set]);
    expect(await api.call(viewer, 'wall.playlist', { id: 'noc' })).toEqual(set);
    await expect(api.call(viewer, 'wall.playlist', { id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'playlist "nope" does not exist' });
    expect(events).toEqual([{ event: 'onDidChangePlaylists', payload: { at: now(), id: 'noc', deleted: false } }]);
    expect(store.audit.list(10).find((e) => e.action === 'wall.setPlaylist')).toMatchObject({ actor: 'root', outcome: 'succeeded', target: 'noc (NOC wall): overview, room, matrix, alarms, matrix every 30 s' });
  });

  it.each([
    ['empty views', { views: [] }, 'views', 'must hold at least one view'],
    ['a view that is not an object', { views: ['overview'] }, 'views.0', 'must be a view: { view, params, dwellS? }'],
    ['an unknown view', { views: [{ view: 'weather', params: {} }] }, 'views.0.view', 'must be one of the wall views: room, matrix, alarms, overview'],
    ['an interval under 5 s', { intervalS: 4 }, 'intervalS', 'must be at least 5 s'],
    ['an interval over 1 h', { intervalS: 3601 }, 'intervalS', 'must be at most 3600 s (1 h)'],
    ['a fractional interval', { intervalS: 7.5 }, 'intervalS', 'must be a whole number of seconds from 5 to 3600'],
    ['a dwell under 5 s', { views: [{ view: 'overview', params: {}, dwellS: 1 }] }, 'views.0.dwellS', 'must be at least 5 s'],
    ['a room view without its room', { views: [{ view: 'room', params: {} }] }, 'views.0.params.roomId', ''],
    ['an unknown theme', { theme: 'neon' }, 'theme', ''],
    ['an unknown room', { views: [{ view: 'overview', params: {} }, { view: 'room', params: { roomId: 'm9' } }] }, 'views.1.params.roomId', 'names room "m9", which does not exist'],
  ])('refuses %s naming the field, and stores nothing', async (_label, over, field, message) => {
    const { store, api } = setup();
    const err = await api.call(admin, 'wall.setPlaylist', { ...noc, ...over } as never).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION', params: { field } });
    expect((err as Error).message).toContain(`"${field}"`);
    expect((err as Error).message).toContain(message);
    expect(store.wall.playlists()).toEqual([]);
  });

  it('refuses a viewer or an operator setting or deleting a playlist (audited), and deletes for an admin', async () => {
    const { store, api, events } = setup();
    await expect(api.call(viewer, 'wall.setPlaylist', noc)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.call(operator, 'wall.setPlaylist', noc)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await api.call(admin, 'wall.setPlaylist', noc);
    await expect(api.call(operator, 'wall.deletePlaylist', { id: 'noc' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.audit.list(20).filter((e) => e.outcome === 'refused').map((e) => `${e.actor} ${e.action}`).sort()).toEqual(['ana wall.deletePlaylist', 'ana wall.setPlaylist', 'wall-1 wall.setPlaylist']);
    expect(await api.call(admin, 'wall.deletePlaylist', { id: 'noc' })).toEqual({ deleted: true, revokedTokens: 0 });
    expect(await api.call(admin, 'wall.deletePlaylist', { id: 'noc' })).toEqual({ deleted: false, revokedTokens: 0 });
    expect(await api.call(viewer, 'wall.playlists', undefined)).toEqual([]);
    expect(events.map((e) => (e.payload as ApiEvents['onDidChangePlaylists']).deleted)).toEqual([false, true]);
  });
});

describe('kiosk tokens', () => {
  it('issues a viewer-only token once, in its URL, and stores only its hash', async () => {
    const { store, session, api } = setup();
    await api.call(admin, 'wall.setPlaylist', noc);
    await expect(api.call(admin, 'wall.issueKioskToken', { playlistId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const issued = await api.call(admin, 'wall.issueKioskToken', { playlistId: 'noc', label: 'left screen', baseUrl: 'https://noc.example:8443/console/?x=1#old' });
    expect(issued.path).toBe(`#/wall/noc?kiosk=${issued.token}`);
    expect(issued.url).toBe(`https://noc.example:8443/console/#/wall/noc?kiosk=${issued.token}`);
    expect((await api.call(admin, 'wall.issueKioskToken', { playlistId: 'noc' })).url).toBeNull();

    // Only the hash is stored; the token is in no table and no audit row.
    const rows = store.db.prepare('SELECT * FROM kiosk_tokens').all();
    expect(JSON.stringify(rows)).not.toContain(issued.token);
    expect(JSON.stringify(rows)).toContain(hashToken(issued.token));
    expect(JSON.stringify(store.audit.list(50))).not.toContain(issued.token);
    expect(await api.call(admin, 'wall.kioskTokens', undefined)).toContainEqual({
      id: issued.id, playlistId: 'noc', label: 'left screen', createdAt: expect.any(Number), createdBy: 'root', lastUsedAt: null, revokedAt: null, revokedBy: null,
    });
    await expect(api.call(viewer, 'wall.kioskTokens', undefined)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // The token signs in as a viewer: it reads the wall, and is refused anything an operator or admin may do.
    const kiosk = session.auth.authenticate(issued.token, 'ws test')!;
    expect(kiosk).toEqual({ actor: `kiosk:${issued.id}`, role: 'viewer' });
    expect(await api.call(kiosk, 'wall.playlist', { id: 'noc' })).toMatchObject({ id: 'noc' });
    expect(await api.call(kiosk, 'session.whoami', undefined)).toEqual({ actor: `kiosk:${issued.id}`, role: 'viewer' });
    await expect(api.call(kiosk, 'alarms.acknowledge', { alarmId: 'down|a1', comment: 'from the wall' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.call(kiosk, 'wall.setPlaylist', noc)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.call(kiosk, 'wall.revokeKioskToken', { id: issued.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.wall.kioskToken(issued.id)?.lastUsedAt).not.toBeNull();
  });

  it('refuses a revoked token (audited) and tells the transports whose sessions end', async () => {
    const { store, session, api } = setup();
    await api.call(admin, 'wall.setPlaylist', noc);
    const a = await api.call(admin, 'wall.issueKioskToken', { playlistId: 'noc' });
    const b = await api.call(admin, 'wall.issueKioskToken', { playlistId: 'noc' });
    const ended: string[] = [];
    session.auth.onDidRevoke!((actor) => ended.push(actor));

    expect(await api.call(admin, 'wall.revokeKioskToken', { id: a.id })).toEqual({ revoked: true });
    expect(await api.call(admin, 'wall.revokeKioskToken', { id: a.id })).toEqual({ revoked: false });
    await expect(api.call(admin, 'wall.revokeKioskToken', { id: 'kiosk-nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(ended).toEqual([`kiosk:${a.id}`]);
    expect(session.auth.authenticate(a.token, 'ws 10.0.0.9:5000')).toBeNull();
    expect(store.audit.list(10).find((e) => e.action === 'session.auth')).toMatchObject({ actor: 'ws 10.0.0.9:5000', outcome: 'refused' });
    expect(store.wall.kioskToken(a.id)).toMatchObject({ revokedBy: 'root', revokedAt: expect.any(Number) });
    expect(session.auth.authenticate(b.token)).toMatchObject({ role: 'viewer' });

    // Deleting the playlist revokes its remaining tokens.
    expect(await api.call(admin, 'wall.deletePlaylist', { id: 'noc' })).toEqual({ deleted: true, revokedTokens: 1 });
    expect(ended).toEqual([`kiosk:${a.id}`, `kiosk:${b.id}`]);
    expect(session.auth.authenticate(b.token)).toBeNull();
    // A role token is not a kiosk token, nor the other way round.
    const [viewerToken] = store.tokens.rotate(['viewer']);
    expect(session.auth.authenticate(viewerToken.token)).toEqual({ actor: 'viewer', role: 'viewer' });
  });
});

describe('the heartbeat', () => {
  it('carries the core clock and when the poller last completed a poll (timer off: interval 0)', () => {
    let polls = 0;
    const { wall, events, advance, now } = setup({ polls: () => polls });
    expect(wall.beat()).toEqual({ at: now(), lastPollAt: null, intervalMs: 0 });
    advance(2000);
    polls = 3;
    const polledAt = now();
    expect(wall.beat().lastPollAt).toBe(polledAt);
    advance(2000);
    expect(wall.beat()).toEqual({ at: now(), lastPollAt: polledAt, intervalMs: 0 });
    expect(events.filter((e) => e.event === 'onHeartbeat')).toHaveLength(3);
  });

  it('keeps beating when the poll counter throws', () => {
    const { wall } = setup({ polls: () => { throw new Error('not started'); } });
    expect(wall.beat().lastPollAt).toBeNull();
  });
});
