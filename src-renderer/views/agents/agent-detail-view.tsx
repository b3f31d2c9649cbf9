// #/agents/<id>: one agent's summary (health with why, its device, version, its host's last
// rollout with a link to the run, where it connects from, last seen, enrolled and revoked by whom, results stored, its own CPU, memory and
// buffer), Revoke for operators, and its latest results by kind (agent-results.tsx), read
// again whenever its summary says newer ones are stored.
import { useEffect } from 'react';
import type { AgentSummary } from '../../../src-shared/domain/agent';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { loadAgents, openRevoke, watchAgents } from '../../stores/agents/actions';
import { closeAgent, openAgent } from '../../stores/agents/detail-actions';
import { selectAgentList, selectAgentListError, selectAgentOf } from '../../stores/agents/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { Ago, AgentHost, HealthBadge, HealthWhy, useAgentFormat, useStamp } from './agent-bits';
import { AgentResults } from './agent-results';
import { LastRollout } from './last-rollout';
import { RevokeDialog } from './revoke-dialog';
import '../workflows/workflows.css';
import './agents.css';

export function AgentDetailView({ agentId }: { agentId: string }) {
  const { t } = useI18n();
  const list = useAppStore(selectAgentList);
  const listError = useAppStore(selectAgentListError);
  const agent = useAppStore(selectAgentOf(agentId));
  useEffect(() => {
    const w = watchAgents();
    return () => w.dispose();
  }, []);
  useEffect(() => {
    openAgent(agentId);
    return () => closeAgent(agentId);
  }, [agentId]);
  return (
    <main className="wf-view agents-view" data-testid="agent-detail" data-agent-id={agentId} data-health={agent?.health}>
      <div className="view-head">
        <a href="#/agents" data-testid="agent-back">
          {t('agents.detail.back')}
        </a>
        <h1>
          {t('agents.detail.title')} <span className="wf-data">{agentId}</span>
        </h1>
      </div>
      {listError && <ErrorBanner error={listError} action="agents.action.list" onRetry={() => void loadAgents()} testId="agents-error" />}
      {!list && !listError && <p className="loading">{t('agents.loading')}</p>}
      {list && !agent && (
        <p className="muted" data-testid="agent-not-found">
          {t('agents.detail.notFound', { id: agentId })}
        </p>
      )}
      {agent && <Summary agent={agent} />}
      {agent && <AgentResults agentId={agentId} />}
      <RevokeDialog />
    </main>
  );
}

function Summary({ agent: a }: { agent: AgentSummary }) {
  const { t, num } = useI18n();
  const { size, pct } = useAgentFormat();
  const stamp = useStamp();
  const role = useAppStore(selectRole);
  const dash = t('agents.none.value');
  const s = a.status;
  return (
    <section className="card" data-testid="agent-summary">
      <div className="card-head">
        <h2>{t('agents.detail.summary')}</h2>
        {mayCall(role, 'agents.revoke') && a.state !== 'revoked' && (
          <button type="button" className="danger" data-testid="agent-revoke" onClick={() => openRevoke(a.id)}>
            {t('agents.revoke')}
          </button>
        )}
      </div>
      <dl className="wf-meta">
        <dt>{t('agents.f.health')}</dt>
        <dd>
          <HealthBadge agent={a} /> <HealthWhy agent={a} />
        </dd>
        <dt>{t('agents.f.device')}</dt>
        <dd data-testid="agent-host">
          <AgentHost agent={a} />
        </dd>
        <dt>{t('agents.f.version')}</dt>
        <dd data-testid="agent-version">{a.version ?? dash}</dd>
        <dt>{t('agents.f.lastRollout')}</dt>
        <dd data-testid="agent-last-rollout">{a.lastRollout ? <LastRollout rollout={a.lastRollout} full /> : dash}</dd>
        <dt>{t('agents.col.connected')}</dt>
        <dd data-testid="agent-connected" className={a.connected ? 'tone-text-good' : 'muted'}>
          {t(a.connected ? 'agents.connected.yes' : 'agents.connected.no')}
        </dd>
        <dt>{t('agents.f.remote')}</dt>
        <dd className="wf-data">{a.remote ?? dash}</dd>
        <dt>{t('agents.f.lastSeen')}</dt>
        <dd>
          <Ago at={a.lastSeenAt} testId="agent-last-seen" />
        </dd>
        <dt>{t('agents.f.enrolled')}</dt>
        <dd>{t('agents.f.byAt', { time: stamp(a.enrolledAt), by: a.enrolledBy })}</dd>
        {a.revokedAt !== null && (
          <>
            <dt>{t('agents.f.revoked')}</dt>
            <dd data-testid="agent-revoked-by">{t('agents.f.byAt', { time: stamp(a.revokedAt), by: a.revokedBy ?? dash })}</dd>
          </>
        )}
        <dt>{t('agents.f.lastSeq')}</dt>
        <dd>{a.lastSeq > 0 ? t('agents.f.lastSeqValue', { n: num(a.lastSeq) }) : dash}</dd>
        <dt>{t('agents.f.cpu')}</dt>
        <dd>{s ? pct(s.cpuPct) : dash}</dd>
        <dt>{t('agents.f.rss')}</dt>
        <dd>{s ? size(s.rssBytes) : dash}</dd>
        <dt>{t('agents.f.buffer')}</dt>
        <dd>{s ? t(s.bufferDepth === 1 ? 'agents.f.bufferValue.one' : 'agents.f.bufferValue', { n: num(s.bufferDepth), size: size(s.bufferBytes) }) : dash}</dd>
        <dt>{t('agents.f.dropped')}</dt>
        <dd className={s && s.dropped > 0 ? 'tone-text-bad' : ''}>{s ? num(s.dropped) : dash}</dd>
      </dl>
    </section>
  );
}
