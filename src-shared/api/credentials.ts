// Credentials (secrets never leave the core: only "set" and who uses them) and the audit trail.
import { z } from 'zod';
import { method, noArgs, optionalArgs, optInt, result, text } from './contract';
import { CREDENTIAL_SECRETS } from './credential-secrets';
import type { AuditEntry } from '../domain/audit';
import {
  CREDENTIAL_KINDS, type CredentialBinding, type CredentialBindingState, type CredentialInfo, type CredentialTestResult, type CredentialUse,
} from '../domain/credentials';

const AUDIT_OUTCOMES = ['allowed', 'refused', 'failed', 'succeeded'] as const;

/**
 * A credential to store: its secret is checked against its kind's schema (an object, or the
 * JSON text of one; a community is plain text) and handed on as the text the store seals.
 */
const credentialPut = z
  .strictObject({
    id: text(64),
    kind: z.enum(CREDENTIAL_KINDS),
    name: text(200),
    secret: z.union([z.string().min(1, 'must be a non-empty string').max(16_384, 'must be at most 16384 characters'), z.record(z.string(), z.unknown())]),
  })
  .transform((a, ctx) => {
    let value: unknown = a.secret;
    if (a.kind !== 'snmp-community' && typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['secret'], message: 'must be an object (or its JSON text) for this kind' });
        return z.NEVER;
      }
    }
    const r = CREDENTIAL_SECRETS[a.kind].safeParse(value);
    if (!r.success) {
      for (const i of r.error.issues) ctx.addIssue({ ...i, path: ['secret', ...i.path] } as never);
      return z.NEVER;
    }
    return { id: a.id, kind: a.kind, name: a.name, secret: typeof r.data === 'string' ? r.data : JSON.stringify(r.data) };
  });

export const credentialMethods = {
  'credentials.list': method({ role: 'operator', args: noArgs, result: result<CredentialInfo[]>(), example: undefined }),
  'credentials.put': method({
    role: 'admin',
    confirm: 'always',
    args: credentialPut,
    result: result<CredentialInfo>(),
    audit: (a) => `credential ${a.id}`,
    example: { id: 'snmp-ro', kind: 'snmp-community', name: 'Read-only community', secret: 'public' },
  }),
  /** Admin: deletes a credential no device uses (CONFLICT names the devices that still do). */
  'credentials.remove': method({
    role: 'admin',
    confirm: 'always',
    args: z.strictObject({ id: text(64) }),
    result: result<{ removed: string }>(),
    audit: (a) => `credential ${a.id}`,
    example: { id: 'snmp-old' },
  }),
  /** The devices that refer to a credential, and as what. */
  'credentials.usage': method({
    role: 'operator',
    args: z.strictObject({ id: text(64) }),
    result: result<CredentialUse[]>(),
    audit: (a) => `credential ${a.id}`,
    example: { id: 'snmp-ro' },
  }),
  /** Admin: one real request with the credential against a device (SNMP GET, IPMI Get Device ID, SSH exec); the protocol error, named. */
  'credentials.test': method({
    role: 'admin',
    args: z.strictObject({ id: text(64), deviceId: text(200) }),
    result: result<CredentialTestResult>(),
    audit: (a) => `credential ${a.id} against ${a.deviceId}`,
    example: { id: 'snmp-ro', deviceId: 'dev-1' },
  }),
  /**
   * Admin: binds each device's current credential references (snmp, ssh, ipmi) at its current
   * endpoints, so the console uses them again after an operator moved the device, added it or
   * pointed it at another credential. Lists what is bound; `missing` names unknown device ids.
   */
  'credentials.bind': method({
    role: 'admin',
    confirm: 'always',
    args: z.strictObject({ deviceIds: z.array(text(200)).min(1, 'choose at least one device').max(5000, 'at most 5000 devices') }),
    result: result<{ bound: CredentialBinding[]; missing: string[] }>(),
    audit: (a) => `credentials of ${a.deviceIds.length === 1 ? `device ${a.deviceIds[0]}` : `${a.deviceIds.length} devices (${a.deviceIds.slice(0, 5).join(', ')}${a.deviceIds.length > 5 ? ', ...' : ''})`}`,
    example: { deviceIds: ['dev-1'] },
  }),
  /** A device's credential roles: what each refers to now, at which endpoint, and whether that is bound. */
  'credentials.bindings': method({
    role: 'operator',
    args: z.strictObject({ deviceId: text(200) }),
    result: result<CredentialBindingState[]>(),
    audit: (a) => `credential bindings of ${a.deviceId}`,
    example: { deviceId: 'dev-1' },
  }),
  /** Admin: the audit trail, newest first, filtered (text filters match a substring). */
  'audit.list': method({
    role: 'admin',
    args: optionalArgs({
      limit: optInt(1, 10_000),
      actor: text(200).optional(),
      action: text(100).optional(),
      target: text(500).optional(),
      outcome: z.enum(AUDIT_OUTCOMES).optional(),
      since: optInt(0, 8_640_000_000_000_000),
      until: optInt(0, 8_640_000_000_000_000),
    }),
    result: result<AuditEntry[]>(),
    example: { limit: 100, outcome: 'refused' },
  }),
};
