// The credentials page: the list (never a secret), the form being edited and the core's
// answer to it, the usage and test panels of one credential, a delete in flight.
import type { StateCreator } from 'zustand';
import type { CredentialInfo, CredentialKind, CredentialTestResult, CredentialUse } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';
import type { FieldErrors } from './secret-form';

export interface CredentialForm {
  /** 'new', or editing the credential with this id (its secret is replaced on save). */
  mode: 'new' | 'edit';
  id: string;
  kind: CredentialKind;
  name: string;
  values: Record<string, string>;
  saving: boolean;
  error: ShownError | null;
  fieldErrors: FieldErrors | null;
}

export interface CredentialsState {
  list: CredentialInfo[] | null;
  listError: ShownError | null;
  form: CredentialForm | null;
  /** The id of the credential last saved (a confirmation line). */
  saved: string | null;
  /** The credential whose usage / test panel is open. */
  openId: string | null;
  usage: CredentialUse[] | null;
  usageError: ShownError | null;
  testing: boolean;
  testResult: (CredentialTestResult & { deviceId: string }) | null;
  testError: ShownError | null;
  /** The credential a delete is asked for (confirmation open), and the core's refusal. */
  removeId: string | null;
  removing: boolean;
  removeError: ShownError | null;
  removed: string | null;
}

export interface CredentialsSlice {
  credentials: CredentialsState;
}

export const initialCredentials: CredentialsState = {
  list: null,
  listError: null,
  form: null,
  saved: null,
  openId: null,
  usage: null,
  usageError: null,
  testing: false,
  testResult: null,
  testError: null,
  removeId: null,
  removing: false,
  removeError: null,
  removed: null,
};

export const createCredentialsSlice: StateCreator<AppState, [], [], CredentialsSlice> = () => ({ credentials: initialCredentials });
