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
  readonly as: CredentialRole;
}

/** What a device uses a credential as: SNMP (polling), SSH (runs), IPMI (its BMC). */
export const CREDENTIAL_ROLES = ['snmp', 'ssh', 'ipmi'] as const;
export type CredentialRole = (typeof CREDENTIAL_ROLES)[number];

/**
 * A device's credential for one role, bound to the endpoint it may be used at: snmp to
 * mgmtIp:snmpPort, ssh to mgmtIp:sshPort, ipmi to bmcAddress:bmcPort. The console uses a
 * device's credential only while its reference and that endpoint are the bound ones.
 */
export interface CredentialBinding {
  readonly deviceId: string;
  readonly role: CredentialRole;
  readonly credentialId: string;
  /** "host:port" ("[v6]:port" for an IPv6 address). */
  readonly endpoint: string;
  /** Who bound it: an admin's name, "system" (the lab's inventory), "migration" (references stored before bindings). */
  readonly boundBy: string;
  /** ms since epoch. */
  readonly boundAt: number;
}

/** One role of a device as credentials.bindings reports it: what it refers to now, and whether that is bound. */
export interface CredentialBindingState {
  readonly role: CredentialRole;
  /** The device's credential id for the role now; null: none. */
  readonly credentialId: string | null;
  /** The endpoint the role uses now ('' without one: no BMC address). */
  readonly endpoint: string;
  /** True when the reference and endpoint are the bound ones (false with no reference). */
  readonly bound: boolean;
  /** The stored binding, whether or not it still holds. */
  readonly binding: CredentialBinding | null;
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
