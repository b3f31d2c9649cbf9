// Credentials page selectors at module scope.
import type { AppState } from '../store';

export const selectCredentials = (s: AppState) => s.credentials.list;
export const selectCredentialsError = (s: AppState) => s.credentials.listError;
export const selectCredentialForm = (s: AppState) => s.credentials.form;
export const selectCredentialSaved = (s: AppState) => s.credentials.saved;
export const selectCredentialOpenId = (s: AppState) => s.credentials.openId;
export const selectCredentialUsage = (s: AppState) => s.credentials.usage;
export const selectCredentialUsageError = (s: AppState) => s.credentials.usageError;
export const selectCredentialTesting = (s: AppState) => s.credentials.testing;
export const selectCredentialTestResult = (s: AppState) => s.credentials.testResult;
export const selectCredentialTestError = (s: AppState) => s.credentials.testError;
export const selectCredentialRemoveId = (s: AppState) => s.credentials.removeId;
export const selectCredentialRemoving = (s: AppState) => s.credentials.removing;
export const selectCredentialRemoveError = (s: AppState) => s.credentials.removeError;
export const selectCredentialRemoved = (s: AppState) => s.credentials.removed;
