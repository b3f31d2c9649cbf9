// Why a device is not monitored (monitoring.reason worded), and the protocol error its last
// poll failed with while it is unreachable or degraded (worded, the core's message folded).
import type { Monitoring } from '../../../src-shared/domain';
import { FoldedError } from '../../components/folded-error';
import { protocolErrorWording } from '../../i18n/credential-text';
import { isMessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';

export function MonitoringNote({ monitoring, testId = 'monitoring' }: { monitoring: Monitoring | undefined; testId?: string }) {
  const { t, lang } = useI18n();
  if (!monitoring) return null;
  const reasonKey = monitoring.reason ? `mon.reason.${monitoring.reason}` : null;
  const reason = reasonKey && isMessageKey(reasonKey) ? t(reasonKey) : t('mon.reason.unknown', { reason: monitoring.reason ?? '' });
  const worded = monitoring.lastError ? protocolErrorWording(lang, monitoring.lastError) : null;
  if (monitoring.polled && !worded) return null;
  return (
    <div className="monitoring-note small" data-testid={testId} data-polled={String(monitoring.polled)} data-reason={monitoring.reason ?? ''}>
      {!monitoring.polled && (
        <p className="tone-text-warn" data-testid={`${testId}-reason`}>
          {t('mon.notPolled', { reason })}
        </p>
      )}
      {worded && monitoring.lastError && (
        <FoldedError
          testId={`${testId}-last-error`}
          className="tone-text-bad"
          kind={monitoring.lastError.name}
          text={t('mon.lastError', { error: worded.text })}
          detail={worded.detail}
        />
      )}
    </div>
  );
}

/** "127.0.0.1:16161" where another device shares the address, else the address alone. */
export function addressText(ip: string, port: number, shared: boolean | undefined): string {
  return shared ? `${ip}:${port}` : ip;
}
