// One device, for a technician at the cabinet: where it sits, whether it answers, its
// lifecycle (CMDB status), interfaces and power draw; the BMC read on demand; the control actions; its alarms; its events.
import { useEffect } from 'react';
import type { DeviceDetail, InterfaceInfo } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { EventsList } from '../../components/events-list';
import { bitRate } from '../../components/format';
import { PendingPowerBadge } from '../../components/pending-power-badge';
import { StatusBadge } from '../../components/status-badge';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { loadDeviceDetail, loadDeviceEvents, watchDevice } from '../../stores/device/actions';
import { navigate } from '../../stores/fleet/actions';
import { selectDeviceDetail, selectDeviceDetailError, selectDeviceEvents, selectDeviceEventsError } from '../../stores/device/selectors';
import { useAppStore } from '../../stores/store';
import { BmcSection } from './device-bmc';
import { DeviceAlarms } from './device-alarms';
import { DeviceControls } from './device-controls';
import { Facts, PowerCard, interfacesProblemText } from './device-facts';
import { interfacesProblemOf } from '../../stores/device/freshness';
import { DeviceHostKey } from './device-host-key';
import { DeviceEditControls } from './device-edit-controls';
import { DeviceLifecycleCard, LifecycleChip } from './device-lifecycle';
import { MonitoringNote } from './monitoring-note';

export function DeviceView({ deviceId }: { deviceId: string }) {
  const { t } = useI18n();
  const detail = useAppStore(selectDeviceDetail);
  const error = useAppStore(selectDeviceDetailError);
  useEffect(() => {
    const watch = watchDevice(deviceId);
    return () => watch.dispose();
  }, [deviceId]);
  const shown = detail?.device.id === deviceId ? detail : null;
  return (
    <main className="device-view" data-testid="device-view" data-device-id={deviceId}>
      {error && <ErrorBanner error={error} action="action.deviceDetail" onRetry={() => void loadDeviceDetail(deviceId)} testId="device-error" />}
      {!shown && !error && <p className="loading">{t('dev.loading')}</p>}
      {shown && <Detail detail={shown} />}
    </main>
  );
}

function Detail({ detail }: { detail: DeviceDetail }) {
  const { t } = useI18n();
  const { device: d, site, room, row, cabinet } = detail;
  const position = d.uHeight === 0 ? t('dev.zeroU') : t('device.positionValue', { from: d.uPosition, to: d.uPosition + d.uHeight - 1 });
  return (
    <>
      <div className="view-head device-head">
        <h1 data-testid="device-hostname">{d.hostname}</h1>
        <StatusBadge status={detail.status} testId="device-status" big />
        <PendingPowerBadge deviceId={d.id} />
        <span className="kind-chip">{t(`kind.${d.kind}` as MessageKey)}</span>
        {d.lifecycle && <LifecycleChip state={d.lifecycle} />}
        <DeviceEditControls detail={detail} />
      </div>
      <MonitoringNote monitoring={detail.monitoring} testId="device-monitoring" deviceId={d.id} />
      <p className="device-location" data-testid="device-location">
        <span>{site.name}</span>
        <span className="sep">›</span>
        <button type="button" className="link" data-testid="device-room-link" onClick={() => navigate({ view: 'room', roomId: room.id })}>
          {room.name}
        </button>
        <span className="sep">›</span>
        <span>{t('room.row', { name: row.name })}</span>
        <span className="sep">›</span>
        <button type="button" className="link" data-testid="device-cabinet-link" onClick={() => navigate({ view: 'cabinet', cabinetId: cabinet.id })}>
          {t('elev.title', { name: cabinet.name })}
        </button>
        <span className="sep">·</span>
        <strong data-testid="device-position">{position}</strong>
      </p>
      <div className="device-layout">
        <div className="device-col">
          <Facts detail={detail} />
          <DeviceLifecycleCard key={d.id} detail={detail} />
          <PowerCard detail={detail} />
          <Interfaces detail={detail} />
        </div>
        <div className="device-col">
          <DeviceControls detail={detail} />
          <BmcSection detail={detail} />
          {detail.capabilities.ssh && <DeviceHostKey key={d.id} detail={detail} />}
          <DeviceAlarms deviceId={d.id} />
          <DeviceEvents deviceId={d.id} />
        </div>
      </div>
    </>
  );
}

const OPER_TONE: Record<InterfaceInfo['operStatus'], string> = {
  up: 'good', down: 'bad', lowerLayerDown: 'bad', testing: 'warn', dormant: 'warn', notPresent: 'empty', unknown: 'empty',
};

function Interfaces({ detail }: { detail: DeviceDetail }) {
  const i18n = useI18n();
  const { t } = i18n;
  const list = detail.interfaces;
  const problem = interfacesProblemOf(detail);
  const worded = problem && list.length === 0 ? interfacesProblemText(i18n, problem) : null;
  const rate = (bps: number | null) => (bps === null ? '—' : bitRate(bps));
  return (
    <section className="card" data-testid="device-interfaces">
      <h2>{t('dev.ifaces.title', { n: list.length })}</h2>
      {worded && (
        <>
          <p className="muted" data-testid="ifaces-error" data-reason={detail.interfacesError ?? ''} data-code={problem?.code}>
            {worded.text}
          </p>
          {worded.detail && (
            <details className="muted small" data-testid="ifaces-error-detail">
              <summary>{t('err.detailSummary')}</summary>
              <div>
                {t('err.detail')}: {worded.detail}
              </div>
            </details>
          )}
        </>
      )}
      {list.length === 0 && problem === null && (
        <p className="muted" data-testid="ifaces-none">
          {t('dev.ifaces.none')}
        </p>
      )}
      {list.length > 0 && (
        <div className="scroll-box">
          <table className="data-table">
            <thead>
              <tr>
                <th>{t('dev.ifaces.name')}</th>
                <th>{t('dev.ifaces.oper')}</th>
                <th className="num">{t('dev.ifaces.speed')}</th>
                <th className="num">{t('dev.ifaces.in')}</th>
                <th className="num">{t('dev.ifaces.out')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.index} data-testid="iface-row" data-oper={i.operStatus} data-name={i.name}>
                  <td>{i.name}</td>
                  <td className={`tone-text-${OPER_TONE[i.operStatus]}`} data-testid="iface-oper">
                    {t(`oper.${i.operStatus}` as MessageKey)}
                  </td>
                  <td className="num">{rate(i.speedBps)}</td>
                  <td className="num" data-testid="iface-in" data-bps={i.inBps ?? ''}>
                    {rate(i.inBps)}
                  </td>
                  <td className="num" data-testid="iface-out" data-bps={i.outBps ?? ''}>
                    {rate(i.outBps)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeviceEvents({ deviceId }: { deviceId: string }) {
  const { t } = useI18n();
  const events = useAppStore(selectDeviceEvents);
  const error = useAppStore(selectDeviceEventsError);
  return (
    <section className="card" data-testid="device-events">
      <h2>{t('dev.events')}</h2>
      {error && <ErrorBanner error={error} action="action.events" onRetry={() => void loadDeviceEvents(deviceId)} testId="device-events-error" />}
      {!events && !error && <p className="muted">{t('events.loading')}</p>}
      {events && events.length === 0 && <p className="muted">{t('events.none')}</p>}
      {events && events.length > 0 && (
        <div className="scroll-box">
          <EventsList events={events} />
        </div>
      )}
    </section>
  );
}
