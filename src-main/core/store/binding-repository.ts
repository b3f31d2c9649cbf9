// Credential bindings in SQLite: per device and role (snmp, ssh, ipmi) the credential id and
// the endpoint it was bound to (snmp: mgmtIp:snmpPort, ssh: mgmtIp:sshPort, ipmi:
// bmcAddress:bmcPort), who bound it and when. A device's credential is used only while its
// reference and endpoint are the bound ones (credentials/credential-binding.ts checks). Rows
// go with their device (ON DELETE CASCADE).
import { CREDENTIAL_ROLES, type CredentialBinding, type CredentialRole, type Device } from '../../../src-shared/domain';
import type { Db } from './database';

/** Where a role's credential is sent. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** What of a device the binding rule reads. */
export type BindingSubject = Pick<Device, 'id' | 'mgmtIp' | 'snmpPort' | 'sshPort' | 'bmcAddress' | 'bmcPort' | 'snmpCredential' | 'sshCredential' | 'ipmiCredential'>;

/** The endpoint a role of the device uses now; null for ipmi without a BMC address. */
export function roleEndpoint(dev: BindingSubject, role: CredentialRole): Endpoint | null {
  if (role === 'snmp') return { host: dev.mgmtIp, port: dev.snmpPort };
  if (role === 'ssh') return { host: dev.mgmtIp, port: dev.sshPort };
  return dev.bmcAddress === null ? null : { host: dev.bmcAddress, port: dev.bmcPort };
}

/** The device's credential id for a role, null when none. */
export function roleReference(dev: BindingSubject, role: CredentialRole): string | null {
  return role === 'snmp' ? dev.snmpCredential : role === 'ssh' ? dev.sshCredential : dev.ipmiCredential;
}

/** "host:port", "[v6]:port". */
export const endpointText = (e: Endpoint): string => (e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`);

/** A stored binding as the check reads it. */
export interface StoredBinding extends Endpoint {
  readonly credentialId: string;
}

interface Row {
  device_id: string;
  role: CredentialRole;
  credential_id: string;
  host: string;
  port: number;
  bound_by: string;
  bound_at: number;
}

const toBinding = (r: Row): CredentialBinding => ({
  deviceId: r.device_id, role: r.role, credentialId: r.credential_id, endpoint: endpointText(r), boundBy: r.bound_by, boundAt: r.bound_at,
});

export class BindingRepository {
  readonly #q;

  constructor(db: Db) {
    this.#q = {
      get: db.prepare<[string, string], Row>('SELECT * FROM credential_bindings WHERE device_id = ? AND role = ?'),
      ofDevice: db.prepare<[string], Row>(`SELECT * FROM credential_bindings WHERE device_id = ? ORDER BY CASE role WHEN 'snmp' THEN 0 WHEN 'ssh' THEN 1 ELSE 2 END`),
      // An unchanged binding keeps who bound it and when.
      put: db.prepare<[string, string, string, string, number, string, number]>(
        `INSERT INTO credential_bindings (device_id, role, credential_id, host, port, bound_by, bound_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (device_id, role) DO UPDATE SET credential_id = excluded.credential_id, host = excluded.host, port = excluded.port,
           bound_by = excluded.bound_by, bound_at = excluded.bound_at
         WHERE credential_id != excluded.credential_id OR host != excluded.host OR port != excluded.port`,
      ),
      drop: db.prepare<[string, string]>('DELETE FROM credential_bindings WHERE device_id = ? AND role = ?'),
    };
  }

  /** The binding of one role of a device, as the check reads it. */
  get(deviceId: string, role: CredentialRole): StoredBinding | undefined {
    const r = this.#q.get.get(deviceId, role);
    return r && { credentialId: r.credential_id, host: r.host, port: r.port };
  }

  /** A device's bindings, snmp, ssh, ipmi. */
  ofDevice(deviceId: string): CredentialBinding[] {
    return this.#q.ofDevice.all(deviceId).map(toBinding);
  }

  /**
   * Binds each role's current reference at the role's current endpoint (a role without a
   * reference or endpoint loses its binding). The device must be stored. Returns the roles
   * bound (unchanged ones included, with who first bound them).
   */
  bindDevice(dev: BindingSubject, by: string, now = Date.now()): CredentialBinding[] {
    const q = this.#q;
    for (const role of CREDENTIAL_ROLES) {
      const id = roleReference(dev, role);
      const at = roleEndpoint(dev, role);
      if (id === null || at === null) q.drop.run(dev.id, role);
      else q.put.run(dev.id, role, id, at.host, at.port, by, now);
    }
    return this.ofDevice(dev.id);
  }
}
