// The credentials page (admin): every stored credential with its kind, whether its secret is
// set (never the secret), how many devices use it and when it changed; create and edit in a
// form per kind, delete (confirmed; the core refuses one still in use and names the hosts),
// and the devices that use one with a real test against a device.
import { useEffect } from 'react';
import type { CredentialInfo } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import {
  askRemoveCredential,
  editCredential,
  loadCredentials,
  newCredential,
  openCredential,
  removeCredential,
} from '../../stores/credentials/actions';
import {
  selectCredentialForm,
  selectCredentialOpenId,
  selectCredentialRemoveError,
  selectCredentialRemoveId,
  selectCredentialRemoved,
  selectCredentialRemoving,
  selectCredentialSaved,
  selectCredentials,
  selectCredentialsError,
} from '../../stores/credentials/selectors';
import type { ShownError } from '../../stores/shown-error';
import { useAppStore } from '../../stores/store';
import { CredentialFormView } from './credential-form';
import { CredentialPanel } from './credential-panel';

export function CredentialsView() {
  const { t } = useI18n();
  const list = useAppStore(selectCredentials);
  const error = useAppStore(selectCredentialsError);
  const form = useAppStore(selectCredentialForm);
  const saved = useAppStore(selectCredentialSaved);
  const removed = useAppStore(selectCredentialRemoved);
  const openId = useAppStore(selectCredentialOpenId);
  useEffect(() => {
    void loadCredentials();
  }, []);
  return (
    <main className="credentials-view" data-testid="credentials-view">
      <div className="view-head">
        <h1>{t('cred.title')}</h1>
        <button type="button" className="primary" data-testid="cred-new" onClick={() => newCredential()}>
          {t('cred.new')}
        </button>
      </div>
      <p className="muted small">{t('cred.hint')}</p>
      {error && <ErrorBanner error={error} action="action.credentials" onRetry={() => void loadCredentials()} testId="cred-list-error" />}
      {saved && (
        <div className="banner banner-ok" role="status" data-testid="cred-saved" data-id={saved}>
          {t('cred.saved', { id: saved })}
        </div>
      )}
      {removed && (
        <div className="banner banner-ok" role="status" data-testid="cred-removed" data-id={removed}>
          {t('cred.deleted', { id: removed })}
        </div>
      )}
      {form && <CredentialFormView form={form} />}
      {!list && !error && <p className="loading">{t('cred.loading')}</p>}
      {list && list.length === 0 && <p className="muted">{t('cred.empty')}</p>}
      {list && list.length > 0 && <CredentialTable list={list} openId={openId} />}
      {openId && <CredentialPanel key={openId} id={openId} />}
      <RemoveConfirm />
    </main>
  );
}

function CredentialTable({ list, openId }: { list: readonly CredentialInfo[]; openId: string | null }) {
  const { t, time, num } = useI18n();
  const usedBy = (n: number | undefined) =>
    n === undefined ? t('cred.unknown') : n === 0 ? t('cred.usedByNone') : n === 1 ? t('cred.usedByOne') : t('cred.usedBy', { n: num(n) });
  return (
    <div className="scroll-box card">
      <table className="data-table" data-testid="cred-table">
        <thead>
          <tr>
            <th>{t('cred.col.kind')}</th>
            <th>{t('cred.col.id')}</th>
            <th>{t('cred.col.name')}</th>
            <th>{t('cred.col.secret')}</th>
            <th className="num">{t('cred.col.usedBy')}</th>
            <th>{t('cred.col.updated')}</th>
            <th>{t('cred.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => (
            <tr key={c.id} data-testid="cred-row" data-id={c.id} data-kind={c.kind} className={openId === c.id ? 'selected' : ''}>
              <td>{t(`cred.kind.${c.kind}` as MessageKey)}</td>
              <td>
                <code>{c.id}</code>
              </td>
              <td data-testid="cred-name">{c.name}</td>
              <td data-testid="cred-secret" className="tone-text-good">
                {t('cred.secretSet')}
              </td>
              <td className="num" data-testid="cred-used-by" data-value={c.usedBy ?? ''}>
                {usedBy(c.usedBy)}
              </td>
              <td>{time(c.updatedAt ?? c.createdAt)}</td>
              <td className="row-actions">
                <button type="button" data-testid="cred-edit" onClick={() => editCredential(c)}>
                  {t('cred.edit')}
                </button>
                <button type="button" data-testid="cred-open" aria-pressed={openId === c.id} onClick={() => void openCredential(openId === c.id ? null : c.id)}>
                  {openId === c.id ? t('cred.close') : t('cred.open')}
                </button>
                <button type="button" className="danger" data-testid="cred-delete" onClick={() => askRemoveCredential(c.id)}>
                  {t('cred.delete')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A CONFLICT naming the devices that still use the credential, in words; null for other errors. */
export function inUseText(t: (key: MessageKey, vars?: Record<string, string | number>) => string, e: ShownError): string | null {
  if (e.code !== 'CONFLICT' || typeof e.params !== 'object' || e.params === null) return null;
  const p = e.params as { id?: unknown; devices?: unknown; hostnames?: unknown };
  const hosts = Array.isArray(p.hostnames) ? p.hostnames.filter((h): h is string => typeof h === 'string') : [];
  const n = typeof p.devices === 'number' ? p.devices : hosts.length;
  if (n === 0) return null;
  const shown = hosts.join(', ') + (n > hosts.length ? ', …' : '');
  const id = typeof p.id === 'string' ? p.id : '';
  return n === 1 ? t('cred.delete.inUseOne', { id, hosts: shown }) : t('cred.delete.inUse', { n, id, hosts: shown });
}

function RemoveConfirm() {
  const { t } = useI18n();
  const id = useAppStore(selectCredentialRemoveId);
  const busy = useAppStore(selectCredentialRemoving);
  const error = useAppStore(selectCredentialRemoveError);
  if (!id) return null;
  const inUse = error ? inUseText(t, error) : null;
  return (
    <div className="modal-backdrop" onClick={() => askRemoveCredential(null)}>
      <div className="modal" role="dialog" aria-modal="true" data-testid="cred-delete-confirm" data-id={id} onClick={(e) => e.stopPropagation()}>
        <h2>
          {t('cred.delete.title')} <span className="confirm-host">{id}</span>
        </h2>
        <p className="confirm-effect">{t('cred.delete.effect')}</p>
        {inUse && (
          <div className="banner banner-error" role="alert" data-testid="cred-in-use">
            {inUse}
          </div>
        )}
        {error && !inUse && <ErrorBanner error={error} action="action.removeCredential" testId="cred-delete-error" />}
        <div className="modal-buttons">
          <button type="button" data-testid="cred-delete-cancel" onClick={() => askRemoveCredential(null)}>
            {t('cred.delete.cancel')}
          </button>
          <button type="button" className="danger" data-testid="cred-delete-submit" disabled={busy} onClick={() => void removeCredential()}>
            {t('cred.delete.submit')}
          </button>
        </div>
      </div>
    </div>
  );
}
