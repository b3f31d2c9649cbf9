// An agent's last rollout in a sentence (the table's health cell, the agent's page): what the
// newest agent run that decided something for its host did, e.g. "Upgrade to 2.0.0-bad rolled
// back: <why>; runs 1.0.0 again", a deploy or rollback failed at a step, still running or
// waiting in a paused run, or done; with a link to the run. The why and versions are the
// fleet's data (the agent's own log line). On the agent's page (full) it also says when, and
// for a failure the task's error as the run page shows it.
import type { AgentLastRollout } from '../../../src-shared/domain/agent';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { lastRolloutWhat, ROLLOUT_STEPS } from '../../stores/agents/agent-model';
import { Ago } from './agent-bits';

const TONE = { ok: 'tone-text-good', pending: 'muted', 'rolled-back': 'tone-text-warn', failed: 'tone-text-bad' } as const;

export function LastRollout({ rollout: r, full = false }: { rollout: AgentLastRollout; full?: boolean }) {
  const { t } = useI18n();
  const what = lastRolloutWhat(r);
  const version = r.version ?? (r.kind === 'deploy' ? t('agents.rollout.builtIn') : t('agents.lr.previous'));
  const step = r.stepId === null ? '' : (ROLLOUT_STEPS as readonly string[]).includes(r.stepId) ? t(`agents.lr.step.${r.stepId}` as MessageKey) : r.stepId;
  const text = t(`agents.lr.${r.kind}.${what}` as MessageKey, { version, reason: r.reason ?? '', previous: r.runsAgain ?? '', step });
  return (
    <span className={`small agent-rollout ${TONE[r.outcome]}`} data-testid="agent-rollout" data-outcome={r.outcome} data-kind={r.kind} data-run-id={r.runId} data-version={r.version ?? ''}>
      <span data-testid="agent-rollout-text">{text}</span>{' '}
      {full && (
        <span className="muted">
          (<Ago at={r.at} testId="agent-rollout-at" />){' '}
        </span>
      )}
      <a href={`#/workflows/run/${encodeURIComponent(r.runId)}`} data-testid="agent-rollout-run">
        {t('agents.lr.openRun')}
      </a>
      {full && r.outcome === 'failed' && r.error && (
        <code className="wf-data wf-error-text agent-rollout-error" data-testid="agent-rollout-error">
          {r.error}
        </code>
      )}
    </span>
  );
}
