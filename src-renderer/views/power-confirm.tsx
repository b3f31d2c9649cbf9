// The power confirmation: names the host and what will happen to it, and enables the
// confirm button only once the hostname has been typed. The typed value goes to the
// core as confirmHostname, which refuses anything but the device's hostname.
import { useEffect, useId, useRef, useState } from 'react';
import type { PowerAction } from '../../src-shared/domain';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';

export function PowerConfirm(props: { hostname: string; action: PowerAction; onConfirm: (typed: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { hostname, action, onCancel } = props;
  const [typed, setTyped] = useState('');
  const titleId = useId();
  const input = useRef<HTMLInputElement>(null);
  const matches = typed === hostname;
  useEffect(() => {
    input.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  const submit = () => {
    if (matches) props.onConfirm(typed);
  };
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div
        className={`modal power-confirm power-${action}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="power-confirm"
        data-action={action}
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id={titleId} data-testid="power-confirm-title">
          {t('confirm.title', { action: t(`power.${action}` as MessageKey) })}{' '}
          <span className="confirm-host" data-testid="confirm-host">
            {hostname}
          </span>
        </h2>
        <p className="confirm-effect">{t(`confirm.effect.${action}` as MessageKey, { host: hostname })}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <label className="inv-field">
            <span>{t('confirm.type', { host: hostname })}</span>
            <input
              ref={input}
              data-testid="confirm-input"
              value={typed}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={typed !== '' && !matches}
              onChange={(e) => setTyped(e.currentTarget.value)}
            />
          </label>
          {typed !== '' && !matches && (
            <p className="muted small" data-testid="confirm-mismatch">
              {t('confirm.mismatch')}
            </p>
          )}
          <div className="modal-buttons">
            <button type="button" data-testid="confirm-cancel" onClick={onCancel}>
              {t('confirm.cancel')}
            </button>
            <button type="submit" className="danger" data-testid="confirm-submit" disabled={!matches}>
              {t('confirm.submit', { action: t(`power.${action}` as MessageKey), host: hostname })}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
