// The confirmation that names the host (power actions, forgetting a host key): what will
// happen to it, and the confirm button enabled only once the hostname has been typed. The
// typed value goes to the core as confirmHostname, which refuses anything but the hostname.
// The same dialog confirms deleting a place by its name (typeLabel / mismatchLabel say so),
// with the core's refusal shown inside it (children).
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n';

export function HostnameConfirm(props: {
  hostname: string;
  title: ReactNode;
  effect: string;
  submitLabel: string;
  className?: string;
  testId: string;
  data?: Record<`data-${string}`, string>;
  /** What to type, when it is not a hostname ("Type the name … to confirm"). */
  typeLabel?: string;
  mismatchLabel?: string;
  busy?: boolean;
  children?: ReactNode;
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
            <span>{props.typeLabel ?? t('confirm.type', { host: hostname })}</span>
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
              {props.mismatchLabel ?? t('confirm.mismatch')}
            </p>
          )}
          {props.children}
          <div className="modal-buttons">
            <button type="button" data-testid="confirm-cancel" onClick={onCancel}>
              {t('confirm.cancel')}
            </button>
            <button type="submit" className="danger" data-testid="confirm-submit" disabled={!matches || props.busy}>
              {props.submitLabel}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
