// The fleet at a glance, for wall screens: totals on top, then each site with its rooms,
// devices and how many answer SNMP right now. Live: the store follows onDidChangeOverview.
import { CountBar } from '../../components/count-bar';
import { healthTone, toneOf } from '../../components/tone';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { FleetOverview, SiteOverview } from '../../../src-shared/domain';
import { loadOverview, navigate } from '../../stores/fleet/actions';
import { selectOverview, selectOverviewError } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { EventsStrip } from '../events/events-strip';

export function OverviewView() {
  const { t, time } = useI18n();
  const overview = useAppStore(selectOverview);
  const error = useAppStore(selectOverviewError);
  return (
    <main className="overview-view" data-testid="overview">
      <div className="view-head">
        <h1>{t('overview.title')}</h1>
        {overview && (
          <span className="muted" data-testid="overview-updated">
            {t(overview.fleet === 'lab' ? 'overview.fleet.lab' : 'overview.fleet.configured')} ·{' '}
            {t('overview.updated', { time: time(overview.generatedAt) })}
          </span>
        )}
      </div>
      {error && <ErrorBanner error={error} action="action.overview" onRetry={() => void loadOverview()} />}
      {!overview && !error && <p className="loading">{t('overview.loading')}</p>}
      {overview && <Totals totals={overview.totals} />}
      {overview && <EventsStrip />}
      {overview && overview.sites.length === 0 && <p className="muted">{t('overview.empty')}</p>}
      <div className="site-grid">
        {overview?.sites.map((site) => <SiteCard key={site.id} site={site} />)}
      </div>
    </main>
  );
}

function Totals({ totals }: { totals: FleetOverview['totals'] }) {
  const { t, num } = useI18n();
  const cells: [string, MessageKey, number][] = [
    ['sites', 'total.sites', totals.sites],
    ['rooms', 'total.rooms', totals.rooms],
    ['cabinets', 'total.cabinets', totals.cabinets],
    ['devices', 'total.devices', totals.devices],
    ['polled', 'total.polled', totals.polled],
  ];
  return (
    <section className="totals">
      {cells.map(([id, key, value]) => (
        <div className="total" key={id}>
          <div className="total-value" data-testid={`total-${id}`} data-value={value}>
            {num(value)}
          </div>
          <div className="total-label">{t(key)}</div>
        </div>
      ))}
      {/* Coloured against what has been polled: a device not polled yet is not an alarm. */}
      <div className={`total total-answering tone-border-${toneOf(totals.answering, totals.polled)}`}>
        <div className={`total-value tone-text-${toneOf(totals.answering, totals.polled)}`} data-testid="total-answering" data-value={totals.answering}>
          {num(totals.answering)}
        </div>
        <div className="total-label">{t('total.answering')}</div>
        <CountBar answering={totals.answering} devices={totals.devices} label={false} />
        {totals.polled < totals.pollable && (
          <div className="muted small" data-testid="polling-note">
            {t('overview.polling', { polled: num(totals.polled), devices: num(totals.pollable) })}
          </div>
        )}
      </div>
    </section>
  );
}

function SiteCard({ site }: { site: SiteOverview }) {
  const { t, num } = useI18n();
  return (
    <section className="site-card" data-testid="site-card" data-site-id={site.id}>
      <header className="site-head">
        <h2>
          {site.name} <span className="muted">{site.city}</span>
        </h2>
        <span className={`site-big tone-text-${toneOf(site.answering, site.polled)}`} data-testid="site-answering" data-value={site.answering}>
          {num(site.answering)}
          <span className="muted"> / {num(site.devices)}</span>
        </span>
      </header>
      <CountBar answering={site.answering} devices={site.devices} />
      <table className="room-table">
        <thead>
          <tr>
            <th>{t('col.room')}</th>
            <th className="num">{t('col.cabinets')}</th>
            <th className="num">{t('col.devices')}</th>
            <th className="num">{t('col.answering')}</th>
            <th className="num">{t('col.degraded')}</th>
            <th className="bar-col" />
          </tr>
        </thead>
        <tbody>
          {site.rooms.map((room) => (
            <tr
              key={room.id}
              className="room-row"
              data-testid="room-row"
              data-room-id={room.id}
              tabIndex={0}
              aria-label={t('overview.openRoom', { name: room.name })}
              onClick={() => navigate({ view: 'room', roomId: room.id })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') navigate({ view: 'room', roomId: room.id });
              }}
            >
              <td className="room-name">{room.name}</td>
              <td className="num">{num(room.cabinets)}</td>
              <td className="num">{num(room.devices)}</td>
              <td
                className={`num tone-text-${healthTone(room.answering, room.polled, room.degraded)}`}
                data-testid="room-answering"
                data-value={room.answering}
                data-tone={healthTone(room.answering, room.polled, room.degraded)}
              >
                {num(room.answering)}
              </td>
              <td className={`num ${room.degraded > 0 ? 'tone-text-warn' : 'muted'}`} data-testid="room-degraded" data-value={room.degraded}>
                {num(room.degraded)}
              </td>
              <td className="bar-col">
                <CountBar answering={room.answering} devices={room.devices} degraded={room.degraded} label={false} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
