// The inventory's places as a tree (sites → rooms → rows → cabinets, with devices per
// cabinet summed upwards), the flat list of places a picker offers (parents in the place
// form, the replacing import's scope), and one place as the record its form edits. Pure.
import type { Cabinet, LocationKind, LocationRecord, LocationTree, Room, Row, Site } from '../../../src-shared/domain';

export interface CabinetNode {
  cabinet: Cabinet;
  devices: number;
}
export interface RowNode {
  row: Row;
  cabinets: CabinetNode[];
  devices: number;
}
export interface RoomNode {
  room: Room;
  rows: RowNode[];
  cabinets: number;
  devices: number;
}
export interface SiteNode {
  site: Site;
  rooms: RoomNode[];
  devices: number;
}

const byName = <T extends { name: string; id: string }>(a: T, b: T) => a.name.localeCompare(b.name, undefined, { numeric: true }) || a.id.localeCompare(b.id);

function groupBy<T>(list: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const group = out.get(k);
    if (group) group.push(x);
    else out.set(k, [x]);
  }
  return out;
}

export function placeTreeOf(tree: LocationTree): SiteNode[] {
  const rooms = groupBy(tree.rooms, (r) => r.siteId);
  const rows = groupBy(tree.rows, (r) => r.roomId);
  const cabinets = groupBy(tree.cabinets, (c) => c.rowId);
  return [...tree.sites].sort(byName).map((site) => {
    const roomNodes = [...(rooms.get(site.id) ?? [])].sort(byName).map((room): RoomNode => {
      const rowNodes = [...(rows.get(room.id) ?? [])].sort(byName).map((row): RowNode => {
        const cabs = [...(cabinets.get(row.id) ?? [])]
          .sort((a, b) => a.position - b.position || byName(a, b))
          .map((cabinet) => ({ cabinet, devices: tree.deviceCounts[cabinet.id] ?? 0 }));
        return { row, cabinets: cabs, devices: cabs.reduce((n, c) => n + c.devices, 0) };
      });
      return {
        room,
        rows: rowNodes,
        cabinets: rowNodes.reduce((n, r) => n + r.cabinets.length, 0),
        devices: rowNodes.reduce((n, r) => n + r.devices, 0),
      };
    });
    return { site, rooms: roomNodes, devices: roomNodes.reduce((n, r) => n + r.devices, 0) };
  });
}

export interface PlaceOption {
  kind: LocationKind;
  id: string;
  /** The names from the site down, e.g. "DC1 / Hall 1 / Row A". */
  path: string;
  depth: number;
}

/** Every place in tree order (a site, its rooms, each room's rows, each row's cabinets); `kinds` keeps some. */
export function placeOptions(nodes: readonly SiteNode[], kinds: readonly LocationKind[] = ['site', 'room', 'row', 'cabinet']): PlaceOption[] {
  const out: PlaceOption[] = [];
  const add = (kind: LocationKind, id: string, path: string, depth: number) => {
    if (kinds.includes(kind)) out.push({ kind, id, path, depth });
  };
  for (const s of nodes) {
    add('site', s.site.id, s.site.name, 0);
    for (const r of s.rooms) {
      const roomPath = `${s.site.name} / ${r.room.name}`;
      add('room', r.room.id, roomPath, 1);
      for (const w of r.rows) {
        const rowPath = `${roomPath} / ${w.row.name}`;
        add('row', w.row.id, rowPath, 2);
        for (const c of w.cabinets) add('cabinet', c.cabinet.id, `${rowPath} / ${c.cabinet.name}`, 3);
      }
    }
  }
  return out;
}

/** One stored place as the record putLocation takes; null when the tree does not hold it. */
export function placeRecordIn(tree: LocationTree, kind: LocationKind, id: string): LocationRecord | null {
  if (kind === 'site') {
    const s = tree.sites.find((x) => x.id === id);
    return s ? { kind, ...s } : null;
  }
  if (kind === 'room') {
    const r = tree.rooms.find((x) => x.id === id);
    return r ? { kind, ...r } : null;
  }
  if (kind === 'row') {
    const r = tree.rows.find((x) => x.id === id);
    return r ? { kind, ...r } : null;
  }
  const c = tree.cabinets.find((x) => x.id === id);
  return c ? { kind, ...c } : null;
}

/** The next free position in a row (1 past the highest). */
export function nextPosition(tree: LocationTree, rowId: string): number {
  return tree.cabinets.filter((c) => c.rowId === rowId).reduce((max, c) => Math.max(max, c.position), 0) + 1;
}
