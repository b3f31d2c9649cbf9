// What an inventory file holds per record kind: the fields (their domain key, CSV column,
// type, whether required), the CSV header, where each decoded field came from, and the small
// helpers both format decoders share (formats.ts).
import type { ImportIssue, ImportIssueCode, ImportIssueParams, InventoryDocument, ServiceTreePath } from '../../../src-shared/domain';
import type { JsonPosition } from './json-source';

export type RecordKind = 'site' | 'room' | 'row' | 'cabinet' | 'device';
export type Collection = 'sites' | 'rooms' | 'rows' | 'cabinets' | 'devices';
export const RECORD_KINDS: readonly RecordKind[] = ['site', 'room', 'row', 'cabinet', 'device'];
export const COLLECTION: Readonly<Record<RecordKind, Collection>> = {
  site: 'sites',
  room: 'rooms',
  row: 'rows',
  cabinet: 'cabinets',
  device: 'devices',
};

export const CSV_HEADER = [
  'record', 'id', 'parent', 'name', 'city', 'position', 'u_height', 'rated_power_kw', 'feed_a', 'feed_b',
  'kind', 'hostname', 'sn', 'u_position', 'mgmt_ip', 'snmp_port', 'bmc_address', 'bmc_port', 'ssh_port',
  'snmp_credential', 'ssh_credential', 'ipmi_credential', 'service_tree',
  'width_m', 'depth_m', 'x_m', 'y_m', 'facing', 'cold_aisle', 'width_mm', 'depth_mm', 'lifecycle',
] as const;
export type CsvColumn = (typeof CSV_HEADER)[number];
/** Columns added after the first format: a file without them still imports, with their defaults. */
export const OPTIONAL_CSV_COLUMNS: readonly CsvColumn[] = [
  'bmc_port', 'ssh_port', 'width_m', 'depth_m', 'x_m', 'y_m', 'facing', 'cold_aisle', 'width_mm', 'depth_mm', 'lifecycle',
];
/** The room model's columns (floor plan, row place, cabinet footprint): absent ones get the computed layout (room-plan.ts). */
export const LAYOUT_CSV_COLUMNS: readonly CsvColumn[] = ['width_m', 'depth_m', 'x_m', 'y_m', 'facing', 'cold_aisle', 'width_mm', 'depth_mm'];

/** text: string ('' when absent); nullable: string or null ('' reads as null). */
export type FieldType = 'text' | 'nullable' | 'number' | 'serviceTree';

export interface FieldSpec {
  /** Property name in the domain type and the JSON file. */
  key: string;
  column: CsvColumn;
  type: FieldType;
  required: boolean;
  /** Used when a number field is absent. */
  default?: number;
  /** Absent reads as undefined: the computed layout (room-plan.ts), the stored value or (lifecycle) the default fills it. */
  computed?: boolean;
}

const f = (key: string, column: CsvColumn, type: FieldType, required: boolean, dflt?: number): FieldSpec => ({
  key, column, type, required, default: dflt,
});
/** An optional room-model field (absent: computed). */
const lay = (key: string, column: CsvColumn, type: FieldType): FieldSpec => ({ key, column, type, required: false, computed: true });

/** Fields of each record kind, in the domain types' key order (the JSON export order). */
export const RECORD_FIELDS: Readonly<Record<RecordKind, readonly FieldSpec[]>> = {
  site: [f('id', 'id', 'text', true), f('name', 'name', 'text', true), f('city', 'city', 'text', false)],
  room: [
    f('id', 'id', 'text', true), f('siteId', 'parent', 'text', true), f('name', 'name', 'text', true),
    lay('widthM', 'width_m', 'number'), lay('depthM', 'depth_m', 'number'),
  ],
  row: [
    f('id', 'id', 'text', true), f('roomId', 'parent', 'text', true), f('name', 'name', 'text', true),
    lay('xM', 'x_m', 'number'), lay('yM', 'y_m', 'number'), lay('facing', 'facing', 'text'), lay('coldAisle', 'cold_aisle', 'text'),
  ],
  cabinet: [
    f('id', 'id', 'text', true), f('rowId', 'parent', 'text', true), f('name', 'name', 'text', true),
    f('position', 'position', 'number', true), f('uHeight', 'u_height', 'number', true),
    f('ratedPowerKw', 'rated_power_kw', 'number', true), f('feedA', 'feed_a', 'nullable', false),
    f('feedB', 'feed_b', 'nullable', false), lay('widthMm', 'width_mm', 'number'), lay('depthMm', 'depth_mm', 'number'),
  ],
  device: [
    f('id', 'id', 'text', true), f('cabinetId', 'parent', 'text', true), f('kind', 'kind', 'text', true),
    f('hostname', 'hostname', 'text', true), f('sn', 'sn', 'text', true),
    f('uPosition', 'u_position', 'number', true), f('uHeight', 'u_height', 'number', true),
    f('mgmtIp', 'mgmt_ip', 'text', true), f('snmpPort', 'snmp_port', 'number', false, 161),
    f('bmcAddress', 'bmc_address', 'nullable', false), f('bmcPort', 'bmc_port', 'number', false, 623),
    f('sshPort', 'ssh_port', 'number', false, 22), f('snmpCredential', 'snmp_credential', 'nullable', false),
    f('sshCredential', 'ssh_credential', 'nullable', false), f('ipmiCredential', 'ipmi_credential', 'nullable', false),
    f('serviceTree', 'service_tree', 'serviceTree', false),
    // The device lifecycle (CMDB status): absent keeps the stored device's, a new device is 'online'.
    { key: 'lifecycle', column: 'lifecycle', type: 'text', required: false, computed: true },
  ],
};

export const SERVICE_TREE_KEYS: readonly (keyof ServiceTreePath)[] = ['company', 'department', 'product', 'cluster', 'service'];

/** Where one field came from: its position, its name in that file, and the text written. */
export interface FieldSource extends JsonPosition {
  label: string;
  raw: string;
  /** The decoder already reported this field (wrong type, not a number...): skip it. */
  bad?: boolean;
}

export interface RecordSource extends JsonPosition {
  /** Keyed by FieldSpec.key; every field of the kind is present. */
  fields: Record<string, FieldSource>;
}

export type InventorySources = Record<Collection, RecordSource[]>;

export interface ParsedInventory {
  document: InventoryDocument;
  /** Parallel to the document's arrays. */
  sources: InventorySources;
  issues: ImportIssue[];
}

export const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function emptyDocument(): InventoryDocument {
  return { format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
}

export function emptySources(): InventorySources {
  return { sites: [], rooms: [], rows: [], cabinets: [], devices: [] };
}

export function push(parsed: ParsedInventory, kind: RecordKind, record: Record<string, unknown>, source: RecordSource): void {
  const c = COLLECTION[kind];
  (parsed.document[c] as unknown[]).push(record);
  parsed.sources[c].push(source);
}

/** How messages name a record: `device "srv-01"`, or `this device` when it has no id. */
export function recordName(kind: RecordKind, id: string): string {
  return id ? `${kind} "${id}"` : `this ${kind}`;
}

/** The record an issue is about: how messages name it, and the params that say it. */
export interface RecordRef {
  name: string;
  params: { recordKind: RecordKind; recordId: string };
}

export function recordOf(kind: RecordKind, id: string): RecordRef {
  return { name: recordName(kind, id), params: { recordKind: kind, recordId: id } };
}

/** Reports a field the decoder could not read, marks it so validation skips it, returns `value`. */
export function badField(fs: FieldSource, who: RecordRef, issues: ImportIssue[], code: ImportIssueCode, params: ImportIssueParams, message: string, value: unknown): unknown {
  fs.bad = true;
  issues.push({ line: fs.line, column: fs.column, field: fs.label, code, params: { ...who.params, field: fs.label, ...params }, message: `${who.name}: ${message}` });
  return value;
}

/** Records sorted by id, compared as UTF-16 code units (the same in every locale). */
export function sortedById<T extends object>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => {
    const x = (a as { id: string }).id;
    const y = (b as { id: string }).id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
