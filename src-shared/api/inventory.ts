// Inventory: rooms' cabinets, cabinet elevations, and whole-inventory import and export.
import { z } from 'zod';
import { method, result, text } from './contract';
import type { CabinetElevation, CabinetSummary } from '../domain/fleet';
import type { ImportResult } from '../domain/inventory';

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
};
