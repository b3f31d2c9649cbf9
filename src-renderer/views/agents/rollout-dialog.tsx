// Upgrade or roll back the selected agents: a form (version for an upgrade, empty = the
// console's built-in one; batch size; the failure share that pauses the run; how long a started
// version has to report healthy before it is rolled back), then a
// confirmation naming how many agents and which version, then the core's answer: the launched
// workflow run (a link to it) and the agents it left out with why. A refusal is worded in the
// dialog; when none of the agents can be reached, each is listed with its reason.
import { useEffect, useId, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { closeRollout, startRollout } from '../../stores/agents/actions';
import { EMPTY_ROLLOUT_FORM, HEALTH_WINDOW_S, refusedSkips, rolloutArgs, type RolloutField, type RolloutForm } from '../../stores/agents/agent-model';
import { selectAgentRollout } from '../../stores/agents/selectors';
import type { AgentRolloutState } from '../../stores/agents/slice';
import { useAppStore } from '../../stores/store';
import { SkippedList } from './skipped-list';

/** The templates' defaults (agents.upgrade's batchSize and maxFailPct when absent). */
const DEFAULT_BATCH = 10;
const DEFAULT_FAIL_PCT = 20;

export function RolloutDialog() {
  const r = useAppStore(selectAgentRollout);
  if (!r) return null;
  return <Dialog r={r} />;
}

function Dialog({ r }: { r: AgentRolloutState }) {
  const { t } = useI18n();
  const titleId = useId();
  const [form, setForm] = useState<RolloutForm>(EMPTY_ROLLOUT_FORM);
  const [step, setStep] = useState<'form' | 'confirm'>('form');
  const [tried, setTried] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !r.busy) closeRollout();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [r.busy]);
  const checked = rolloutArgs(r.kind, form, r.agentIds);
  const problems = tried && !checked.ok ? checked.problems : {};
  const upgrade = r.kind === 'upgrade';
  return (
    <div className="modal-backdrop" onClick={() => !r.busy && closeRollout()}>
      <div
        className="modal agents-rollout"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="agents-rollout"
        data-kind={r.kind}
        data-step={r.result ? 'done' : step}
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id={titleId}>{t(upgrade ? 'agents.rollout.upgradeTitle' : 'agents.rollout.rollbackTitle')}</h2>
        <div className="small">
          <span className="muted">{t('agents.rollout.agents')}: </span>
          <span className="wf-data" data-testid="agents-rollout-ids">
            {r.agentIds.join(', ')}
          </span>
        </div>
        {r.result ? (
          <Outcome r={r} />
        ) : step === 'form' ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setTried(true);
              if (checked.ok) setStep('confirm');
            }}
          >
            {upgrade && <Field field="version" label={t('agents.rollout.version')} hint={t('agents.rollout.versionHint')} form={form} setForm={setForm} problem={problems.version} />}
            <Field field="batchSize" label={t('agents.rollout.batch')} hint={t('agents.rollout.batchHint', { n: DEFAULT_BATCH })} form={form} setForm={setForm} problem={problems.batchSize} numeric />
            <Field field="maxFailPct" label={t('agents.rollout.fail')} hint={t('agents.rollout.failHint', { n: DEFAULT_FAIL_PCT })} form={form} setForm={setForm} problem={problems.maxFailPct} numeric />
            <Field field="healthWindowS" label={t('agents.rollout.health')} hint={t('agents.rollout.healthHint', { n: HEALTH_WINDOW_S.default })} form={form} setForm={setForm} problem={problems.healthWindowS} numeric />
            <div className="modal-buttons">
              <button type="button" data-testid="agents-rollout-cancel" onClick={closeRollout}>
                {t('agents.rollout.cancel')}
              </button>
              <button type="submit" className="primary" data-testid="agents-rollout-next">
                {t('agents.rollout.next')}
              </button>
            </div>
          </form>
        ) : (
          <Confirm r={r} form={form} onBack={() => setStep('form')} />
        )}
      </div>
    </div>
  );
}

function Field(props: { field: RolloutField; label: string; hint: string; form: RolloutForm; setForm: (f: RolloutForm) => void; problem?: string; numeric?: boolean }) {
  const { t } = useI18n();
  const { field, form } = props;
  return (
    <label className={`inv-field ${props.problem ? 'is-invalid' : ''}`}>
      <span>{props.label}</span>
      <input
        data-testid={`agents-rollout-${field}`}
        value={form[field] ?? ''}
        inputMode={props.numeric ? 'decimal' : undefined}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={props.problem ? true : undefined}
        onChange={(e) => props.setForm({ ...form, [field]: e.currentTarget.value })}
      />
      <span className="muted small">{props.hint}</span>
      {props.problem && (
        <span className="tone-text-bad small" data-testid={`agents-rollout-${field}-problem`}>
          {t(`agents.rollout.problem.${props.problem as 'version' | 'batch' | 'fail' | 'health'}`)}
        </span>
      )}
    </label>
  );
}

function Confirm({ r, form, onBack }: { r: AgentRolloutState; form: RolloutForm; onBack: () => void }) {
  const { t, num } = useI18n();
  const n = r.agentIds.length;
  const version = form.version.trim();
  const named = version ? t('agents.rollout.named', { version }) : t('agents.rollout.builtIn');
  const question =
    r.kind === 'upgrade'
      ? t(n === 1 ? 'agents.rollout.confirmUpgrade.one' : 'agents.rollout.confirmUpgrade.other', { n: num(n), version: named })
      : t(n === 1 ? 'agents.rollout.confirmRollback.one' : 'agents.rollout.confirmRollback.other', { n: num(n) });
  const skips = r.error ? refusedSkips(r.error.params) : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void startRollout(form);
      }}
    >
      <p className="confirm-effect" data-testid="agents-rollout-question" data-count={n} data-version={r.kind === 'upgrade' ? version || 'built-in' : 'previous'}>
        <strong>{question}</strong>
      </p>
      <p className="muted small">
        {t('agents.rollout.effect', { batch: num(Number(form.batchSize.trim() || DEFAULT_BATCH)), fail: num(Number(form.maxFailPct.trim() || DEFAULT_FAIL_PCT)) })}
      </p>
      {r.error && !(skips && skips.length > 0) && (
        <ErrorBanner error={r.error} action={r.kind === 'upgrade' ? 'agents.action.upgrade' : 'agents.action.rollback'} testId="agents-rollout-error" />
      )}
      {skips && skips.length > 0 && (
        <div className="banner banner-error" role="alert" data-testid="agents-rollout-unreachable" data-code={r.error?.code}>
          <strong>{t('agents.rollout.unreachable')}</strong>
          <SkippedList skipped={skips} />
        </div>
      )}
      <div className="modal-buttons">
        <button type="button" data-testid="agents-rollout-back" disabled={r.busy} onClick={onBack}>
          {t('agents.rollout.back')}
        </button>
        <button type="submit" className="danger" data-testid="agents-rollout-submit" disabled={r.busy}>
          {r.busy ? t('agents.rollout.busy') : t(r.kind === 'upgrade' ? 'agents.rollout.submitUpgrade' : 'agents.rollout.submitRollback')}
        </button>
      </div>
    </form>
  );
}

function Outcome({ r }: { r: AgentRolloutState }) {
  const { t, num } = useI18n();
  const res = r.result!;
  return (
    <div className="agents-outcome" data-testid="agents-rollout-result" data-run-id={res.runId}>
      <p className="tone-text-good">
        {t(res.hosts === 1 ? 'agents.rollout.launched.one' : 'agents.rollout.launched.other', { n: num(res.hosts) })}{' '}
        <a href={`#/workflows/run/${encodeURIComponent(res.runId)}`} data-testid="agents-rollout-run" onClick={closeRollout}>
          {t('agents.rollout.openRun')}
        </a>
      </p>
      {res.skipped.length === 0 ? (
        <p className="muted small">{t('agents.rollout.noneSkipped')}</p>
      ) : (
        <>
          <p className="small">{t('agents.rollout.skipped', { n: num(res.skipped.length) })}</p>
          <SkippedList skipped={res.skipped} />
        </>
      )}
      <div className="modal-buttons">
        <button type="button" data-testid="agents-rollout-close" onClick={closeRollout}>
          {t('agents.rollout.close')}
        </button>
      </div>
    </div>
  );
}
