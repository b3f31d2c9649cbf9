// Top bar: title, who is signed in with which role, connection state, language.
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { selectActor, selectConnection, selectPhase, selectRole, selectTransport } from '../stores/selectors';
import { signOut } from '../stores/session-actions';
import { useAppStore } from '../stores/store';
import { LanguageSwitch } from './language-switch';

export function AppHeader() {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const actor = useAppStore(selectActor);
  const phase = useAppStore(selectPhase);
  const transport = useAppStore(selectTransport);
  const signedIn = phase === 'ready' || phase === 'reconnecting';
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-title" data-testid="app-title">
          {t('app.title')}
        </span>
        <span className="brand-sub">{t('app.subtitle')}</span>
      </div>
      <div className="header-right">
        {signedIn && role && (
          <span className={`role-badge role-${role}`} data-testid="role-badge" data-role={role} title={actor ? t('session.signedInAs', { actor }) : undefined}>
            {t('session.role')}: {t(`role.${role}` as MessageKey)}
          </span>
        )}
        {signedIn && actor && <span className="actor">{t('session.signedInAs', { actor })}</span>}
        <LanguageSwitch />
        {signedIn && transport === 'ws' && (
          <button type="button" className="ghost" data-testid="sign-out" onClick={signOut}>
            {t('session.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}

export function ConnectionBanner() {
  const { t } = useI18n();
  const phase = useAppStore(selectPhase);
  const conn = useAppStore(selectConnection);
  if (phase !== 'reconnecting' || !conn) return null;
  return (
    <div className="banner banner-warn conn-banner" role="status" data-testid="conn-status">
      {t('conn.reconnecting', { reason: conn.reason, attempt: conn.attempt })}
    </div>
  );
}
