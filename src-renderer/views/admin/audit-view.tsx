// The audit page (admin): the trail newest first, filtered by actor, action, target (parts of
// the value), outcome and a time range; outcomes coloured; "more" asks for the next page.
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../src-shared/domain';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { filterAudit, loadAudit, moreAudit } from '../../stores/audit/actions';
import { AUDIT_MAX, AUDIT_OUTCOMES, AUDIT_PAGE, emptyAuditFilters, type AuditFilters } from '../../stores/audit/audit-filters';
import { selectAuditEntries, selectAuditError, selectAuditFilters, selectAuditLimit, selectAuditLoading } from '../../stores/audit/selectors';
import { useAppStore } from '../../stores/store';

const OUTCOME_TONE: Record<AuditEntry['outcome'], string> = { allowed: 'good', succeeded: 'good', refused: 'warn', failed: 'bad' };

export function AuditView() {
  const { t, num } = useI18n();
  const applied = useAppStore(selectAuditFilters);
  const entries = useAppStore(selectAuditEntries);
  const error = useAppStore(selectAuditError);
  const loading = useAppStore(selectAuditLoading);
  const limit = useAppStore(selectAuditLimit);
  const [draft, setDraft] = useState<AuditFilters>(applied);
  useEffect(() => {
    void loadAudit();
  }, []);
  const set = (k: keyof AuditFilters) => (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [k]: e.currentTarget.value });
  const text = (k: 'actor' | 'action' | 'target') => (
    <label className="inv-field">
      <span>{t(`audit.f.${k}` as MessageKey)}</span>
      <input data-testid={`audit-filter-${k}`} value={draft[k]} spellCheck={false} onChange={set(k)} />
    </label>
  );
  const full = entries !== null && entries.length >= limit && limit < AUDIT_MAX;
  return (
    <main className="audit-view" data-testid="audit-view">
      <div className="view-head">
        <h1>{t('audit.title')}</h1>
      </div>
      <p className="muted small">{t('audit.hint')}</p>
      <form
        className="card audit-filters inv-form"
        data-testid="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void filterAudit(draft);
        }}
      >
        {text('actor')}
        {text('action')}
        {text('target')}
        <label className="inv-field">
          <span>{t('audit.f.outcome')}</span>
          <select data-testid="audit-filter-outcome" value={draft.outcome} onChange={set('outcome')}>
            <option value="">{t('audit.f.any')}</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`audit.outcome.${o}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label className="inv-field">
          <span>{t('audit.f.since')}</span>
          <input type="datetime-local" data-testid="audit-filter-since" value={draft.since} onChange={set('since')} />
        </label>
        <label className="inv-field">
          <span>{t('audit.f.until')}</span>
          <input type="datetime-local" data-testid="audit-filter-until" value={draft.until} onChange={set('until')} />
        </label>
        <div className="inv-buttons">
          <button type="submit" className="primary" data-testid="audit-apply">
            {t('audit.apply')}
          </button>
          <button
            type="button"
            data-testid="audit-clear"
            onClick={() => {
              setDraft(emptyAuditFilters);
              void filterAudit(emptyAuditFilters);
            }}
          >
            {t('audit.clear')}
          </button>
        </div>
      </form>
      {error && <ErrorBanner error={error} action="action.audit" onRetry={() => void loadAudit()} testId="audit-error" />}
      {!entries && !error && <p className="loading">{t('audit.loading')}</p>}
      {entries && entries.length === 0 && (
        <p className="muted" data-testid="audit-none">
          {t('audit.none')}
        </p>
      )}
      {entries && entries.length > 0 && (
        <>
          <p className="muted small" data-testid="audit-count" data-value={entries.length} aria-busy={loading}>
            {t('audit.count', { n: num(entries.length) })}
          </p>
          <AuditTable entries={entries} />
        </>
      )}
      {full && (
        <button type="button" data-testid="audit-more" disabled={loading} onClick={() => void moreAudit()}>
          {t('audit.more', { n: num(AUDIT_PAGE) })}
        </button>
      )}
    </main>
  );
}

function AuditTable({ entries }: { entries: readonly AuditEntry[] }) {
  const { t, time } = useI18n();
  return (
    <div className="scroll-box card">
      <table className="data-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('audit.col.at')}</th>
            <th>{t('audit.col.actor')}</th>
            <th>{t('audit.col.role')}</th>
            <th>{t('audit.col.action')}</th>
            <th>{t('audit.col.target')}</th>
            <th>{t('audit.col.outcome')}</th>
            <th>{t('audit.col.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-id={e.id} data-action={e.action} data-outcome={e.outcome} data-at={e.at}>
              <td>{time(e.at)}</td>
              <td>{e.actor}</td>
              <td>{t(`role.${e.role}` as MessageKey)}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td data-testid="audit-target">{e.target}</td>
              <td className={`tone-text-${OUTCOME_TONE[e.outcome] ?? 'empty'}`} data-testid="audit-outcome">
                {t(`audit.outcome.${e.outcome}` as MessageKey)}
              </td>
              <td className="small">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
