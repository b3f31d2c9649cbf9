// The audit page: the filters applied, the page size asked for, the entries the core sent.
import type { StateCreator } from 'zustand';
import type { AuditEntry } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';
import { AUDIT_PAGE, emptyAuditFilters, type AuditFilters } from './audit-filters';

export interface AuditState {
  filters: AuditFilters;
  limit: number;
  entries: AuditEntry[] | null;
  loading: boolean;
  error: ShownError | null;
}

export interface AuditSlice {
  audit: AuditState;
}

export const initialAudit: AuditState = { filters: emptyAuditFilters, limit: AUDIT_PAGE, entries: null, loading: false, error: null };

export const createAuditSlice: StateCreator<AppState, [], [], AuditSlice> = () => ({ audit: initialAudit });
