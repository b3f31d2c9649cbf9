// One playlist's kiosk tokens in the wall-config view: issue one (with a label for the screen it
// is for), its full kiosk URL shown once with a copy button (the core keeps only its hash), the
// tokens issued for the playlist (label, issued, last used, revoked) and revoking one.
import { useState } from 'react';
import type { KioskToken } from '../../../src-shared/domain/wall';
import { useI18n } from '../../i18n/use-i18n';
import { selectTransport } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { dismissIssued, issueToken, kioskBaseUrl, revokeToken, useWallConfigStore } from '../../stores/wall-config';

const when = (ms: number | null, lang: string): string => (ms === null ? '–' : new Date(ms).toLocaleString(lang));

export function KioskTokens({ playlistId }: { playlistId: string }) {
  const { t, lang } = useI18n();
  const all = useWallConfigStore((s) => s.tokens);
  const busy = useWallConfigStore((s) => s.busy);
  const serve = useAppStore(selectTransport) === 'ws';
  const [label, setLabel] = useState('');
  const tokens: KioskToken[] = (all ?? []).filter((k) => k.playlistId === playlistId);
  return (
    <div className="wall-config-tokens" data-testid="wall-config-tokens">
      <h3>{t('wallConfig.tokens.title')}</h3>
      <form
        className="wall-config-issue"
        onSubmit={(e) => {
          e.preventDefault();
          void issueToken(playlistId, label, kioskBaseUrl(serve)).then(() => setLabel(''));
        }}
      >
        <input aria-label={t('wallConfig.tokens.label')} placeholder={t('wallConfig.tokens.label')} data-testid="wall-config-token-label" value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="submit" data-testid="wall-config-token-issue" disabled={busy}>{t('wallConfig.tokens.issue')}</button>
      </form>
      <IssuedUrl playlistId={playlistId} />
      {tokens.length === 0 ? (
        <p className="muted small">{t('wallConfig.tokens.none')}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('wallConfig.tokens.label')}</th>
              <th>{t('wallConfig.tokens.issued')}</th>
              <th>{t('wallConfig.tokens.lastUsed')}</th>
              <th>{t('wallConfig.tokens.revoked')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((k) => (
              <tr key={k.id} data-testid="wall-config-token" data-token-id={k.id} data-revoked={k.revokedAt === null ? 'no' : 'yes'}>
                <td>{k.label || '–'}</td>
                <td>{when(k.createdAt, lang)} <span className="muted small">{k.createdBy}</span></td>
                <td>{k.lastUsedAt === null ? t('wallConfig.tokens.never') : when(k.lastUsedAt, lang)}</td>
                <td>{k.revokedAt === null ? '–' : `${when(k.revokedAt, lang)} ${k.revokedBy ?? ''}`}</td>
                <td>{k.revokedAt === null && <RevokeButton playlistId={playlistId} tokenId={k.id} busy={busy} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RevokeButton(props: { playlistId: string; tokenId: string; busy: boolean }) {
  const { t } = useI18n();
  return (
    <button type="button" className="danger" data-testid="wall-config-token-revoke" disabled={props.busy} onClick={() => void revokeToken(props.playlistId, props.tokenId)}>
      {t('wallConfig.tokens.revoke')}
    </button>
  );
}

/** The token just issued for this playlist: its URL (or, with no known address, its path), once. */
function IssuedUrl({ playlistId }: { playlistId: string }) {
  const { t } = useI18n();
  const issued = useWallConfigStore((s) => s.issued);
  const [copied, setCopied] = useState(false);
  if (!issued || issued.playlistId !== playlistId) return null;
  const text = issued.url ?? issued.path;
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <div className="banner banner-info wall-config-issued" role="status" data-testid="wall-config-issued">
      <strong>{t('wallConfig.tokens.shownOnce')}</strong>
      {issued.url === null && <p className="small">{t('wallConfig.tokens.noAddress')}</p>}
      <code className="wall-config-url" data-testid="wall-config-issued-url">{text}</code>
      <div className="wall-config-actions">
        <button type="button" data-testid="wall-config-issued-copy" onClick={copy}>{t(copied ? 'wallConfig.tokens.copied' : 'wallConfig.tokens.copy')}</button>
        <button type="button" className="ghost" data-testid="wall-config-issued-done" onClick={dismissIssued}>{t('wallConfig.tokens.done')}</button>
      </div>
    </div>
  );
}
