// #/agents: the fleet's agents, live. The console's identity (what agents pin and dial) on
// top; counts per health that filter the table; for operators the selection's Upgrade and
// Roll back (rollout-dialog.tsx) and Revoke per agent (revoke-dialog.tsx); viewers get the
// same table without controls and a note saying which role they need.
import { useEffect, useMemo } from 'react';
import { AGENT_HEALTH, type AgentHealth } from '../../../src-shared/domain/agent';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { clearSelection, loadAgents, openRollout, setHealthFilter, watchAgents } from '../../stores/agents/actions';
import { filterAgents, healthCounts } from '../../stores/agents/agent-model';
import { selectAgentFilter, selectAgentList, selectAgentListError, selectAgentSelection } from '../../stores/agents/selectors';
import { leastRole, mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { HEALTH_TONE } from './agent-bits';
import { AgentsTable } from './agents-table';
import { IdentityPanel } from './identity-panel';
import { RevokeDialog } from './revoke-dialog';
import { RolloutDialog } from './rollout-dialog';
import '../workflows/workflows.css';
import './agents.css';

export function AgentsView() {
  const { t } = useI18n();
  useEffect(() => {
    const w = watchAgents();
    return () => w.dispose();
  }, []);
  return (
    <main className="wf-view agents-view" data-testid="agents-view">
      <div className="view-head">
        <h1>{t('agents.title')}</h1>
        <span className="muted">{t('agents.hint')}</span>
      </div>
      <AgentsList />
      <IdentityPanel />
      <RolloutDialog />
      <RevokeDialog />
    </main>
  );
}

function AgentsList() {
  const { t, num } = useI18n();
  const role = useAppStore(selectRole);
  const list = useAppStore(selectAgentList);
  const error = useAppStore(selectAgentListError);
  const filter = useAppStore(selectAgentFilter);
  const selected = useAppStore(selectAgentSelection);
  const mayAct = mayCall(role, 'agents.revoke');
  const counts = useMemo(() => (list ? healthCounts(list) : null), [list]);
  const shown = useMemo(() => (list ? filterAgents(list, filter) : []), [list, filter]);
  return (
    <section className="card" data-testid="agents-list">
      {error && <ErrorBanner error={error} action="agents.action.list" onRetry={() => void loadAgents()} testId="agents-error" />}
      {!list && !error && <p className="loading">{t('agents.loading')}</p>}
      {list && list.length === 0 && (
        <div className="agents-empty" data-testid="agents-empty">
          <p>
            <strong>{t('agents.none')}</strong>
          </p>
          <p className="muted">{t('agents.noneHint')}</p>
        </div>
      )}
      {list && list.length > 0 && counts && (
        <>
          <HealthFilter counts={counts} total={list.length} filter={filter} />
          {mayAct ? (
            <SelectionBar selected={selected} />
          ) : (
            role && (
              <p className="inv-role-note" data-testid="agents-role-note">
                {t('agents.roleNote', { required: t(`role.${leastRole('agents.revoke')}` as MessageKey), role: t(`role.${role}` as MessageKey) })}
              </p>
            )
          )}
          {shown.length === 0 ? (
            <p className="muted" data-testid="agents-none-match">
              {t('agents.noneMatch')}
            </p>
          ) : (
            <AgentsTable key={filter} agents={shown} mayAct={mayAct} selected={selected} />
          )}
          <span className="muted small" data-testid="agents-total" data-value={list.length}>
            {t('agents.shown', { shown: num(shown.length), total: num(list.length) })}
          </span>
        </>
      )}
    </section>
  );
}

function HealthFilter({ counts, total, filter }: { counts: Readonly<Record<AgentHealth, number>>; total: number; filter: AgentHealth | '' }) {
  const { t, num } = useI18n();
  const chip = (value: AgentHealth | '', label: string, n: number, tone: string) => (
    <button
      key={value || 'all'}
      type="button"
      className={`agents-count agents-count-${tone} ${filter === value ? 'active' : ''}`}
      aria-pressed={filter === value}
      data-testid={`agents-count-${value || 'all'}`}
      data-value={n}
      onClick={() => setHealthFilter(value)}
    >
      <span className="agents-count-n">{num(n)}</span> {label}
    </button>
  );
  return (
    <div className="agents-counts" role="group" aria-label={t('agents.counts')} data-testid="agents-counts">
      {chip('', t('agents.count.all'), total, 'all')}
      {AGENT_HEALTH.map((h) => chip(h, t(`agents.health.${h}` as MessageKey), counts[h], HEALTH_TONE[h]))}
    </div>
  );
}

function SelectionBar({ selected }: { selected: readonly string[] }) {
  const { t, num } = useI18n();
  const n = selected.length;
  return (
    <div className="agents-actions" data-testid="agents-actions">
      {n === 0 ? (
        <span className="muted small" data-testid="agents-select-hint">
          {t('agents.selectHint')}
        </span>
      ) : (
        <span data-testid="agents-selected" data-value={n}>
          {t('agents.selected', { n: num(n) })}
        </span>
      )}
      <button type="button" className="primary" data-testid="agents-upgrade" disabled={n === 0} onClick={() => openRollout('upgrade')}>
        {t('agents.upgrade')}
      </button>
      <button type="button" data-testid="agents-rollback" disabled={n === 0} onClick={() => openRollout('rollback')}>
        {t('agents.rollback')}
      </button>
      {n > 0 && (
        <button type="button" className="ghost" data-testid="agents-clear" onClick={clearSelection}>
          {t('agents.clearSelection')}
        </button>
      )}
    </div>
  );
}
