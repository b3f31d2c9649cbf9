// The wall capability: serves wall.* (src-shared/api/wall.ts) over the store's playlists and
// kiosk tokens (wall-repository.ts). Setting a playlist checks that its rooms exist; issuing a
// kiosk token returns it once with its URL (<base>/#/wall/<playlist>?kiosk=<token>) and keeps only
// its hash; revoking one (or deleting its playlist) disconnects its screens through kiosk-auth.ts.
// It also beats onHeartbeat every heartbeatMs with the core's clock and the newest poll, so a wall
// can tell a stopped stream (no beats) from a stopped poller (lastPollAt falling behind).
import type { Capability, PlaylistsChange } from '../../../src-shared/api';
import type { WallHeartbeat } from '../../../src-shared/domain/wall';
import { NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { EventHub } from '../events/event-hub';
import { newToken } from '../security/tokens';
import type { CoreStore } from '../store/core-store';
import { createKioskAuth, newKioskId, type KioskAuth } from './kiosk-auth';

export type WallMethod =
  | 'wall.playlists' | 'wall.playlist' | 'wall.setPlaylist' | 'wall.deletePlaylist'
  | 'wall.issueKioskToken' | 'wall.kioskTokens' | 'wall.revokeKioskToken';

export const DEFAULT_HEARTBEAT_MS = 2000;

export interface WallCapability extends Capability<WallMethod> {
  /** What serve mode's sign-in asks about kiosk tokens. */
  readonly kiosk: KioskAuth;
  /** One beat now (the timer's step; tests call it with the timer off). */
  beat(): WallHeartbeat;
}

export interface WallDeps {
  store: Pick<CoreStore, 'wall' | 'inventory'>;
  hub: EventHub;
  /** Polls the poller has completed so far (a counter): a change between beats is a poll's answer. */
  polls?: () => number;
  /** The console's address for kiosk URLs (serve mode's own or its --public-url); a function is asked at each issue. */
  baseUrl?: string | null | (() => string | null);
  /** The heartbeat period (default 2 s); 0 or less: no timer (beat() only). */
  heartbeatMs?: number;
  clock?: () => number;
}

/** `#/wall/<playlistId>?kiosk=<token>`: the fragment never reaches a server's request log. */
export function kioskPath(playlistId: string, token: string): string {
  return `#/wall/${encodeURIComponent(playlistId)}?kiosk=${encodeURIComponent(token)}`;
}

function joinUrl(base: string, path: string): string {
  const u = new URL(base);
  u.hash = '';
  u.search = '';
  return `${u.toString().replace(/\/?$/, '/')}${path}`;
}

export function startWall(d: WallDeps): WallCapability {
  const now = d.clock ?? Date.now;
  const repo = d.store.wall;
  const kiosk = createKioskAuth(repo, now);
  const intervalMs = d.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const baseOf = (): string | null => (typeof d.baseUrl === 'function' ? d.baseUrl() : (d.baseUrl ?? null));
  const changed = (c: Omit<PlaylistsChange, 'at'>): void => d.hub.emit('onDidChangePlaylists', { at: now(), ...c });

  let polls = 0;
  let lastPollAt: number | null = null;
  const beat = (): WallHeartbeat => {
    const at = now();
    let n = polls;
    try {
      n = d.polls?.() ?? 0;
    } catch {
      // a broken poll counter leaves lastPollAt where it was: the wall shows the data as stale
    }
    if (n > polls) lastPollAt = at;
    polls = n;
    const hb: WallHeartbeat = { at, lastPollAt, intervalMs };
    d.hub.emit('onHeartbeat', hb);
    return hb;
  };
  const timer = intervalMs > 0 ? setInterval(beat, intervalMs) : null;
  timer?.unref();

  return {
    kiosk,
    beat,
    api: {
      'wall.playlists': () => repo.playlists(),
      'wall.playlist': ({ id }) => repo.playlist(id) ?? (() => { throw new NotFoundError('playlist', id); })(),
      'wall.setPlaylist': (p, ctx) => {
        const rooms = new Set(d.store.inventory.rooms().map((r) => r.id));
        p.views.forEach((v, i) => {
          if (v.view === 'room' && !rooms.has(v.params.roomId)) {
            const field = `views.${i}.params.roomId`;
            throw new ValidationError(`wall.setPlaylist: "${field}" names room "${v.params.roomId}", which does not exist`, { method: 'wall.setPlaylist', field, problem: 'no such room' });
          }
        });
        const stored = repo.putPlaylist(p, ctx.actor, now());
        changed({ id: p.id, deleted: false });
        return stored;
      },
      'wall.deletePlaylist': ({ id }, ctx) => {
        const { deleted, revoked } = repo.deletePlaylist(id, ctx.actor, now());
        kiosk.revoked(revoked);
        if (deleted) changed({ id, deleted: true });
        return { deleted, revokedTokens: revoked.length };
      },
      'wall.issueKioskToken': ({ playlistId, label, baseUrl }, ctx) => {
        if (!repo.playlist(playlistId)) throw new NotFoundError('playlist', playlistId);
        const id = newKioskId();
        const token = newToken();
        repo.addKioskToken({ id, token, playlistId, label: label ?? '' }, ctx.actor, now());
        const path = kioskPath(playlistId, token);
        const base = baseUrl ?? baseOf();
        return { id, playlistId, token, path, url: base ? joinUrl(base, path) : null };
      },
      'wall.kioskTokens': () => repo.kioskTokens(),
      'wall.revokeKioskToken': ({ id }, ctx) => {
        if (!repo.kioskToken(id)) throw new NotFoundError('kiosk token', id);
        const revoked = repo.revokeKioskToken(id, ctx.actor, now());
        if (revoked) kiosk.revoked([id]);
        return { revoked };
      },
    },
    dispose: async () => {
      if (timer) clearInterval(timer);
    },
  };
}
