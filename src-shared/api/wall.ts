// Wall mode: the stored playlists (viewers read them; an admin sets and deletes them, audited),
// the kiosk tokens that open one playlist on a screen as a viewer with no login (an admin
// issues one, shown once in its URL, lists and revokes them; only hashes are stored), and two
// streams: onDidChangePlaylists (refetch wall.playlists) and onHeartbeat (every 2 s, so a wall
// can show "data stale since" when the stream or the poller stops). src-main/core/wall serves it.
import { z } from 'zod';
import { event, method, noArgs, result, text } from './contract';
import {
  wallPlaylistSchema,
  type IssuedKioskToken, type KioskToken, type WallHeartbeat, type WallPlaylist,
} from '../domain/wall';

const id = text(200);

/** What onDidChangePlaylists carries: when, and which playlist was set or deleted. */
export interface PlaylistsChange {
  readonly at: number;
  readonly id: string;
  readonly deleted: boolean;
}

export const wallMethods = {
  /** Every stored playlist, by name. */
  'wall.playlists': method({ role: 'viewer', args: noArgs, result: result<WallPlaylist[]>(), example: undefined }),
  /** One playlist (NOT_FOUND when it does not exist): what a kiosk screen loads. */
  'wall.playlist': method({ role: 'viewer', args: z.strictObject({ id }), result: result<WallPlaylist>(), example: { id: 'noc' } }),
  /** Adds or replaces a playlist; empty views, an unknown view or an interval outside 5 s..1 h are refused (VALIDATION naming the field). */
  'wall.setPlaylist': method({
    role: 'admin',
    args: wallPlaylistSchema,
    result: result<WallPlaylist>(),
    audit: (p) => `${p.id} (${p.name}): ${p.views.map((v) => v.view).join(', ')} every ${p.intervalS} s`.slice(0, 2000),
    example: { id: 'noc', name: 'NOC wall', views: [{ view: 'overview', params: {} }, { view: 'room', params: { roomId: 'room-1' }, dwellS: 60 }], intervalS: 30 },
  }),
  /** Deletes a playlist and revokes its kiosk tokens. */
  'wall.deletePlaylist': method({
    role: 'admin',
    args: z.strictObject({ id }),
    result: result<{ deleted: boolean; revokedTokens: number }>(),
    audit: (a) => a.id,
    example: { id: 'noc' },
  }),
  /**
   * Issues a kiosk token for a playlist: a long-lived viewer-only credential. The result holds
   * the token and its URL once (`<baseUrl>/#/wall/<playlistId>?kiosk=<token>`); baseUrl defaults
   * to serve mode's own address. The audit names the token's id, never the token.
   */
  'wall.issueKioskToken': method({
    role: 'admin',
    args: z.strictObject({
      playlistId: id,
      /** Which screen it is for (kept with the token's listing). */
      label: text(200).optional(),
      baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000).optional(),
    }),
    result: result<IssuedKioskToken>(),
    audit: (a) => `${a.playlistId}${a.label ? ` (${a.label})` : ''}`,
    example: { playlistId: 'noc', label: 'NOC wall left' },
  }),
  /** The kiosk tokens, issued and revoked, without the tokens. */
  'wall.kioskTokens': method({ role: 'admin', args: noArgs, result: result<KioskToken[]>(), example: undefined }),
  /** Revokes a kiosk token: it is refused from now on and the screens signed in with it are disconnected. */
  'wall.revokeKioskToken': method({
    role: 'admin',
    args: z.strictObject({ id }),
    result: result<{ revoked: boolean }>(),
    audit: (a) => a.id,
    example: { id: 'kiosk-1' },
  }),
};

export const wallEvents = {
  /** A playlist was set or deleted: refetch wall.playlists (a kiosk: its playlist). */
  onDidChangePlaylists: event({ role: 'viewer', payload: result<PlaylistsChange>() }),
  /** Every 2 s: the core's time and the newest poll. No beat for a few intervals: the stream stopped. */
  onHeartbeat: event({ role: 'viewer', payload: result<WallHeartbeat>() }),
};
