// Credentials page actions: list, create / edit (the secret is always sent anew: the core
// never gives it back), delete, which devices use one, and a real test against a device.
// The core validates every secret; its VALIDATION errors are kept by form field.
import type { CredentialInfo, CredentialKind } from '../../../src-shared/domain';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { emptySecret, fieldErrorsOf, secretOf } from './secret-form';
import type { CredentialForm, CredentialsState } from './slice';

const state = () => useAppStore.getState().credentials;
const patchCreds = (p: Partial<CredentialsState> | ((s: CredentialsState) => Partial<CredentialsState>)) => patch('credentials', p);
const patchForm = (p: Partial<CredentialForm>) => patchCreds((s) => ({ form: s.form ? { ...s.form, ...p } : null }));

export async function loadCredentials(): Promise<void> {
  try {
    const list = await getClient().call('credentials.list', undefined);
    patchCreds({ list: [...list].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id)), listError: null });
  } catch (err) {
    patchCreds({ listError: toShownError(err) });
  }
}

export function newCredential(kind: CredentialKind = 'snmp-community'): void {
  patchCreds({ saved: null, form: { mode: 'new', id: '', kind, name: '', values: emptySecret(kind), saving: false, error: null, fieldErrors: null } });
}

export function editCredential(c: CredentialInfo): void {
  patchCreds({ saved: null, form: { mode: 'edit', id: c.id, kind: c.kind, name: c.name, values: emptySecret(c.kind), saving: false, error: null, fieldErrors: null } });
}

export function setCredentialField(field: 'id' | 'name', value: string): void {
  patchForm({ [field]: value });
}

/** A new kind starts an empty secret (the fields differ); an edited credential keeps its kind. */
export function setCredentialKind(kind: CredentialKind): void {
  const f = state().form;
  if (!f || f.mode === 'edit' || f.kind === kind) return;
  patchForm({ kind, values: emptySecret(kind), fieldErrors: null, error: null });
}

export function setSecretValue(key: string, value: string): void {
  const f = state().form;
  if (!f) return;
  patchForm({ values: { ...f.values, [key]: value } });
}

export function closeCredentialForm(): void {
  patchCreds({ form: null });
}

export async function saveCredential(): Promise<void> {
  const f = state().form;
  if (!f || f.saving) return;
  patchForm({ saving: true, error: null, fieldErrors: null });
  try {
    const saved = await getClient().call('credentials.put', { id: f.id.trim(), kind: f.kind, name: f.name.trim(), secret: secretOf(f.kind, f.values) });
    patchCreds({ form: null, saved: saved.id });
    void loadCredentials();
  } catch (err) {
    const error = toShownError(err);
    patchForm({ saving: false, error, fieldErrors: fieldErrorsOf(f.kind, error) });
  }
}

export function askRemoveCredential(id: string | null): void {
  patchCreds({ removeId: id, removeError: null, removed: null });
}

export async function removeCredential(): Promise<void> {
  const id = state().removeId;
  if (!id || state().removing) return;
  patchCreds({ removing: true, removeError: null });
  try {
    await getClient().call('credentials.remove', { id });
    patchCreds((s) => ({ removing: false, removeId: null, removed: id, openId: s.openId === id ? null : s.openId }));
    void loadCredentials();
  } catch (err) {
    patchCreds({ removing: false, removeError: toShownError(err) });
  }
}

/** Opens (or closes, when open) the usage and test panel of one credential. */
export async function openCredential(id: string | null): Promise<void> {
  patchCreds({ openId: id, usage: null, usageError: null, testResult: null, testError: null, testing: false });
  if (id) await loadUsage(id);
}

export async function loadUsage(id: string): Promise<void> {
  try {
    const usage = await getClient().call('credentials.usage', { id });
    if (state().openId === id) patchCreds({ usage: [...usage], usageError: null });
  } catch (err) {
    if (state().openId === id) patchCreds({ usageError: toShownError(err) });
  }
}

export async function testCredential(deviceId: string): Promise<void> {
  const id = state().openId;
  const target = deviceId.trim();
  if (!id || !target || state().testing) return;
  patchCreds({ testing: true, testResult: null, testError: null });
  try {
    const r = await getClient().call('credentials.test', { id, deviceId: target });
    if (state().openId === id) patchCreds({ testing: false, testResult: { ...r, deviceId: target } });
  } catch (err) {
    if (state().openId === id) patchCreds({ testing: false, testError: toShownError(err) });
  }
}
