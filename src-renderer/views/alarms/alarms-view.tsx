// The alarms view (#/alarms): the active alarms (roots first, grouped alarms under them), the
// rules and the maintenance windows, all read again whenever onDidChangeAlarms says alarms moved.
import { useEffect, useMemo } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { dismissFresh, loadAlarmList } from '../../stores/alarms/actions';
import { loadRules, loadWindows } from '../../stores/alarms/rule-actions';
import { selectAlarmList, selectAlarmListError, selectAlarmRules, selectAlarmsSeq, selectAlarmWindows } from '../../stores/alarms/selectors';
import { useAppStore } from '../../stores/store';
import { AlarmList } from './alarm-list';
import { RulesPanel } from './rules-panel';
import { WindowsPanel } from './windows-panel';
import './alarms.css';

export function AlarmsView() {
  const { t } = useI18n();
  const seq = useAppStore(selectAlarmsSeq);
  const list = useAppStore(selectAlarmList);
  const error = useAppStore(selectAlarmListError);
  const windows = useAppStore(selectAlarmWindows);
  const rules = useAppStore(selectAlarmRules);
  const fresh = useAppStore((s) => s.alarms.fresh.length);
  // Looking at the alarms view is seeing the new alarms.
  useEffect(() => {
    if (fresh > 0) dismissFresh();
  }, [fresh]);
  useEffect(() => {
    void loadAlarmList();
    void loadRules();
    void loadWindows();
  }, [seq]);
  const byId = useMemo(() => new Map((rules ?? []).map((r) => [r.id, r])), [rules]);
  return (
    <main className="alarms-view" data-testid="alarms-view">
      <div className="view-head">
        <h1>{t('alarms.title')}</h1>
      </div>
      <p className="muted">{t('alarms.hint')}</p>
      <section data-testid="alarm-active">
        <h2>{t('alarms.active')}</h2>
        {error && <ErrorBanner error={error} action="alarms.action.list" onRetry={() => void loadAlarmList()} />}
        {!list && !error && <p className="loading">{t('alarms.loading')}</p>}
        {list && <AlarmList list={list} windows={windows ?? []} rules={byId} />}
      </section>
      <RulesPanel />
      <WindowsPanel />
    </main>
  );
}
