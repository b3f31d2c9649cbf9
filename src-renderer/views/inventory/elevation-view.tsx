// A cabinet's front elevation: U by U, numbered from the bottom, each device drawn over
// its U span in its status colour; zero-U PDUs listed beside the rack with their power.
// A click selects a device (its summary and the lab fault panel beside the rack); a
// double click, or "Open device details" in the summary, opens the device's own page.
import type { CSSProperties } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { CabinetElevation, ElevationDevice } from '../../../src-shared/domain';
import { loadElevation, navigate, selectDevice } from '../../stores/fleet/actions';
import { selectElevation, selectElevationError, selectSelectedDeviceId } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { LabFaultPanel } from '../lab/lab-fault-panel';
import { PendingPowerBadge } from '../../components/pending-power-badge';

export function ElevationView({ cabinetId }: { cabinetId: string }) {
  const { t } = useI18n();
  const elevation = useAppStore(selectElevation);
  const error = useAppStore(selectElevationError);
  return (
    <main className="elevation-view" data-testid="elevation" data-cabinet-id={cabinetId}>
      {error && <ErrorBanner error={error} action="action.elevation" onRetry={() => void loadElevation(cabinetId)} />}
      {!elevation && !error && <p className="loading">{t('elev.loading')}</p>}
      {elevation && <Elevation elevation={elevation} />}
    </main>
  );
}

function Elevation({ elevation }: { elevation: CabinetElevation }) {
  const { t, num } = useI18n();
  const { cabinet, site, room, row } = elevation;
  const racked = elevation.devices.filter((d) => d.uHeight > 0);
  const zeroU = elevation.devices.filter((d) => d.uHeight === 0);
  return (
    <>
      <div className="view-head">
        <h1 data-testid="elevation-title">{t('elev.title', { name: cabinet.name })}</h1>
        <span className="muted">
          {t('elev.where', { site: site.name, room: room.name, row: row.name, position: cabinet.position })} ·{' '}
          {t('elev.rated', { kw: num(cabinet.ratedPowerKw) })} ·{' '}
          {t('elev.feeds', { a: cabinet.feedA ?? t('elev.noFeed'), b: cabinet.feedB ?? t('elev.noFeed') })}
        </span>
      </div>
      <div className="elevation-layout">
        <section className="rack-wrap">
          <h2>{t('elev.front')}</h2>
          <Rack height={cabinet.uHeight} devices={racked} />
          {elevation.devices.length === 0 && <p className="muted">{t('elev.empty')}</p>}
        </section>
        <ZeroUList devices={zeroU} />
        <LabFaultPanel cabinetId={cabinet.id} />
      </div>
    </>
  );
}

function Rack({ height, devices }: { height: number; devices: readonly ElevationDevice[] }) {
  const { t } = useI18n();
  const selected = useAppStore(selectSelectedDeviceId);
  const units = Array.from({ length: height }, (_, i) => height - i); // top row first
  return (
    <div className="rack" data-testid="rack" data-u-height={height} style={{ '--rack-u': height } as CSSProperties}>
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
          <button
            key={d.id}
            type="button"
            className={`rack-device status-${d.status} kind-${d.kind} ${selected === d.id ? 'selected' : ''} ${span > 1 ? 'multi-u' : ''}`}
            style={{ gridRow: `${height - top + 1} / span ${span}` }}
            data-testid="rack-device"
            data-device-id={d.id}
            data-status={d.status}
            data-kind={d.kind}
            aria-pressed={selected === d.id}
            title={`${d.hostname} · ${t(`kind.${d.kind}` as MessageKey)} · ${d.mgmtIp} · ${t(`status.${d.status}` as MessageKey)} · U${bottom}–U${top}`}
            onClick={() => selectDevice(selected === d.id ? null : d.id)}
            onDoubleClick={() => navigate({ view: 'device', deviceId: d.id })}
          >
            <span className="dev-status-dot" aria-hidden />
            <span className="dev-host">{d.hostname}</span>
            <span className="dev-kind">{t(`kind.${d.kind}` as MessageKey)}</span>
            <span className="dev-ip">{d.mgmtIp}</span>
            <span className="dev-status">{t(`status.${d.status}` as MessageKey)}</span>
            <PendingPowerBadge deviceId={d.id} testId="rack-pending-power" />
          </button>
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
              <span className="dev-ip">{d.mgmtIp}</span>
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
