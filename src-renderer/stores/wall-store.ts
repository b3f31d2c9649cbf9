// The wall screen's own store (apart from the console's app store): the playlist it shows, the
// position in it (kept in sessionStorage so a reload by the watchdog resumes there), the views
// that failed to render (skipped until the next pass), and the heartbeat that tells whether live
// data still arrives: stale after 3 beats' worth of silence (the stream stopped: since the last
// beat), or when the beats say the poller has completed no poll for POLL_STALE_MS (the poller
// stopped: since its last poll; a core that has polled nothing yet is not judged). The actions follow the core:
// wall.playlist, onDidChangePlaylists for this playlist, onHeartbeat.
import { create } from 'zustand';
import type { CoreClient, Disposable } from '../../src-shared/api';
import type { WallHeartbeat, WallPlaylist } from '../../src-shared/domain/wall';
import { getClient, hasClient } from './client';
import { toShownError, type ShownError } from './shown-error';

const POSITION_KEY = 'fleetdeck.wall.position';
/** No beat for this many intervals: the data is stale. */
export const STALE_BEATS = 3;
const DEFAULT_BEAT_MS = 2000;
/** No poll completed for this long (4 of the poller's default 30 s rounds): the data is stale. */
export const POLL_STALE_MS = 120_000;

export interface WallState {
  playlistId: string | null;
  playlist: WallPlaylist | null;
  error: ShownError | null;
  /** The playlist was deleted while shown. */
  deleted: boolean;
  index: number;
  /** Views advanced so far on this page (a single-view playlist still counts). */
  steps: number;
  /** Indexes that failed to render this pass. */
  failed: readonly number[];
  /** The last beat: when it arrived (this screen's clock) and what it said. */
  beat: { receivedAt: number; at: number; intervalMs: number; lastPollAt: number | null };
  /** Since when (the last beat's time, or the last poll's) live data stopped; null: live. */
  staleSince: number | null;
}

const initial: WallState = {
  playlistId: null,
  playlist: null,
  error: null,
  deleted: false,
  index: 0,
  steps: 0,
  failed: [],
  beat: { receivedAt: Date.now(), at: Date.now(), intervalMs: DEFAULT_BEAT_MS, lastPollAt: null },
  staleSince: null,
};

export const useWallStore = create<WallState>()(() => initial);
const get = () => useWallStore.getState();
const set = (p: Partial<WallState> | ((s: WallState) => Partial<WallState>)) => useWallStore.setState(p);

export const selectWallPlaylist = (s: WallState) => s.playlist;
export const selectWallError = (s: WallState) => s.error;
export const selectWallDeleted = (s: WallState) => s.deleted;
export const selectWallIndex = (s: WallState) => s.index;
export const selectWallSteps = (s: WallState) => s.steps;
export const selectWallStaleSince = (s: WallState) => s.staleSince;

function savedPosition(playlistId: string): number | null {
  try {
    const raw = sessionStorage.getItem(POSITION_KEY);
    const p = raw ? (JSON.parse(raw) as { playlistId?: unknown; index?: unknown }) : null;
    return p && p.playlistId === playlistId && typeof p.index === 'number' ? p.index : null;
  } catch {
    return null;
  }
}

function savePosition(playlistId: string, index: number): void {
  try {
    sessionStorage.setItem(POSITION_KEY, JSON.stringify({ playlistId, index }));
  } catch {
    // no storage: a reload starts from the first view
  }
}

/** Opens a playlist: resumes at the saved position when it is this playlist's. */
export function openWall(playlistId: string): void {
  if (get().playlistId === playlistId) return;
  const now = Date.now();
  set({ ...initial, playlistId, index: savedPosition(playlistId) ?? 0, beat: { receivedAt: now, at: now, intervalMs: DEFAULT_BEAT_MS, lastPollAt: null } });
}

let loadSeq = 0;

export async function loadWallPlaylist(): Promise<void> {
  const id = get().playlistId;
  if (!id || !hasClient()) return;
  const mine = ++loadSeq;
  try {
    const playlist = await getClient().call('wall.playlist', { id });
    if (mine !== loadSeq || get().playlistId !== id) return;
    set((s) => {
      const index = s.index < playlist.views.length ? s.index : 0;
      savePosition(id, index);
      return { playlist, error: null, deleted: false, failed: [], index };
    });
  } catch (err) {
    if (mine !== loadSeq || get().playlistId !== id) return;
    const shown = toShownError(err);
    set({ error: shown, deleted: shown.code === 'NOT_FOUND', playlist: shown.code === 'NOT_FOUND' ? null : get().playlist });
  }
}

/** The next view that has not failed this pass (a wrap past the end starts a new pass). */
export function advanceWall(): void {
  const { playlist, playlistId, index } = get();
  if (!playlist || !playlistId) return;
  const n = playlist.views.length;
  let failed = get().failed;
  let next = index;
  for (let step = 1; step <= n; step++) {
    const i = (index + step) % n;
    if (i <= index) failed = []; // wrapped: a new pass retries every view
    if (!failed.includes(i)) {
      next = i;
      break;
    }
  }
  savePosition(playlistId, next);
  set((s) => ({ index: next, failed, steps: s.steps + 1 }));
}

/** The view at index could not be shown (a deleted room, a render error): skip it. */
export function failWallView(index: number): void {
  const { failed, playlist } = get();
  if (!playlist || failed.includes(index)) return;
  set({ failed: [...failed, index] });
  if (get().index === index && failed.length + 1 < playlist.views.length) advanceWall();
}

export function receiveHeartbeat(beat: WallHeartbeat, now = Date.now()): void {
  set({ beat: { receivedAt: now, at: beat.at, intervalMs: beat.intervalMs > 0 ? beat.intervalMs : DEFAULT_BEAT_MS, lastPollAt: beat.lastPollAt ?? null } });
  checkStale(now);
}

/** Called every second (and at each beat): stale once no beat came for STALE_BEATS intervals, or no poll for POLL_STALE_MS. */
export function checkStale(now = Date.now()): void {
  const { beat, staleSince } = get();
  const streamStopped = now - beat.receivedAt > STALE_BEATS * beat.intervalMs;
  const pollerStopped = beat.lastPollAt !== null && beat.at - beat.lastPollAt > POLL_STALE_MS;
  const since = pollerStopped ? beat.lastPollAt : streamStopped ? beat.at : null;
  if (since !== staleSince) set({ staleSince: since });
}

/** Follows the core for the open playlist: its changes and the heartbeat. */
export function attachWallLive(client: CoreClient): Disposable {
  const subs = [
    client.on('onDidChangePlaylists', (c) => {
      if (c.id !== get().playlistId) return;
      if (c.deleted) set({ deleted: true, playlist: null });
      else void loadWallPlaylist();
    }),
    client.on('onHeartbeat', (b) => receiveHeartbeat(b)),
  ];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}

/** Signed in: follow the core with the session's client and read the playlist (again after a reconnect). */
export function followWall(): Disposable {
  if (!hasClient()) return { dispose: () => undefined };
  const live = attachWallLive(getClient());
  void loadWallPlaylist();
  return live;
}
