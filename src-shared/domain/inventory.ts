// The inventory aggregate: sites, rooms, rows, cabinets, devices, and the import/export document.
import type { DeviceLifecycle } from './device-lifecycle';

export const DEVICE_KINDS = ['server', 'switch', 'pdu', 'gateway'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface Site {
  readonly id: string;
  readonly name: string;
  readonly city: string;
}

export interface Room {
  readonly id: string;
  readonly siteId: string;
  readonly name: string;
  /** Floor plan: the room's inside width (x, west to east) and depth (y, north to south), in metres. */
  readonly widthM: number;
  readonly depthM: number;
}

/** The way a row's cabinet fronts face on the floor plan (north: towards y = 0). */
export const ROW_FACINGS = ['north', 'east', 'south', 'west'] as const;
export type RowFacing = (typeof ROW_FACINGS)[number];

/** Which side of a row is its cold aisle: the cabinets' front (the usual) or their rear. */
export const COLD_AISLE_SIDES = ['front', 'rear'] as const;
export type ColdAisleSide = (typeof COLD_AISLE_SIDES)[number];

export interface Row {
  readonly id: string;
  readonly roomId: string;
  readonly name: string;
  /**
   * Where the row starts on the room's floor, in metres: the front-left corner of its
   * position-1 cabinet seen from in front of it; cabinets follow
   * side by side to the right of that corner (seen from the front), by position.
   */
  readonly xM: number;
  readonly yM: number;
  readonly facing: RowFacing;
  readonly coldAisle: ColdAisleSide;
}

export interface Cabinet {
  readonly id: string;
  readonly rowId: string;
  readonly name: string;
  /** Position of the cabinet within its row, 1-based. */
  readonly position: number;
  /** Usable height in rack units. */
  readonly uHeight: number;
  readonly ratedPowerKw: number;
  /** Power feed names, e.g. "A-PDB-03"; null when the cabinet has no such feed. */
  readonly feedA: string | null;
  readonly feedB: string | null;
  /** Footprint in millimetres: width along the row (600 by default) and depth front to rear (1200). */
  readonly widthMm: number;
  readonly depthMm: number;
}

export interface ServiceTreePath {
  readonly company: string;
  readonly department: string;
  readonly product: string;
  readonly cluster: string;
  readonly service: string;
}

export interface Device {
  readonly id: string;
  readonly cabinetId: string;
  readonly kind: DeviceKind;
  readonly hostname: string;
  readonly sn: string;
  /** Lowest U occupied, 1-based from the bottom. 0 for zero-U devices (vertical PDUs). */
  readonly uPosition: number;
  /** Height in U; 0 for zero-U devices. */
  readonly uHeight: number;
  readonly mgmtIp: string;
  readonly snmpPort: number;
  readonly bmcAddress: string | null;
  /** RMCP+ (IPMI over LAN) port of the BMC; 623 on real hardware. */
  readonly bmcPort: number;
  /** SSH port of the host's OS; 22 on real hardware. */
  readonly sshPort: number;
  /** Credential references (ids in the credential store), never secrets. */
  readonly snmpCredential: string | null;
  readonly sshCredential: string | null;
  readonly ipmiCredential: string | null;
  readonly serviceTree: ServiceTreePath | null;
  /**
   * Where the device is in its life (device-lifecycle.ts). Always present on what the core
   * returns; optional on what is written: absent keeps the stored value ('online' for a new device).
   * Forms never carry it: inventory.setLifecycle moves it, by the allowed moves; an import sets it as its file says.
   */
  readonly lifecycle?: DeviceLifecycle;
}

/** The whole inventory as one document: the JSON import/export format. */
export interface InventoryDocument {
  readonly format: 'fleetdeck-inventory';
  readonly version: 1;
  readonly sites: readonly Site[];
  readonly rooms: readonly Room[];
  readonly rows: readonly Row[];
  readonly cabinets: readonly Cabinet[];
  readonly devices: readonly Device[];
}

export interface ImportIssue {
  /** 1-based line in the source file (the CSV line or the JSON line). */
  readonly line: number;
  /** 1-based column (CSV field index, or JSON character column); 0 when not known. */
  readonly column: number;
  readonly field: string;
  /** What is wrong, for the renderer to word from `params`; `message` is the core's English, the fallback. */
  readonly code: ImportIssueCode;
  readonly params: ImportIssueParams;
  readonly message: string;
}

/**
 * Every problem an import can report. Issues about one record carry its kind and id in
 * params (recordKind, recordId); 'json-syntax' carries the parser's own code in params.syntax.
 */
export const IMPORT_ISSUE_CODES = [
  // CSV syntax and layout
  'csv-unclosed-quote', 'csv-text-after-quote', 'csv-stray-quote', 'csv-unknown-column', 'csv-duplicate-column', 'csv-missing-columns',
  'csv-empty', 'csv-field-count', 'csv-bad-record',
  // JSON syntax and layout
  'json-syntax', 'json-not-object', 'json-bad-format', 'json-format-missing', 'json-bad-version', 'json-version-missing',
  'json-unknown-top-property', 'json-not-array', 'json-not-record', 'json-unknown-property',
  // field types
  'not-a-number', 'bad-service-tree', 'json-not-a-string', 'json-not-a-number', 'json-bad-service-tree',
  // meaning
  'required', 'id-spaces', 'duplicate-id', 'unknown-parent', 'out-of-range', 'cabinet-too-short', 'bad-kind', 'bad-hostname',
  'bad-ip', 'bad-bmc-address', 'sn-taken', 'duplicate-sn', 'zero-u-not-pdu', 'zero-u-mixed', 'above-cabinet', 'u-overlap',
  // the room model: a row's facing or cold aisle not one of its words; a row's cabinets reach outside its room's floor
  'bad-choice', 'row-outside-room',
  // references: credentials in the credential store, endpoints and hostnames unique across the inventory
  'unknown-credential', 'credential-wrong-kind', 'duplicate-snmp-endpoint', 'snmp-endpoint-taken', 'duplicate-bmc-endpoint',
  'bmc-endpoint-taken', 'duplicate-hostname', 'hostname-taken',
  // one device from a form (inventory.deleteDevice): the confirmation does not name the host
  'confirm-hostname',
  // one site, room, row or cabinet from a form (inventory.deleteLocation): the confirmation does not name it
  'confirm-name',
  // a replacing import (inventory.import with replace): the subtree it names is neither stored nor in the file
  'unknown-replace-scope',
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUE_CODES)[number];

/** The codes of the JSON parser's syntax problems (ImportIssue params.syntax of a 'json-syntax' issue). */
export const JSON_SYNTAX_CODES = [
  'empty', 'trailing', 'bad-unicode-escape', 'bad-escape', 'unclosed-string', 'string-line-break', 'control-char', 'unexpected-end',
  'too-deep', 'value-expected', 'name-expected', 'colon-expected', 'object-comma', 'array-comma', 'duplicate-property',
] as const;
export type JsonSyntaxCode = (typeof JSON_SYNTAX_CODES)[number];

export type ImportIssueParams = Readonly<Record<string, string | number | boolean | null | readonly string[]>>;

/** How many records of each kind. */
export interface RecordCounts {
  readonly sites: number;
  readonly rooms: number;
  readonly rows: number;
  readonly cabinets: number;
  readonly devices: number;
}

/** The kinds of record an inventory holds (the CSV's record column, a JSON collection's element). */
export const INVENTORY_RECORD_KINDS = ['site', 'room', 'row', 'cabinet', 'device'] as const;
export type InventoryRecordKind = (typeof INVENTORY_RECORD_KINDS)[number];

/** The places devices live in: every record kind but the device. */
export const LOCATION_KINDS = ['site', 'room', 'row', 'cabinet'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/** One site, room, row or cabinet as a form sends it and inventory.putLocation returns it. */
export type LocationRecord =
  | ({ readonly kind: 'site' } & Site)
  | ({ readonly kind: 'room' } & Room)
  | ({ readonly kind: 'row' } & Row)
  | ({ readonly kind: 'cabinet' } & Cabinet);

/** Every place in the inventory (inventory.locations): what location and device forms choose parents from. */
export interface LocationTree {
  readonly sites: readonly Site[];
  readonly rooms: readonly Room[];
  readonly rows: readonly Row[];
  readonly cabinets: readonly Cabinet[];
  /** Devices per cabinet id (cabinets without devices are absent). */
  readonly deviceCounts: Readonly<Record<string, number>>;
}

/**
 * A replacing import's subtree: after the import, everything stored under this site, room,
 * row or cabinet (the record itself excluded) that the file does not name is deleted.
 */
export interface ReplaceScope {
  readonly kind: LocationKind;
  readonly id: string;
}

/** One record a replacing import deletes (or, in a dry run, would delete). */
export interface DeletedRecord {
  readonly kind: InventoryRecordKind;
  readonly id: string;
  /** The hostname of a device, the name of a place. */
  readonly name: string;
}

/** A stored device's endpoint that an import or form changes. */
export interface AddressChange {
  readonly deviceId: string;
  readonly hostname: string;
  /** 'mgmt': mgmtIp with its SNMP and SSH ports; 'bmc': bmcAddress and bmcPort. */
  readonly endpoint: 'mgmt' | 'bmc';
  /** "address:port" (mgmt: "address snmp:port ssh:port"); '' for no BMC. */
  readonly from: string;
  readonly to: string;
}

export interface ImportResult {
  /** Records in the file, added or updated. */
  readonly imported: RecordCounts;
  /** Of those, records whose id was not stored before. */
  readonly added: RecordCounts;
  /** Stored records the import deleted (a replacing import only; zeros otherwise). */
  readonly deleted: RecordCounts;
  /** The deleted records, devices first then cabinets, rows, rooms, sites, each by id; at most DELETED_RECORDS_LISTED (counts in `deleted`). */
  readonly deletedRecords: readonly DeletedRecord[];
  /**
   * Stored devices the file moves to another management address + SNMP/SSH port or BMC
   * endpoint, by device id; at most DELETED_RECORDS_LISTED (addressChangeCount is whole).
   * Their credentials stop being used until an admin binds them again.
   */
  readonly addressChanges: readonly AddressChange[];
  readonly addressChangeCount: number;
  /** True when nothing was written: the preview of what the import would do. */
  readonly dryRun: boolean;
  readonly replace: ReplaceScope | null;
}

/** How many deleted records an ImportResult lists by name (the counts are always whole). */
export const DELETED_RECORDS_LISTED = 500;

/** Defaults where a file or form gives no footprint (the common 600 x 1200 mm cabinet). */
export const CABINET_DEFAULT_MM = { widthMm: 600, depthMm: 1200 } as const;

/**
 * One room as the 3D view draws it (inventory.roomLayout): the floor plan, its rows and
 * cabinets with their footprints, and every device with its U slot. Geometry only: live
 * colours come from fleet.roomReadings and the status stream.
 */
export interface RoomLayout {
  readonly site: Site;
  readonly room: Room;
  readonly rows: readonly Row[];
  readonly cabinets: readonly Cabinet[];
  readonly devices: readonly RoomLayoutDevice[];
}

/** A device as the 3D room draws it: where it sits and what it is called. */
export type RoomLayoutDevice = Pick<Device, 'id' | 'cabinetId' | 'kind' | 'hostname' | 'sn' | 'uPosition' | 'uHeight'>;

