// The run in progress: what the core started (hosts, and who was skipped and why), a live
// table of per-host results as they stream in, totals, Cancel, and a link to the same run in
// the workflows view (a fleet run is a workflow run: its journal, retry and skip are there).
// Rows are memoised on the result object, so a new batch renders only the new rows.
import { memo, useState } from 'react';
import type { RunHostResult, RunStarted } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import { durationText } from '../../components/format';
import { wordError } from '../../i18n/error-text';
import { isMessageKey } from '../../i18n/i18n';
import { useI18n, type I18n } from '../../i18n/use-i18n';
import { formatRoute } from '../../stores/fleet/route';
import { cancelRun, clearRun } from '../../stores/run/actions';
import type { RunJob } from '../../stores/run/slice';
import { selectRunJob, selectRunResults } from '../../stores/run/selectors';
import { useAppStore } from '../../stores/store';

export function RunPanel() {
  const { t, num, time } = useI18n();
  const job = useAppStore(selectRunJob);
  if (!job) return null;
  const hosts = job.started?.hosts ?? 0;
  const done = job.results.length;
  return (
    <section className="card run-panel" data-testid="run-panel" data-phase={job.phase} data-run-id={job.started?.runId ?? ''}>
      <div className="card-head">
        <h2>
          {t('run.running')} <code className="run-cmd" data-testid="run-shown-command">{job.command}</code>
        </h2>
        <span className="muted">{t('run.startedAt', { time: time(job.startedAt), n: num(job.deviceIds.length) })}</span>
        {job.started && (
          <a href={formatRoute({ view: 'wf-run', runId: job.started.runId })} data-testid="run-workflow-link">
            {t('nav.workflows')} ›
          </a>
        )}
      </div>
      {job.phase === 'starting' && (
        <p className="muted" role="status" data-testid="run-starting">
          <span className="spinner" aria-hidden /> {t('run.starting')}
        </p>
      )}
      {job.error && <ErrorBanner error={job.error} action="action.run" testId={job.error.code === 'FORBIDDEN' ? 'run-refused' : 'run-error'} />}
      {job.started && (
        <>
          <div className="run-stats">
            <Stat id="hosts" label={t('run.stat.hosts')} value={hosts} />
            <Stat id="done" label={t('run.stat.done')} value={done} />
            <Stat id="succeeded" label={t('run.stat.ok')} value={job.succeeded} tone="good" />
            <Stat id="failed" label={t('run.stat.failed')} value={job.failed} tone={job.failed > 0 ? 'bad' : undefined} />
            <Stat id="skipped" label={t('run.stat.skipped')} value={job.started.skipped.length} tone={job.started.skipped.length > 0 ? 'warn' : undefined} />
          </div>
          <div className="count-bar-track" role="progressbar" aria-valuemin={0} aria-valuemax={hosts} aria-valuenow={done} data-testid="run-progress">
            <div className={`count-bar-fill tone-${job.failed > 0 ? 'warn' : 'good'}`} style={{ width: `${hosts ? (done / hosts) * 100 : 100}%` }} />
          </div>
          {job.started.skipped.length > 0 && <Skipped job={job} />}
        </>
      )}
      <div className="inv-buttons run-buttons">
        {job.phase === 'running' && (
          <button type="button" className="danger" data-testid="run-cancel" disabled={job.cancelling} onClick={() => void cancelRun()}>
            {t(job.cancelling ? 'run.cancelling' : 'run.cancel')}
          </button>
        )}
        {(job.phase === 'finished' || job.phase === 'failed') && (
          <button type="button" className="ghost" data-testid="run-clear" onClick={clearRun}>
            {t('inv.import.clear')}
          </button>
        )}
      </div>
      {job.cancelError && <ErrorBanner error={job.cancelError} action="action.cancelRun" testId="run-cancel-error" />}
      {job.finished && (
        <div
          className={`banner ${job.finished.cancelled ? 'banner-warn' : job.finished.failed > 0 ? 'banner-error' : 'banner-ok'}`}
          role="status"
          data-testid="run-finished"
          data-cancelled={String(job.finished.cancelled)}
          data-succeeded={job.finished.succeeded}
          data-failed={job.finished.failed}
        >
          {t(job.finished.cancelled ? 'run.finishedCancelled' : 'run.finished', {
            ok: num(job.finished.succeeded),
            failed: num(job.finished.failed),
            duration: durationText(t, job.finished.ms),
          })}
        </div>
      )}
      {job.started && <ResultsTable />}
    </section>
  );
}

function Stat({ id, label, value, tone }: { id: string; label: string; value: number; tone?: string }) {
  const { num } = useI18n();
  return (
    <div className="run-stat">
      <div className={`run-stat-value ${tone ? `tone-text-${tone}` : ''}`} data-testid={`run-${id}`} data-value={value}>
        {num(value)}
      </div>
      <div className="muted">{label}</div>
    </div>
  );
}

function Skipped({ job }: { job: RunJob }) {
  const { t } = useI18n();
  const skipped = job.started?.skipped ?? [];
  return (
    <details className="run-skipped" data-testid="run-skipped-list" data-count={skipped.length}>
      <summary>{t('run.skippedTitle', { n: skipped.length })}</summary>
      <ul className="scroll-box">
        {skipped.map((s) => (
          <li key={s.deviceId} data-testid="run-skipped-host" data-device-id={s.deviceId}>
            <code>{s.deviceId}</code> — {skipText(t, s)}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** A skip's reason worded from its code; the core's English reason for a code this UI does not know. */
function skipText(t: I18n['t'], s: RunStarted['skipped'][number]): string {
  const key = `run.skip.${s.code}`;
  return isMessageKey(key) ? t(key) : s.reason;
}

function ResultsTable() {
  const { t } = useI18n();
  const results = useAppStore(selectRunResults) ?? [];
  const [filter, setFilter] = useState<'all' | 'failed'>('all');
  const shown = filter === 'failed' ? results.filter((r) => !r.ok) : results;
  return (
    <>
      <div className="card-head">
        <h3>{t('run.results')}</h3>
        <label className="inline-field">
          <input type="checkbox" data-testid="run-only-failed" checked={filter === 'failed'} onChange={(e) => setFilter(e.currentTarget.checked ? 'failed' : 'all')} />
          <span>{t('run.onlyFailed')}</span>
        </label>
      </div>
      <div className="scroll-box run-results-box">
        <table className="data-table run-results" data-testid="run-results">
          <thead>
            <tr>
              <th>{t('run.col.host')}</th>
              <th>{t('run.col.result')}</th>
              <th className="num">{t('run.col.exit')}</th>
              <th className="num">{t('run.col.duration')}</th>
              <th>{t('run.col.output')}</th>
              <th />
            </tr>
          </thead>
          {shown.map((r) => (
            <ResultRow key={r.deviceId} r={r} />
          ))}
        </table>
      </div>
    </>
  );
}

const ResultRow = memo(function ResultRow({ r }: { r: RunHostResult }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  // A host that failed to run is worded from the core's error (its class name and English message folded away).
  const failure = r.failure ? wordError(lang, r.failure) : r.error ? { text: r.error, detail: null } : null;
  const firstLine = (failure?.text ?? (r.stdout.split('\n').find((l) => l.trim() !== '') || r.stderr.split('\n')[0])).slice(0, 160);
  return (
    <tbody className="run-result-group">
      <tr className={r.ok ? 'run-ok' : 'run-failed'} data-testid="run-result" data-device-id={r.deviceId} data-host={r.hostname} data-ok={String(r.ok)} data-exit={r.exitCode ?? ''}>
        <td className="cand-host">{r.hostname}</td>
        <td>
          <span className={`sev-badge ${r.ok ? 'ok' : 'sev-critical'}`}>{t(r.ok ? 'run.ok' : 'run.failed')}</span>
          {r.truncated && (
            <span className="sev-badge sev-warning" data-testid="run-truncated" title={t('run.truncatedHint')}>
              {t('run.truncated')}
            </span>
          )}
        </td>
        <td className="num" data-testid="run-exit">
          {r.exitCode ?? (r.signal ? t('run.signal', { signal: r.signal }) : '—')}
        </td>
        <td className="num">{durationText(t, r.ms)}</td>
        <td className={`run-preview ${failure ? 'tone-text-bad' : ''}`} data-testid="run-preview">
          {firstLine}
        </td>
        <td>
          <button type="button" className="ghost small" data-testid="run-expand" aria-expanded={open} onClick={() => setOpen(!open)}>
            {t(open ? 'run.hide' : 'run.show')}
          </button>
        </td>
      </tr>
      {open && (
        <tr className="run-output-row">
          <td colSpan={6}>
            {failure && (
              <p className="tone-text-bad" data-testid="run-host-error">
                {failure.text}
              </p>
            )}
            {failure?.detail && (
              <details className="muted small">
                <summary>{t('err.detailSummary')}</summary>
                <div>
                  {t('err.detail')}: {failure.detail}
                </div>
              </details>
            )}
            <div className="run-output">
              <div>
                <div className="muted small">{t('run.stdout')}</div>
                <pre className="output-box" data-testid="run-stdout">{r.stdout || t('run.empty')}</pre>
              </div>
              <div>
                <div className="muted small">{t('run.stderr')}</div>
                <pre className="output-box stderr" data-testid="run-stderr">{r.stderr || t('run.empty')}</pre>
              </div>
            </div>
            {r.truncated && <p className="muted small">{t('run.truncatedHint')}</p>}
          </td>
        </tr>
      )}
    </tbody>
  );
});
