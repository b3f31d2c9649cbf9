// The add / edit device form as plain data: a Device to form values and back (the record
// inventory.putDevice takes), numbers checked before sending, the credentials a slot may pick
// (by kind), and the core's refusal mapped to form fields: params.issues (import issues, with
// their field) or a contract VALIDATION's "device.snmpPort". Pure.
import type { CredentialInfo, CredentialKind, Device, DeviceKind } from '../../../src-shared/domain';
import { refusalByField, type FieldRefusal } from '../field-refusal';
import type { ShownError } from '../shown-error';

export const DEVICE_FORM_FIELDS = [
  'id', 'kind', 'hostname', 'sn', 'uPosition', 'uHeight', 'mgmtIp', 'snmpPort', 'bmcAddress', 'bmcPort', 'sshPort',
  'snmpCredential', 'sshCredential', 'ipmiCredential',
] as const;
export type DeviceFormField = (typeof DEVICE_FORM_FIELDS)[number];
export type DeviceFormValues = Record<DeviceFormField, string>;

const NUMERIC: readonly DeviceFormField[] = ['uPosition', 'uHeight', 'snmpPort', 'bmcPort', 'sshPort'];
const PORT_FIELDS: readonly DeviceFormField[] = ['snmpPort', 'bmcPort', 'sshPort'];

/** The record putDevice takes. */
export type DeviceRecord = Omit<Device, 'serviceTree'> & { serviceTree: Device['serviceTree'] };

export const CREDENTIAL_SLOTS = { snmpCredential: ['snmp-community', 'snmp-v3'], sshCredential: ['ssh-password', 'ssh-key'], ipmiCredential: ['ipmi'] } as const satisfies Record<
  string,
  readonly CredentialKind[]
>;
export type CredentialSlot = keyof typeof CREDENTIAL_SLOTS;

/** The credentials a slot may refer to, by name. */
export function credentialsFor(slot: CredentialSlot, list: readonly CredentialInfo[]): CredentialInfo[] {
  const kinds: readonly CredentialKind[] = CREDENTIAL_SLOTS[slot];
  return list.filter((c) => kinds.includes(c.kind)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** A new device's form at a U position (real-hardware ports). */
export function newDeviceForm(uPosition: number, kind: DeviceKind = 'server'): DeviceFormValues {
  return {
    id: '', kind, hostname: '', sn: '', uPosition: String(uPosition), uHeight: '1', mgmtIp: '', snmpPort: '161', bmcAddress: '', bmcPort: '623', sshPort: '22',
    snmpCredential: '', sshCredential: '', ipmiCredential: '',
  };
}

export function deviceFormOf(d: Device): DeviceFormValues {
  return {
    id: d.id, kind: d.kind, hostname: d.hostname, sn: d.sn, uPosition: String(d.uPosition), uHeight: String(d.uHeight), mgmtIp: d.mgmtIp,
    snmpPort: String(d.snmpPort), bmcAddress: d.bmcAddress ?? '', bmcPort: String(d.bmcPort), sshPort: String(d.sshPort),
    snmpCredential: d.snmpCredential ?? '', sshCredential: d.sshCredential ?? '', ipmiCredential: d.ipmiCredential ?? '',
  };
}

export type LocalProblem = 'whole-number' | 'port';

/**
 * The record to send, or the fields whose numbers are not numbers (said before asking the
 * core). A new device without an id takes its hostname as id; the service tree is kept.
 */
export function deviceRecordOf(
  v: DeviceFormValues,
  cabinetId: string,
  serviceTree: Device['serviceTree'] = null,
): { record: DeviceRecord; problems: null } | { record: null; problems: Partial<Record<DeviceFormField, LocalProblem>> } {
  const problems: Partial<Record<DeviceFormField, LocalProblem>> = {};
  const n: Partial<Record<DeviceFormField, number>> = {};
  for (const f of NUMERIC) {
    const s = v[f].trim();
    const x = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(x)) problems[f] = PORT_FIELDS.includes(f) ? 'port' : 'whole-number';
    else if (PORT_FIELDS.includes(f) && (x < 1 || x > 65535)) problems[f] = 'port';
    else n[f] = x;
  }
  if (Object.keys(problems).length > 0) return { record: null, problems };
  const opt = (s: string) => (s.trim() === '' ? null : s.trim());
  const hostname = v.hostname.trim();
  return {
    record: {
      id: v.id.trim() || hostname,
      cabinetId,
      kind: v.kind as DeviceKind,
      hostname,
      sn: v.sn.trim(),
      uPosition: n.uPosition as number,
      uHeight: n.uHeight as number,
      mgmtIp: v.mgmtIp.trim(),
      snmpPort: n.snmpPort as number,
      bmcAddress: opt(v.bmcAddress),
      bmcPort: n.bmcPort as number,
      sshPort: n.sshPort as number,
      snmpCredential: opt(v.snmpCredential),
      sshCredential: opt(v.sshCredential),
      ipmiCredential: opt(v.ipmiCredential),
      serviceTree,
    },
    problems: null,
  };
}

const snakeToCamel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const ALIASES: Readonly<Record<string, DeviceFormField>> = {
  u: 'uPosition', u_position: 'uPosition', u_height: 'uHeight', ip: 'mgmtIp', mgmt_ip: 'mgmtIp', bmc: 'bmcAddress', bmc_ip: 'bmcAddress',
  snmp_credential: 'snmpCredential', ssh_credential: 'sshCredential', ipmi_credential: 'ipmiCredential', cabinet: 'id',
};

/** The form field an issue or a contract path names ("device.snmpPort", "mgmt_ip", "devices[0].sn"); null when none. */
export function deviceFieldOf(path: string): DeviceFormField | null {
  const last = path.split(/[.[\]]/).filter(Boolean).pop() ?? '';
  if (ALIASES[last]) return ALIASES[last];
  const camel = snakeToCamel(last);
  const found = DEVICE_FORM_FIELDS.find((f) => f.toLowerCase() === camel.toLowerCase());
  return found ?? null;
}

export type DeviceRefusal = FieldRefusal<DeviceFormField>;

/** The core's refusal by device form field; null when it is not a VALIDATION error with fields. */
export function deviceRefusalOf(error: ShownError): DeviceRefusal | null {
  return refusalByField(error, deviceFieldOf);
}
