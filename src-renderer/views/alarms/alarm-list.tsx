// The active alarms: roots first, each with the alarms grouped under it collapsed (their count
// shown, expandable), severity colours, masked ones dimmed with the window that masks them,
// acknowledge and history per alarm.
import { Fragment, useState, type ReactNode } from 'react';
import type { Alarm, AlarmRule, MaintenanceWindow } from '../../../src-shared/domain/alarm';
import { useI18n } from '../../i18n/use-i18n';
import { groupAlarms } from '../../stores/alarms/selectors';
import { useNow } from '../device/device-facts';
import { AckControl, AlarmState, HistoryButton, HistoryPanel, Severity, useTime } from './alarm-bits';

/** The active windows that name the object (else every active window: the core masked it through one of them). */
function maskingWindows(alarm: Alarm, windows: readonly MaintenanceWindow[], now: number): MaintenanceWindow[] {
  const active = windows.filter((w) => w.from <= now && now < w.to);
  const naming = active.filter((w) => Object.values(w.scope).some((ids: readonly string[]) => ids.includes(alarm.objectId)));
  return naming.length > 0 ? naming : active;
}

/** Where an alarm's object is shown: a cabinet condition's object is the cabinet (its elevation), else a device. */
function objectHref(alarm: Alarm, rule: AlarmRule | undefined): string {
  const cabinet = rule?.condition.kind === 'metric' && rule.condition.metric.startsWith('cabinet.');
  return cabinet ? `#/cabinet/${encodeURIComponent(alarm.objectId)}` : `#/device/${encodeURIComponent(alarm.objectId)}`;
}

export function AlarmList({ list, windows, rules }: { list: readonly Alarm[]; windows: readonly MaintenanceWindow[]; rules: ReadonlyMap<string, AlarmRule> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const groups = groupAlarms(list);
  if (groups.length === 0) return <p className="muted" data-testid="alarms-none">{t('alarms.none')}</p>;
  const toggle = (id: string) => setOpen((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  return (
    <table className="alarm-table" data-testid="alarm-list">
      <thead>
        <tr>
          <th>{t('alarms.col.severity')}</th>
          <th>{t('alarms.col.object')}</th>
          <th>{t('alarms.col.rule')}</th>
          <th>{t('alarms.col.state')}</th>
          <th>{t('alarms.col.seen')}</th>
          <th>{t('alarms.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <Fragment key={g.root.id}>
            <Row alarm={g.root} windows={windows} rule={rules.get(g.root.ruleId)}>
              {g.members.length > 0 && (
                <button type="button" className="ghost" data-testid="alarm-group-toggle" data-count={g.members.length} aria-expanded={open.has(g.root.id)} onClick={() => toggle(g.root.id)}>
                  {t(open.has(g.root.id) ? 'alarms.groupHide' : 'alarms.groupShow', { n: g.members.length })}
                </button>
              )}
            </Row>
            {open.has(g.root.id) && g.members.map((m) => <Row key={m.id} alarm={m} windows={windows} rule={rules.get(m.ruleId)} member />)}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

function Row(props: { alarm: Alarm; windows: readonly MaintenanceWindow[]; rule: AlarmRule | undefined; member?: boolean; children?: ReactNode }) {
  const { t } = useI18n();
  const time = useTime();
  const a = props.alarm;
  const now = useNow(10_000);
  const masking = a.masked ? maskingWindows(a, props.windows, now) : [];
  return (
    <>
      <tr
        className={`alarm-row sev-row-${a.severity} ${a.masked ? 'is-masked' : ''} ${props.member ? 'is-member' : ''}`}
        data-testid={props.member ? 'alarm-member' : 'alarm-row'}
        data-alarm-id={a.id}
        data-object-id={a.objectId}
        data-rule-id={a.ruleId}
        data-state={a.state}
        data-masked={a.masked ? 'yes' : 'no'}
      >
        <td><Severity severity={a.severity} /></td>
        <td>
          <a href={objectHref(a, props.rule)}>{a.objectId}</a>
          {props.children}
        </td>
        <td>{props.rule?.name ?? a.ruleId}</td>
        <td>
          <AlarmState alarm={a} />
          {masking.length > 0 && (
            <div className="muted small" data-testid="alarm-masked-by">
              {masking.map((w) => t('alarms.maskedBy', { reason: w.reason, to: time(w.to) })).join('; ')}
            </div>
          )}
        </td>
        <td className="small">
          {t('alarms.seen', { first: time(a.firstSeen), last: time(a.lastSeen), n: a.occurrences })}
        </td>
        <td>
          <div className="alarm-actions">
            <AckControl alarm={a} />
            <HistoryButton alarmId={a.id} />
          </div>
        </td>
      </tr>
      <tr className="alarm-history-row">
        <td colSpan={6} style={{ padding: 0, border: 0 }}>
          <HistoryPanel alarmId={a.id} />
        </td>
      </tr>
    </>
  );
}
