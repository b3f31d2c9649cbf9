// The device selected on an elevation, summed up: what it is, where it sits, its status and
// why it is not monitored, and a way to its own page. Shown in the lab fault panel, or alone
// when the lab is off.
import { uptimeText } from '../../components/format';
import { statusKey } from '../../components/status-badge';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { ElevationDevice } from '../../../src-shared/domain';
import { navigate } from '../../stores/fleet/actions';
import { selectSelectedDevice } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { MonitoringNote, addressText } from '../device/monitoring-note';
import { LocateControl } from './locate-control';

export function DeviceDetails({ device: d }: { device: ElevationDevice }) {
  const { t, num } = useI18n();
  const rows: [MessageKey, string][] = [
    ['device.hostname', d.hostname],
    ['device.kind', t(`kind.${d.kind}` as MessageKey)],
    ['device.ip', addressText(d.mgmtIp, d.snmpPort, d.sharedAddress)],
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
      <MonitoringNote monitoring={d.monitoring} testId="selected-monitoring" />
      <LocateControl deviceId={d.id} hasBmc={d.capabilities.bmc} />
      <button type="button" className="primary open-device" data-testid="open-device" data-device-id={d.id} onClick={() => navigate({ view: 'device', deviceId: d.id })}>
        {t('dev.open')}
      </button>
    </>
  );
}

/** The selected device alone (no lab controls): the lab is off. */
export function SelectedDevicePanel() {
  const { t } = useI18n();
  const device = useAppStore(selectSelectedDevice);
  return (
    <aside className="fault-panel selected-panel" data-testid="selected-device-panel">
      {device ? <DeviceDetails device={device} /> : <p className="muted">{t('fault.pick')}</p>}
    </aside>
  );
}
