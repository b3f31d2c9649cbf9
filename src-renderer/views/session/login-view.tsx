// Serve mode sign-in: a token field. The token is remembered on this screen; a refused
// token or an unreachable server is said plainly.
import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { selectAuthError, selectConnection, selectPhase } from '../../stores/session/selectors';
import { signIn, signOut } from '../../stores/session/actions';
import { useAppStore } from '../../stores/store';

export function LoginView() {
  const { t } = useI18n();
  const phase = useAppStore(selectPhase);
  const authError = useAppStore(selectAuthError);
  const connection = useAppStore(selectConnection);
  const [token, setToken] = useState('');
  const [empty, setEmpty] = useState(false);
  const busy = phase === 'signing-in' || phase === 'starting';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    void signIn(token);
  };

  return (
    <main className="login-view" data-testid="login">
      <form className="login-card" onSubmit={submit} noValidate>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.hint')}</p>
        <label htmlFor="login-token">{t('login.token')}</label>
        <input
          id="login-token"
          data-testid="login-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={token}
          disabled={busy}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit" className="primary" data-testid="login-submit" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        {busy && (
          <p className="muted" role="status" data-testid="login-status">
            {connection ? t('conn.reconnecting', { reason: connection.reason, attempt: connection.attempt }) : t('conn.connecting')}{' '}
            {connection && (
              <button type="button" className="ghost" onClick={signOut}>
                {t('error.dismiss')}
              </button>
            )}
          </p>
        )}
        {empty && (
          <div className="banner banner-error" role="alert" data-testid="login-error">
            {t('login.empty')}
          </div>
        )}
        {authError && !busy && (
          <div data-testid="login-error" data-code={authError.code}>
            <p className="login-error-title">
              {authError.code === 'UNAUTHENTICATED' ? t('login.badToken') : t('login.unreachable')}
            </p>
            <ErrorBanner error={authError} testId="login-error-detail" />
          </div>
        )}
        <p className="muted small">{t('login.remember')}</p>
      </form>
    </main>
  );
}
