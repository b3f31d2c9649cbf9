// The console's identity as agents know it: the certificate fingerprint they pin at deploy
// time and the address they dial, each with a Copy button (the clipboard where the browser
// allows it; otherwise the text is selected for a manual copy, and said so).
import { useRef, useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import { useI18n } from '../../i18n/use-i18n';
import { loadIdentity } from '../../stores/agents/actions';
import { selectAgentIdentity, selectAgentIdentityError } from '../../stores/agents/selectors';
import { useAppStore } from '../../stores/store';

export function IdentityPanel() {
  const { t } = useI18n();
  const identity = useAppStore(selectAgentIdentity);
  const error = useAppStore(selectAgentIdentityError);
  const listen = identity?.listen ?? null;
  const address = listen ? (listen.host.includes(':') ? `[${listen.host}]:${listen.port}` : `${listen.host}:${listen.port}`) : null;
  return (
    <section className="card agents-identity" data-testid="agents-identity">
      <div className="card-head">
        <h2>{t('agents.identity.title')}</h2>
      </div>
      <p className="muted small">{t('agents.identity.hint')}</p>
      {error && <ErrorBanner error={error} action="agents.action.identity" onRetry={() => void loadIdentity()} testId="agents-identity-error" />}
      {!identity && !error && <p className="loading">{t('agents.identity.loading')}</p>}
      {identity && (
        <dl className="wf-meta">
          <dt>{t('agents.identity.fingerprint')}</dt>
          <dd>
            <Copyable text={identity.fingerprint256} testId="agents-fingerprint" />
          </dd>
          <dt>{t('agents.identity.listen')}</dt>
          <dd>
            {address ? (
              <Copyable text={address} testId="agents-listen" />
            ) : (
              <span className="tone-text-warn" data-testid="agents-not-listening">
                {t('agents.identity.notListening')}
              </span>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}

function Copyable({ text, testId }: { text: string; testId: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const selectText = (): void => {
    const el = ref.current;
    const sel = window.getSelection();
    if (!el || !sel) return;
    const range = document.createRange();
    range.selectNodeContents(el);
    sel.removeAllRanges();
    sel.addRange(range);
  };
  const copy = async (): Promise<void> => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      selectText();
      setState('failed');
    }
  };
  return (
    <span className="agents-copyable">
      <code ref={ref} className="agents-copy-text" data-testid={testId}>
        {text}
      </code>
      <button type="button" className="ghost" data-testid={`${testId}-copy`} onClick={() => void copy()}>
        {t('agents.copy')}
      </button>
      {state === 'copied' && (
        <span className="tone-text-good small" role="status" data-testid={`${testId}-copied`}>
          {t('agents.copied')}
        </span>
      )}
      {state === 'failed' && (
        <span className="tone-text-warn small" role="status">
          {t('agents.copyFailed')}
        </span>
      )}
    </span>
  );
}
