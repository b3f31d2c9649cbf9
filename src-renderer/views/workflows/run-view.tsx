// One workflow run (#/workflows/run/<runId>[?step=&host=]): its state, progress (done /
// total, failed), who launched it and when, its params; pause / resume / revoke for
// operators (revoke asks once more); the steps x hosts matrix of task states (a word and a
// colour in each cell), live through onDidProgressWorkflow; a cell opens its task below
// (task-panel.tsx), kept in the route so the back button and links work.
import { useEffect, useState } from 'react';
import type { WfRunDetail } from '../../../src-shared/domain/workflow';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { navigate } from '../../stores/fleet/actions';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { openRun, runAction, selectTask } from '../../stores/workflows/run-actions';
import { buildMatrix, hostName, OPEN_RUN_STATES, progressPct, taskKey, TASK_TONE, type HostFilter } from '../../stores/workflows/run-matrix';
import { selectWfRun } from '../../stores/workflows/selectors';
import { TaskPanel } from './task-panel';
import { HostName, RunStateBadge, useWfFormat } from './wf-bits';
import './workflows.css';

/** Host rows drawn at most (the filters narrow a big run down). */
const MATRIX_ROWS = 300;

export function WfRunView({ runId, stepId, host }: { runId: string; stepId?: string; host?: string }) {
  const { t } = useI18n();
  const run = useAppStore(selectWfRun);
  useEffect(() => {
    void openRun(runId);
  }, [runId]);
  const detail = run?.runId === runId ? run.detail : null;
  const loaded = detail !== null;
  useEffect(() => {
    if (loaded) void selectTask(stepId ? { stepId, host: host ?? '' } : null);
  }, [loaded, runId, stepId, host]);
  return (
    <main className="wf-view" data-testid="wf-run-view" data-run-id={runId} data-state={detail?.state ?? ''}>
      {run?.runId === runId && run.error && <ErrorBanner error={run.error} action="wf.action.run" onRetry={() => void openRun(runId)} testId="wf-run-error" />}
      {!detail && !(run?.runId === runId && run.error) && <p className="loading">{t('wf.loading')}</p>}
      {detail && <RunHead detail={detail} />}
      {detail && <RunMatrix detail={detail} stepId={stepId} host={host ?? ''} />}
      {detail && stepId && <TaskPanel key={`${stepId}\u0000${host ?? ''}`} detail={detail} stepId={stepId} host={host ?? ''} />}
    </main>
  );
}

function RunHead({ detail }: { detail: WfRunDetail }) {
  const { t, num } = useI18n();
  const { stamp, hms } = useWfFormat();
  const role = useAppStore(selectRole);
  const run = useAppStore(selectWfRun);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const open = OPEN_RUN_STATES.has(detail.state);
  const may = mayCall(role, 'workflows.pause');
  const pct = progressPct(detail.done, detail.total);
  const busy = run?.busy ?? null;
  const params = Object.entries(detail.params);
  return (
    <section className="card wf-run-head" data-testid="wf-run-head">
      <div className="card-head">
        <h1>
          <span className="wf-data">{detail.name}</span> <span className="muted small">{`v${detail.templateVersion}`}</span>
        </h1>
        <RunStateBadge state={detail.state} testId="wf-run-state" />
      </div>
      <div className="wf-progress" data-testid="wf-run-progress" data-done={detail.done} data-total={detail.total} data-failed={detail.failed}>
        <div className="count-bar-label">
          <span>{t('wf.progress', { done: num(detail.done), total: num(detail.total), pct })}</span>
          <span className={detail.failed ? 'tone-text-bad' : 'muted'} data-testid="wf-run-failed" data-value={detail.failed}>
            {t('wf.failedTasks', { n: num(detail.failed) })}
          </span>
        </div>
        <div className="count-bar-track" role="progressbar" aria-valuemin={0} aria-valuemax={detail.total} aria-valuenow={detail.done} aria-label={t('wf.col.progress')}>
          <div className={`count-bar-fill wf-fill-${detail.failed ? 'bad' : 'good'}`} style={{ width: `${pct}%` }} />
        </div>
      </div>
      <dl className="wf-meta small">
        <dt>{t('wf.meta.by')}</dt>
        <dd className="wf-data">{detail.createdBy}</dd>
        <dt>{t('wf.meta.started')}</dt>
        <dd>{stamp(detail.createdAt)}</dd>
        <dt>{t('wf.meta.finished')}</dt>
        <dd>{detail.finishedAt ? `${stamp(detail.finishedAt)} (${hms(detail.finishedAt - detail.createdAt)})` : '—'}</dd>
        <dt>{t('wf.meta.hosts')}</dt>
        <dd>{num(detail.hosts.length)}</dd>
        {params.length > 0 && <dt>{t('wf.meta.params')}</dt>}
        {params.length > 0 && (
          <dd className="wf-data">
            {params.map(([k, v]) => (
              <code key={k} className="wf-param-chip">
                {k}={typeof v === 'string' ? v : JSON.stringify(v)}
              </code>
            ))}
          </dd>
        )}
      </dl>
      {may && open && (
        <div className="inv-buttons" data-testid="wf-run-controls">
          {detail.state === 'running' && (
            <button type="button" data-testid="wf-pause" disabled={busy !== null} onClick={() => void runAction('pause')}>
              {t('wf.act.pause')}
            </button>
          )}
          {detail.state === 'paused' && (
            <button type="button" className="primary" data-testid="wf-resume" disabled={busy !== null} onClick={() => void runAction('resume')}>
              {t('wf.act.resume')}
            </button>
          )}
          {!confirmRevoke ? (
            <button type="button" className="danger" data-testid="wf-revoke" disabled={busy !== null} onClick={() => setConfirmRevoke(true)}>
              {t('wf.act.revoke')}
            </button>
          ) : (
            <span className="wf-confirm" role="group">
              <span>{t('wf.act.revokeAsk')}</span>
              <button
                type="button"
                className="danger"
                data-testid="wf-revoke-confirm"
                disabled={busy !== null}
                onClick={() => {
                  setConfirmRevoke(false);
                  void runAction('revoke');
                }}
              >
                {t('wf.act.revokeYes')}
              </button>
              <button type="button" data-testid="wf-revoke-cancel" onClick={() => setConfirmRevoke(false)}>
                {t('wf.act.cancel')}
              </button>
            </span>
          )}
        </div>
      )}
      {run?.actionError && <ErrorBanner error={run.actionError} action="wf.action.runAction" testId="wf-run-action-error" />}
    </section>
  );
}

function RunMatrix({ detail, stepId, host }: { detail: WfRunDetail; stepId?: string; host: string }) {
  const { t, num } = useI18n();
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<HostFilter>('all');
  const m = buildMatrix(detail, { text, filter, limit: MATRIX_ROWS });
  const open = (s: string, h: string) => navigate({ view: 'wf-run', runId: detail.id, stepId: s, ...(h ? { host: h } : {}) });
  const cell = (s: string, h: string) => {
    const task = m.byKey.get(taskKey(s, h));
    if (!task) return <td key={s} className="wf-cell-none" />;
    const selected = stepId === s && host === h;
    const label = t('wf.cell.label', { step: s, host: h ? hostName(detail, h) : t('wf.scope.run'), state: t(`wf.task.${task.state}` as MessageKey) });
    return (
      <td key={s} className="wf-cell-td">
        <button
          type="button"
          className={`wf-cell wf-tone-${TASK_TONE[task.state]} ${selected ? 'selected' : ''}`}
          data-testid="wf-cell"
          data-step={s}
          data-host={h}
          data-state={task.state}
          data-attempt={task.attempt}
          aria-pressed={selected}
          aria-label={label}
          title={label}
          onClick={() => open(s, h)}
        >
          {t(`wf.task.${task.state}` as MessageKey)}
          {task.attempt > 1 && <span className="wf-attempt-n"> ×{task.attempt}</span>}
        </button>
      </td>
    );
  };
  return (
    <section className="card" data-testid="wf-matrix-card">
      <div className="card-head">
        <h2>{t('wf.matrix.title')}</h2>
        <div className="inv-form">
          <label className="inline-field">
            <span>{t('wf.matrix.findHost')}</span>
            <input data-testid="wf-matrix-find" value={text} spellCheck={false} onChange={(e) => setText(e.currentTarget.value)} />
          </label>
          <label className="inline-field">
            <span>{t('wf.matrix.show')}</span>
            <select data-testid="wf-matrix-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value as HostFilter)}>
              <option value="all">{t('wf.matrix.all')}</option>
              <option value="attention">{t('wf.matrix.attention')}</option>
              <option value="failed">{t('wf.matrix.failed')}</option>
            </select>
          </label>
        </div>
      </div>
      <div className="scroll-box wf-tall">
        <table className="data-table wf-matrix" data-testid="wf-matrix">
          <thead>
            <tr>
              <th>{t('wf.matrix.host')}</th>
              {m.columns.map((c) => (
                <th key={c.step.id} data-testid="wf-matrix-step" data-step={c.step.id} data-done={c.done} data-failed={c.failed}>
                  <span className="wf-data">{c.step.title ?? c.step.id}</span>
                  <div className="muted small">
                    {num(c.done)}/{num(c.total)}
                    {c.failed > 0 && <span className="tone-text-bad"> · {t('wf.failedTasks', { n: num(c.failed) })}</span>}
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.hasRunScope && (
              <tr data-testid="wf-matrix-run-row">
                <th scope="row" className="muted">
                  {t('wf.scope.run')}
                </th>
                {m.columns.map((c) => (c.step.scope === 'run' ? cell(c.step.id, '') : <td key={c.step.id} className="wf-cell-none" />))}
              </tr>
            )}
            {m.hosts.map((h) => (
              <tr key={h} data-testid="wf-matrix-row" data-host={h}>
                <th scope="row" className="wf-host">
                  <HostName run={detail} id={h} link />
                </th>
                {m.columns.map((c) => (c.step.scope === 'host' ? cell(c.step.id, h) : <td key={c.step.id} className="wf-cell-none" />))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {m.matched > m.hosts.length && (
        <p className="muted small" data-testid="wf-matrix-more">
          {t('wf.matrix.more', { shown: num(m.hosts.length), n: num(m.matched) })}
        </p>
      )}
      {m.matched === 0 && detail.hosts.length > 0 && <p className="muted small">{t('wf.matrix.noneMatch')}</p>}
    </section>
  );
}
