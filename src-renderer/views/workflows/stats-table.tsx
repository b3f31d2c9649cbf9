// The statistics table in seed 000's form: per template over the last 24 h / 7 d / 30 d,
// runs total, succeeded, failed, running, success rate and the average and P90 duration of
// the finished ones; a row opens into its steps (failures, the most frequent error, mean
// time of the succeeded attempts).
import { Fragment, useEffect, useState } from 'react';
import type { WfTemplateStats } from '../../../src-shared/domain/workflow';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../stores/store';
import { loadStats } from '../../stores/workflows/actions';
import { ratePct } from '../../stores/workflows/duration';
import { selectWfPeriod, selectWfStats, selectWfStatsError, selectWfStatsLoading, selectWfTemplates } from '../../stores/workflows/selectors';
import { STATS_PERIODS } from '../../stores/workflows/slice';
import { useWfFormat } from './wf-bits';

export function StatsTable() {
  const { t } = useI18n();
  const period = useAppStore(selectWfPeriod);
  const stats = useAppStore(selectWfStats);
  const error = useAppStore(selectWfStatsError);
  const loading = useAppStore(selectWfStatsLoading);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    void loadStats();
  }, []);
  const toggle = (id: string) => setOpen((o) => (o.has(id) ? new Set([...o].filter((x) => x !== id)) : new Set([...o, id])));
  return (
    <section className="card" data-testid="wf-stats" data-period={period} aria-busy={loading}>
      <div className="card-head">
        <h2>{t('wf.stats.title')}</h2>
        <div className="inv-buttons" role="group" aria-label={t('wf.stats.period')}>
          {STATS_PERIODS.map((p) => (
            <button key={p} type="button" className={period === p ? 'primary' : ''} aria-pressed={period === p} data-testid={`wf-period-${p}`} onClick={() => void loadStats(p)}>
              {t(`wf.period.${p}` as MessageKey)}
            </button>
          ))}
          <button type="button" data-testid="wf-stats-refresh" onClick={() => void loadStats()}>
            {t('wf.refresh')}
          </button>
        </div>
      </div>
      {error && <ErrorBanner error={error} action="wf.action.stats" onRetry={() => void loadStats()} testId="wf-stats-error" />}
      {!stats && !error && <p className="loading">{t('wf.loading')}</p>}
      {stats && stats.length === 0 && (
        <p className="muted" data-testid="wf-stats-none">
          {t('wf.templates.none')}
        </p>
      )}
      {stats && stats.length > 0 && (
        <table className="data-table" data-testid="wf-stats-table">
          <thead>
            <tr>
              <th>{t('wf.stats.flow')}</th>
              <th className="num">{t('wf.stats.total')}</th>
              <th className="num">{t('wf.stats.succeeded')}</th>
              <th className="num">{t('wf.stats.failed')}</th>
              <th className="num">{t('wf.stats.running')}</th>
              <th className="num">{t('wf.stats.rate')}</th>
              <th className="num">{t('wf.stats.mean')}</th>
              <th className="num">{t('wf.stats.p90')}</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <Fragment key={s.templateId}>
                <StatsRow s={s} open={open.has(s.templateId)} onToggle={() => toggle(s.templateId)} />
                {open.has(s.templateId) && <StepRows s={s} />}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function StatsRow({ s, open, onToggle }: { s: WfTemplateStats; open: boolean; onToggle: () => void }) {
  const { t, num } = useI18n();
  const { hms } = useWfFormat();
  const cell = (key: string, v: number, tone = '') => (
    <td className={`num ${v > 0 ? tone : ''}`} data-testid={`wf-stats-${key}`} data-value={v}>
      {num(v)}
    </td>
  );
  return (
    <tr data-testid="wf-stats-row" data-template-id={s.templateId}>
      <td>
        <button type="button" className="link" aria-expanded={open} data-testid="wf-stats-expand" onClick={onToggle} title={t(open ? 'wf.stats.hideSteps' : 'wf.stats.showSteps')}>
          <span aria-hidden>{open ? '▾' : '▸'}</span> <span className="wf-data">{s.name}</span>
        </button>
      </td>
      {cell('total', s.total)}
      {cell('succeeded', s.succeeded, 'tone-text-good')}
      {cell('failed', s.failed, 'tone-text-bad')}
      {cell('running', s.running)}
      <td className="num" data-testid="wf-stats-rate" data-value={s.successRate ?? ''}>
        {s.successRate === null ? '—' : t('wf.stats.pct', { n: ratePct(s.successRate) })}
      </td>
      <td className="num" data-testid="wf-stats-mean" data-value={s.meanMs ?? ''}>
        {hms(s.meanMs)}
      </td>
      <td className="num" data-testid="wf-stats-p90" data-value={s.p90Ms ?? ''}>
        {hms(s.p90Ms)}
      </td>
    </tr>
  );
}

function StepRows({ s }: { s: WfTemplateStats }) {
  const { t, num } = useI18n();
  const { hms } = useWfFormat();
  const templates = useAppStore(selectWfTemplates);
  const steps = templates?.find((x) => x.id === s.templateId)?.template.steps ?? [];
  const title = (id: string) => steps.find((x) => x.id === id)?.title ?? id;
  return (
    <tr className="wf-stats-steps" data-testid="wf-stats-steps" data-template-id={s.templateId}>
      <td colSpan={8}>
        <table className="data-table wf-subtable">
          <thead>
            <tr>
              <th>{t('wf.stats.step')}</th>
              <th className="num">{t('wf.stats.stepFailures')}</th>
              <th>{t('wf.stats.topError')}</th>
              <th className="num">{t('wf.stats.stepMean')}</th>
            </tr>
          </thead>
          <tbody>
            {s.steps.map((st) => (
              <tr key={st.stepId} data-testid="wf-stats-step" data-step={st.stepId} data-failures={st.failures}>
                <td className="wf-data">{title(st.stepId)}</td>
                <td className={`num ${st.failures ? 'tone-text-bad' : ''}`}>{num(st.failures)}</td>
                <td className="small">{st.topError ? <code className="wf-data wf-error-text">{st.topError}</code> : <span className="muted">—</span>}</td>
                <td className="num">{hms(st.meanMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </td>
    </tr>
  );
}
