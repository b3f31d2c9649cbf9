// Small pieces the alarms view and the device page share: a severity word in its colour, an
// alarm's state (acknowledged by whom, masked), a time, the acknowledge form with its required
// comment (operators and admins; viewers get no button) and one alarm's history panel.
import { useState } from 'react';
import type { Alarm, AlarmSeverity } from '../../../src-shared/domain/alarm';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { acknowledge, closeAck, openAck, toggleHistory } from '../../stores/alarms/actions';
import { selectAlarmAck, selectAlarmHistory } from '../../stores/alarms/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import './alarms.css';

export function Severity({ severity }: { severity: AlarmSeverity }) {
  const { t } = useI18n();
  return (
    <span className={`alarm-sev sev-${severity}`} data-testid="alarm-severity" data-severity={severity}>
      {t(`alarms.sev.${severity}` as MessageKey)}
    </span>
  );
}

export function useTime(): (ms: number) => string {
  const { lang } = useI18n();
  return (ms) => new Date(ms).toLocaleString(lang);
}

export function AlarmState({ alarm }: { alarm: Alarm }) {
  const { t } = useI18n();
  const time = useTime();
  return (
    <span data-testid="alarm-state" data-state={alarm.state} data-acked={alarm.ack ? 'yes' : 'no'} data-masked={alarm.masked ? 'yes' : 'no'}>
      {t(`alarms.state.${alarm.state}` as MessageKey)}
      {alarm.masked && <span className="muted"> · {t('alarms.masked')}</span>}
      {alarm.ack && (
        <span className="muted" data-testid="alarm-acked">
          {' · '}
          {t('alarms.ackedBy', { by: alarm.ack.by, at: time(alarm.ack.at) })}: <q data-testid="alarm-ack-comment">{alarm.ack.comment}</q>
        </span>
      )}
    </span>
  );
}

/** The acknowledge button, or the form when it is open for this alarm. Viewers see neither. */
export function AckControl({ alarm }: { alarm: Alarm }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const ack = useAppStore(selectAlarmAck);
  const [comment, setComment] = useState('');
  const [tried, setTried] = useState(false);
  if (!mayCall(role, 'alarms.acknowledge') || alarm.state === 'resolved' || alarm.ack) return null;
  if (ack?.alarmId !== alarm.id) {
    return (
      <button type="button" data-testid="alarm-ack" onClick={() => (setComment(''), setTried(false), openAck(alarm.id))}>
        {t('alarms.ack')}
      </button>
    );
  }
  const empty = comment.trim() === '';
  return (
    <form
      className="alarm-ack-form"
      data-testid="alarm-ack-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!empty) void acknowledge(comment);
      }}
    >
      <label>
        <span>{t('alarms.ackComment')}</span>
        <textarea data-testid="alarm-ack-comment-input" value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />
      </label>
      {tried && empty && (
        <span className="tone-text-bad small" role="alert" data-testid="alarm-ack-required">
          {t('alarms.ackRequired')}
        </span>
      )}
      {ack.error && <ErrorBanner error={ack.error} action="alarms.action.ack" testId="alarm-ack-error" />}
      <div className="alarm-actions">
        <button type="submit" data-testid="alarm-ack-submit" disabled={ack.busy}>
          {ack.busy ? t('alarms.sending') : t('alarms.ackSubmit')}
        </button>
        <button type="button" className="ghost" onClick={closeAck}>
          {t('alarms.cancel')}
        </button>
      </div>
    </form>
  );
}

export function HistoryButton({ alarmId }: { alarmId: string }) {
  const { t } = useI18n();
  const open = useAppStore((s) => s.alarms.history?.alarmId === alarmId);
  return (
    <button type="button" className="ghost" data-testid="alarm-history-toggle" aria-expanded={open} onClick={() => toggleHistory(alarmId)}>
      {open ? t('alarms.historyHide') : t('alarms.history')}
    </button>
  );
}

/** The open alarm's history, newest first (shown under its row). */
export function HistoryPanel({ alarmId }: { alarmId: string }) {
  const { t } = useI18n();
  const time = useTime();
  const h = useAppStore(selectAlarmHistory);
  if (h?.alarmId !== alarmId) return null;
  return (
    <div className="alarm-history" data-testid="alarm-history">
      {h.error && <ErrorBanner error={h.error} action="alarms.action.history" />}
      {!h.rows && !h.error && <p className="loading">{t('alarms.loading')}</p>}
      {h.rows?.length === 0 && <p className="muted">{t('alarms.historyNone')}</p>}
      <ul>
        {h.rows?.map((r, i) => (
          <li key={i} data-testid="alarm-history-row" data-kind={r.kind}>
            {time(r.at)} · {t(`alarms.event.${r.kind}` as MessageKey)} · <Severity severity={r.severity} />
            {r.value !== null && <span> · {r.value}</span>}
            {r.actor && <span> · {r.actor}</span>}
            {r.comment && <q> {r.comment}</q>}
          </li>
        ))}
      </ul>
    </div>
  );
}
