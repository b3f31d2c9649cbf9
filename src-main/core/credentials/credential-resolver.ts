// The one place that turns stored credentials into what the protocols need: SNMP v2c
// communities and v3 users, SSH and IPMI logins, and the trap receiver's list of both. A
// device's credential is handed out only through the binding check (requireBound, snmpFor,
// loginFor: credential-binding.ts): unbound, it throws CredentialUnboundError and nothing
// is sent.
import { ValidationError } from '../../../src-shared/errors';
import type { SnmpCredentials, SnmpUser } from '../protocols/snmp';
import type { BindingRepository } from '../store/binding-repository';
import type { CredentialRepository } from '../store/credential-repository';
import { bindingAllows, CredentialUnboundError, type CredentialUseAt } from './credential-binding';

/** A login for SSH or IPMI: its secret is JSON {username, password | privateKey}. */
export interface Login {
  readonly username: string;
  readonly password?: string;
  readonly privateKey?: string;
  readonly passphrase?: string;
}

export interface CredentialResolver {
  /**
   * Throws CredentialUnboundError unless the device's binding for the role is this credential
   * at this endpoint (`anyCredential`: at this endpoint, whatever credential it was bound with).
   */
  requireBound(use: CredentialUseAt, opts?: { anyCredential?: boolean; hostname?: string }): void;
  /** Whether requireBound would pass. */
  isBound(use: CredentialUseAt): boolean;
  /** A device's SNMP credentials for a use, after the binding check; null when absent or not SNMP. */
  snmpFor(use: CredentialUseAt): SnmpCredentials | null;
  /** A device's login (SSH, IPMI) for a use, after the binding check; ValidationError when the secret is not one. */
  loginFor(use: CredentialUseAt, hostname?: string): Login;
  /** SNMP credentials under an id, unchecked: for receiving (trap authentication), never for sending to a device. */
  snmp(id: string | null): SnmpCredentials | null;
  /** A login under an id, unchecked: only for a use requireBound has passed (the SSH pool connects with it). */
  login(id: string): Login;
  /** Every SNMP community and v3 user in the store, for the trap receiver; unusable ones are skipped and named. */
  trapAuth(): { communities: string[]; users: SnmpUser[]; skipped: { id: string; reason: string }[] };
}

const notALogin = (id: string) => new ValidationError(`Credential "${id}" is not a login: its secret must be JSON {"username", "password" or "privateKey"}`, { id, field: 'secret' });

export function createCredentialResolver(repo: CredentialRepository, bindings: Pick<BindingRepository, 'get'>): CredentialResolver {
  const snmp = (id: string | null): SnmpCredentials | null => {
    if (!id || !repo.has(id)) return null;
    const info = repo.info(id);
    if (info.kind === 'snmp-community') return { version: '2c', community: repo.secret(id) };
    if (info.kind === 'snmp-v3') return { version: '3', user: JSON.parse(repo.secret(id)) as SnmpUser };
    return null;
  };
  const isBound = (use: CredentialUseAt, anyCredential = false): boolean => bindingAllows(use, bindings.get(use.deviceId, use.role), anyCredential);
  const requireBound: CredentialResolver['requireBound'] = (use, opts = {}) => {
    if (!isBound(use, opts.anyCredential === true)) throw new CredentialUnboundError(use, opts.hostname);
  };
  const login = (id: string): Login => {
    let v: unknown;
    try {
      v = JSON.parse(repo.secret(id));
    } catch (err) {
      if (err instanceof SyntaxError) throw notALogin(id);
      throw err;
    }
    const o = v as Record<string, unknown> | null;
    if (typeof o?.username !== 'string' || (typeof o.password !== 'string' && typeof o.privateKey !== 'string')) throw notALogin(id);
    return {
      username: o.username,
      password: o.password as string | undefined,
      privateKey: o.privateKey as string | undefined,
      ...(typeof o.passphrase === 'string' ? { passphrase: o.passphrase } : {}),
    };
  };
  return {
    requireBound,
    isBound: (use) => isBound(use),
    snmpFor(use) {
      requireBound(use);
      return snmp(use.credentialId);
    },
    loginFor(use, hostname) {
      requireBound(use, { hostname });
      return login(use.credentialId);
    },
    snmp,
    login,
    trapAuth() {
      const communities: string[] = [];
      const users: SnmpUser[] = [];
      const skipped: { id: string; reason: string }[] = [];
      for (const c of repo.list()) {
        try {
          const creds = snmp(c.id);
          if (creds?.version === '2c') communities.push(creds.community);
          else if (creds?.version === '3') users.push(creds.user);
        } catch (err) {
          skipped.push({ id: c.id, reason: (err as Error).message });
        }
      }
      return { communities, users, skipped };
    },
  };
}
