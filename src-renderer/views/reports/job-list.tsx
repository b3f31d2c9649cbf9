// The jobs of this session of the core, newest first: what each makes, its steps (queued,
// reading, computing, writing, done) with the one it is at, who asked, why it failed, and a
// link to the workflow run (reports-daily) that generates it, when the core has the engine.
import { REPORT_JOB_STATES, type ReportJob } from '../../../src-shared/api/reports';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { formatRoute } from '../../stores/fleet/route';
import { useReportsStore } from '../../stores/reports';
import { loadJobs } from '../../stores/reports-actions';

const STEPS = REPORT_JOB_STATES.filter((s) => s !== 'failed');

export function JobList() {
  const { t } = useI18n();
  const jobs = useReportsStore((s) => s.jobs);
  const error = useReportsStore((s) => s.jobsError);
  return (
    <section data-testid="report-jobs">
      <h2>{t('reports.jobs.title')}</h2>
      {error && <ErrorBanner error={error} action="reports.action.jobs" onRetry={() => void loadJobs()} />}
      {!jobs && !error && <p className="loading">{t('reports.jobs.loading')}</p>}
      {jobs && jobs.length === 0 && <p className="muted" data-testid="report-jobs-none">{t('reports.jobs.none')}</p>}
      {jobs && jobs.length > 0 && (
        <table className="report-table">
          <thead>
            <tr>
              <th>{t('reports.col.report')}</th>
              <th>{t('reports.col.day')}</th>
              <th>{t('reports.col.format')}</th>
              <th>{t('reports.col.locale')}</th>
              <th>{t('reports.col.progress')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <JobRow key={j.id} job={j} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function JobRow({ job }: { job: ReportJob }) {
  const { t } = useI18n();
  const at = job.state === 'failed' ? -1 : STEPS.indexOf(job.state);
  return (
    <tr data-testid="report-job" data-job-id={job.id} data-state={job.state} data-day={job.day} data-format={job.format} data-locale={job.locale}>
      <td>
        {t(`reports.kind.${job.kind}` as MessageKey)}
        <div className="muted small">{t('reports.job.by', { actor: job.actor === 'schedule' ? t('reports.actor.schedule') : job.actor })}</div>
        {job.runId && (
          <a className="small" href={formatRoute({ view: 'wf-run', runId: job.runId })} data-testid="report-job-run">
            {t('reports.job.run')}
          </a>
        )}
      </td>
      <td>{job.day}</td>
      <td>{t(`reports.format.${job.format}` as MessageKey)}</td>
      <td>{t(`reports.locale.${job.locale}` as MessageKey)}</td>
      <td>
        <ol className="report-steps" data-testid="report-job-steps">
          {STEPS.map((s, i) => (
            <li key={s} data-step={s} className={i < at || job.state === 'done' ? 'step-past' : i === at ? 'step-now' : 'step-next'} aria-current={i === at ? 'step' : undefined}>
              {t(`reports.state.${s}` as MessageKey)}
            </li>
          ))}
        </ol>
        {job.state === 'failed' && (
          <div className="report-failed" role="alert" data-testid="report-job-error">
            {t('reports.job.failed', { error: job.error ?? '' })}
          </div>
        )}
      </td>
    </tr>
  );
}
