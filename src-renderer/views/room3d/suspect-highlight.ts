// What the 3D room highlights for the probe matrix's top suspect, as a pure function of the
// suspect's component and the room's layout (unit-tested): a host link its server; a ToR or its
// uplink the switch (a ToR that is a row without a switch in inventory: the row's cabinets); the
// spine layer every switch of the room (its cabinets when it has none); a site's WAN edge no
// device (the banner alone says so). Nothing when the component is not in this room.
import type { NetComponent } from '../../../src-shared/domain/probe';
import type { RoomLayout } from '../../../src-shared/domain/inventory';

export interface SuspectHighlight {
  /** The component stands in (or for) this room: the banner shows. */
  readonly here: boolean;
  /** Devices drawn in the suspect colour, and cabinets (where no device stands for it). */
  readonly deviceIds: readonly string[];
  readonly cabinetIds: readonly string[];
  /** The cabinet to fly to for it (its device's, or the first highlighted), if any. */
  readonly cabinetId: string | null;
}

const NOTHING: SuspectHighlight = { here: false, deviceIds: [], cabinetIds: [], cabinetId: null };

type Layout = Pick<RoomLayout, 'room' | 'site' | 'cabinets' | 'devices'>;

export function suspectHighlight(c: Pick<NetComponent, 'kind' | 'objectId'> | null, layout: Layout | null): SuspectHighlight {
  if (!c || !layout) return NOTHING;
  const device = layout.devices.find((d) => d.id === c.objectId);
  if (c.kind === 'host-link' || c.kind === 'tor' || c.kind === 'tor-uplink') {
    if (device) return { here: true, deviceIds: [device.id], cabinetIds: [], cabinetId: device.cabinetId };
    if (c.kind === 'host-link') return NOTHING;
    // A ToR that is a row (no switch in inventory): its switches if it has any, else its cabinets.
    const cabinets = layout.cabinets.filter((k) => k.rowId === c.objectId).map((k) => k.id);
    if (cabinets.length === 0) return NOTHING;
    return inCabinets(layout, new Set(cabinets));
  }
  if (c.kind === 'spine') {
    if (c.objectId !== layout.room.id) return NOTHING;
    return inCabinets(layout, new Set(layout.cabinets.map((k) => k.id)));
  }
  // The WAN edge of a site: no device of a room stands for it.
  return c.objectId === layout.site.id ? { here: true, deviceIds: [], cabinetIds: [], cabinetId: null } : NOTHING;
}

/** The switches in these cabinets; where there are none, the cabinets themselves. */
function inCabinets(layout: Layout, cabinets: ReadonlySet<string>): SuspectHighlight {
  const switches = layout.devices.filter((d) => d.kind === 'switch' && cabinets.has(d.cabinetId));
  if (switches.length > 0) return { here: true, deviceIds: switches.map((d) => d.id), cabinetIds: [], cabinetId: switches[0]?.cabinetId ?? null };
  const ids = [...cabinets];
  return { here: true, deviceIds: [], cabinetIds: ids, cabinetId: ids[0] ?? null };
}
