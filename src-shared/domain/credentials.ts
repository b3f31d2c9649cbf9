// Credentials as the renderer may see them: kind, name, whether a secret is set and who uses
// it, never the secret; and the secret shapes each kind is stored with (validated by
// src-shared/api/credential-secrets.ts before anything is stored).

import type { SerializedError } from '../errors';

export const CREDENTIAL_KINDS = ['snmp-community', 'snmp-v3', 'ssh-password', 'ssh-key', 'ipmi'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** What the renderer may see of a credential: never the secret. */
export interface CredentialInfo {
  readonly id: string;
  readonly kind: CredentialKind;
  readonly name: string;
  readonly createdAt: number;
  /** When it was last changed (ms since epoch); createdAt when never. Absent from older cores. */
  readonly updatedAt?: number;
  /** Devices that refer to it (as SNMP, SSH or IPMI credential). Absent from older cores. */
  readonly usedBy?: number;
}

/** Which devices use a credential, and as what. */
export interface CredentialUse {
  readonly deviceId: string;
  readonly hostname: string;
  readonly as: 'snmp' | 'ssh' | 'ipmi';
}

/** The outcome of trying a credential against one device with a real request. */
export interface CredentialTestResult {
  readonly ok: boolean;
  readonly ms: number;
  /** What was asked: "SNMP GET sysName.0 on 127.0.0.1:16161", "IPMI Get Device ID on ...", "SSH exec true on ...". */
  readonly request: string;
  /** The protocol error, named (SnmpAuthError, IpmiAuthError, SshAuthError...). */
  readonly error: SerializedError | null;
}

export const SNMP_AUTH_PROTOCOLS = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export const SNMP_PRIV_PROTOCOLS = ['des', 'aes', 'aes256b', 'aes256r'] as const;
export const SNMP_SECURITY_LEVELS = ['noAuthNoPriv', 'authNoPriv', 'authPriv'] as const;
export const IPMI_PRIVILEGES = ['user', 'operator', 'administrator'] as const;
export const IPMI_CIPHER_SUITES = ['auto', '3', '17'] as const;
