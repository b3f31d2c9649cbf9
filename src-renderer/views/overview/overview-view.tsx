// The fleet at a glance, for wall screens: totals on top, then each site with its rooms,
// devices and how many answer SNMP right now. Live: the store follows onDidChangeOverview.
// Holds at 100 k devices: counts compact ("83.0k") with the exact value in the title,
// unreachable counted, devices without an SNMP credential counted apart as not monitored;
// below the totals, the devices per lifecycle state (lifecycle-strip.tsx).
import { CountBar } from '../../components/count-bar';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { FleetOverview } from '../../../src-shared/domain';
import { loadOverview } from '../../stores/fleet/actions';
import { selectOverview, selectOverviewError } from '../../stores/fleet/selectors';
import { useAppStore } from '../../stores/store';
import { EventsStrip } from '../events/events-strip';
import { Count } from './count';
import { monitoringOf } from './overview-health';
import { LifecycleStrip } from './lifecycle-strip';
import { SiteCard } from './site-card';
import './overview-scale.css';

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
      {overview && <LifecycleStrip />}
      {overview && <EventsStrip />}
      {overview && overview.sites.length === 0 && <p className="muted" data-testid="overview-empty">{t('overview.empty')}</p>}
      <div className="site-grid">
        {overview?.sites.map((site) => <SiteCard key={site.id} site={site} />)}
      </div>
    </main>
  );
}

function Totals({ totals }: { totals: FleetOverview['totals'] }) {
  const { t, num } = useI18n();
  const m = monitoringOf(totals);
  const cells: [string, MessageKey, number][] = [
    ['sites', 'total.sites', totals.sites],
    ['rooms', 'total.rooms', totals.rooms],
    ['cabinets', 'total.cabinets', totals.cabinets],
    ['devices', 'total.devices', totals.devices],
    ['polled', 'total.polled', totals.polled],
  ];
  return (
    <section className="totals totals-scale">
      {cells.map(([id, key, value]) => (
        <div className="total" key={id}>
          <Count className="total-value" testId={`total-${id}`} value={value} />
          <div className="total-label">{t(key)}</div>
        </div>
      ))}
      <div className={`total total-unreachable ${m.unreachable > 0 ? 'tone-border-bad' : ''}`}>
        <Count className={`total-value ${m.unreachable > 0 ? 'tone-text-bad' : 'muted'}`} testId="total-unreachable" value={m.unreachable} />
        <div className="total-label">{t('scale.total.unreachable')}</div>
      </div>
      {/* Never polled (no SNMP credential): grey, not an alarm. */}
      <div className="total total-not-monitored" title={t('scale.total.notMonitoredHint')}>
        <Count className="total-value muted" testId="total-not-monitored" value={m.notMonitored} />
        <div className="total-label">{t('scale.total.notMonitored')}</div>
      </div>
      {/* Coloured against what has been polled: a device not polled yet is not an alarm. */}
      <div className={`total total-answering tone-border-${m.tone}`}>
        <Count className={`total-value tone-text-${m.tone}`} testId="total-answering" value={totals.answering} />
        <div className="total-label">{t('total.answering')}</div>
        <CountBar answering={m.answering} devices={m.polled} degraded={0} label={false} />
        {totals.polled < totals.pollable && (
          <div className="muted small total-note" data-testid="polling-note">
            {t('overview.polling', { polled: num(totals.polled), devices: num(totals.pollable) })}
          </div>
        )}
      </div>
    </section>
  );
}
