// The agents table: id (a link to the agent's page), host (a link to its device page), version,
// health with why (and its host's last rollout when it needs an eye: running, waiting in a
// paused run, rolled back with why, failed), connection, last seen, buffered results and bytes, dropped, the agent's
// own CPU % and RSS; for operators a checkbox per row (revoked agents have nothing left to
// roll out) and Revoke. Each row re-renders only when its agent changes (an event replaces
// that one summary); rows are shown a page at a time.
import { memo, useState } from 'react';
import type { AgentSummary } from '../../../src-shared/domain/agent';
import { useI18n } from '../../i18n/use-i18n';
import { openRevoke, selectAgents, toggleAgent } from '../../stores/agents/actions';
import { rolloutNeedsEye } from '../../stores/agents/agent-model';
import { Ago, AgentHost, HealthBadge, HealthWhy, useAgentFormat } from './agent-bits';
import { LastRollout } from './last-rollout';

/** Rows shown at first, and added by "Show more". */
export const AGENTS_PAGE = 300;

export function AgentsTable({ agents, mayAct, selected }: { agents: readonly AgentSummary[]; mayAct: boolean; selected: readonly string[] }) {
  const { t, num } = useI18n();
  const [shown, setShown] = useState(AGENTS_PAGE);
  const rows = agents.slice(0, shown);
  const chosen = new Set(selected);
  const selectable = rows.filter((a) => a.state !== 'revoked').map((a) => a.id);
  const allChosen = selectable.length > 0 && selectable.every((id) => chosen.has(id));
  return (
    <>
      <div className="scroll-box agents-scroll">
        <table className="data-table agents-table" data-testid="agents-table">
          <thead>
            <tr>
              {mayAct && (
                <th>
                  <input
                    type="checkbox"
                    aria-label={t('agents.selectAll')}
                    title={t('agents.selectAll')}
                    data-testid="agents-select-all"
                    checked={allChosen}
                    disabled={selectable.length === 0}
                    onChange={(e) => selectAgents(selectable, e.currentTarget.checked)}
                  />
                </th>
              )}
              <th>{t('agents.col.agent')}</th>
              <th>{t('agents.col.host')}</th>
              <th>{t('agents.col.version')}</th>
              <th>{t('agents.col.health')}</th>
              <th>{t('agents.col.connected')}</th>
              <th>{t('agents.col.lastSeen')}</th>
              <th className="num">{t('agents.col.buffer')}</th>
              <th className="num">{t('agents.col.dropped')}</th>
              <th className="num">{t('agents.col.cpu')}</th>
              <th className="num">{t('agents.col.rss')}</th>
              {mayAct && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <AgentRow key={a.id} agent={a} mayAct={mayAct} chosen={chosen.has(a.id)} />
            ))}
          </tbody>
        </table>
      </div>
      {agents.length > shown && (
        <div className="agents-more">
          <span className="muted small" data-testid="agents-shown">
            {t('agents.shown', { shown: num(shown), total: num(agents.length) })}
          </span>
          <button type="button" data-testid="agents-more" onClick={() => setShown((n) => n + AGENTS_PAGE)}>
            {t('agents.more', { n: num(Math.min(AGENTS_PAGE, agents.length - shown)) })}
          </button>
        </div>
      )}
    </>
  );
}

const AgentRow = memo(function AgentRow({ agent: a, mayAct, chosen }: { agent: AgentSummary; mayAct: boolean; chosen: boolean }) {
  const { t, num } = useI18n();
  const { size, pct } = useAgentFormat();
  const s = a.status;
  const dash = t('agents.none.value');
  return (
    <tr data-testid="agent-row" data-agent-id={a.id} data-health={a.health} data-connected={String(a.connected)} className={chosen ? 'agents-chosen' : ''}>
      {mayAct && (
        <td>
          <input
            type="checkbox"
            aria-label={t('agents.selectOne', { id: a.id })}
            data-testid="agent-select"
            checked={chosen}
            disabled={a.state === 'revoked'}
            onChange={(e) => toggleAgent(a.id, e.currentTarget.checked)}
          />
        </td>
      )}
      <td>
        <a href={`#/agents/${encodeURIComponent(a.id)}`} className="wf-data" data-testid="agent-link">
          {a.id}
        </a>
      </td>
      <td data-testid="agent-host">
        <AgentHost agent={a} />
      </td>
      <td data-testid="agent-version">{a.version ?? dash}</td>
      <td className="agents-health-cell">
        <HealthBadge agent={a} />
        <HealthWhy agent={a} />
        {rolloutNeedsEye(a.lastRollout) && <LastRollout rollout={a.lastRollout} />}
      </td>
      <td data-testid="agent-connected" className={a.connected ? 'tone-text-good' : 'muted'}>
        {t(a.connected ? 'agents.connected.yes' : 'agents.connected.no')}
      </td>
      <td>
        <Ago at={a.lastSeenAt} testId="agent-last-seen" />
      </td>
      <td className="num" data-testid="agent-buffer" data-value={s?.bufferDepth ?? ''}>
        {s ? (
          <>
            {s.bufferDepth === 1 ? t('agents.buffer.one') : t('agents.buffer', { n: num(s.bufferDepth) })}
            <div className="muted small">{size(s.bufferBytes)}</div>
          </>
        ) : (
          dash
        )}
      </td>
      <td className={`num ${s && s.dropped > 0 ? 'tone-text-bad' : ''}`} data-testid="agent-dropped">
        {s ? num(s.dropped) : dash}
      </td>
      <td className="num" data-testid="agent-cpu">
        {s ? pct(s.cpuPct) : dash}
      </td>
      <td className="num" data-testid="agent-rss">
        {s ? size(s.rssBytes) : dash}
      </td>
      {mayAct && (
        <td>
          {a.state !== 'revoked' && (
            <button type="button" className="danger" data-testid="agent-revoke" onClick={() => openRevoke(a.id)}>
              {t('agents.revoke')}
            </button>
          )}
        </td>
      )}
    </tr>
  );
});
