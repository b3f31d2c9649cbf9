// Inventory: rooms' cabinets, cabinet elevations, whole-inventory import and export, one
// device added, edited, moved or deleted from a form, and devices moved along their lifecycle.
import { z } from 'zod';
import { method, noArgs, result, text } from './contract';
import type { CabinetElevation, CabinetSummary } from '../domain/fleet';
import { DEVICE_LIFECYCLES, type LifecycleCounts, type LifecycleSetResult } from '../domain/device-lifecycle';
import { COLD_AISLE_SIDES, DEVICE_KINDS, LOCATION_KINDS, ROW_FACINGS, type Device, type ImportResult, type LocationRecord, type LocationTree, type ReplaceScope, type RoomLayout } from '../domain/inventory';

const port = z.number().int('must be an integer from 1 to 65535').min(1, 'must be an integer from 1 to 65535').max(65535, 'must be an integer from 1 to 65535');
const credentialRef = text(64).nullable();

/** One device record as forms send it (the import's field rules are applied by the core). */
const deviceRecord = z.strictObject({
  id: text(200),
  cabinetId: text(200),
  kind: z.enum(DEVICE_KINDS),
  hostname: text(253),
  sn: text(200),
  uPosition: z.number().int().min(0).max(100),
  uHeight: z.number().int().min(0).max(100),
  mgmtIp: text(100),
  snmpPort: port,
  bmcAddress: text(100).nullable(),
  bmcPort: port,
  sshPort: port,
  snmpCredential: credentialRef,
  sshCredential: credentialRef,
  ipmiCredential: credentialRef,
  serviceTree: z
    .strictObject({ company: text(200), department: text(200), product: text(200), cluster: text(200), service: text(200) })
    .nullable(),
});

const name = text(200);
const feed = text(100).nullable();
/** A room-model field a form may leave out (null or absent): the core keeps the stored value, else computes one as an import does. */
const metres = z.number().min(0).max(10_000).nullish();
const millimetres = z.number().int().min(0).max(100_000).nullish();
/** One site, room, row or cabinet as forms send it (the import's field rules are applied by the core). */
const locationRecord = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('site'), id: text(200), name, city: z.string().max(200) }),
  z.strictObject({ kind: z.literal('room'), id: text(200), siteId: text(200), name, widthM: metres, depthM: metres }),
  z.strictObject({
    kind: z.literal('row'), id: text(200), roomId: text(200), name,
    xM: metres, yM: metres, facing: z.enum(ROW_FACINGS).nullish(), coldAisle: z.enum(COLD_AISLE_SIDES).nullish(),
  }),
  z.strictObject({
    kind: z.literal('cabinet'), id: text(200), rowId: text(200), name,
    position: z.number().int().min(1).max(10_000),
    uHeight: z.number().int().min(1).max(100),
    ratedPowerKw: z.number().min(0).max(1000),
    feedA: feed,
    feedB: feed,
    widthMm: millimetres,
    depthMm: millimetres,
  }),
]);
/** What inventory.putLocation receives: a LocationRecord whose room-model fields may be missing. */
export type LocationInput = z.output<typeof locationRecord>;

/** A replacing import's subtree (see ReplaceScope); null or absent: an import that only adds and updates. */
const replaceScope = z.strictObject({ kind: z.enum(LOCATION_KINDS), id: text(200) }).nullish().transform((v): ReplaceScope | null => v ?? null);
/** True: validate and report what the import would add, update and delete, and write nothing. */
const dryRun = z.boolean().nullish().transform((v) => v ?? false);

/** `replace=<kind>:<id>` in the HTTP import route's query (the same scope as the WebSocket argument). */
export function parseReplaceQuery(value: string | null): ReplaceScope | null | 'bad' {
  if (value === null || value === '') return null;
  const at = value.indexOf(':');
  const kind = value.slice(0, at);
  const id = value.slice(at + 1);
  if (at < 1 || !id || !(LOCATION_KINDS as readonly string[]).includes(kind)) return 'bad';
  return { kind: kind as ReplaceScope['kind'], id };
}

export const INVENTORY_FORMATS = ['csv', 'json'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];
const format = z.enum(INVENTORY_FORMATS);

/** Receives an export chunk by chunk; a returned promise holds the next chunk back (backpressure). */
export type InventoryChunkSink = (chunk: string) => void | Promise<void>;

/**
 * What the export handler gets: over the WebSocket or IPC just the format (the file comes back
 * as `text`); from serve mode's streamed HTTP route also a sink that takes the file instead
 * (`text` is then '').
 */
export type InventoryExportArgs = { readonly format: InventoryFormat; readonly sink?: InventoryChunkSink };

/**
 * What the import handler gets: the file as one string (WebSocket, IPC), or as the raw bytes of
 * a streamed HTTP body (serve mode's bulk route; `bytes` is its Content-Length when it sent one).
 */
export type InventoryImportArgs = { readonly format: InventoryFormat; readonly replace: ReplaceScope | null; readonly dryRun: boolean } & (
  | { readonly text: string }
  | { readonly body: AsyncIterable<Uint8Array>; readonly bytes: number | null }
);

/** The HTTP routes that carry inventory files in serve mode (streamed both ways). */
export const INVENTORY_HTTP = {
  export: '/api/inventory/export',
  import: '/api/inventory/import',
  /** Largest import body accepted over HTTP; larger is refused with 413. */
  maxImportBytes: 256 * 1024 * 1024,
} as const;

export const inventoryMethods = {
  'inventory.cabinets': method({
    role: 'viewer',
    args: z.strictObject({ roomId: text(200) }),
    result: result<CabinetSummary[]>(),
    example: { roomId: 'room-1' },
  }),
  'inventory.elevation': method({
    role: 'viewer',
    args: z.strictObject({ cabinetId: text(200) }),
    result: result<CabinetElevation>(),
    example: { cabinetId: 'cab-1' },
  }),
  'inventory.export': method({
    role: 'viewer',
    args: z.strictObject({ format }).transform((a): InventoryExportArgs => a),
    result: result<{ format: InventoryFormat; text: string }>(),
    example: { format: 'csv' },
  }),
  /**
   * Validated whole, all or nothing. With `replace`, stored records under that subtree which
   * the file does not name are deleted in the same transaction; with `dryRun`, nothing is
   * written and the result is the preview (what would be added, updated and deleted).
   */
  'inventory.import': method({
    role: 'operator',
    confirm: 'address-change',
    args: z.strictObject({ format, text: text(100_000_000), replace: replaceScope, dryRun }).transform((a): InventoryImportArgs => a),
    result: result<ImportResult>(),
    audit: (a) =>
      `${a.format} file, ${'text' in a ? `${a.text.length} characters` : a.bytes === null ? 'streamed' : `${a.bytes} bytes`}` +
      `${a.replace ? `, replacing ${a.replace.kind} ${a.replace.id}` : ''}${a.dryRun ? ', preview only' : ''}`,
    example: { format: 'json', text: '{}', replace: { kind: 'room', id: 'room-1' }, dryRun: true },
  }),
  /** One room's floor plan, rows, cabinets and devices: what the 3D room draws (geometry, built once per room). */
  'inventory.roomLayout': method({ role: 'viewer', args: z.strictObject({ roomId: text(200) }), result: result<RoomLayout>(), example: { roomId: 'room-1' } }),
  /** Every site, room, row and cabinet, and how many devices each cabinet holds: what forms pick parents from. */
  'inventory.locations': method({ role: 'viewer', args: noArgs, result: result<LocationTree>(), example: undefined }),
  /**
   * Operator: adds a site, room, row or cabinet, or edits / moves one (same id), with the
   * import's rules against the rest of the inventory (parent exists, a cabinet tall enough
   * for its devices, positions and heights in range).
   */
  'inventory.putLocation': method({
    role: 'operator',
    args: z.strictObject({ location: locationRecord }),
    result: result<LocationRecord>(),
    audit: (a) => `${a.location.kind} ${a.location.id} (${a.location.name})`,
    example: { location: { kind: 'room', id: 'room-9', siteId: 'site-1', name: 'Hall 9' } },
  }),
  /**
   * Operator: deletes an empty site, room, row or cabinet, confirmed with its name. One that
   * still holds anything is refused (LocationNotEmptyError, CONFLICT, with what it holds):
   * a whole subtree goes by a replacing import, with its preview.
   */
  'inventory.deleteLocation': method({
    role: 'operator',
    args: z.strictObject({ kind: z.enum(LOCATION_KINDS), id: text(200), confirmName: text(255) }),
    result: result<{ kind: LocationRecord['kind']; deleted: string }>(),
    audit: (a) => `${a.kind} ${a.id} (confirmed as "${a.confirmName}")`,
    example: { kind: 'cabinet', id: 'cab-9', confirmName: 'C09' },
  }),
  /**
   * Operator: adds a device, or edits / moves one (same id), checked with the same rules as an
   * import against the rest of the inventory (parents, U slots, unique hostname, SN, address
   * and port, BMC endpoint, known credentials of the right kind).
   */
  'inventory.putDevice': method({
    role: 'operator',
    // Desktop: a form that moves a device is the same risk as an import that does (its credentials follow it).
    confirm: 'always',
    args: z.strictObject({ device: deviceRecord }),
    result: result<Device>(),
    audit: (a) =>
      `device ${a.device.id} (${a.device.hostname}) in ${a.device.cabinetId} U${a.device.uPosition} at ${a.device.mgmtIp} snmp:${a.device.snmpPort} ssh:${a.device.sshPort}` +
      `${a.device.bmcAddress === null ? '' : `, BMC ${a.device.bmcAddress}:${a.device.bmcPort}`}`,
    example: {
      device: {
        id: 'srv-9', cabinetId: 'cab-1', kind: 'server', hostname: 'srv-9', sn: 'SN-9', uPosition: 10, uHeight: 1, mgmtIp: '127.0.0.1',
        snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
      },
    },
  }),
  /**
   * Operator: moves devices along their lifecycle (CMDB status), all or nothing, by the allowed
   * moves (LIFECYCLE_MOVES); with expectedFrom, only if every device is in that state now.
   * Refused: LifecycleMoveError (CONFLICT) naming each device and its state; an unknown id NotFoundError.
   */
  'inventory.setLifecycle': method({
    role: 'operator',
    args: z.strictObject({
      deviceIds: z.array(text(200)).min(1, 'must name at least one device').max(10_000, 'must name at most 10000 devices'),
      to: z.enum(DEVICE_LIFECYCLES),
      expectedFrom: z.enum(DEVICE_LIFECYCLES).nullish().transform((v) => v ?? undefined),
    }),
    result: result<LifecycleSetResult>(),
    audit: (a) => {
      const shown = a.deviceIds.slice(0, 3).join(', ');
      const more = a.deviceIds.length > 3 ? ` and ${a.deviceIds.length - 3} more` : '';
      return `${a.deviceIds.length} ${a.deviceIds.length === 1 ? 'device' : 'devices'} to ${a.to}${a.expectedFrom ? ` from ${a.expectedFrom}` : ''}: ${shown}${more}`;
    },
    example: { deviceIds: ['srv-1', 'srv-2'], to: 'provisioning', expectedFrom: 'racked' },
  }),
  /** Devices per lifecycle state, fleet-wide and per site. */
  'inventory.lifecycleCounts': method({ role: 'viewer', args: noArgs, result: result<LifecycleCounts>(), example: undefined }),
  /** Operator: deletes a device, confirmed with its hostname; its events and audit entries are kept. */
  'inventory.deleteDevice': method({
    role: 'operator',
    args: z.strictObject({ deviceId: text(200), confirmHostname: text(255) }),
    result: result<{ deleted: string }>(),
    audit: (a) => `device ${a.deviceId} (confirmed as "${a.confirmHostname}")`,
    example: { deviceId: 'srv-9', confirmHostname: 'srv-9' },
  }),
};
