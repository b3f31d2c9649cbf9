// Inventory: rooms' cabinets, cabinet elevations, and whole-inventory import and export.
import { z } from 'zod';
import { method, result, text } from './contract';
import type { CabinetElevation, CabinetSummary } from '../domain/fleet';
import type { ImportResult } from '../domain/inventory';

export const INVENTORY_FORMATS = ['csv', 'json'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];
const format = z.enum(INVENTORY_FORMATS);

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
    args: z.strictObject({ format }),
    result: result<{ format: InventoryFormat; text: string }>(),
    example: { format: 'csv' },
  }),
  /** Validated whole, all or nothing. */
  'inventory.import': method({
    role: 'operator',
    args: z.strictObject({ format, text: text(100_000_000) }),
    result: result<ImportResult>(),
    audit: (a) => `${a.format} file, ${a.text.length} characters`,
    example: { format: 'json', text: '{}' },
  }),
};
