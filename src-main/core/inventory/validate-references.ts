// The import checks that look beyond one record: a device's credentials must be stored
// credentials of the kind its column takes, and management address + SNMP port, BMC address +
// port and hostname must each belong to one device only, within the file and against the
// stored devices the file does not replace. Called by validateInventory with its reporters.
import type { CredentialKind, Device, ImportIssueCode, ImportIssueParams } from '../../../src-shared/domain';

/** Which credential kinds each credential column of a device takes. */
export const CREDENTIAL_COLUMNS: Readonly<Record<'snmpCredential' | 'sshCredential' | 'ipmiCredential', readonly CredentialKind[]>> = {
  snmpCredential: ['snmp-community', 'snmp-v3'],
  sshCredential: ['ssh-password', 'ssh-key'],
  ipmiCredential: ['ipmi'],
};

export interface ReferenceContext {
  /** The file's devices (values as decoded). */
  devices: readonly Record<string, unknown>[];
  /** Stored devices the file does not redefine. */
  kept: readonly Device[];
  /** Stored credentials: id -> kind. */
  credentials: ReadonlyMap<string, CredentialKind>;
  /** Whether device i is the first with its id (a later one is reported as a duplicate id already). */
  firstOfId(i: number): boolean;
  /** Whether the decoder already reported this field of device i. */
  bad(i: number, key: string): boolean;
  label(i: number, key: string): string;
  report(i: number, key: string, code: ImportIssueCode, params: ImportIssueParams, message: string): void;
  /** The place of device i as words ("line 7") and as params. */
  where(i: number): string;
  whereParams(i: number): ImportIssueParams;
}

/** Addresses compare as written, except for case (IPv6 hex digits, host names). */
const norm = (s: string): string => s.toLowerCase();

export function checkReferences(c: ReferenceContext): void {
  // Credentials: stored, and of a kind the column takes.
  c.devices.forEach((d, i) => {
    for (const [key, kinds] of Object.entries(CREDENTIAL_COLUMNS)) {
      const id = d[key];
      if (typeof id !== 'string' || id === '' || c.bad(i, key)) continue;
      const kind = c.credentials.get(id);
      const label = c.label(i, key);
      if (kind === undefined) {
        c.report(i, key, 'unknown-credential', { value: id, kinds }, `${label} "${id}" is not a stored credential (add it under Credentials first)`);
      } else if (!kinds.includes(kind)) {
        c.report(i, key, 'credential-wrong-kind', { value: id, kind, kinds }, `${label} "${id}" is a ${kind} credential; this column takes ${kinds.join(' or ')}`);
      }
    }
  });

  // One device per endpoint and per hostname.
  unique(c, 'mgmtIp', (d) => (typeof d.mgmtIp === 'string' && d.mgmtIp !== '' && Number.isInteger(d.snmpPort) ? `${norm(d.mgmtIp)}#${d.snmpPort as number}` : null), ['mgmtIp', 'snmpPort'], {
    file: 'duplicate-snmp-endpoint', stored: 'snmp-endpoint-taken',
    params: (d) => ({ address: d.mgmtIp as string, port: d.snmpPort as number }),
    taken: (d, owner) => `management address ${d.mgmtIp as string} with SNMP port ${d.snmpPort as number} is already device "${owner}"'s in the inventory`,
    dup: (d, other, at) => `management address ${d.mgmtIp as string} with SNMP port ${d.snmpPort as number} is also device "${other}"'s on ${at}`,
  });
  unique(c, 'bmcAddress', (d) => (typeof d.bmcAddress === 'string' && d.bmcAddress !== '' && Number.isInteger(d.bmcPort) ? `${norm(d.bmcAddress)}#${d.bmcPort as number}` : null), ['bmcAddress', 'bmcPort'], {
    file: 'duplicate-bmc-endpoint', stored: 'bmc-endpoint-taken',
    params: (d) => ({ address: d.bmcAddress as string, port: d.bmcPort as number }),
    taken: (d, owner) => `BMC ${d.bmcAddress as string} port ${d.bmcPort as number} is already device "${owner}"'s in the inventory`,
    dup: (d, other, at) => `BMC ${d.bmcAddress as string} port ${d.bmcPort as number} is also device "${other}"'s on ${at}`,
  });
  unique(c, 'hostname', (d) => (typeof d.hostname === 'string' && d.hostname !== '' ? norm(d.hostname) : null), ['hostname'], {
    file: 'duplicate-hostname', stored: 'hostname-taken',
    params: (d) => ({ value: d.hostname as string }),
    taken: (d, owner) => `hostname "${d.hostname as string}" already belongs to device "${owner}" in the inventory (confirmations name the host: it must be unique)`,
    dup: (d, other, at) => `hostname "${d.hostname as string}" is also the hostname of device "${other}" on ${at} (confirmations name the host: it must be unique)`,
  });
}

interface UniqueRule {
  file: ImportIssueCode;
  stored: ImportIssueCode;
  params(d: Record<string, unknown>): ImportIssueParams;
  taken(d: Record<string, unknown>, owner: string): string;
  dup(d: Record<string, unknown>, other: string, at: string): string;
}

/** Reports every device after the first with the same key (file), or with the key of a kept stored device. */
function unique(c: ReferenceContext, field: string, keyOf: (d: Record<string, unknown>) => string | null, fields: readonly string[], rule: UniqueRule): void {
  const stored = new Map<string, string>();
  for (const d of c.kept) {
    const k = keyOf(d as unknown as Record<string, unknown>);
    if (k !== null && !stored.has(k)) stored.set(k, d.id);
  }
  const first = new Map<string, number>();
  c.devices.forEach((d, i) => {
    if (!c.firstOfId(i) || fields.some((f) => c.bad(i, f))) return;
    const k = keyOf(d);
    if (k === null) return;
    const owner = stored.get(k);
    if (owner !== undefined && owner !== d.id) {
      c.report(i, field, rule.stored, { ...rule.params(d), device: owner }, rule.taken(d, owner));
      return;
    }
    const at = first.get(k);
    if (at === undefined) {
      first.set(k, i);
      return;
    }
    const other = c.devices[at].id as string;
    c.report(i, field, rule.file, { ...rule.params(d), device: other, ...c.whereParams(at) }, rule.dup(d, other, c.where(at)));
  });
}
