// Where alarm objects sit in the inventory, and whether they are inside an inventory selection
// (a rule's scope, a maintenance window's). Pure. An object is a device, cabinet, row, room or
// site id; placeIndex(inventory) maps each to its chain of places, inSelection tests one,
// devicesInScope lists the devices a rule (or window) covers, for the caller to observe (cabinetsInScope its cabinets).
//
// A selection matches an object when one of its listed ids is the object or a place above it
// (no ids listed: every place), and, when it lists kinds, the object is a device of one of them
// (kinds narrow: rooms [r1] + kinds [server] is r1's servers). An empty selection matches everything.
import type { InventorySelection } from '../../../src-shared/domain/alarm';
import type { Cabinet, Device, DeviceKind, Room, Row, Site } from '../../../src-shared/domain/inventory';

export interface Place {
  readonly siteId: string | null;
  readonly roomId: string | null;
  readonly rowId: string | null;
  readonly cabinetId: string | null;
  readonly deviceId: string | null;
  readonly kind: DeviceKind | null;
}

export interface PlaceInventory {
  readonly sites: readonly Pick<Site, 'id'>[];
  readonly rooms: readonly Pick<Room, 'id' | 'siteId'>[];
  readonly rows: readonly Pick<Row, 'id' | 'roomId'>[];
  readonly cabinets: readonly Pick<Cabinet, 'id' | 'rowId'>[];
  readonly devices: readonly Pick<Device, 'id' | 'cabinetId' | 'kind'>[];
}

const NONE: Place = { siteId: null, roomId: null, rowId: null, cabinetId: null, deviceId: null, kind: null };

/** Every inventory object's place; a parent the inventory does not hold leaves the levels above it null. */
export function placeIndex(inv: PlaceInventory): ReadonlyMap<string, Place> {
  const out = new Map<string, Place>();
  for (const s of inv.sites) out.set(s.id, { ...NONE, siteId: s.id });
  for (const r of inv.rooms) out.set(r.id, { ...NONE, siteId: out.get(r.siteId)?.siteId ?? null, roomId: r.id });
  for (const r of inv.rows) out.set(r.id, { ...(out.get(r.roomId) ?? NONE), rowId: r.id });
  for (const c of inv.cabinets) out.set(c.id, { ...(out.get(c.rowId) ?? NONE), cabinetId: c.id });
  for (const d of inv.devices) out.set(d.id, { ...(out.get(d.cabinetId) ?? NONE), deviceId: d.id, kind: d.kind });
  return out;
}

const noIds = (s: InventorySelection): boolean =>
  !s.sites.length && !s.rooms.length && !s.rows.length && !s.cabinets.length && !s.devices.length;

/** Whether a place is inside a selection. */
export function inSelection(sel: InventorySelection, p: Place): boolean {
  const has = (list: readonly string[], v: string | null): boolean => v !== null && list.includes(v);
  const placed = noIds(sel) || has(sel.sites, p.siteId) || has(sel.rooms, p.roomId) || has(sel.rows, p.rowId)
    || has(sel.cabinets, p.cabinetId) || has(sel.devices, p.deviceId);
  return placed && (!sel.kinds.length || (p.kind !== null && sel.kinds.includes(p.kind)));
}

/** The devices inside a selection, in the index's order. */
export function devicesInScope(sel: InventorySelection, places: ReadonlyMap<string, Place>): string[] {
  const out: string[] = [];
  for (const [id, p] of places) if (p.deviceId !== null && inSelection(sel, p)) out.push(id);
  return out;
}

/** The cabinets inside a selection (its kinds do not narrow cabinets), in the index's order. */
export function cabinetsInScope(sel: InventorySelection, places: ReadonlyMap<string, Place>): string[] {
  const out: string[] = [];
  const placeOnly = { ...sel, kinds: [] };
  for (const [id, p] of places) if (p.cabinetId === id && p.deviceId === null && inSelection(placeOnly, p)) out.push(id);
  return out;
}
