// One worded error on a line, with the core's own message folded under "Details" (a
// credential test's protocol error, a device's last poll error).
import { useI18n } from '../i18n/use-i18n';

export function FoldedError(props: { text: string; detail: string | null; kind?: string; testId: string; className?: string }) {
  const { t } = useI18n();
  return (
    <div className={props.className ?? 'folded-error'} data-testid={props.testId} data-error-name={props.kind ?? ''}>
      <span data-testid={`${props.testId}-text`}>{props.text}</span>
      {(props.detail || props.kind) && (
        <details className="muted small" data-testid={`${props.testId}-detail`}>
          <summary>{t('err.detailSummary')}</summary>
          {props.detail && (
            <div>
              {t('err.detail')}: {props.detail}
            </div>
          )}
          {props.kind && (
            <div>
              {t('err.kind')}: <code>{props.kind}</code>
            </div>
          )}
        </details>
      )}
    </div>
  );
}
