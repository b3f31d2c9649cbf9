// Audit page actions: fetch with the filters applied (newest first), a bigger page for "more".
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { AUDIT_MAX, AUDIT_PAGE, auditArgs, type AuditFilters } from './audit-filters';
import type { AuditState } from './slice';

const state = () => useAppStore.getState().audit;
const patchAudit = (p: Partial<AuditState>) => patch('audit', p);
let generation = 0;

export async function loadAudit(): Promise<void> {
  const { filters, limit } = state();
  const mine = ++generation;
  patchAudit({ loading: true });
  try {
    const list = await getClient().call('audit.list', auditArgs(filters, limit));
    if (mine !== generation) return;
    patchAudit({ entries: [...list].sort((a, b) => b.at - a.at || b.id - a.id), loading: false, error: null });
  } catch (err) {
    if (mine === generation) patchAudit({ loading: false, error: toShownError(err) });
  }
}

/** Applies new filters from the first page. */
export function filterAudit(filters: AuditFilters): Promise<void> {
  patchAudit({ filters, limit: AUDIT_PAGE });
  return loadAudit();
}

export function moreAudit(): Promise<void> {
  patchAudit({ limit: Math.min(AUDIT_MAX, state().limit + AUDIT_PAGE) });
  return loadAudit();
}
