// The fleet's latest events on the overview, newest first, coloured by severity, with
// the critical and warning counts of the last hour in the strip's head.
import { useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { EventsList } from '../../components/events-list';
import { useI18n } from '../../i18n/use-i18n';
import { loadRecentEvents } from '../../stores/events/actions';
import { selectEventsError, selectRecentEvents } from '../../stores/events/selectors';
import { useAppStore } from '../../stores/store';

const FOLDED = 6;
const HOUR_MS = 3_600_000;

export function EventsStrip() {
  const { t, num } = useI18n();
  const events = useAppStore(selectRecentEvents);
  const error = useAppStore(selectEventsError);
  const [open, setOpen] = useState(false);
  if (!events && !error) return null;
  const list = events ?? [];
  const newest = list[0]?.at ?? 0;
  const lastHour = list.filter((e) => e.at > newest - HOUR_MS);
  const critical = lastHour.filter((e) => e.severity === 'critical').length;
  const warning = lastHour.filter((e) => e.severity === 'warning').length;
  const shown = open ? list : list.slice(0, FOLDED);
  return (
    <section className={`card events-strip ${critical > 0 ? 'has-critical' : ''}`} data-testid="events-strip" data-critical={critical} data-warning={warning}>
      <div className="card-head">
        <h2>{t('events.title')}</h2>
        <span className="events-counts">
          <span className={`sev-badge ${critical > 0 ? 'sev-critical' : ''}`} data-testid="events-critical" data-value={critical}>
            {t('events.critical', { n: num(critical) })}
          </span>
          <span className={`sev-badge ${warning > 0 ? 'sev-warning' : ''}`} data-testid="events-warning" data-value={warning}>
            {t('events.warning', { n: num(warning) })}
          </span>
        </span>
        {list.length > FOLDED && (
          <button type="button" className="ghost" data-testid="events-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t('events.fewer') : t('events.all', { n: num(list.length) })}
          </button>
        )}
      </div>
      {error && <ErrorBanner error={error} action="action.events" onRetry={() => void loadRecentEvents()} testId="events-error" />}
      {events && list.length === 0 && <p className="muted">{t('events.none')}</p>}
      {shown.length > 0 && (
        <div className={open ? 'scroll-box' : ''}>
          <EventsList events={shown} showDevice testId="events-list" />
        </div>
      )}
    </section>
  );
}
