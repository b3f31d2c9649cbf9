// Credentials (secrets never leave the core) and the audit trail.
import { z } from 'zod';
import { method, noArgs, optionalArgs, optInt, result, text } from './contract';
import type { AuditEntry } from '../domain/audit';
import { CREDENTIAL_KINDS, type CredentialInfo } from '../domain/credentials';

export const credentialMethods = {
  'credentials.list': method({ role: 'operator', args: noArgs, result: result<CredentialInfo[]>(), example: undefined }),
  'credentials.put': method({
    role: 'admin',
    args: z.strictObject({ id: text(64), kind: z.enum(CREDENTIAL_KINDS), name: text(200), secret: text(16_384) }),
    result: result<CredentialInfo>(),
    audit: (a) => `credential ${a.id}`,
    example: { id: 'snmp-ro', kind: 'snmp-community', name: 'Read-only community', secret: 'public' },
  }),
  /** Admin: deletes a credential no device uses (CONFLICT names the devices that still do). */
  'credentials.remove': method({
    role: 'admin',
    args: z.strictObject({ id: text(64) }),
    result: result<{ removed: string }>(),
    audit: (a) => `credential ${a.id}`,
    example: { id: 'snmp-old' },
  }),
  'audit.list': method({
    role: 'admin',
    args: optionalArgs({ limit: optInt(1, 10_000) }),
    result: result<AuditEntry[]>(),
    example: { limit: 100 },
  }),
};
