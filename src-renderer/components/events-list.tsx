// Fleet events, newest first, coloured by severity, worded in the user's language; each
// device event links to its device.
import type { FleetEvent } from '../../src-shared/domain';
import { eventText } from '../i18n/event-text';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';
import { navigate } from '../stores/fleet/actions';

export function EventsList(props: { events: readonly FleetEvent[]; showDevice?: boolean; testId?: string }) {
  const { t, lang, time } = useI18n();
  return (
    <ol className="events-list" data-testid={props.testId}>
      {props.events.map((e) => (
        <li key={e.id} className={`event sev-${e.severity}`} data-testid="event" data-event-id={e.id} data-severity={e.severity} data-kind={e.kind}>
          <time className="event-time" dateTime={new Date(e.at).toISOString()}>
            {time(e.at)}
          </time>
          <span className={`sev-badge sev-${e.severity}`}>{t(`sev.${e.severity}` as MessageKey)}</span>
          <span className="event-kind">{t(`evkind.${e.kind}` as MessageKey)}</span>
          <span className="event-message">{eventText(lang, e)}</span>
          {props.showDevice && e.deviceId && (
            <button
              type="button"
              className="link event-device"
              data-testid="event-device"
              data-device-id={e.deviceId}
              title={e.deviceId}
              onClick={() => e.deviceId && navigate({ view: 'device', deviceId: e.deviceId })}
            >
              {t('events.openDevice')}
            </button>
          )}
        </li>
      ))}
    </ol>
  );
}
