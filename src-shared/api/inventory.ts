// Inventory: rooms' cabinets, cabinet elevations, whole-inventory import and export, and one
// device added, edited, moved or deleted from a form.
import { z } from 'zod';
import { method, result, text } from './contract';
import type { CabinetElevation, CabinetSummary } from '../domain/fleet';
import { DEVICE_KINDS, type Device, type ImportResult } from '../domain/inventory';

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
export type InventoryImportArgs =
  | { readonly format: InventoryFormat; readonly text: string }
  | { readonly format: InventoryFormat; readonly body: AsyncIterable<Uint8Array>; readonly bytes: number | null };

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
  /** Validated whole, all or nothing. */
  'inventory.import': method({
    role: 'operator',
    args: z.strictObject({ format, text: text(100_000_000) }).transform((a): InventoryImportArgs => a),
    result: result<ImportResult>(),
    audit: (a) => ('text' in a ? `${a.format} file, ${a.text.length} characters` : `${a.format} file, ${a.bytes === null ? 'streamed' : `${a.bytes} bytes`}`),
    example: { format: 'json', text: '{}' },
  }),
  /**
   * Operator: adds a device, or edits / moves one (same id), checked with the same rules as an
   * import against the rest of the inventory (parents, U slots, unique hostname, SN, address
   * and port, BMC endpoint, known credentials of the right kind).
   */
  'inventory.putDevice': method({
    role: 'operator',
    args: z.strictObject({ device: deviceRecord }),
    result: result<Device>(),
    audit: (a) => `device ${a.device.id} (${a.device.hostname}) in ${a.device.cabinetId} U${a.device.uPosition}`,
    example: {
      device: {
        id: 'srv-9', cabinetId: 'cab-1', kind: 'server', hostname: 'srv-9', sn: 'SN-9', uPosition: 10, uHeight: 1, mgmtIp: '127.0.0.1',
        snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
      },
    },
  }),
  /** Operator: deletes a device, confirmed with its hostname; its events and audit entries are kept. */
  'inventory.deleteDevice': method({
    role: 'operator',
    args: z.strictObject({ deviceId: text(200), confirmHostname: text(255) }),
    result: result<{ deleted: string }>(),
    audit: (a) => `device ${a.deviceId} (confirmed as "${a.confirmHostname}")`,
    example: { deviceId: 'srv-9', confirmHostname: 'srv-9' },
  }),
};
