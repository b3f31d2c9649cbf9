// The device's pinned SSH host key, and (admin) forgetting it after a reinstall, when the
// console refuses the host's new key. Forgetting is confirmed by typing the hostname, which
// goes to the core as confirmHostname; the core checks it and the role, and audits the call.
import { useCallback, useEffect, useState } from 'react';
import { METHOD_ROLES } from '../../src-shared/api';
import type { DeviceDetail } from '../../src-shared/domain';
import { ErrorBanner } from '../components/error-banner';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { getClient } from '../stores/client';
import { mayCall } from '../stores/roles';
import { selectRole } from '../stores/selectors';
import { toShownError, type ShownError } from '../stores/shown-error';
import { useAppStore } from '../stores/store';
import { HostnameConfirm } from './power-confirm';

type KeyState = { host: string; port: number; fingerprint: string | null };

export function DeviceHostKey({ detail }: { detail: DeviceDetail }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const { id, hostname } = detail.device;
  const [key, setKey] = useState<KeyState | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ forgotten: string | null } | null>(null);
  const may = mayCall(role, 'device.forgetHostKey');
  const cancel = useCallback(() => setConfirming(false), []);

  // Mounted per device (keyed by its id), so nothing from another device is shown; read
  // again after each forget.
  const [reads, setReads] = useState(0);
  useEffect(() => {
    let live = true;
    getClient()
      .call('device.hostKey', { deviceId: id })
      .then(
        (k) => live && setKey(k),
        (err: unknown) => live && setError(toShownError(err)),
      );
    return () => {
      live = false;
    };
  }, [id, reads]);

  const forget = async (typed: string) => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      setDone(await getClient().call('device.forgetHostKey', { deviceId: id, confirmHostname: typed }));
      setReads((n) => n + 1);
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card host-key" data-testid="device-host-key">
      <h2>{t('hostkey.title')}</h2>
      {key && (
        <p data-testid="host-key-fingerprint" data-fingerprint={key.fingerprint ?? ''}>
          {key.fingerprint ? (
            <>
              {t('hostkey.pinned')} <code>{key.fingerprint}</code> <span className="muted small">{`${key.host}:${key.port}`}</span>
            </>
          ) : (
            <span className="muted">{t('hostkey.none')}</span>
          )}
        </p>
      )}
      {role && !may && (
        <p className="inv-role-note" data-testid="host-key-role-note">
          {t('hostkey.roleNote', { required: t(`role.${METHOD_ROLES['device.forgetHostKey']}` as MessageKey), role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      <div className="ctl-buttons">
        <button type="button" className="danger" data-testid="host-key-forget" disabled={!may || busy || !key?.fingerprint} onClick={() => setConfirming(true)}>
          {t('hostkey.forget')}
        </button>
      </div>
      {done && (
        <div className="banner banner-ok" role="status" data-testid="host-key-done">
          {done.forgotten ? t('hostkey.forgotten', { fingerprint: done.forgotten }) : t('hostkey.forgottenNone')}
        </div>
      )}
      {error && <ErrorBanner error={error} action="action.forgetHostKey" onDismiss={() => setError(null)} testId={error.code === 'FORBIDDEN' ? 'host-key-refused' : 'host-key-error'} />}
      {confirming && key && (
        <HostnameConfirm
          hostname={hostname}
          title={t('hostkey.confirmTitle')}
          effect={t('hostkey.confirmEffect', { host: hostname, address: `${key.host}:${key.port}` })}
          submitLabel={t('hostkey.confirmSubmit', { host: hostname })}
          testId="host-key-confirm"
          onCancel={cancel}
          onConfirm={(typed) => void forget(typed)}
        />
      )}
    </section>
  );
}
