// The workflows page: tabs for the runs (newest first, filtered by template and state, each a
// link to its run view, its first hosts by name), the templates (steps, params, version, who saved it when; "Launch" for
// operators, each opening in the template editor, "New template" for admins: template-links.tsx) and the statistics
// table (stats-table.tsx).
import { useEffect } from 'react';
import { WF_RUN_STATES, type WfRunState, type WfRunSummary, type WfTemplateInfo } from '../../../src-shared/domain/workflow';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { loadRuns, loadTemplates } from '../../stores/workflows/actions';
import { progressPct } from '../../stores/workflows/run-matrix';
import { selectWfRuns, selectWfRunsError, selectWfRunsFilter, selectWfTemplates, selectWfTemplatesError } from '../../stores/workflows/selectors';
import { StatsTable } from './stats-table';
import { NewTemplateLink, TemplateOpenLink } from './template-links';
import { HostName, RunStateBadge, useWfFormat, WfTabs } from './wf-bits';
import './workflows.css';

export function WorkflowsView({ tab }: { tab?: 'templates' | 'stats' }) {
  const { t } = useI18n();
  useEffect(() => {
    void loadTemplates();
  }, []);
  return (
    <main className="wf-view" data-testid="wf-view" data-tab={tab ?? 'runs'}>
      <div className="view-head">
        <h1>{t('wf.title')}</h1>
        <span className="muted">{t('wf.hint')}</span>
      </div>
      <WfTabs here={tab ?? 'runs'} />
      {tab === undefined && <RunsList />}
      {tab === 'templates' && <TemplatesList />}
      {tab === 'stats' && <StatsTable />}
    </main>
  );
}

function RunsList() {
  const { t, num } = useI18n();
  const { stamp, hms } = useWfFormat();
  const runs = useAppStore(selectWfRuns);
  const error = useAppStore(selectWfRunsError);
  const filter = useAppStore(selectWfRunsFilter);
  const templates = useAppStore(selectWfTemplates);
  useEffect(() => {
    void loadRuns();
  }, []);
  return (
    <section className="card" data-testid="wf-runs">
      <div className="card-head">
        <h2>{t('wf.runs.title')}</h2>
        <div className="inv-form">
          <label className="inline-field">
            <span>{t('wf.runs.template')}</span>
            <select data-testid="wf-runs-template" value={filter.templateId} onChange={(e) => void loadRuns({ ...filter, templateId: e.currentTarget.value })}>
              <option value="">{t('wf.runs.any')}</option>
              {(templates ?? []).map((tp) => (
                <option key={tp.id} value={tp.id}>
                  {tp.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t('wf.runs.state')}</span>
            <select data-testid="wf-runs-state" value={filter.state} onChange={(e) => void loadRuns({ ...filter, state: e.currentTarget.value as WfRunState | '' })}>
              <option value="">{t('wf.runs.any')}</option>
              {WF_RUN_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`wf.run.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="wf-runs-refresh" onClick={() => void loadRuns()}>
            {t('wf.refresh')}
          </button>
        </div>
      </div>
      {error && <ErrorBanner error={error} action="wf.action.runs" onRetry={() => void loadRuns()} testId="wf-runs-error" />}
      {!runs && !error && <p className="loading">{t('wf.loading')}</p>}
      {runs && runs.length === 0 && (
        <p className="muted" data-testid="wf-runs-none">
          {t('wf.runs.none')}
        </p>
      )}
      {runs && runs.length > 0 && (
        <div className="scroll-box wf-tall">
          <table className="data-table" data-testid="wf-runs-table">
            <thead>
              <tr>
                <th>{t('wf.col.started')}</th>
                <th>{t('wf.col.flow')}</th>
                <th>{t('wf.col.state')}</th>
                <th className="num">{t('wf.col.progress')}</th>
                <th className="num">{t('wf.col.failedTasks')}</th>
                <th>{t('wf.col.hosts')}</th>
                <th>{t('wf.col.by')}</th>
                <th className="num">{t('wf.col.duration')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid="wf-run-row" data-run-id={r.id} data-state={r.state} data-template-id={r.templateId}>
                  <td>{stamp(r.createdAt)}</td>
                  <td>
                    <a href={`#/workflows/run/${encodeURIComponent(r.id)}`} className="wf-data" data-testid="wf-run-link">
                      {r.name}
                    </a>{' '}
                    <span className="muted small">{`v${r.templateVersion}`}</span>
                  </td>
                  <td>
                    <RunStateBadge state={r.state} />
                  </td>
                  <td className="num" data-done={r.done} data-total={r.total}>
                    {t('wf.progress', { done: num(r.done), total: num(r.total), pct: progressPct(r.done, r.total) })}
                  </td>
                  <td className={`num ${r.failed ? 'tone-text-bad' : ''}`}>{num(r.failed)}</td>
                  <td className="small" data-testid="wf-run-hosts" data-value={r.hosts.length}>
                    <RunHosts run={r} />
                  </td>
                  <td className="small wf-data">{r.createdBy}</td>
                  <td className="num">{r.finishedAt ? hms(r.finishedAt - r.createdAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Hosts named in a runs-list cell, at most this many. */
const RUN_HOSTS_SHOWN = 3;

/** A run's first hosts by name (the run's labels) and how many more. */
function RunHosts({ run }: { run: WfRunSummary }) {
  const { t, num } = useI18n();
  const more = run.hosts.length - RUN_HOSTS_SHOWN;
  return (
    <>
      {run.hosts.slice(0, RUN_HOSTS_SHOWN).map((h, i) => (
        <span key={h}>
          {i > 0 && ', '}
          <HostName run={run} id={h} />
        </span>
      ))}
      {more > 0 && <span className="muted"> {t('wf.host.more', { n: num(more) })}</span>}
    </>
  );
}

function TemplatesList() {
  const { t, num } = useI18n();
  const { stamp } = useWfFormat();
  const role = useAppStore(selectRole);
  const templates = useAppStore(selectWfTemplates);
  const error = useAppStore(selectWfTemplatesError);
  const mayLaunch = mayCall(role, 'workflows.launch');
  return (
    <section className="card" data-testid="wf-templates">
      <div className="card-head">
        <h2>{t('wf.templates.title')}</h2>
        <div className="inv-form">
          <NewTemplateLink />
          <button type="button" data-testid="wf-templates-refresh" onClick={() => void loadTemplates()}>
            {t('wf.refresh')}
          </button>
        </div>
      </div>
      {error && <ErrorBanner error={error} action="wf.action.templates" onRetry={() => void loadTemplates()} testId="wf-templates-error" />}
      {!templates && !error && <p className="loading">{t('wf.loading')}</p>}
      {templates && templates.length === 0 && (
        <p className="muted" data-testid="wf-templates-none">
          {t('wf.templates.none')}
        </p>
      )}
      {templates && templates.length > 0 && (
        <table className="data-table" data-testid="wf-templates-table">
          <thead>
            <tr>
              <th>{t('wf.col.flow')}</th>
              <th className="num">{t('wf.col.version')}</th>
              <th>{t('wf.col.steps')}</th>
              <th>{t('wf.col.params')}</th>
              <th>{t('wf.col.saved')}</th>
              <th />
              {mayLaunch && <th />}
            </tr>
          </thead>
          <tbody>
            {templates.map((info) => (
              <TemplateRow key={info.id} info={info} mayLaunch={mayLaunch} stamp={stamp} num={num} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TemplateRow({ info, mayLaunch, stamp, num }: { info: WfTemplateInfo; mayLaunch: boolean; stamp: (ms: number) => string; num: (n: number) => string }) {
  const { t } = useI18n();
  const tp = info.template;
  return (
    <tr data-testid="wf-template-row" data-template-id={info.id}>
      <td>
        <strong className="wf-data">{info.name}</strong>
        <div className="muted small">
          <code className="wf-data">{info.id}</code>
        </div>
        {tp.description && <div className="small wf-data">{tp.description}</div>}
      </td>
      <td className="num">{num(info.version)}</td>
      <td className="small">
        <ol className="wf-step-list">
          {tp.steps.map((s) => (
            <li key={s.id}>
              <span className="wf-data">{s.title ?? s.id}</span> <code className="muted wf-data">{s.tool}</code>{' '}
              <span className="muted">{t(s.scope === 'run' ? 'wf.scope.run' : 'wf.scope.host')}</span>
            </li>
          ))}
        </ol>
      </td>
      <td className="small">
        {tp.params.length === 0 ? (
          <span className="muted">{t('wf.templates.noParams')}</span>
        ) : (
          tp.params.map((p) => (
            <div key={p.name}>
              <span className="wf-data">{p.title ?? p.name}</span> <span className="muted">{t(`wf.type.${p.type}` as MessageKey)}</span>{' '}
              {p.required && <span className="tone-text-warn">{t('wf.param.required')}</span>}
            </div>
          ))
        )}
      </td>
      <td className="small">
        {stamp(info.savedAt)}
        <div className="muted wf-data">{info.savedBy}</div>
      </td>
      <td>
        <TemplateOpenLink id={info.id} />
      </td>
      {mayLaunch && (
        <td>
          <a className="wf-button-link" href={`#/workflows/launch/${encodeURIComponent(info.id)}`} data-testid="wf-launch-link">
            {t('wf.launch.open')}
          </a>
        </td>
      )}
    </tr>
  );
}
