// The reports view (#/reports): the generate form (operators and admins; a viewer sees a note
// instead), the jobs with their live steps (onDidChangeReportJobs while the view is open), the
// history of generated files with a download each, and the daily schedule (admins edit it).
// Everything is read again when the connection comes back.
import { useEffect } from 'react';
import { useI18n } from '../../i18n/use-i18n';
import { attachReportsLive, loadReports } from '../../stores/reports-actions';
import { mayCall } from '../../stores/session/roles';
import { selectPhase, selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { GenerateForm } from './generate-form';
import { HistoryList } from './history-list';
import { JobList } from './job-list';
import { SchedulePanel } from './schedule-panel';
import './reports.css';

export function ReportsView() {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const ready = useAppStore(selectPhase) === 'ready';
  useEffect(() => {
    if (!ready) return;
    const live = attachReportsLive();
    loadReports();
    return () => live.dispose();
  }, [ready]);
  return (
    <main className="reports-view" data-testid="reports-view">
      <div className="view-head">
        <h1>{t('reports.title')}</h1>
      </div>
      <p className="muted">{t('reports.hint')}</p>
      {mayCall(role, 'reports.generate') ? (
        <GenerateForm />
      ) : (
        <p className="muted" data-testid="report-role-note">
          {t('reports.generate.roleNote')}
        </p>
      )}
      <JobList />
      <HistoryList />
      <SchedulePanel />
    </main>
  );
}
