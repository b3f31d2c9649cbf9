// A cabinet's front elevation: U by U, numbered from the bottom, each device drawn over
// its U span in its status colour; zero-U PDUs listed beside the rack with their power.
// A click selects a device (its summary and the lab fault panel beside the rack); a
// double click, or "Open device details" in the summary, opens the device's own page.
// Operators add a device here (at the lowest free U); the lab fault panel shows only while
// the lab runs. Where devices share an address the tile shows the SNMP port too.
// Touch (1280x800): the rack is one listbox sized from the viewport so all 42U show at once;
// a tap on a tile selects it, arrow keys move the selection, Enter opens; every button is at
// least 44 px (elevation-touch.css). #/cabinet/<id>?device=<deviceId> selects a device.
import { useEffect, type CSSProperties, type KeyboardEvent } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { CabinetElevation, ElevationDevice } from '../../../src-shared/domain';
import { loadElevation, navigate, selectDevice } from '../../stores/fleet/actions';
import { formatRoute } from '../../stores/fleet/route';
import { selectElevation, selectElevationError, selectSelectedDeviceId } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { openAddDevice } from '../../stores/device-edit/actions';
import { selectDeviceDeleted, selectDeviceSaved } from '../../stores/device-edit/selectors';
import { loadLabStatus } from '../../stores/lab/actions';
import { selectLabRunning } from '../../stores/lab/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { addressText } from '../device/monitoring-note';
import { LabFaultPanel } from '../lab/lab-fault-panel';
import { DeviceFormDialog } from './device-form';
import { SelectedDevicePanel } from './selected-device';
import { PendingPowerBadge } from '../../components/pending-power-badge';
import './elevation-touch.css';

export function ElevationView({ cabinetId, deviceId }: { cabinetId: string; deviceId?: string }) {
  const { t } = useI18n();
  const elevation = useAppStore(selectElevation);
  const error = useAppStore(selectElevationError);
  useEffect(() => {
    void loadLabStatus();
  }, []);
  return (
    <main className="elevation-view" data-testid="elevation" data-cabinet-id={cabinetId}>
      {error && <ErrorBanner error={error} action="action.elevation" onRetry={() => void loadElevation(cabinetId)} />}
      {!elevation && !error && <p className="loading">{t('elev.loading')}</p>}
      {elevation && <Elevation elevation={elevation} highlight={deviceId} />}
    </main>
  );
}

function Elevation({ elevation, highlight }: { elevation: CabinetElevation; highlight?: string }) {
  const { t, num } = useI18n();
  const role = useAppStore(selectRole);
  const labRunning = useAppStore(selectLabRunning);
  const saved = useAppStore(selectDeviceSaved);
  const deleted = useAppStore(selectDeviceDeleted);
  const { cabinet, site, room, row } = elevation;
  const racked = elevation.devices.filter((d) => d.uHeight > 0);
  const zeroU = elevation.devices.filter((d) => d.uHeight === 0);
  const highlightHere = highlight !== undefined && elevation.devices.some((d) => d.id === highlight);
  useEffect(() => {
    if (highlightHere) selectDevice(highlight);
  }, [highlight, highlightHere]);
  return (
    <>
      <div className="view-head">
        <h1 data-testid="elevation-title">{t('elev.title', { name: cabinet.name })}</h1>
        {mayCall(role, 'inventory.putDevice') && (
          <button type="button" data-testid="device-add" onClick={() => openAddDevice(cabinet.id, lowestFreeU(cabinet.uHeight, racked))}>
            {t('devedit.add')}
          </button>
        )}
        <a className="button-link" href={formatRoute({ view: 'labels', scope: 'cabinet', id: cabinet.id })} data-testid="labels-cabinet">
          {t('labels.open')}
        </a>
        <a className="button-link" href={formatRoute({ view: 'labels', scope: 'row', id: row.id })} data-testid="labels-row">
          {t('labels.rowOpen')}
        </a>
        <a className="button-link" href={formatRoute({ view: 'scan' })} data-testid="scan-link">
          {t('scan.open.link')}
        </a>
        <span className="muted">
          {t('elev.where', { site: site.name, room: room.name, row: row.name, position: cabinet.position })} ·{' '}
          {t('elev.rated', { kw: num(cabinet.ratedPowerKw) })} ·{' '}
          {t('elev.feeds', { a: cabinet.feedA ?? t('elev.noFeed'), b: cabinet.feedB ?? t('elev.noFeed') })}
        </span>
      </div>
      {saved && (
        <div className="banner banner-ok" role="status" data-testid="device-saved" data-device-id={saved.id}>
          {t('devedit.saved', { hostname: saved.hostname })}
        </div>
      )}
      {deleted && (
        <div className="banner banner-ok" role="status" data-testid="device-deleted">
          {t('devedit.deleted', { hostname: deleted })}
        </div>
      )}
      <DeviceFormDialog cabinetName={cabinet.name} />
      <div className="elevation-layout">
        <section className="rack-wrap">
          <h2>{t('elev.front')}</h2>
          <Rack height={cabinet.uHeight} devices={racked} label={t('elev.title', { name: cabinet.name })} highlight={highlightHere ? highlight : undefined} />
          {elevation.devices.length === 0 && <p className="muted">{t('elev.empty')}</p>}
        </section>
        <ZeroUList devices={zeroU} />
        {labRunning === true && <LabFaultPanel cabinetId={cabinet.id} />}
        {labRunning === false && <SelectedDevicePanel />}
      </div>
    </>
  );
}

function Rack({ height, devices, label, highlight }: { height: number; devices: readonly ElevationDevice[]; label: string; highlight?: string }) {
  const { t } = useI18n();
  const tileTitle = (d: ElevationDevice, span: string) => {
    const parts = [d.hostname, t(`kind.${d.kind}` as MessageKey), addressText(d.mgmtIp, d.snmpPort, d.sharedAddress), t(`status.${d.status}` as MessageKey), span];
    if (d.sharedAddress) parts.push(t('mon.shared'));
    if (d.monitoring && !d.monitoring.polled && d.monitoring.reason) parts.push(t('mon.notPolled', { reason: t(`mon.reason.${d.monitoring.reason}` as MessageKey) }));
    return parts.join(' · ');
  };
  const selected = useAppStore(selectSelectedDeviceId);
  const units = Array.from({ length: height }, (_, i) => height - i); // top row first
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const order = [...devices].sort((a, b) => b.uPosition - a.uPosition); // top first, as drawn
    const at = order.findIndex((d) => d.id === selected);
    if (e.key === 'Enter' && selected && at >= 0) navigate({ view: 'device', deviceId: selected });
    else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? Math.min(order.length - 1, at + 1) : Math.max(0, at < 0 ? 0 : at - 1);
      if (order[next]) selectDevice(order[next].id);
    }
  };
  return (
    <div
      className="rack"
      data-testid="rack"
      data-u-height={height}
      style={{ '--rack-u': height } as CSSProperties}
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={selected && devices.some((d) => d.id === selected) ? `rack-dev-${selected}` : undefined}
      onKeyDown={onKey}
    >
      {units.map((u, i) => (
        <div key={`l${u}`} className="u-label u-left" style={{ gridRow: i + 1 }} data-testid="u-label">
          {u}
        </div>
      ))}
      {units.map((u, i) => (
        <div key={`s${u}`} className="u-slot" style={{ gridRow: i + 1 }} aria-hidden />
      ))}
      {units.map((u, i) => (
        <div key={`r${u}`} className="u-label u-right" style={{ gridRow: i + 1 }} aria-hidden>
          {u}
        </div>
      ))}
      {devices.map((d) => {
        const top = Math.min(height, d.uPosition + d.uHeight - 1);
        const bottom = Math.max(1, d.uPosition);
        const span = Math.max(1, top - bottom + 1);
        return (
          <div
            key={d.id}
            id={`rack-dev-${d.id}`}
            role="option"
            className={`rack-device status-${d.status} kind-${d.kind} ${selected === d.id ? 'selected' : ''} ${span > 1 ? 'multi-u' : ''} ${highlight === d.id ? 'highlight' : ''}`}
            style={{ gridRow: `${height - top + 1} / span ${span}` }}
            data-testid="rack-device"
            data-device-id={d.id}
            data-status={d.status}
            data-kind={d.kind}
            data-polled={d.monitoring ? String(d.monitoring.polled) : undefined}
            data-highlight={highlight === d.id ? 'true' : undefined}
            aria-selected={selected === d.id}
            title={tileTitle(d, `U${bottom}–U${top}`)}
            onClick={() => selectDevice(selected === d.id ? null : d.id)}
            onDoubleClick={() => navigate({ view: 'device', deviceId: d.id })}
          >
            <span className="dev-status-dot" aria-hidden />
            <span className="dev-host">{d.hostname}</span>
            <span className="dev-kind">{t(`kind.${d.kind}` as MessageKey)}</span>
            <span className="dev-ip" data-testid="rack-device-address">
              {addressText(d.mgmtIp, d.snmpPort, d.sharedAddress)}
            </span>
            <span className="dev-status">{t(`status.${d.status}` as MessageKey)}</span>
            <PendingPowerBadge deviceId={d.id} testId="rack-pending-power" />
          </div>
        );
      })}
    </div>
  );
}

function ZeroUList({ devices }: { devices: readonly ElevationDevice[] }) {
  const { t, num } = useI18n();
  const selected = useAppStore(selectSelectedDeviceId);
  const total = devices.reduce((sum, d) => sum + (d.powerWatts ?? 0), 0);
  return (
    <section className="zero-u" data-testid="zero-u-list">
      <h2>{t('elev.zeroU')}</h2>
      {devices.length === 0 && <p className="muted">{t('elev.noZeroU')}</p>}
      {devices.length > 0 && <p className="zero-u-total">{t('elev.totalPower', { watts: num(total) })}</p>}
      <ul>
        {devices.map((d) => (
          <li key={d.id}>
            <button
              type="button"
              className={`zero-u-pdu status-${d.status} ${selected === d.id ? 'selected' : ''}`}
              data-testid="zero-u-pdu"
              data-device-id={d.id}
              data-status={d.status}
              aria-pressed={selected === d.id}
              onClick={() => selectDevice(selected === d.id ? null : d.id)}
              onDoubleClick={() => navigate({ view: 'device', deviceId: d.id })}
            >
              <span className="dev-status-dot" aria-hidden />
              <span className="dev-host">{d.hostname}</span>
              <span className="dev-ip">{addressText(d.mgmtIp, d.snmpPort, d.sharedAddress)}</span>
              <span className="pdu-power" data-testid="pdu-power">
                {d.powerWatts === null ? t('elev.noPower') : t('elev.power', { watts: num(d.powerWatts) })}
              </span>
              <span className="dev-status">{t(`status.${d.status}` as MessageKey)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The lowest U no racked device occupies (1 when the cabinet is full: the core will say). */
export function lowestFreeU(height: number, racked: readonly ElevationDevice[]): number {
  for (let u = 1; u <= height; u++) {
    if (!racked.some((d) => u >= d.uPosition && u < d.uPosition + d.uHeight)) return u;
  }
  return 1;
}
