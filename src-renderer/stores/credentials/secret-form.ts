// The credential form as plain data, per kind: which fields it shows (the fields of the kind's
// schema in src-shared/api/credential-secrets.ts; a unit test keeps the two in step), the
// secret a filled form sends, and the core's VALIDATION error mapped back to those fields
// (params.fields' "secret.authKey" is the form's authKey). Secrets are never read back from
// the core: a form for an existing credential starts empty and saving replaces the secret. Pure.
import {
  IPMI_CIPHER_SUITES,
  IPMI_PRIVILEGES,
  SNMP_AUTH_PROTOCOLS,
  SNMP_PRIV_PROTOCOLS,
  SNMP_SECURITY_LEVELS,
  type CredentialKind,
} from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';

export interface SecretField {
  /** The key in the secret object ('community' stands for the whole text of an SNMP community). */
  readonly key: string;
  readonly input: 'text' | 'password' | 'textarea' | 'select';
  readonly options?: readonly string[];
  /** May be left empty (then left out of the secret). */
  readonly optional: boolean;
}

const text = (key: string, optional = false): SecretField => ({ key, input: 'text', optional });
const hidden = (key: string, optional = false): SecretField => ({ key, input: 'password', optional });
const pick = (key: string, options: readonly string[], optional = false): SecretField => ({ key, input: 'select', options, optional });

export const SECRET_FIELDS: Readonly<Record<CredentialKind, readonly SecretField[]>> = {
  'snmp-community': [hidden('community')],
  'snmp-v3': [
    text('name'),
    pick('level', SNMP_SECURITY_LEVELS),
    pick('authProtocol', SNMP_AUTH_PROTOCOLS, true),
    hidden('authKey', true),
    pick('privProtocol', SNMP_PRIV_PROTOCOLS, true),
    hidden('privKey', true),
  ],
  ipmi: [text('username'), hidden('password'), pick('privilege', IPMI_PRIVILEGES, true), pick('cipherSuite', IPMI_CIPHER_SUITES, true)],
  'ssh-password': [text('username'), hidden('password')],
  'ssh-key': [text('username'), { key: 'privateKey', input: 'textarea', optional: false }, hidden('passphrase', true)],
};

export type SecretValues = Readonly<Record<string, string>>;

/** The fields a v3 level does not use (hidden and left out of the secret). */
export function unusedFields(kind: CredentialKind, values: SecretValues): ReadonlySet<string> {
  if (kind !== 'snmp-v3') return new Set();
  if (values.level === 'noAuthNoPriv') return new Set(['authProtocol', 'authKey', 'privProtocol', 'privKey']);
  if (values.level === 'authNoPriv') return new Set(['privProtocol', 'privKey']);
  return new Set();
}

/** An empty form of a kind: selects on their first option where the field is required. */
export function emptySecret(kind: CredentialKind): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of SECRET_FIELDS[kind]) out[f.key] = f.input === 'select' && !f.optional ? (f.options?.[0] ?? '') : '';
  if (kind === 'snmp-v3') out.level = 'authPriv';
  return out;
}

/** The secret a filled form sends: the community as text, other kinds as an object without the empty optional fields. */
export function secretOf(kind: CredentialKind, values: SecretValues): string | Record<string, string> {
  if (kind === 'snmp-community') return values.community ?? '';
  const unused = unusedFields(kind, values);
  const out: Record<string, string> = {};
  for (const f of SECRET_FIELDS[kind]) {
    const v = values[f.key] ?? '';
    if (unused.has(f.key) || (f.optional && v === '')) continue;
    out[f.key] = f.input === 'text' ? v.trim() : v;
  }
  return out;
}

/** Errors by form field: 'id', 'name', 'kind', 'secret.<key>' for a secret field, or '_form' for the rest. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

/** The form field a contract field path names ('secret.authKey'; 'secret' of a community is 'secret.community'). */
export function formFieldOf(kind: CredentialKind, path: string): string {
  if (path === 'id' || path === 'name' || path === 'kind') return path;
  if (path === 'secret') return kind === 'snmp-community' ? 'secret.community' : '_form';
  if (path.startsWith('secret.')) {
    const key = path.slice('secret.'.length).split('.')[0];
    return SECRET_FIELDS[kind].some((f) => f.key === key) ? `secret.${key}` : '_form';
  }
  return '_form';
}

/** A VALIDATION error's problems by form field (params.fields, else params.field); null for any other error. */
export function fieldErrorsOf(kind: CredentialKind, error: ShownError): FieldErrors | null {
  if (error.code !== 'VALIDATION' || typeof error.params !== 'object' || error.params === null) return null;
  const p = error.params as { field?: unknown; problem?: unknown; fields?: unknown };
  const list: { field: string; problem: string }[] = [];
  if (Array.isArray(p.fields)) {
    for (const f of p.fields as unknown[]) {
      if (typeof f !== 'object' || f === null) continue;
      const { field, problem } = f as { field?: unknown; problem?: unknown };
      if (typeof field === 'string' && typeof problem === 'string') list.push({ field, problem });
    }
  }
  if (list.length === 0 && typeof p.field === 'string' && typeof p.problem === 'string') list.push({ field: p.field, problem: p.problem });
  if (list.length === 0) return null;
  const out: Record<string, string[]> = {};
  for (const { field, problem } of list) (out[formFieldOf(kind, field)] ??= []).push(problem);
  return out;
}
