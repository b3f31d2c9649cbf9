// The one place that turns stored credentials into what the protocols need: SNMP v2c
// communities and v3 users, SSH and IPMI logins, and the trap receiver's list of both.
import { ValidationError } from '../../../src-shared/errors';
import type { SnmpCredentials, SnmpUser } from '../protocols/snmp';
import type { CredentialRepository } from '../store/credential-repository';

/** A login for SSH or IPMI: its secret is JSON {username, password | privateKey}. */
export interface Login {
  readonly username: string;
  readonly password?: string;
  readonly privateKey?: string;
  readonly passphrase?: string;
}

export interface CredentialResolver {
  /** SNMP credentials under an id: a v2c community or a v3 user; null when absent or not SNMP. */
  snmp(id: string | null): SnmpCredentials | null;
  /** A login (SSH, IPMI); ValidationError when the secret is not one. */
  login(id: string): Login;
  /** Every SNMP community and v3 user in the store, for the trap receiver; unusable ones are skipped and named. */
  trapAuth(): { communities: string[]; users: SnmpUser[]; skipped: { id: string; reason: string }[] };
}

const notALogin = (id: string) => new ValidationError(`Credential "${id}" is not a login: its secret must be JSON {"username", "password" or "privateKey"}`, { id, field: 'secret' });

export function createCredentialResolver(repo: CredentialRepository): CredentialResolver {
  const snmp = (id: string | null): SnmpCredentials | null => {
    if (!id || !repo.has(id)) return null;
    const info = repo.info(id);
    if (info.kind === 'snmp-community') return { version: '2c', community: repo.secret(id) };
    if (info.kind === 'snmp-v3') return { version: '3', user: JSON.parse(repo.secret(id)) as SnmpUser };
    return null;
  };
  return {
    snmp,
    login(id) {
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
    },
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
