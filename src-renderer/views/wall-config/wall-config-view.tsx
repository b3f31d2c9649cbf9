// The wall-config view (#/wall-config, admins): the stored wall playlists (name, id, views in
// order, interval), kept live by onDidChangePlaylists while the view is open and read again when
// the connection comes back; a new / edit form; per playlist an "Open" link to its wall
// (#/wall/<id>), its kiosk tokens, and a delete behind a confirmation that says how many active
// tokens go with it (the outcome says how many the core revoked).
import { useEffect } from 'react';
import type { WallPlaylist, WallView } from '../../../src-shared/domain/wall';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { loadOverview } from '../../stores/fleet/actions';
import { selectOverview } from '../../stores/fleet/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectPhase, selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { KioskTokens } from './kiosk-tokens';
import { PlaylistEditor } from './playlist-editor';
import {
  askDelete, attachWallConfigLive, closeWallConfig, deletePlaylist, loadPlaylists, loadWallConfig, openPlaylistForm, useWallConfigStore,
} from '../../stores/wall-config';
import './wall-config.css';

export function WallConfigView() {
  const { t } = useI18n();
  const ready = useAppStore(selectPhase) === 'ready';
  const admin = mayCall(useAppStore(selectRole), 'wall.setPlaylist');
  const hasOverview = useAppStore(selectOverview) !== null;
  const playlists = useWallConfigStore((s) => s.playlists);
  const error = useWallConfigStore((s) => s.playlistsError);
  const tokensError = useWallConfigStore((s) => s.tokensError);
  const form = useWallConfigStore((s) => s.form);
  const deleted = useWallConfigStore((s) => s.deleted);
  useEffect(() => {
    if (!ready || !admin) return;
    const live = attachWallConfigLive();
    loadWallConfig();
    return () => live.dispose();
  }, [ready, admin]);
  useEffect(() => {
    if (ready && !hasOverview) void loadOverview();
  }, [ready, hasOverview]);
  useEffect(() => closeWallConfig, []);
  if (!admin) {
    return (
      <main className="wall-config-view" data-testid="wall-config-view">
        <h1>{t('wallConfig.title')}</h1>
        <p className="muted" data-testid="wall-config-role-note">{t('wallConfig.roleNote')}</p>
      </main>
    );
  }
  return (
    <main className="wall-config-view" data-testid="wall-config-view">
      <div className="view-head">
        <h1>{t('wallConfig.title')}</h1>
        {!form && (
          <button type="button" className="primary" data-testid="wall-config-new" onClick={() => openPlaylistForm(null)}>
            {t('wallConfig.new')}
          </button>
        )}
      </div>
      <p className="muted">{t('wallConfig.hint')}</p>
      <PlaylistEditor />
      {deleted && (
        <div className="banner banner-ok" role="status" data-testid="wall-config-deleted">
          {t('wallConfig.deleted', { id: deleted.id, n: deleted.revokedTokens })}
        </div>
      )}
      {error && <ErrorBanner error={error} action="wallConfig.action.load" onRetry={() => void loadPlaylists()} />}
      {tokensError && <ErrorBanner error={tokensError} action="wallConfig.action.tokens" onRetry={loadWallConfig} />}
      {!playlists && !error && <p className="loading">{t('wallConfig.loading')}</p>}
      {playlists?.length === 0 && <p className="muted" data-testid="wall-config-none">{t('wallConfig.none')}</p>}
      <div className="wall-config-list">
        {playlists?.map((p) => <PlaylistCard key={p.id} playlist={p} />)}
      </div>
    </main>
  );
}

/** A view step in words: the view, its parameters, its own dwell. */
function viewText(t: Translate, v: WallView): string {
  const kind = t(`wallConfig.view.${v.view}` as MessageKey);
  const param =
    v.view === 'room' ? v.params.roomId
      : v.view === 'matrix' ? t(`matrix.level.${v.params.level}` as MessageKey)
        : v.view === 'alarms' && v.params.minSeverity ? t('wallConfig.fromSeverity', { severity: t(`alarms.sev.${v.params.minSeverity}` as MessageKey) })
          : '';
  const dwell = v.dwellS === undefined ? '' : ` (${t('wallConfig.seconds', { n: v.dwellS })})`;
  return `${kind}${param ? `: ${param}` : ''}${dwell}`;
}

function PlaylistCard({ playlist: p }: { playlist: WallPlaylist }) {
  const { t } = useI18n();
  const confirming = useWallConfigStore((s) => s.confirmDelete === p.id);
  const busy = useWallConfigStore((s) => s.busy);
  const actionError = useWallConfigStore((s) => (s.actionError?.playlistId === p.id ? s.actionError.error : null));
  const active = useWallConfigStore((s) => (s.tokens ?? []).filter((k) => k.playlistId === p.id && k.revokedAt === null).length);
  return (
    <section className="card wall-config-playlist" data-testid="wall-config-playlist" data-playlist-id={p.id} data-interval={p.intervalS}>
      <div className="card-head">
        <h2>
          <span data-testid="wall-config-playlist-name">{p.name}</span> <code className="muted small">{p.id}</code>
        </h2>
        <div className="wall-config-actions">
          <a className="button-link" href={`#/wall/${encodeURIComponent(p.id)}`} data-testid="wall-config-open">{t('wallConfig.open')}</a>
          <button type="button" data-testid="wall-config-edit" onClick={() => openPlaylistForm(p)}>{t('wallConfig.edit')}</button>
          <button type="button" className="danger" data-testid="wall-config-delete" onClick={() => askDelete(p.id)}>{t('wallConfig.delete')}</button>
        </div>
      </div>
      <p className="small" data-testid="wall-config-playlist-interval">
        {t('wallConfig.every', { n: p.intervalS })} · {t(`wallConfig.theme.${p.theme}` as MessageKey)}
      </p>
      <ol className="wall-config-steps" data-testid="wall-config-playlist-views">
        {p.views.map((v, i) => <li key={i} data-view={v.view}>{viewText(t, v)}</li>)}
      </ol>
      {confirming && (
        <div className="banner banner-warn" role="alertdialog" data-testid="wall-config-confirm">
          <p>{t('wallConfig.confirmDelete', { name: p.name, n: active })}</p>
          <div className="wall-config-actions">
            <button type="button" className="danger" data-testid="wall-config-confirm-delete" disabled={busy} onClick={() => void deletePlaylist(p.id)}>{t('wallConfig.delete')}</button>
            <button type="button" className="ghost" data-testid="wall-config-confirm-cancel" onClick={() => askDelete(null)}>{t('wallConfig.form.cancel')}</button>
          </div>
        </div>
      )}
      {actionError && <ErrorBanner error={actionError} action="wallConfig.action.token" testId="wall-config-action-error" />}
      <KioskTokens playlistId={p.id} />
    </section>
  );
}
