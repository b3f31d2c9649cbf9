// Wall mode's store (migration 16): the playlists (views as JSON, read back through the domain's
// zod schema so a stored playlist is always a valid one) and the kiosk tokens, stored as their
// SHA-256 only. A kiosk token verifies to its row while not revoked; the core makes its caller
// a viewer (the table has no role to raise it).
import { wallPlaylistSchema, type KioskToken, type WallPlaylist } from '../../../src-shared/domain/wall';
import { hashToken } from '../security/tokens';
import type { Db } from './database';

interface PlaylistRow { id: string; name: string; body: string; updated_at: number; updated_by: string }
interface KioskRow {
  id: string; hash: string; playlist_id: string; label: string; created_at: number; created_by: string;
  last_used_at: number | null; revoked_at: number | null; revoked_by: string | null;
}

const toPlaylist = (r: PlaylistRow): WallPlaylist => ({ ...wallPlaylistSchema.parse(JSON.parse(r.body)), updatedAt: r.updated_at, updatedBy: r.updated_by });

const toKiosk = (r: KioskRow): KioskToken => ({
  id: r.id, playlistId: r.playlist_id, label: r.label, createdAt: r.created_at, createdBy: r.created_by,
  lastUsedAt: r.last_used_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
});

export class WallRepository {
  readonly #db: Db;
  readonly #q;

  constructor(db: Db) {
    this.#db = db;
    this.#q = {
      put: db.prepare('INSERT OR REPLACE INTO wall_playlists (id, name, body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare<[string], PlaylistRow>('SELECT * FROM wall_playlists WHERE id = ?'),
      all: db.prepare<[], PlaylistRow>('SELECT * FROM wall_playlists ORDER BY name, id'),
      delete: db.prepare<[string]>('DELETE FROM wall_playlists WHERE id = ?'),
      addKiosk: db.prepare('INSERT INTO kiosk_tokens (id, hash, playlist_id, label, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)'),
      kiosk: db.prepare<[string], KioskRow>('SELECT * FROM kiosk_tokens WHERE id = ?'),
      kioskByHash: db.prepare<[string], KioskRow>('SELECT * FROM kiosk_tokens WHERE hash = ? AND revoked_at IS NULL'),
      kiosks: db.prepare<[], KioskRow>('SELECT * FROM kiosk_tokens ORDER BY created_at DESC, id'),
      used: db.prepare<[number, string]>('UPDATE kiosk_tokens SET last_used_at = ? WHERE id = ?'),
      revoke: db.prepare<[number, string, string]>('UPDATE kiosk_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL'),
      revokeFor: db.prepare<[string], { id: string }>('SELECT id FROM kiosk_tokens WHERE playlist_id = ? AND revoked_at IS NULL'),
    };
  }

  /** Stores a playlist (parsed again: what is stored always reads back). */
  putPlaylist(input: unknown, by: string, now = Date.now()): WallPlaylist {
    const p = wallPlaylistSchema.parse(input);
    this.#q.put.run(p.id, p.name, JSON.stringify(p), now, by);
    return { ...p, updatedAt: now, updatedBy: by };
  }

  playlist(id: string): WallPlaylist | null {
    const r = this.#q.get.get(id);
    return r ? toPlaylist(r) : null;
  }

  playlists(): WallPlaylist[] {
    return this.#q.all.all().map(toPlaylist);
  }

  /** Deletes a playlist and revokes its kiosk tokens in one transaction; returns the revoked tokens' ids. */
  deletePlaylist(id: string, by: string, now = Date.now()): { deleted: boolean; revoked: string[] } {
    return this.#db.transaction(() => {
      const revoked = this.#q.revokeFor.all(id).map((r) => r.id);
      for (const k of revoked) this.#q.revoke.run(now, by, k);
      return { deleted: this.#q.delete.run(id).changes > 0, revoked };
    })();
  }

  /** Stores a kiosk token's hash (the token itself is never stored). */
  addKioskToken(t: { id: string; token: string; playlistId: string; label: string }, by: string, now = Date.now()): KioskToken {
    this.#q.addKiosk.run(t.id, hashToken(t.token), t.playlistId, t.label, now, by);
    return toKiosk(this.#q.kiosk.get(t.id)!);
  }

  kioskToken(id: string): KioskToken | null {
    const r = this.#q.kiosk.get(id);
    return r ? toKiosk(r) : null;
  }

  kioskTokens(): KioskToken[] {
    return this.#q.kiosks.all().map(toKiosk);
  }

  /** The live (not revoked) kiosk token behind a plaintext token, its use recorded; null otherwise. */
  verifyKiosk(token: string, now = Date.now()): KioskToken | null {
    if (typeof token !== 'string' || token.length < 16 || token.length > 256) return null;
    const r = this.#q.kioskByHash.get(hashToken(token));
    if (!r) return null;
    this.#q.used.run(now, r.id);
    return toKiosk({ ...r, last_used_at: now });
  }

  /** Revokes a token; false when it does not exist or was revoked already. */
  revokeKioskToken(id: string, by: string, now = Date.now()): boolean {
    return this.#q.revoke.run(now, by, id).changes > 0;
  }
}
