// Audit page selectors at module scope.
import type { AppState } from '../store';

export const selectAuditFilters = (s: AppState) => s.audit.filters;
export const selectAuditLimit = (s: AppState) => s.audit.limit;
export const selectAuditEntries = (s: AppState) => s.audit.entries;
export const selectAuditLoading = (s: AppState) => s.audit.loading;
export const selectAuditError = (s: AppState) => s.audit.error;
