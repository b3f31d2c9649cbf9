// Whole-file validation: checks a decoded inventory file against itself and against the
// inventory it will be merged into, and returns every problem found (never just the
// first), each pointing at the line, column and field it came from. A record in the file
// whose id already exists replaces the stored one, so stored devices that the file
// redefines are judged by their new values only. Credentials, endpoints and hostnames:
// validate-references.ts; floor plans, row places and footprints: validate-layout.ts.
import { isIP } from 'node:net';
import { DEVICE_KINDS, DEVICE_LIFECYCLES, isDeviceLifecycle, type CredentialKind, type Device, type ImportIssue, type ImportIssueCode, type ImportIssueParams, type InventoryDocument } from '../../../src-shared/domain';
import { HOSTNAME_RULE, isRfc1123Hostname } from './hostname';
import { COLLECTION, RECORD_FIELDS, RECORD_KINDS, recordOf, type InventorySources, type RecordKind } from './formats';
import { checkLayout } from './validate-layout';
import { checkReferences } from './validate-references';

export interface ValidationInput {
  document: InventoryDocument;
  /** Where each record and field came from (parallel to the document's arrays). */
  sources?: InventorySources;
}

const PARENT: Readonly<Record<Exclude<RecordKind, 'site'>, { key: string; kind: RecordKind }>> = {
  room: { key: 'siteId', kind: 'site' },
  row: { key: 'roomId', kind: 'room' },
  cabinet: { key: 'rowId', kind: 'row' },
  device: { key: 'cabinetId', kind: 'cabinet' },
};

const MAX_CABINET_U = 60;

interface Slot {
  lo: number;
  hi: number;
  id: string;
  /** Index in the file's devices, or -1 for a device already in the store. */
  index: number;
  line: number;
}

type Rec = Record<string, unknown> & { id: string };

/** `credentials`: the stored credentials' ids and kinds, which devices may reference. */
export function validateInventory(input: ValidationInput, existing: InventoryDocument, credentials: ReadonlyMap<string, CredentialKind>): ImportIssue[] {
  const { document: doc, sources } = input;
  const issues: ImportIssue[] = [];
  const records = (kind: RecordKind): Rec[] => doc[COLLECTION[kind]] as unknown as Rec[];
  const source = (kind: RecordKind, i: number) => sources?.[COLLECTION[kind]][i];
  const lineOf = (kind: RecordKind, i: number): number => source(kind, i)?.line ?? 0;
  const where = (kind: RecordKind, i: number): string => (sources ? `line ${lineOf(kind, i)}` : `entry ${i + 1} of ${COLLECTION[kind]}`);
  /** The same place as params: otherLine, or otherEntry of otherCollection. */
  const whereParams = (kind: RecordKind, i: number): ImportIssueParams =>
    sources ? { otherLine: lineOf(kind, i) } : { otherEntry: i + 1, otherCollection: COLLECTION[kind] };
  const label = (kind: RecordKind, i: number, key: string): string => source(kind, i)?.fields[key]?.label ?? key;
  const bad = (kind: RecordKind, i: number, key: string): boolean => source(kind, i)?.fields[key]?.bad === true;
  const raw = (kind: RecordKind, i: number, key: string): string => source(kind, i)?.fields[key]?.raw ?? String(records(kind)[i][key]);
  const report = (kind: RecordKind, i: number, key: string, code: ImportIssueCode, params: ImportIssueParams, message: string): void => {
    const rec = source(kind, i);
    const fs = rec?.fields[key];
    const who = recordOf(kind, records(kind)[i].id);
    issues.push({
      line: fs?.line ?? rec?.line ?? 0,
      column: fs?.column ?? rec?.column ?? 0,
      field: label(kind, i, key),
      code,
      params: { ...who.params, field: label(kind, i, key), ...params },
      message: `${who.name}: ${message}`,
    });
  };
  /** Checks a number field; NaN (absent, reported as required) and bad fields are skipped. */
  const number = (kind: RecordKind, i: number, key: string, min: number, max: number, integer: boolean): boolean => {
    const v = records(kind)[i][key] as number;
    if (bad(kind, i, key) || Number.isNaN(v)) return false;
    if ((integer && !Number.isInteger(v)) || !Number.isFinite(v) || v < min || v > max) {
      const range = max === Infinity ? `${min} or more` : `from ${min} to ${max}`;
      const params = { integer, min, max: max === Infinity ? null : max, value: raw(kind, i, key) };
      report(kind, i, key, 'out-of-range', params, `${label(kind, i, key)} must be ${integer ? 'a whole number' : 'a number'} ${range} (got ${raw(kind, i, key)})`);
      return false;
    }
    return true;
  };

  // Required fields and ids, per kind.
  const fileIds = new Map<RecordKind, Map<string, number>>();
  const storeIds = new Map<RecordKind, Set<string>>();
  for (const kind of RECORD_KINDS) {
    storeIds.set(kind, new Set((existing[COLLECTION[kind]] as readonly { id: string }[]).map((r) => r.id)));
    const ids = new Map<string, number>();
    fileIds.set(kind, ids);
    records(kind).forEach((r, i) => {
      for (const spec of RECORD_FIELDS[kind]) {
        const v = r[spec.key];
        if (spec.required && !bad(kind, i, spec.key) && (v === '' || v === null || v === undefined || Number.isNaN(v))) {
          report(kind, i, spec.key, 'required', {}, `${label(kind, i, spec.key)} is required`);
        }
      }
      if (r.id === '') return;
      if (r.id.trim() !== r.id) report(kind, i, 'id', 'id-spaces', {}, `the id has leading or trailing spaces`);
      const first = ids.get(r.id);
      if (first === undefined) ids.set(r.id, i);
      else report(kind, i, 'id', 'duplicate-id', whereParams(kind, first), `duplicate ${kind} id: the same id is on ${where(kind, first)}`);
    });
  }
  const known = (kind: RecordKind, id: string): boolean => fileIds.get(kind)!.has(id) || storeIds.get(kind)!.has(id);

  // Parents, in the file or in the store.
  for (const kind of ['room', 'row', 'cabinet', 'device'] as const) {
    const { key, kind: parentKind } = PARENT[kind];
    records(kind).forEach((r, i) => {
      const p = r[key] as string;
      if (p !== '' && !bad(kind, i, key) && !known(parentKind, p)) {
        report(kind, i, key, 'unknown-parent', { parentKind, parent: p }, `unknown ${parentKind} "${p}": it is neither in this file nor in the inventory`);
      }
    });
  }

  // Cabinets: numbers; the height each cabinet will have once the file is applied.
  const heights = new Map<string, number | null>(existing.cabinets.map((c) => [c.id, c.uHeight]));
  const storedDevicesByCabinet = new Map<string, Device[]>();
  const fileDeviceIds = fileIds.get('device')!;
  for (const d of existing.devices) {
    if (fileDeviceIds.has(d.id)) continue; // redefined by the file
    const list = storedDevicesByCabinet.get(d.cabinetId) ?? [];
    list.push(d);
    storedDevicesByCabinet.set(d.cabinetId, list);
  }
  records('cabinet').forEach((c, i) => {
    number('cabinet', i, 'position', 1, Infinity, true);
    const heightOk = number('cabinet', i, 'uHeight', 1, MAX_CABINET_U, true);
    number('cabinet', i, 'ratedPowerKw', 0, Infinity, false);
    if (fileIds.get('cabinet')!.get(c.id) !== i) return; // a duplicate, already reported
    const h = heightOk ? (c.uHeight as number) : null;
    heights.set(c.id, h);
    if (h === null) return;
    for (const d of storedDevicesByCabinet.get(c.id) ?? []) {
      const top = d.uPosition + d.uHeight - 1;
      if (d.uHeight > 0 && top > h) {
        const params = { height: h, device: d.id, from: d.uPosition, to: top };
        report('cabinet', i, 'uHeight', 'cabinet-too-short', params, `${label('cabinet', i, 'uHeight')} ${h} leaves device "${d.id}" (U ${d.uPosition}-${top}, already in the inventory) outside the cabinet`);
      }
    }
  });

  // Devices: kind, addresses, port, serial numbers, U positions.
  const storeSn = new Map<string, string>();
  for (const list of storedDevicesByCabinet.values()) for (const d of list) storeSn.set(d.sn, d.id);
  const fileSn = new Map<string, number>();
  const slots = new Map<string, Slot[]>();
  records('device').forEach((d, i) => {
    const kind = d.kind as string;
    const kindOk = (DEVICE_KINDS as readonly string[]).includes(kind);
    if (kind !== '' && !kindOk) report('device', i, 'kind', 'bad-kind', { value: kind, kinds: DEVICE_KINDS }, `${label('device', i, 'kind')} "${kind}" is not one of ${DEVICE_KINDS.join(', ')}`);
    const lifecycle = d.lifecycle;
    if (lifecycle !== undefined && !bad('device', i, 'lifecycle') && !isDeviceLifecycle(lifecycle)) {
      const choices = DEVICE_LIFECYCLES;
      report('device', i, 'lifecycle', 'bad-choice', { value: String(lifecycle), choices }, `${label('device', i, 'lifecycle')} "${String(lifecycle)}" is not one of ${choices.join(', ')}`);
    }

    const hostname = d.hostname as string;
    if (hostname !== '' && !bad('device', i, 'hostname') && !isRfc1123Hostname(hostname)) {
      report('device', i, 'hostname', 'bad-hostname', { value: hostname }, `${label('device', i, 'hostname')} ${JSON.stringify(hostname)} is not a host name: ${HOSTNAME_RULE}`);
    }

    const ip = d.mgmtIp as string;
    if (ip !== '' && !bad('device', i, 'mgmtIp') && isIP(ip) === 0) {
      report('device', i, 'mgmtIp', 'bad-ip', { value: ip }, `${label('device', i, 'mgmtIp')} "${ip}" is not an IPv4 or IPv6 address`);
    }
    const bmc = d.bmcAddress as string | null;
    if (bmc !== null && !bad('device', i, 'bmcAddress') && isIP(bmc) === 0) {
      report('device', i, 'bmcAddress', 'bad-bmc-address', { value: bmc }, `${label('device', i, 'bmcAddress')} "${bmc}" must be empty or an IPv4 or IPv6 address`);
    }
    number('device', i, 'snmpPort', 1, 65535, true);
    number('device', i, 'bmcPort', 1, 65535, true);
    number('device', i, 'sshPort', 1, 65535, true);

    const sn = d.sn as string;
    if (sn !== '' && !bad('device', i, 'sn')) {
      const owner = storeSn.get(sn);
      const first = fileSn.get(sn);
      if (owner !== undefined) report('device', i, 'sn', 'sn-taken', { value: sn, device: owner }, `${label('device', i, 'sn')} "${sn}" already belongs to device "${owner}" in the inventory`);
      else if (first !== undefined) report('device', i, 'sn', 'duplicate-sn', { value: sn, device: records('device')[first].id, ...whereParams('device', first) }, `${label('device', i, 'sn')} "${sn}" is also the serial number of device "${records('device')[first].id}" on ${where('device', first)}`);
      else fileSn.set(sn, i);
    }

    const uOk = number('device', i, 'uPosition', 0, Infinity, true);
    const hOk = number('device', i, 'uHeight', 0, Infinity, true);
    if (!uOk || !hOk) return;
    const u = d.uPosition as number;
    const h = d.uHeight as number;
    const uLabel = label('device', i, 'uPosition');
    const hLabel = label('device', i, 'uHeight');
    if (u === 0 && h === 0) {
      if (kindOk && kind !== 'pdu') report('device', i, 'uPosition', 'zero-u-not-pdu', { uField: uLabel, hField: hLabel, kind }, `zero-U (${uLabel} 0, ${hLabel} 0) is only allowed for PDUs, not for a ${kind}`);
      return;
    }
    if (u === 0 || h === 0) {
      report('device', i, u === 0 ? 'uPosition' : 'uHeight', 'zero-u-mixed', { uField: uLabel, hField: hLabel, u, h }, `${uLabel} and ${hLabel} must both be 0 (a zero-U PDU) or both at least 1 (got ${u} and ${h})`);
      return;
    }
    const cabinetId = d.cabinetId as string;
    const height = heights.get(cabinetId);
    if (height === undefined || height === null || fileDeviceIds.get(d.id) !== i) return;
    const top = u + h - 1;
    if (top > height) {
      report('device', i, 'uPosition', 'above-cabinet', { from: u, to: top, cabinet: cabinetId, height }, `occupies U ${u}-${top} but cabinet "${cabinetId}" is only ${height}U tall`);
      return;
    }
    const list = slots.get(cabinetId) ?? [];
    list.push({ lo: u, hi: top, id: d.id, index: i, line: lineOf('device', i) });
    slots.set(cabinetId, list);
  });

  // Overlapping U ranges within a cabinet: sweep by lowest U. Each overlap is reported once,
  // on the device that comes later in the file (or on the file's device when the other is stored).
  for (const [cabinetId, list] of slots) {
    for (const d of storedDevicesByCabinet.get(cabinetId) ?? []) {
      if (d.uPosition >= 1 && d.uHeight >= 1) list.push({ lo: d.uPosition, hi: d.uPosition + d.uHeight - 1, id: d.id, index: -1, line: 0 });
    }
    list.sort((a, b) => a.lo - b.lo || a.line - b.line);
    let reach: Slot | null = null;
    for (const cur of list) {
      if (reach && cur.lo <= reach.hi) {
        const [mine, other] = reach.index === -1 || (cur.index !== -1 && cur.line >= reach.line) ? [cur, reach] : [reach, cur];
        if (mine.index !== -1) {
          const otherWhere = other.index === -1 ? 'already in the inventory' : where('device', other.index);
          const params = { from: mine.lo, to: mine.hi, device: other.id, deviceFrom: other.lo, deviceTo: other.hi, cabinet: cabinetId, ...(other.index === -1 ? { stored: true } : whereParams('device', other.index)) };
          report('device', mine.index, 'uPosition', 'u-overlap', params, `U ${mine.lo}-${mine.hi} overlaps device "${other.id}" (U ${other.lo}-${other.hi}, ${otherWhere}) in cabinet "${cabinetId}"`);
        }
      }
      if (!reach || cur.hi > reach.hi) reach = cur;
    }
  }

  checkLayout({ document: doc, existing, number, bad, label, report });

  checkReferences({
    devices: records('device'),
    kept: existing.devices.filter((d) => !fileDeviceIds.has(d.id)),
    credentials,
    firstOfId: (i) => fileDeviceIds.get(records('device')[i].id) === i,
    bad: (i, key) => bad('device', i, key),
    label: (i, key) => label('device', i, key),
    report: (i, key, code, params, message) => report('device', i, key, code, params, message),
    where: (i) => where('device', i),
    whereParams: (i) => whereParams('device', i),
  });

  return sortIssues(issues);
}

/** By line, then column; the order found is kept for ties. */
export function sortIssues(issues: ImportIssue[]): ImportIssue[] {
  return issues.map((issue, n) => ({ issue, n })).sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.n - b.n).map((x) => x.issue);
}
