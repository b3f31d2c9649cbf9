// The agents a rollout left out, each with the core's reason worded in the user's language
// (a reason this renderer does not know yet is shown as the core sent it).
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { skipReason } from '../../stores/agents/agent-model';

export function SkippedList({ skipped }: { skipped: readonly { agentId: string; reason: string }[] }) {
  const { t } = useI18n();
  const word = (reason: string): string => {
    const r = skipReason(reason);
    if (r.kind === 'other') return r.text;
    if (r.kind === 'revoked') return t('agents.skip.revoked', { by: r.by });
    if (r.kind === 'device-gone') return t('agents.skip.device-gone', { device: r.deviceId });
    return t(`agents.skip.${r.kind}` as MessageKey);
  };
  return (
    <ul className="agents-skipped" data-testid="agents-skipped">
      {skipped.map((s) => (
        <li key={s.agentId} data-testid="agents-skipped-item" data-agent-id={s.agentId} data-reason={skipReason(s.reason).kind}>
          <code className="wf-data">{s.agentId}</code>: {word(s.reason)}
        </li>
      ))}
    </ul>
  );
}
