// The wall-config view's state and actions (#/wall-config, views/wall-config), in a store of its own (the view is its
// only reader): the stored playlists (read again on onDidChangePlaylists while the view is open),
// the kiosk tokens (issued and revoked), the playlist being edited with the core's refusal, the
// delete awaiting its confirmation and its outcome, and the kiosk URL just issued (shown once:
// kept here only until dismissed or the view closes). The core checks every role.
import { create } from 'zustand';
import type { Disposable } from '../../src-shared/api';
import type { IssuedKioskToken, KioskToken, WallPlaylist } from '../../src-shared/domain/wall';
import { getClient, hasClient } from './client';
import { toShownError, type ShownError } from './shown-error';
import { formOf, playlistArgs, type PlaylistForm } from './wall-config-form';

export interface WallConfigState {
  playlists: WallPlaylist[] | null;
  playlistsError: ShownError | null;
  tokens: KioskToken[] | null;
  tokensError: ShownError | null;
  /** The form open (new or edit); null: closed. */
  form: PlaylistForm | null;
  saving: boolean;
  saveError: ShownError | null;
  /** The playlist whose delete awaits a confirmation. */
  confirmDelete: string | null;
  /** The last delete's outcome. */
  deleted: { id: string; revokedTokens: number } | null;
  /** The token just issued: its URL is shown once. */
  issued: IssuedKioskToken | null;
  /** A token action's error (issue, revoke, delete), by playlist. */
  actionError: { playlistId: string; error: ShownError } | null;
  busy: boolean;
}

const initial: WallConfigState = {
  playlists: null,
  playlistsError: null,
  tokens: null,
  tokensError: null,
  form: null,
  saving: false,
  saveError: null,
  confirmDelete: null,
  deleted: null,
  issued: null,
  actionError: null,
  busy: false,
};

export const useWallConfigStore = create<WallConfigState>()(() => initial);
const st = () => useWallConfigStore.getState();
const set = (p: Partial<WallConfigState> | ((s: WallConfigState) => Partial<WallConfigState>)) => useWallConfigStore.setState(p);

/** Reads one part from the core into the store: its value, or its error (the value kept). */
async function loadPart<T>(read: () => Promise<T>, ok: (v: T) => Partial<WallConfigState>, failed: (e: ShownError) => Partial<WallConfigState>): Promise<void> {
  try {
    set(ok(await read()));
  } catch (err) {
    set(failed(toShownError(err)));
  }
}

export const loadPlaylists = (): Promise<void> =>
  loadPart(() => getClient().call('wall.playlists', undefined), (playlists) => ({ playlists, playlistsError: null }), (playlistsError) => ({ playlistsError }));

export const loadTokens = (): Promise<void> =>
  loadPart(() => getClient().call('wall.kioskTokens', undefined), (tokens) => ({ tokens, tokensError: null }), (tokensError) => ({ tokensError }));

/** The view opened (or the connection came back): playlists and tokens. */
export function loadWallConfig(): void {
  void loadPlaylists();
  void loadTokens();
}

/** Follows onDidChangePlaylists while the view is open (a delete revokes tokens: those too). */
export function attachWallConfigLive(): Disposable {
  if (!hasClient()) return { dispose: () => undefined };
  return getClient().on('onDidChangePlaylists', (c) => {
    void loadPlaylists();
    if (c.deleted) void loadTokens();
  });
}

/** Leaving the view: the issued URL is not kept. */
export function closeWallConfig(): void {
  set({ issued: null, confirmDelete: null, deleted: null, actionError: null });
}

export function openPlaylistForm(p: WallPlaylist | null): void {
  set({ form: formOf(p), saveError: null, deleted: null });
}

export function closePlaylistForm(): void {
  set({ form: null, saveError: null });
}

/** Edits the open form; the core's refusal stays shown until the next save. */
export function editPlaylistForm(change: (f: PlaylistForm) => PlaylistForm): void {
  set((s) => (s.form ? { form: change(s.form) } : {}));
}

/** Saves the form; refused: the form stays as typed with the core's error beside it. */
export async function savePlaylistForm(): Promise<void> {
  const form = st().form;
  if (!form || st().saving) return;
  set({ saving: true, saveError: null });
  try {
    const saved = await getClient().call('wall.setPlaylist', playlistArgs(form));
    set((s) => ({ saving: false, form: null, playlists: upsert(s.playlists, saved) }));
  } catch (err) {
    set({ saving: false, saveError: toShownError(err) });
  }
}

function upsert(list: WallPlaylist[] | null, p: WallPlaylist): WallPlaylist[] {
  return [...(list ?? []).filter((x) => x.id !== p.id), p].sort((a, b) => a.name.localeCompare(b.name));
}

export function askDelete(id: string | null): void {
  set({ confirmDelete: id, deleted: null });
}

/** Runs one token or delete action for a playlist: busy while it runs, its error kept by playlist. */
async function act(playlistId: string, run: () => Promise<void>): Promise<void> {
  set({ busy: true, actionError: null });
  try {
    await run();
  } catch (err) {
    set({ actionError: { playlistId, error: toShownError(err) } });
  } finally {
    set({ busy: false });
  }
}

export function deletePlaylist(id: string): Promise<void> {
  return act(id, async () => {
    const r = await getClient().call('wall.deletePlaylist', { id });
    set((s) => ({
      confirmDelete: null,
      deleted: { id, revokedTokens: r.revokedTokens },
      playlists: (s.playlists ?? []).filter((p) => p.id !== id),
      form: s.form?.id === id ? null : s.form,
      issued: s.issued?.playlistId === id ? null : s.issued,
    }));
    await loadTokens();
  });
}

/** The console's own address in serve mode (the kiosk URL's base); the desktop shell has none. */
export function kioskBaseUrl(serve: boolean): string | undefined {
  return serve ? `${window.location.origin}${window.location.pathname}` : undefined;
}

export function issueToken(playlistId: string, label: string, baseUrl: string | undefined): Promise<void> {
  return act(playlistId, async () => {
    const issued = await getClient().call('wall.issueKioskToken', { playlistId, ...(label.trim() ? { label: label.trim() } : {}), ...(baseUrl ? { baseUrl } : {}) });
    set({ issued });
    await loadTokens();
  });
}

export function dismissIssued(): void {
  set({ issued: null });
}

export function revokeToken(playlistId: string, id: string): Promise<void> {
  return act(playlistId, async () => {
    await getClient().call('wall.revokeKioskToken', { id });
    set((s) => ({ issued: s.issued?.id === id ? null : s.issued }));
    await loadTokens();
  });
}
