// What an import will do before it does it: which stored records a replacing import deletes
// (the subtree it names, as it stands once the file is applied, minus every record the file
// names), the stored inventory the file is validated against (the stored one without those),
// and the ImportResult counts (imported, added, deleted, the deleted records by name). Shared
// by the string and the streamed import (import-export.ts applyInventory).
import {
  DELETED_RECORDS_LISTED,
  type AddressChange,
  type DeletedRecord,
  type Device,
  type ImportIssue,
  type ImportResult,
  type InventoryDocument,
  type RecordCounts,
  type ReplaceScope,
} from '../../../src-shared/domain';
import { COLLECTION, RECORD_KINDS, type Collection, type RecordKind } from './formats';

type AnyRecord = Readonly<Record<string, unknown>> & { readonly id: string };

/** The key naming each kind's parent. */
const PARENT_KEY: Readonly<Record<Exclude<RecordKind, 'site'>, string>> = { room: 'siteId', row: 'roomId', cabinet: 'rowId', device: 'cabinetId' };

/** Deleted records are listed devices first, then cabinets, rows, rooms, sites (children before parents: also the delete order). */
export const DELETE_ORDER: readonly RecordKind[] = ['device', 'cabinet', 'row', 'room', 'site'];

export interface ImportPlan {
  /** Problems with the plan itself (the replace scope is unknown); validation adds the file's. */
  issues: ImportIssue[];
  /** The stored inventory without the records to delete: what the file is validated against. */
  remaining: InventoryDocument;
  /** Stored records to delete, per kind, by id. */
  doomed: Readonly<Record<RecordKind, readonly AnyRecord[]>>;
}

const records = (doc: InventoryDocument, kind: RecordKind): readonly AnyRecord[] => doc[COLLECTION[kind]] as unknown as readonly AnyRecord[];

const perKind = <T>(f: (kind: RecordKind) => T): Record<RecordKind, T> =>
  Object.fromEntries(RECORD_KINDS.map((k) => [k, f(k)])) as Record<RecordKind, T>;

const countsOf = (f: (kind: RecordKind) => number): RecordCounts => {
  const out = {} as Record<Collection, number>;
  for (const k of RECORD_KINDS) out[COLLECTION[k]] = f(k);
  return out;
};

/** The records strictly under `scope` in `tree` (parent links followed down, level by level), per kind. */
function descendants(tree: Readonly<Record<RecordKind, readonly AnyRecord[]>>, scope: ReplaceScope): Record<RecordKind, AnyRecord[]> {
  const out = perKind((): AnyRecord[] => []);
  let parents = new Set([scope.id]);
  for (const kind of RECORD_KINDS.slice(RECORD_KINDS.indexOf(scope.kind) + 1)) {
    const key = PARENT_KEY[kind as Exclude<RecordKind, 'site'>];
    out[kind] = tree[kind].filter((r) => parents.has(r[key] as string));
    parents = new Set(out[kind].map((r) => r.id));
  }
  return out;
}

/**
 * Plans an import of `file` into `stored`. Without a scope nothing is deleted. With one, the
 * subtree is taken after the file is applied (a record of the file replaces the stored one of
 * its id), so a record the file moves out of the subtree stays, with the stored records under
 * it, and one it moves in is kept as a record the file names. Records of the file outside the
 * subtree are merged as usual: the scope limits what is deleted, not what is imported (a file
 * may carry the site and room above a room it replaces, or unrelated records).
 */
export function planImport(stored: InventoryDocument, file: InventoryDocument, replace: ReplaceScope | null): ImportPlan {
  const none = perKind((): AnyRecord[] => []);
  if (!replace) return { issues: [], remaining: stored, doomed: none };
  const named = perKind((k) => new Set(records(file, k).map((r) => r.id)));
  const scopeKnown = named[replace.kind].has(replace.id) || records(stored, replace.kind).some((r) => r.id === replace.id);
  if (!scopeKnown) {
    const issue: ImportIssue = {
      line: 0, column: 0, field: 'replace', code: 'unknown-replace-scope', params: { kind: replace.kind, id: replace.id },
      message: `the ${replace.kind} "${replace.id}" to replace is neither in the inventory nor in this file`,
    };
    return { issues: [issue], remaining: stored, doomed: none };
  }
  const after = perKind((k) => {
    const byId = new Map(records(stored, k).map((r) => [r.id, r]));
    for (const r of records(file, k)) byId.set(r.id, r);
    return [...byId.values()];
  });
  const under = descendants(after, replace);
  const doomed = perKind((k) => under[k].filter((r) => !named[k].has(r.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  const gone = perKind((k) => new Set(doomed[k].map((r) => r.id)));
  const remaining = { ...stored } as Record<string, unknown>;
  for (const k of RECORD_KINDS) remaining[COLLECTION[k]] = records(stored, k).filter((r) => !gone[k].has(r.id));
  return { issues: [], remaining: remaining as unknown as InventoryDocument, doomed };
}

/** The result of applying `file` to `stored` with `plan` (computed the same for a dry run). */
export function importResult(stored: InventoryDocument, file: InventoryDocument, plan: ImportPlan, replace: ReplaceScope | null, dryRun: boolean): ImportResult {
  const storedIds = perKind((k) => new Set(records(stored, k).map((r) => r.id)));
  const deletedRecords: DeletedRecord[] = [];
  for (const kind of DELETE_ORDER) {
    for (const r of plan.doomed[kind]) {
      if (deletedRecords.length >= DELETED_RECORDS_LISTED) break;
      deletedRecords.push({ kind, id: r.id, name: String(kind === 'device' ? r.hostname : r.name) });
    }
  }
  const moves = addressChanges(stored.devices, file.devices);
  return {
    imported: countsOf((k) => records(file, k).length),
    added: countsOf((k) => new Set(records(file, k).map((r) => r.id).filter((id) => !storedIds[k].has(id))).size),
    deleted: countsOf((k) => plan.doomed[k].length),
    deletedRecords,
    addressChanges: moves.slice(0, DELETED_RECORDS_LISTED),
    addressChangeCount: moves.length,
    dryRun,
    replace,
  };
}

/** The device's endpoints as AddressChange words them: mgmt "address snmp:port ssh:port", bmc "address:port" ('' without a BMC). */
export function endpointsOf(d: Device): Readonly<Record<AddressChange['endpoint'], string>> {
  return { mgmt: `${d.mgmtIp} snmp:${d.snmpPort} ssh:${d.sshPort}`, bmc: d.bmcAddress === null ? '' : `${d.bmcAddress}:${d.bmcPort}` };
}

/** Stored devices that `next` gives another management or BMC endpoint, by device id then endpoint (mgmt first). */
export function addressChanges(stored: readonly Device[], next: readonly Device[]): AddressChange[] {
  const before = new Map(stored.map((d) => [d.id, d]));
  const out: AddressChange[] = [];
  for (const d of [...next].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const old = before.get(d.id);
    if (!old) continue;
    const [from, to] = [endpointsOf(old), endpointsOf(d)];
    for (const endpoint of ['mgmt', 'bmc'] as const) {
      if (from[endpoint] !== to[endpoint]) out.push({ deviceId: d.id, hostname: d.hostname, endpoint, from: from[endpoint], to: to[endpoint] });
    }
  }
  return out;
}
