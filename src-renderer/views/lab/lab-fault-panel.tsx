// The selected device's details and the lab fault panel. A role below operator sees no
// fault buttons (a wall screen must not offer red buttons it cannot use), only a note;
// the core decides anyway, and a refusal it sends is shown as a red banner.
import { ErrorBanner } from '../../components/error-banner';
import { uptimeText } from '../../components/format';
import { statusKey } from '../../components/status-badge';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { ElevationDevice, LabFault } from '../../../src-shared/domain';
import { navigate } from '../../stores/fleet/actions';
import { dismissLabMessage, injectFault } from '../../stores/lab/actions';
import { selectSelectedDevice } from '../../stores/fleet/selectors';
import { selectLabError, selectLabPending, selectLabResult } from '../../stores/lab/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';

export function LabFaultPanel({ cabinetId }: { cabinetId: string }) {
  const { t, num } = useI18n();
  const device = useAppStore(selectSelectedDevice);
  const role = useAppStore(selectRole);
  const pending = useAppStore(selectLabPending);
  const result = useAppStore(selectLabResult);
  const error = useAppStore(selectLabError);
  const fault = (f: LabFault) => () => void injectFault(f);
  const may = mayCall(role, 'lab.fault');
  return (
    <aside className="fault-panel" data-testid="fault-panel">
      <h2>{t('fault.title')}</h2>
      {device ? <DeviceDetails device={device} /> : <p className="muted">{t('fault.pick')}</p>}
      {may && (
        <div className="fault-buttons">
          <button
            type="button"
            className="danger"
            data-testid="fault-kill"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'kill-device', deviceId: device.id }) : undefined}
          >
            {t('fault.kill')}
          </button>
          <button
            type="button"
            data-testid="fault-revive"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'revive-device', deviceId: device.id }) : undefined}
          >
            {t('fault.revive')}
          </button>
          <button
            type="button"
            className="danger"
            data-testid="fault-link-down"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'link-down', deviceId: device.id }) : undefined}
          >
            {t('fault.linkDown')}
          </button>
          <button
            type="button"
            data-testid="fault-link-up"
            disabled={!device || pending !== null}
            onClick={device ? fault({ kind: 'link-up', deviceId: device.id }) : undefined}
          >
            {t('fault.linkUp')}
          </button>
          <button type="button" className="danger" data-testid="fault-trip-pdu" disabled={pending !== null} onClick={fault({ kind: 'trip-pdu', cabinetId })}>
            {t('fault.tripPdu')}
          </button>
          <button type="button" data-testid="fault-restore-pdu" disabled={pending !== null} onClick={fault({ kind: 'restore-pdu', cabinetId })}>
            {t('fault.restorePdu')}
          </button>
        </div>
      )}
      {role && !may && (
        <p className="muted small" data-testid="fault-role-note">
          {t('fault.roleNote', { role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      {pending && (
        <p className="muted" role="status">
          {t('fault.sending')}
        </p>
      )}
      {error && (
        <ErrorBanner
          error={error}
          action="action.fault"
          onDismiss={dismissLabMessage}
          testId={error.code === 'FORBIDDEN' ? 'fault-refused' : 'fault-error'}
        />
      )}
      {result && (
        <div className="banner banner-ok" role="status" data-testid="fault-result">
          {t('fault.done', { dead: num(result.deadDevices.length), tripped: num(result.trippedCabinets.length) })}
        </div>
      )}
    </aside>
  );
}

function DeviceDetails({ device: d }: { device: ElevationDevice }) {
  const { t, num } = useI18n();
  const rows: [MessageKey, string][] = [
    ['device.hostname', d.hostname],
    ['device.kind', t(`kind.${d.kind}` as MessageKey)],
    ['device.ip', d.mgmtIp],
    ['device.sn', d.sn],
    ['device.status', t(statusKey(d.status))],
    ['device.position', d.uHeight === 0 ? '0U' : t('device.positionValue', { from: d.uPosition, to: d.uPosition + d.uHeight - 1 })],
  ];
  if (d.uptimeSeconds !== null) rows.push(['device.uptime', uptimeText(t, d.uptimeSeconds)]);
  if (d.powerWatts !== null) rows.push(['device.power', t('elev.power', { watts: num(d.powerWatts) })]);
  return (
    <>
    <dl className={`device-details status-${d.status}`} data-testid="device-details" data-device-id={d.id}>
      <div className="fault-selected">{t('fault.selected')}</div>
      {rows.map(([k, v]) => (
        <div className="dl-row" key={k}>
          <dt>{t(k)}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
    <button type="button" className="primary open-device" data-testid="open-device" data-device-id={d.id} onClick={() => navigate({ view: 'device', deviceId: d.id })}>
      {t('dev.open')}
    </button>
    </>
  );
}
