// The device's BMC, read live over IPMI only when asked (it may take a second, or not
// answer at all): chassis power, identify, the power reading and where it came from,
// sensors with their status (type and unit worded from their IPMI codes; names are the
// BMC's own), and the event log newest first (sensor and event worded from their IPMI codes).
import type { BmcInfo, DeviceDetail, SelEntry } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { selEventText, selSensorText } from '../../i18n/sel-text';
import { sensorTypeText, sensorValueText } from '../../i18n/sensor-text';
import { useI18n } from '../../i18n/use-i18n';
import { loadBmc } from '../../stores/device/actions';
import { selectBmc, selectBmcError, selectBmcLoading } from '../../stores/device/selectors';
import { useAppStore } from '../../stores/store';

export function BmcSection({ detail }: { detail: DeviceDetail }) {
  const { t } = useI18n();
  const bmc = useAppStore(selectBmc);
  const loading = useAppStore(selectBmcLoading);
  const error = useAppStore(selectBmcError);
  const id = detail.device.id;
  if (!detail.capabilities.bmc) {
    return (
      <section className="card" data-testid="bmc-section">
        <h2>{t('bmc.title')}</h2>
        <p className="muted" data-testid="bmc-none">
          {t('bmc.none')}
        </p>
      </section>
    );
  }
  return (
    <section className="card" data-testid="bmc-section" data-state={loading ? 'loading' : error ? 'error' : bmc ? 'loaded' : 'idle'}>
      <div className="card-head">
        <h2>{t('bmc.title')}</h2>
        <button type="button" data-testid="bmc-load" disabled={loading} onClick={() => void loadBmc(id)}>
          {t(bmc ? 'bmc.refresh' : 'bmc.load')}
        </button>
      </div>
      {!bmc && !loading && !error && <p className="muted">{t('bmc.hint')}</p>}
      {loading && (
        <p className="muted" role="status" data-testid="bmc-loading">
          <span className="spinner" aria-hidden /> {t('bmc.loading')}
        </p>
      )}
      {error && (
        <>
          <p className="bmc-no-answer" data-testid="bmc-no-answer">
            {t(error.code === 'UNAVAILABLE' ? 'bmc.noAnswer' : 'bmc.failed', { host: detail.device.hostname })}
          </p>
          <ErrorBanner error={error} action="action.bmc" onRetry={() => void loadBmc(id)} testId="bmc-error" />
        </>
      )}
      {bmc && <Bmc bmc={bmc} />}
    </section>
  );
}

function Bmc({ bmc }: { bmc: BmcInfo }) {
  const { t, num, time, lang } = useI18n();
  const info = bmc.deviceIdInfo;
  return (
    <div className="bmc" data-testid="bmc">
      <dl className="bmc-summary">
        <div className="dl-row">
          <dt>{t('bmc.power')}</dt>
          <dd data-testid="bmc-power" data-power={bmc.power} className={bmc.power === 'on' ? 'tone-text-good' : 'tone-text-bad'}>
            {t(bmc.power === 'on' ? 'bmc.powerOn' : 'bmc.powerOff')}
          </dd>
        </div>
        <div className="dl-row">
          <dt>{t('bmc.identify')}</dt>
          <dd data-testid="bmc-identify" data-identify={String(bmc.identify)}>
            {t(bmc.identify === null ? 'bmc.identifyUnknown' : bmc.identify ? 'bmc.identifyOn' : 'bmc.identifyOff')}
          </dd>
        </div>
        <div className="dl-row">
          <dt>{t('bmc.reading')}</dt>
          <dd data-testid="bmc-power-reading" data-source={bmc.powerSource ?? ''} data-value={bmc.powerWatts ?? ''}>
            {bmc.powerWatts === null
              ? t('bmc.noReading')
              : t('bmc.readingValue', { watts: num(bmc.powerWatts), source: t(bmc.powerSource === 'dcmi' ? 'bmc.source.dcmi' : 'bmc.source.sensor') })}
          </dd>
        </div>
        {info && (
          <div className="dl-row">
            <dt>{t('bmc.firmware')}</dt>
            <dd data-testid="bmc-firmware">
              {t('bmc.firmwareValue', { firmware: info.firmware, ipmi: info.ipmiVersion, mfr: info.manufacturerId, product: info.productId })}
            </dd>
          </div>
        )}
        <div className="dl-row">
          <dt>{t('bmc.readAt')}</dt>
          <dd>{time(bmc.fetchedAt)}</dd>
        </div>
      </dl>
      <h3>{t('bmc.sensors', { n: bmc.sensors.length })}</h3>
      <div className="scroll-box">
        <table className="data-table" data-testid="bmc-sensors">
          <thead>
            <tr>
              <th>{t('bmc.sensor')}</th>
              <th>{t('bmc.sensorType')}</th>
              <th className="num">{t('bmc.value')}</th>
              <th>{t('bmc.status')}</th>
            </tr>
          </thead>
          <tbody>
            {bmc.sensors.map((s, i) => (
              <tr key={`${s.name}-${i}`} className={`sensor-${s.status}`} data-testid="bmc-sensor" data-status={s.status} data-name={s.name}>
                <td>{s.name}</td>
                <td className="muted" data-testid="bmc-sensor-type" data-type-code={s.typeCode}>
                  {sensorTypeText(lang, s.typeCode, s.type)}
                </td>
                <td className="num" data-testid="bmc-sensor-value" data-unit-code={s.unitCode}>
                  {s.value === null ? '—' : sensorValueText(lang, num(s.value), s.unitCode, s.unit)}
                </td>
                <td>
                  <span className={`sensor-badge sensor-${s.status}`}>{t(`sensor.${s.status}` as MessageKey)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <SelList sel={bmc.sel} />
    </div>
  );
}

/** Newest first; entries stamped before the BMC's clock was set go last, by record id. */
export function newestFirst(sel: readonly SelEntry[]): SelEntry[] {
  return [...sel].sort((a, b) => (b.at ?? -Infinity) - (a.at ?? -Infinity) || b.id - a.id);
}

function SelList({ sel }: { sel: readonly SelEntry[] }) {
  const { t, time, lang } = useI18n();
  const day = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit' });
  return (
    <>
      <h3>{t('bmc.sel', { n: sel.length })}</h3>
      {sel.length === 0 && <p className="muted">{t('bmc.selEmpty')}</p>}
      {sel.length > 0 && (
        <div className="scroll-box">
          <ol className="sel-list" data-testid="bmc-sel">
            {newestFirst(sel).map((e) => (
              <li key={e.id} data-testid="sel-entry" data-id={e.id} data-at={e.at ?? ''} className={`sel-${e.direction}`}>
                <span className="sel-time">{e.at === null ? t('bmc.selPreInit') : `${day.format(new Date(e.at))} ${time(e.at)}`}</span>
                <span className="sel-sensor" data-sensor-type={e.sensorType ?? ''}>
                  {selSensorText(lang, e)}
                </span>
                <span className="sel-event" data-event-type={e.eventType ?? ''} data-offset={e.offset ?? ''}>
                  {selEventText(lang, e)}
                </span>
                <span className="sel-dir muted">{t(e.direction === 'assertion' ? 'bmc.asserted' : 'bmc.deasserted')}</span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </>
  );
}
