// The secret each credential kind is stored with, as schemas: the core refuses a malformed
// secret at save with the field named (secret.authKey...), and the renderer's forms are built
// from the same shapes. A secret may also arrive as the JSON text of the object (older clients).
import { z } from 'zod';
import {
  IPMI_CIPHER_SUITES,
  IPMI_PRIVILEGES,
  SNMP_AUTH_PROTOCOLS,
  SNMP_PRIV_PROTOCOLS,
  SNMP_SECURITY_LEVELS,
  type CredentialKind,
} from '../domain/credentials';

const field = (max: number) => z.string().min(1, 'must be a non-empty string').max(max, `must be at most ${max} characters`);
/** SNMPv3 keys: net-snmp needs at least 8 characters. */
const v3Key = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');

export const SNMP_V3_SECRET = z
  .strictObject({
    name: field(64),
    level: z.enum(SNMP_SECURITY_LEVELS),
    authProtocol: z.enum(SNMP_AUTH_PROTOCOLS).optional(),
    authKey: v3Key.optional(),
    privProtocol: z.enum(SNMP_PRIV_PROTOCOLS).optional(),
    privKey: v3Key.optional(),
  })
  .superRefine((v, ctx) => {
    const needAuth = v.level !== 'noAuthNoPriv';
    const needPriv = v.level === 'authPriv';
    if (needAuth && !v.authProtocol) ctx.addIssue({ code: 'custom', path: ['authProtocol'], message: `is required for ${v.level}` });
    if (needAuth && !v.authKey) ctx.addIssue({ code: 'custom', path: ['authKey'], message: `is required for ${v.level}` });
    if (needPriv && !v.privProtocol) ctx.addIssue({ code: 'custom', path: ['privProtocol'], message: 'is required for authPriv' });
    if (needPriv && !v.privKey) ctx.addIssue({ code: 'custom', path: ['privKey'], message: 'is required for authPriv' });
  });

export const CREDENTIAL_SECRETS = {
  'snmp-community': field(256),
  'snmp-v3': SNMP_V3_SECRET,
  ipmi: z.strictObject({
    username: z.string().max(16, 'must be at most 16 characters (IPMI user names)'),
    password: z.string().max(20, 'must be at most 20 characters (IPMI v2 passwords)'),
    privilege: z.enum(IPMI_PRIVILEGES).optional(),
    cipherSuite: z.enum(IPMI_CIPHER_SUITES).optional(),
  }),
  'ssh-password': z.strictObject({ username: field(64), password: field(1024) }),
  'ssh-key': z.strictObject({ username: field(64), privateKey: field(16_384), passphrase: z.string().max(1024).optional() }),
} satisfies Record<CredentialKind, z.ZodType>;

export type CredentialSecret<K extends CredentialKind> = z.output<(typeof CREDENTIAL_SECRETS)[K]>;
