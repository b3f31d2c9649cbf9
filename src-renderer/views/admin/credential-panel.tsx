// One credential's devices (credentials.usage) and a real test against a device: picked from
// that list or typed as an id; the result shows ok and the time, or the protocol error worded
// with the core's message folded.
import { useState } from 'react';
import type { MessageKey } from '../../i18n/i18n';
import { ErrorBanner } from '../../components/error-banner';
import { FoldedError } from '../../components/folded-error';
import { protocolErrorWording } from '../../i18n/credential-text';
import { useI18n } from '../../i18n/use-i18n';
import { loadUsage, testCredential } from '../../stores/credentials/actions';
import {
  selectCredentialTestError,
  selectCredentialTestResult,
  selectCredentialTesting,
  selectCredentialUsage,
  selectCredentialUsageError,
} from '../../stores/credentials/selectors';
import { useAppStore } from '../../stores/store';

export function CredentialPanel({ id }: { id: string }) {
  const { t, lang, num } = useI18n();
  const usage = useAppStore(selectCredentialUsage);
  const usageError = useAppStore(selectCredentialUsageError);
  const testing = useAppStore(selectCredentialTesting);
  const result = useAppStore(selectCredentialTestResult);
  const testError = useAppStore(selectCredentialTestError);
  const [deviceId, setDeviceId] = useState('');
  const worded = result?.error ? protocolErrorWording(lang, result.error) : null;
  return (
    <section className="card cred-panel" data-testid="cred-panel" data-id={id}>
      <h2>{t('cred.usage.title', { id })}</h2>
      {usageError && <ErrorBanner error={usageError} action="action.credentialUsage" onRetry={() => void loadUsage(id)} testId="cred-usage-error" />}
      {!usage && !usageError && <p className="muted">{t('cred.usage.loading')}</p>}
      {usage && usage.length === 0 && (
        <p className="muted" data-testid="cred-usage-none">
          {t('cred.usage.none')}
        </p>
      )}
      {usage && usage.length > 0 && (
        <div className="scroll-box">
          <table className="data-table" data-testid="cred-usage">
            <thead>
              <tr>
                <th>{t('device.hostname')}</th>
                <th>{t('cred.usage.as')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {usage.map((u) => (
                <tr key={`${u.deviceId}/${u.as}`} data-testid="cred-usage-row" data-device-id={u.deviceId} data-as={u.as}>
                  <td>
                    <a href={`#/device/${encodeURIComponent(u.deviceId)}`}>{u.hostname}</a>
                  </td>
                  <td>{t(`cred.usage.as.${u.as}` as MessageKey)}</td>
                  <td>
                    <button type="button" data-testid="cred-usage-pick" onClick={() => setDeviceId(u.deviceId)}>
                      {t('cred.usage.pick')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('cred.test.title')}</h3>
      <p className="muted small">{t('cred.test.hint')}</p>
      <form
        className="inline-field"
        onSubmit={(e) => {
          e.preventDefault();
          void testCredential(deviceId);
        }}
      >
        <label className="inv-field">
          <span>{t('cred.test.device')}</span>
          <input data-testid="cred-test-device" value={deviceId} spellCheck={false} autoComplete="off" onChange={(e) => setDeviceId(e.currentTarget.value)} />
        </label>
        <button type="submit" className="primary" data-testid="cred-test-run" disabled={testing || deviceId.trim() === ''}>
          {testing ? t('cred.test.running') : t('cred.test.run')}
        </button>
      </form>
      {testError && <ErrorBanner error={testError} action="action.testCredential" testId="cred-test-error" />}
      {result && (
        <div
          className={`banner ${result.ok ? 'banner-ok' : 'banner-error'}`}
          role="status"
          data-testid="cred-test-result"
          data-ok={String(result.ok)}
          data-ms={result.ms}
          data-device-id={result.deviceId}
        >
          {result.ok ? (
            <span data-testid="cred-test-ok">{t('cred.test.ok', { ms: num(Math.round(result.ms)) })}</span>
          ) : (
            <FoldedError
              testId="cred-test-failure"
              kind={result.error?.name}
              text={t('cred.test.failed', { ms: num(Math.round(result.ms)), error: worded?.text ?? '' })}
              detail={worded?.detail ?? null}
            />
          )}
          {result.request && (
            <div className="muted small" data-testid="cred-test-request">
              {t('cred.test.request', { request: result.request })}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
