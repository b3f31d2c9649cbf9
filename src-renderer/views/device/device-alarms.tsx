// The device page's alarms: this device's alarms (every state, newest first) with their
// severity, rule name, state, acknowledgement (operators acknowledge with a comment here) and history;
// read again whenever onDidChangeAlarms says alarms moved.
import { useEffect } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { loadDeviceAlarms } from '../../stores/alarms/actions';
import { loadRules } from '../../stores/alarms/rule-actions';
import { selectAlarmRules, selectAlarmsSeq, selectDeviceAlarms } from '../../stores/alarms/selectors';
import { useAppStore } from '../../stores/store';
import { AckControl, AlarmState, HistoryButton, HistoryPanel, Severity, useTime } from '../alarms/alarm-bits';

export function DeviceAlarms({ deviceId }: { deviceId: string }) {
  const { t } = useI18n();
  const time = useTime();
  const seq = useAppStore(selectAlarmsSeq);
  const state = useAppStore(selectDeviceAlarms);
  const rules = useAppStore(selectAlarmRules);
  useEffect(() => {
    void loadDeviceAlarms(deviceId);
    void loadRules();
  }, [deviceId, seq]);
  const mine = state?.deviceId === deviceId ? state : null;
  return (
    <section className="card" data-testid="device-alarms">
      <h2>{t('alarms.device')}</h2>
      {mine?.error && <ErrorBanner error={mine.error} action="alarms.action.list" onRetry={() => void loadDeviceAlarms(deviceId)} />}
      {!mine?.list && !mine?.error && <p className="muted">{t('alarms.loading')}</p>}
      {mine?.list?.length === 0 && <p className="muted" data-testid="device-alarms-none">{t('alarms.deviceNone')}</p>}
      {mine?.list && mine.list.length > 0 && (
        <ul className="device-alarm-list">
          {mine.list.map((a) => (
            <li key={a.id} className={`alarm-row sev-row-${a.severity} ${a.masked ? 'is-masked' : ''}`} data-testid="device-alarm" data-alarm-id={a.id} data-state={a.state}>
              <Severity severity={a.severity} /> <span>{rules?.find((r) => r.id === a.ruleId)?.name ?? a.ruleId}</span> · <AlarmState alarm={a} />
              <div className="muted small">{t('alarms.seen', { first: time(a.firstSeen), last: time(a.lastSeen), n: a.occurrences })}</div>
              <div className="alarm-actions">
                <AckControl alarm={a} />
                <HistoryButton alarmId={a.id} />
              </div>
              <HistoryPanel alarmId={a.id} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
