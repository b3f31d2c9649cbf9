// Revoke one agent: what it does, an optional reason (kept in the audit), confirmed by typing
// the agent's id (as power actions confirm by hostname); the core's refusal is worded inside
// the dialog, which stays open on it.
import { useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { HostnameConfirm } from '../../components/hostname-confirm';
import { useI18n } from '../../i18n/use-i18n';
import { closeRevoke, revokeAgent } from '../../stores/agents/actions';
import { selectAgentRevoke } from '../../stores/agents/selectors';
import { useAppStore } from '../../stores/store';

export function RevokeDialog() {
  const { t } = useI18n();
  const r = useAppStore(selectAgentRevoke);
  const [reason, setReason] = useState('');
  if (!r) return null;
  return (
    <HostnameConfirm
      hostname={r.agentId}
      title={t('agents.revoke.title')}
      effect={t('agents.revoke.effect')}
      submitLabel={t('agents.revoke.submit', { id: r.agentId })}
      typeLabel={t('agents.revoke.type', { id: r.agentId })}
      mismatchLabel={t('agents.revoke.mismatch')}
      className="agents-revoke"
      testId="agents-revoke"
      data={{ 'data-agent-id': r.agentId }}
      busy={r.busy}
      onConfirm={() => {
        void revokeAgent(reason).then((ok) => ok && setReason(''));
      }}
      onCancel={() => {
        setReason('');
        closeRevoke();
      }}
    >
      <label className="inv-field">
        <span>{t('agents.revoke.reason')}</span>
        <input data-testid="agents-revoke-reason" value={reason} maxLength={500} autoComplete="off" onChange={(e) => setReason(e.currentTarget.value)} />
      </label>
      {r.error && <ErrorBanner error={r.error} action="agents.action.revoke" testId="agents-revoke-error" />}
    </HostnameConfirm>
  );
}
