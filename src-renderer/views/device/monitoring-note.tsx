// Why a device is not monitored (monitoring.reason worded), and the protocol error its last
// poll failed with while it is unreachable or degraded (worded, the core's message folded).
// A device whose credentials are not bound to its addresses ('credential-unbound') offers an
// admin "Bind credentials" (credentials.bind; on the desktop the main process confirms it).
import { useState } from 'react';
import type { Monitoring } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { FoldedError } from '../../components/folded-error';
import { protocolErrorWording } from '../../i18n/credential-text';
import { isMessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { bindDeviceCredentials } from '../../stores/device/actions';
import type { ShownError } from '../../stores/shown-error';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

/** Admin: binds the device's credentials where it is now; the core's answer (refusal included) shown. */
function BindCredentials({ deviceId, testId }: { deviceId: string; testId: string }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  if (!mayCall(role, 'credentials.bind')) return null;
  const bind = async () => {
    setBusy(true);
    setError(null);
    setError(await bindDeviceCredentials(deviceId));
    setBusy(false);
  };
  return (
    <>
      <button type="button" data-testid={`${testId}-bind`} disabled={busy} onClick={() => void bind()}>
        {busy ? t('mon.binding') : t('mon.bind')}
      </button>
      {error && <ErrorBanner error={error} action="action.bindCredentials" onDismiss={() => setError(null)} testId={`${testId}-bind-error`} />}
    </>
  );
}

export function MonitoringNote({ monitoring, testId = 'monitoring', deviceId }: { monitoring: Monitoring | undefined; testId?: string; deviceId?: string }) {
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
      {!monitoring.polled && monitoring.reason === 'credential-unbound' && deviceId && <BindCredentials deviceId={deviceId} testId={testId} />}
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
