// A core error shown where it happened: what was refused or failed, the error worded in
// the user's language (with the core's own message when the wording is generic), its name and code.
import { wordError } from '../i18n/error-text';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { requiredRole, type ShownError } from '../stores/shown-error';

const ROLE_KEYS: Record<string, MessageKey> = { viewer: 'role.viewer', operator: 'role.operator', admin: 'role.admin' };

export function ErrorBanner(props: {
  error: ShownError;
  action?: MessageKey;
  onRetry?: () => void;
  onDismiss?: () => void;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const { error } = props;
  const worded = wordError(lang, error);
  const role = requiredRole(error);
  const headline =
    role && ROLE_KEYS[role] ? t('error.refusedRole', { role: t(ROLE_KEYS[role]) }) : t(`error.code.${error.code}` as MessageKey);
  return (
    <div className={`banner banner-error code-${error.code}`} role="alert" data-testid={props.testId ?? 'error-banner'} data-code={error.code}>
      <div className="banner-head">
        <strong className="banner-headline">{headline}</strong>
        {props.action && <span className="banner-while">{t('error.while', { action: t(props.action) })}</span>}
      </div>
      <div className="banner-message">{worded.text}</div>
      {worded.detail && (
        <div className="banner-detail muted small" data-testid="banner-detail">
          {t('err.detail')}: {worded.detail}
        </div>
      )}
      <div className="banner-foot">
        <code>
          {error.name} · {error.code}
        </code>
        <span className="banner-actions">
          {props.onRetry && (
            <button type="button" onClick={props.onRetry}>
              {t('error.retry')}
            </button>
          )}
          {props.onDismiss && (
            <button type="button" onClick={props.onDismiss}>
              {t('error.dismiss')}
            </button>
          )}
        </span>
      </div>
    </div>
  );
}
