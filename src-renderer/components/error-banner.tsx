// A core error shown where it happened: a headline by its code (or the role a refusal
// needed), what was being done, the error worded in the user's language; the core's own
// message and the error's kind and code folded away under "Details" for whoever needs them.
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
      <details className="banner-details muted small" data-testid="banner-details">
        <summary>{t('err.detailSummary')}</summary>
        {worded.detail && (
          <div className="banner-detail" data-testid="banner-detail">
            {t('err.detail')}: {worded.detail}
          </div>
        )}
        <div className="banner-kind">
          {t('err.kind')}: <code>{error.name}</code> · <code>{error.code}</code>
        </div>
      </details>
      <div className="banner-foot">
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
