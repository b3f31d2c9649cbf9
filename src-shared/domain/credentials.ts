// Credentials as the renderer may see them: kind and name, never the secret.

export const CREDENTIAL_KINDS = ['snmp-community', 'snmp-v3', 'ssh-password', 'ssh-key', 'ipmi'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** What the renderer may see of a credential: never the secret. */
export interface CredentialInfo {
  readonly id: string;
  readonly kind: CredentialKind;
  readonly name: string;
  readonly createdAt: number;
}
