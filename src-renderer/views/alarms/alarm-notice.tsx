// The shell's notice of new alarms, on every view but the alarms view: each root alarm that
// started firing since the session began (severity, object), a link to the alarms view and a
// dismiss button. Opening the alarms view counts as seeing them.
import { useI18n } from '../../i18n/use-i18n';
import { dismissFresh } from '../../stores/alarms/actions';
import { selectFreshAlarms } from '../../stores/alarms/selectors';
import { useAppStore } from '../../stores/store';
import { selectRoute } from '../../stores/fleet/selectors';
import { navigate } from '../../stores/fleet/actions';
import { Severity } from './alarm-bits';

export function AlarmNotice() {
  const { t } = useI18n();
  const fresh = useAppStore(selectFreshAlarms);
  const route = useAppStore(selectRoute);
  if (fresh.length === 0 || route.view === 'alarms') return null;
  return (
    <div className="banner banner-error alarm-notice" role="alert" data-testid="alarm-notice" data-count={fresh.length}>
      <strong>{t('alarms.notice', { n: fresh.length })}</strong>
      <ul className="alarm-notice-list">
        {fresh.slice(-3).map((a) => (
          <li key={a.id} data-testid="alarm-notice-item" data-alarm-id={a.id}>
            <Severity severity={a.severity} /> {a.objectId}
          </li>
        ))}
        {fresh.length > 3 && <li className="muted">{t('alarms.noticeMore', { n: fresh.length - 3 })}</li>}
      </ul>
      <div className="alarm-actions">
        <button type="button" data-testid="alarm-notice-open" onClick={() => navigate({ view: 'alarms' })}>
          {t('alarms.noticeOpen')}
        </button>
        <button type="button" className="ghost" data-testid="alarm-notice-dismiss" onClick={dismissFresh}>
          {t('alarms.noticeDismiss')}
        </button>
      </div>
    </div>
  );
}
