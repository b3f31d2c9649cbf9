// Wall mode (#/wall/<playlistId>): full screen, dark, large type, no console chrome. A kiosk URL
// (?kiosk=<token>) signs in with its token the way the login does (remembered on this screen),
// and the URL is replaced at once so the token is not shown. The playlist's views rotate by their
// dwell or the playlist's interval (paced by ?speed= or ?intervalMs=, see stores/wall-params.ts),
// with the alarm ticker and the stale banner on top; the playlist is read again when it changes
// and after a reconnect; the watchdog reloads a stalled or bloated page, which resumes in place.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { signIn } from '../../stores/session/actions';
import { selectAuthError, selectPhase, selectTransport } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { dwellMs, parseWallHash, withoutKiosk, type WallParams } from '../../stores/wall-params';
import {
  advanceWall, checkStale, followWall, failWallView, loadWallPlaylist, openWall,
  selectWallDeleted, selectWallError, selectWallIndex, selectWallPlaylist, selectWallSteps, useWallStore,
} from '../../stores/wall-store';
import { LoginView } from '../session/login-view';
import { startWatchdog } from './watchdog';
import { StaleBanner, WallTicker } from './wall-ticker';
import { WallStages } from './wall-stages';
import './wall.css';

const subscribeHash = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};
const hashNow = () => location.hash;

/** The open wall's playlist id, or null when the route is not a wall (follows the hash). */
export function useWallHash(): string | null {
  const hash = useSyncExternalStore(subscribeHash, hashNow);
  return useMemo(() => parseWallHash(hash)?.playlistId ?? null, [hash]);
}

/** Signs in with the kiosk URL's token once, and drops it from the address bar. */
function takeKioskToken(): void {
  const params = parseWallHash(location.hash);
  if (!params?.kiosk) return;
  history.replaceState(history.state, '', `${location.pathname}${location.search}${withoutKiosk(location.hash)}`);
  void signIn(params.kiosk, { remembered: true });
}

export function WallScreen({ playlistId }: { playlistId: string }) {
  const phase = useAppStore(selectPhase);
  const transport = useAppStore(selectTransport);
  const authError = useAppStore(selectAuthError);
  // Read before the token is dropped from the URL; the pace parameters stay in it.
  const [params] = useState<WallParams | null>(() => parseWallHash(location.hash));
  const [kiosk] = useState(() => Boolean(params?.kiosk));
  useEffect(takeKioskToken, []);
  useEffect(() => openWall(playlistId), [playlistId]);
  const signedIn = phase === 'ready' || phase === 'reconnecting';
  const waiting = phase === 'starting' || phase === 'signing-in' || (kiosk && phase === 'signed-out' && !authError);
  return (
    <div className="wall-screen" data-testid="wall" data-playlist-id={playlistId}>
      {signedIn ? (
        <WallRunning params={params} />
      ) : transport === 'ws' && !waiting ? (
        <LoginView />
      ) : (
        <p className="wall-message">…</p>
      )}
    </div>
  );
}

function WallRunning({ params }: { params: WallParams | null }) {
  const { t } = useI18n();
  const phase = useAppStore(selectPhase);
  const actor = useAppStore((s) => s.session.actor);
  const playlist = useWallStore(selectWallPlaylist);
  const error = useWallStore(selectWallError);
  const deleted = useWallStore(selectWallDeleted);
  const index = useWallStore(selectWallIndex);
  const steps = useWallStore(selectWallSteps);
  const ready = phase === 'ready';
  // The playlist and the live feeds, again after each (re)connection.
  useEffect(() => {
    if (!ready) return;
    const live = followWall();
    return () => live.dispose();
  }, [ready, actor]);
  useEffect(() => {
    const timer = setInterval(() => checkStale(), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => startWatchdog({ stallMs: params?.stallMs ?? 30_000, heapBytes: params?.heapBytes ?? null }), [params]);
  const view = playlist?.views[index] ?? null;
  const pace = params ?? { speed: 1, intervalMs: null };
  const ms = view && playlist ? dwellMs(pace, view, playlist.intervalS) : null;
  useEffect(() => {
    if (ms === null) return;
    const timer = setTimeout(advanceWall, ms);
    return () => clearTimeout(timer);
  }, [ms, index, steps]);
  const onFail = useMemo(() => () => failWallView(index), [index]);
  const theme = playlist?.theme ?? 'dark';
  return (
    <div className={`wall-body wall-theme-${theme}`} data-testid="wall-body" data-index={index} data-steps={steps} data-view={view?.view ?? ''}>
      <WallTicker />
      <StaleBanner />
      {deleted ? (
        <p className="wall-message" data-testid="wall-deleted">{t('wall.deleted')}</p>
      ) : error && !playlist ? (
        <ErrorBanner error={error} action="wall.action.playlist" onRetry={() => void loadWallPlaylist()} />
      ) : !view ? (
        <p className="wall-message">{t('wall.loading')}</p>
      ) : (
        <WallStages views={playlist?.views ?? []} index={index} steps={steps} onFail={onFail} generation={playlist?.updatedAt ?? 0} />
      )}
    </div>
  );
}
