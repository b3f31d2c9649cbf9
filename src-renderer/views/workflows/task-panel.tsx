// The selected task of a run: its state, error and inputs / outputs; for operators retry
// (as it was, or with edited inputs: retry-editor.tsx) of a failed or waiting task (a waiting
// one's retry cuts its attempt, so it is asked once more), skip (asked once more), approve or
// reject an approval (with a note or reason); which of them shows is taskControls'
// (stores/workflows/task-controls.ts); every attempt (inputs, outputs, error, who started it,
// what was edited, who cancelled it); and its timestamped log lines, newer ones fetched as the
// task moves and older pages on request. Escape closes it.
import { useState } from 'react';
import type { WfAttempt, WfRunDetail, WfTemplateStep } from '../../../src-shared/domain/workflow';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { navigate } from '../../stores/fleet/actions';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { moreLogs, refreshTask, taskAction } from '../../stores/workflows/run-actions';
import { taskKey } from '../../stores/workflows/run-matrix';
import { selectWfTask } from '../../stores/workflows/selectors';
import { taskControls } from '../../stores/workflows/task-controls';
import { RetryEditor } from './retry-editor';
import { HostName, TaskStateText, useWfFormat } from './wf-bits';

const json = (v: unknown) => JSON.stringify(v, null, 2);

export function TaskPanel({ detail, stepId, host }: { detail: WfRunDetail; stepId: string; host: string }) {
  const { t, num } = useI18n();
  const { stamp } = useWfFormat();
  const role = useAppStore(selectRole);
  const sel = useAppStore(selectWfTask);
  const [editing, setEditing] = useState(false);
  const [confirmSkip, setConfirmSkip] = useState(false);
  const [confirmRetry, setConfirmRetry] = useState(false);
  const [note, setNote] = useState('');
  const task = detail.tasks.find((x) => taskKey(x.stepId, x.host) === taskKey(stepId, host));
  const step: WfTemplateStep | undefined = detail.template.steps.find((s) => s.id === stepId);
  const close = () => navigate({ view: 'wf-run', runId: detail.id });
  const state = sel && sel.runId === detail.id && sel.stepId === stepId && sel.host === host ? sel : null;
  if (!task || !step) {
    return (
      <section className="card" data-testid="wf-task-panel" data-missing="true">
        <p className="muted">{t('wf.task.notFound')}</p>
        <button type="button" onClick={close}>
          {t('wf.act.close')}
        </button>
      </section>
    );
  }
  const controls = taskControls(role, detail.state, task.state, step);
  const { retry: canRetry, retryCuts, skip: canSkip, approve: canApprove } = controls;
  // Asked once more only while the retry still cuts a waiting attempt (the task may have moved on meanwhile).
  const askRetry = confirmRetry && retryCuts;
  const busy = state?.busy ?? null;
  const attempts = state?.attempts ?? null;
  const last = attempts && attempts.length ? attempts[attempts.length - 1] : null;
  const lastInputs = last?.inputs ?? task.inputs ?? step.inputs;
  return (
    <section
      className="card wf-task"
      data-testid="wf-task-panel"
      data-step={stepId}
      data-host={host}
      data-state={task.state}
      data-attempt={task.attempt}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !editing) close();
      }}
    >
      <div className="card-head">
        <h2>
          <span className="wf-data">{step.title ?? step.id}</span> · {host ? <HostName run={detail} id={host} /> : <span>{t('wf.scope.run')}</span>}
        </h2>
        <span className="inv-buttons">
          <TaskStateText state={task.state} />
          <span className="muted small">{t('wf.task.attemptN', { n: num(task.attempt) })}</span>
          <button type="button" className="small" data-testid="wf-task-refresh" onClick={() => void refreshTask()}>
            {t('wf.refresh')}
          </button>
          <button type="button" className="small" data-testid="wf-task-close" onClick={close}>
            {t('wf.act.close')}
          </button>
        </span>
      </div>
      {task.error && (
        <p className="tone-text-bad" data-testid="wf-task-error">
          {task.failure && <strong>{t(`wf.failure.${task.failure}` as MessageKey)}: </strong>}
          <code className="wf-data wf-error-text">{task.error}</code>
        </p>
      )}
      {(canRetry || canSkip || canApprove) && !editing && (
        <div className="inv-buttons" data-testid="wf-task-actions">
          {canRetry && !askRetry && (
            <button
              type="button"
              className="primary"
              data-testid="wf-retry"
              data-cuts={retryCuts ? 'true' : 'false'}
              disabled={busy !== null}
              onClick={() => {
                setConfirmRetry(retryCuts);
                if (!retryCuts) void taskAction('retry');
              }}
            >
              {retryCuts ? t('wf.act.retryNow') : t('wf.act.retry')}
            </button>
          )}
          {canRetry && askRetry && (
            <span className="wf-confirm" role="group">
              <span>{t('wf.act.retryNowAsk')}</span>
              <button type="button" className="danger" data-testid="wf-retry-confirm" disabled={busy !== null} onClick={() => void taskAction('retry').then(() => setConfirmRetry(false))}>
                {t('wf.act.retryNowYes')}
              </button>
              <button type="button" data-testid="wf-retry-confirm-cancel" onClick={() => setConfirmRetry(false)}>
                {t('wf.act.cancel')}
              </button>
            </span>
          )}
          {canRetry && (
            <button type="button" data-testid="wf-retry-edit" disabled={busy !== null} onClick={() => setEditing(true)}>
              {t('wf.act.retryEdit')}
            </button>
          )}
          {canApprove && (
            <>
              <label className="inline-field">
                <span>{t('wf.act.note')}</span>
                <input data-testid="wf-approval-note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
              </label>
              <button type="button" className="primary" data-testid="wf-approve" disabled={busy !== null} onClick={() => void taskAction('approve', { text: note }).then((ok) => ok && setNote(''))}>
                {t('wf.act.approve')}
              </button>
              <button type="button" className="danger" data-testid="wf-reject" disabled={busy !== null} onClick={() => void taskAction('reject', { text: note }).then((ok) => ok && setNote(''))}>
                {t('wf.act.reject')}
              </button>
            </>
          )}
          {canSkip && !confirmSkip && (
            <button type="button" data-testid="wf-skip" disabled={busy !== null} onClick={() => setConfirmSkip(true)}>
              {t('wf.act.skip')}
            </button>
          )}
          {canSkip && confirmSkip && (
            <span className="wf-confirm" role="group">
              <span>{t('wf.act.skipAsk')}</span>
              <button type="button" className="danger" data-testid="wf-skip-confirm" disabled={busy !== null} onClick={() => void taskAction('skip').then(() => setConfirmSkip(false))}>
                {t('wf.act.skipYes')}
              </button>
              <button type="button" onClick={() => setConfirmSkip(false)}>
                {t('wf.act.cancel')}
              </button>
            </span>
          )}
        </div>
      )}
      {editing && canRetry && (
        <RetryEditor
          key={`${task.attempt}`}
          lastInputs={lastInputs}
          cutsWaiting={retryCuts}
          busy={busy === 'retry'}
          error={state?.actionError ?? null}
          onCancel={() => setEditing(false)}
          onRetry={(inputs) => void taskAction('retry', inputs ? { inputs } : {}).then((ok) => ok && setEditing(false))}
        />
      )}
      {state?.actionError && !editing && <ErrorBanner error={state.actionError} action="wf.action.task" testId="wf-task-action-error" />}
      <h3>{t('wf.attempts.title')}</h3>
      {state?.attemptsError && <ErrorBanner error={state.attemptsError} action="wf.action.attempts" onRetry={() => void refreshTask()} testId="wf-attempts-error" />}
      {!attempts && !state?.attemptsError && <p className="loading small">{t('wf.loading')}</p>}
      {attempts && attempts.length === 0 && <p className="muted small">{t('wf.attempts.none')}</p>}
      {attempts && attempts.length > 0 && <Attempts attempts={attempts} stamp={stamp} />}
      <h3>{t('wf.logs.title')}</h3>
      {state?.logsError && <ErrorBanner error={state.logsError} action="wf.action.logs" onRetry={() => void moreLogs()} testId="wf-logs-error" />}
      {state && state.logs.length === 0 && !state.logsError && <p className="muted small">{t('wf.logs.none')}</p>}
      {state && state.logs.length > 0 && (
        <ol className="wf-logs scroll-box" data-testid="wf-logs" data-count={state.logs.length}>
          {state.logs.map((l) => (
            <li key={l.id} data-testid="wf-log-line" data-level={l.level} data-id={l.id} className={`wf-log-${l.level}`}>
              <time dateTime={new Date(l.at).toISOString()}>{stamp(l.at)}</time> <span className="wf-log-level">{t(`wf.level.${l.level}` as MessageKey)}</span>{' '}
              <code className="wf-data">{l.line}</code>
            </li>
          ))}
        </ol>
      )}
      {state?.logsMore && (
        <button type="button" className="small" data-testid="wf-logs-more" onClick={() => void moreLogs()}>
          {t('wf.logs.more')}
        </button>
      )}
    </section>
  );
}

const ATTEMPT_TONE: Readonly<Record<WfAttempt['state'], string>> = { running: 'busy', succeeded: 'good', failed: 'bad', cancelled: 'empty' };

function Attempts({ attempts, stamp }: { attempts: readonly WfAttempt[]; stamp: (ms: number | null) => string }) {
  const { t, num } = useI18n();
  const { hms } = useWfFormat();
  return (
    <table className="data-table wf-attempts" data-testid="wf-attempts">
      <thead>
        <tr>
          <th className="num">{t('wf.attempts.n')}</th>
          <th>{t('wf.col.state')}</th>
          <th>{t('wf.attempts.started')}</th>
          <th className="num">{t('wf.col.duration')}</th>
          <th>{t('wf.attempts.by')}</th>
          <th>{t('wf.attempts.detail')}</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={a.attempt} data-testid="wf-attempt" data-attempt={a.attempt} data-state={a.state} data-by={a.by} data-edited={a.edited ? 'true' : 'false'}>
            <td className="num">{num(a.attempt)}</td>
            <td>
              <span className={`wf-badge wf-tone-${ATTEMPT_TONE[a.state]}`}>{t(`wf.attempt.${a.state}` as MessageKey)}</span>
            </td>
            <td className="small">{stamp(a.startedAt)}</td>
            <td className="num small">{a.finishedAt ? hms(a.finishedAt - a.startedAt) : '—'}</td>
            <td className="small">{a.by === 'engine' ? t('wf.attempts.byEngine') : <span className="wf-data">{a.by}</span>}</td>
            <td className="small wf-attempt-detail">
              {a.state === 'cancelled' && (
                <div data-testid="wf-attempt-cancelled" data-cancelled-by={a.cancelledBy ?? ''}>
                  {a.cancelledBy ? t('wf.attempts.cancelledBy', { who: a.cancelledBy, at: stamp(a.finishedAt) }) : t('wf.attempts.cancelledAt', { at: stamp(a.finishedAt) })}
                  {a.error && (
                    <>
                      {' '}
                      <code className="wf-data">{a.error}</code>
                    </>
                  )}
                </div>
              )}
              {a.error && a.state !== 'cancelled' && (
                <div className="tone-text-bad" data-testid="wf-attempt-error">
                  {a.failure && <>{t(`wf.failure.${a.failure}` as MessageKey)}: </>}
                  <code className="wf-data wf-error-text">{a.error}</code>
                </div>
              )}
              {a.edited && (
                <div data-testid="wf-attempt-edited">
                  {t('wf.attempts.edited')} <code className="wf-data">{JSON.stringify(a.edited)}</code>
                </div>
              )}
              <details>
                <summary>{t('wf.attempts.inputs')}</summary>
                <pre className="wf-json">{json(a.inputs)}</pre>
              </details>
              {a.outputs && (
                <details>
                  <summary>{t('wf.attempts.outputs')}</summary>
                  <pre className="wf-json">{json(a.outputs)}</pre>
                </details>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
