// The device's pinned SSH host key, and (admin) forgetting it after a reinstall, when the
// console refuses the host's new key. Forgetting is confirmed by typing the hostname, which
// goes to the core as confirmHostname; the core checks it and the role, and audits the call.
import { useCallback, useEffect, useState } from 'react';
import type { DeviceDetail } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { HostnameConfirm } from '../../components/hostname-confirm';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { dismissHostKeyError, forgetHostKey, loadHostKey } from '../../stores/device/actions';
import { selectHostKey } from '../../stores/device/selectors';
import { leastRole, mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

export function DeviceHostKey({ detail }: { detail: DeviceDetail }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const { key, busy, done, error } = useAppStore(selectHostKey);
  const { id, hostname } = detail.device;
  const [confirming, setConfirming] = useState(false);
  const may = mayCall(role, 'device.forgetHostKey');
  const cancel = useCallback(() => setConfirming(false), []);

  // Mounted per device (keyed by its id); the store holds only the open device's key.
  useEffect(() => {
    void loadHostKey(id);
  }, [id]);

  const forget = (typed: string) => {
    setConfirming(false);
    void forgetHostKey(id, typed);
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
          {t('hostkey.roleNote', { required: t(`role.${leastRole('device.forgetHostKey')}` as MessageKey), role: t(`role.${role}` as MessageKey) })}
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
      {error && <ErrorBanner error={error} action="action.forgetHostKey" onDismiss={dismissHostKeyError} testId={error.code === 'FORBIDDEN' ? 'host-key-refused' : 'host-key-error'} />}
      {confirming && key && (
        <HostnameConfirm
          hostname={hostname}
          title={t('hostkey.confirmTitle')}
          effect={t('hostkey.confirmEffect', { host: hostname, address: `${key.host}:${key.port}` })}
          submitLabel={t('hostkey.confirmSubmit', { host: hostname })}
          testId="host-key-confirm"
          onCancel={cancel}
          onConfirm={forget}
        />
      )}
    </section>
  );
}
