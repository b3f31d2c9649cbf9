// Confirmations that name the host: what will happen to it, and the confirm button enabled
// only once the hostname has been typed. The typed value goes to the core as
// confirmHostname, which refuses anything but the device's hostname.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { PowerAction } from '../../src-shared/domain';
import type { MessageKey } from '../i18n/i18n';
import { useI18n } from '../i18n/use-i18n';

export function HostnameConfirm(props: {
  hostname: string;
  title: ReactNode;
  effect: string;
  submitLabel: string;
  className?: string;
  testId: string;
  data?: Record<`data-${string}`, string>;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { hostname, onCancel } = props;
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
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div
        className={`modal ${props.className ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={props.testId}
        {...props.data}
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id={titleId} data-testid="confirm-title">
          {props.title}{' '}
          <span className="confirm-host" data-testid="confirm-host">
            {hostname}
          </span>
        </h2>
        <p className="confirm-effect">{props.effect}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) props.onConfirm(typed);
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
              {props.submitLabel}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

export function PowerConfirm(props: { hostname: string; action: PowerAction; onConfirm: (typed: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { hostname, action } = props;
  const label = t(`power.${action}` as MessageKey);
  return (
    <HostnameConfirm
      hostname={hostname}
      title={t('confirm.title', { action: label })}
      effect={t(`confirm.effect.${action}` as MessageKey, { host: hostname })}
      submitLabel={t('confirm.submit', { action: label, host: hostname })}
      className={`power-confirm power-${action}`}
      testId="power-confirm"
      data={{ 'data-action': action }}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    />
  );
}
