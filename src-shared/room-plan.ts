// The computed room layout: what a room, row or cabinet gets when a file or a form gives no
// floor plan, place or footprint (older files, the migration of stored rooms, the lab).
// Missing values keep the stored ones; otherwise cabinets are 600 x 1200 mm, rows are laid
// out in pairs facing each other across a cold aisle (row 2k faces south, row 2k+1 north,
// fronts towards the shared aisle) after a gap for CRAC units, and a room is sized to hold
// its rows. Also the footprint of a row on the floor, which validation checks against its room.
import { CABINET_DEFAULT_MM, type Cabinet, type InventoryDocument, type Room, type Row, type RowFacing } from './domain';

/** Metres: the cold aisle between a pair's fronts, the hot aisle behind each pair, the CRAC gap at the west end, and the clearance at the other walls. */
export const PLAN_M = { coldAisle: 1.2, hotAisle: 1.2, cracGap: 3, wall: 1.2, minRoom: 4, maxRoom: 500 } as const;

/** A record as decoded: its layout fields may be absent (undefined) until completeLayout fills them. */
type Loose<T, K extends keyof T> = Omit<T, K> & { [P in K]?: T[P] };
export type LooseRoom = Loose<Room, 'widthM' | 'depthM'>;
export type LooseRow = Loose<Row, 'xM' | 'yM' | 'facing' | 'coldAisle'>;
export type LooseCabinet = Loose<Cabinet, 'widthMm' | 'depthMm'>;

/** A rectangle on the room's floor, metres (x west to east, y north to south). */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Rounded to the centimetre, so computed places export the same text every time. */
export const cm = (m: number): number => Math.round(m * 100) / 100;
const upToDecimetre = (m: number): number => Math.ceil(cm(m) * 10 - 1e-9) / 10;

/** Length along the row and depth front to rear of a row holding `cabinets` (depth 1.2 m when empty), metres. */
export function rowExtent(cabinets: readonly Pick<Cabinet, 'widthMm' | 'depthMm'>[]): { length: number; depth: number } {
  let length = 0;
  let depth = 0;
  for (const c of cabinets) {
    length += c.widthMm / 1000;
    depth = Math.max(depth, c.depthMm / 1000);
  }
  return { length: cm(length), depth: cm(depth || CABINET_DEFAULT_MM.depthMm / 1000) };
}

/**
 * Where a row stands: (xM, yM) is the front-left corner of its first cabinet seen from in
 * front, the cabinets run to that viewer's right and their bodies go back from the front.
 */
export function rowFootprint(place: { xM: number; yM: number; facing: RowFacing }, length: number, depth: number): Rect {
  const { xM: x, yM: y } = place;
  switch (place.facing) {
    case 'south': return { x0: x, x1: x + length, y0: y - depth, y1: y };
    case 'north': return { x0: x - length, x1: x, y0: y, y1: y + depth };
    case 'east': return { x0: x - depth, x1: x, y0: y - length, y1: y };
    case 'west': return { x0: x, x1: x + depth, y0: y, y1: y + length };
  }
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }): number =>
  a.name.localeCompare(b.name, 'en', { numeric: true }) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Places rows in pairs across cold aisles from `top` (metres from the north wall); returns their places. */
export function pairRows(rows: readonly { id: string; length: number; depth: number }[], top: number): Map<string, Pick<Row, 'xM' | 'yM' | 'facing' | 'coldAisle'>> {
  const out = new Map<string, Pick<Row, 'xM' | 'yM' | 'facing' | 'coldAisle'>>();
  let y = top;
  for (let k = 0; k < rows.length; k += 2) {
    const [a, b] = [rows[k], rows[k + 1]];
    out.set(a.id, { xM: PLAN_M.cracGap, yM: cm(y + a.depth), facing: 'south', coldAisle: 'front' });
    y += a.depth;
    if (b) {
      y += PLAN_M.coldAisle;
      out.set(b.id, { xM: cm(PLAN_M.cracGap + b.length), yM: cm(y), facing: 'north', coldAisle: 'front' });
      y += b.depth;
    }
    y += PLAN_M.hotAisle;
  }
  return out;
}

/** The room size that holds these footprints with clearance at the east and south walls. */
export function roomToHold(rects: readonly Rect[]): { widthM: number; depthM: number } {
  let x: number = PLAN_M.cracGap;
  let y = 0;
  for (const r of rects) {
    x = Math.max(x, r.x1);
    y = Math.max(y, r.y1);
  }
  const size = (v: number): number => Math.min(PLAN_M.maxRoom, Math.max(PLAN_M.minRoom, upToDecimetre(v + PLAN_M.wall)));
  return { widthM: size(x), depthM: size(y) };
}

const isSet = (v: unknown): boolean => v !== undefined;

export interface CompletedLayout {
  /** The file with every room, row and cabinet complete (the same records, in the same order). */
  document: InventoryDocument;
  /** Stored rooms not in the file that grew to hold the rows and cabinets the file placed in them. */
  grown: Room[];
}

/**
 * Fills every absent layout field of `file`'s rooms, rows and cabinets: the stored record's
 * value when there is one, else the computed layout. Rows without a stored or given place are
 * laid out after (south of) the room's placed rows; rooms without a given plan are sized to
 * hold their rows (a stored plan only grows, also when the file adds rows or cabinets to a
 * room it does not name).
 */
export function completeLayout(file: InventoryDocument, stored: InventoryDocument): CompletedLayout {
  const storedRoom = new Map(stored.rooms.map((r) => [r.id, r]));
  const storedRow = new Map(stored.rows.map((r) => [r.id, r]));
  const storedCab = new Map(stored.cabinets.map((c) => [c.id, c]));

  const cabinets: Cabinet[] = (file.cabinets as readonly LooseCabinet[]).map((c) => {
    const old = storedCab.get(c.id);
    return { ...c, widthMm: c.widthMm ?? old?.widthMm ?? CABINET_DEFAULT_MM.widthMm, depthMm: c.depthMm ?? old?.depthMm ?? CABINET_DEFAULT_MM.depthMm };
  });
  // The cabinets of each row once the file is applied.
  const fileCabIds = new Set(cabinets.map((c) => c.id));
  const cabsOfRow = new Map<string, Cabinet[]>();
  for (const c of [...stored.cabinets.filter((s) => !fileCabIds.has(s.id)), ...cabinets]) {
    const list = cabsOfRow.get(c.rowId) ?? [];
    list.push(c);
    cabsOfRow.set(c.rowId, list);
  }
  const extentOf = (rowId: string) => rowExtent(cabsOfRow.get(rowId) ?? []);

  // Rows once the file is applied: given values, else stored ones; unplaced rows wait for pairRows.
  const fileRows = file.rows as readonly LooseRow[];
  const fileRowIds = new Set(fileRows.map((r) => r.id));
  const rowsAfter: LooseRow[] = [
    ...stored.rows.filter((r) => !fileRowIds.has(r.id)),
    ...fileRows.map((r) => {
      const old = storedRow.get(r.id);
      return { ...r, xM: r.xM ?? old?.xM, yM: r.yM ?? old?.yM, facing: r.facing ?? old?.facing, coldAisle: r.coldAisle ?? old?.coldAisle };
    }),
  ];
  const placed = new Map<string, Row>();
  const byRoom = new Map<string, LooseRow[]>();
  for (const r of rowsAfter) {
    const list = byRoom.get(r.roomId) ?? [];
    list.push(r);
    byRoom.set(r.roomId, list);
  }
  const rectsOfRoom = new Map<string, Rect[]>();
  for (const [roomId, list] of byRoom) {
    const rects: Rect[] = [];
    const unplaced: LooseRow[] = [];
    for (const r of list) {
      if (!isSet(r.xM) || !isSet(r.yM)) {
        unplaced.push(r);
        continue;
      }
      const row: Row = { ...r, xM: r.xM!, yM: r.yM!, facing: r.facing ?? 'south', coldAisle: r.coldAisle ?? 'front' };
      placed.set(r.id, row);
      const e = extentOf(r.id);
      if (Number.isFinite(row.xM) && Number.isFinite(row.yM)) rects.push(rowFootprint(row, e.length, e.depth));
    }
    const top = rects.length ? Math.max(...rects.map((x) => x.y1)) + PLAN_M.hotAisle : PLAN_M.wall;
    const places = pairRows(unplaced.sort(byName).map((r) => ({ id: r.id, ...extentOf(r.id) })), top);
    for (const r of unplaced) {
      const p = places.get(r.id)!;
      const row: Row = { ...r, xM: r.xM ?? p.xM, yM: r.yM ?? p.yM, facing: r.facing ?? p.facing, coldAisle: r.coldAisle ?? p.coldAisle };
      placed.set(r.id, row);
      const e = extentOf(r.id);
      rects.push(rowFootprint(row, e.length, e.depth));
    }
    rectsOfRoom.set(roomId, rects);
  }

  const fitted = (roomId: string, old: Room | undefined): { widthM: number; depthM: number } => {
    const need = roomToHold(rectsOfRoom.get(roomId) ?? []);
    return old ? { widthM: Math.max(old.widthM, need.widthM), depthM: Math.max(old.depthM, need.depthM) } : need;
  };
  const rooms: Room[] = (file.rooms as readonly LooseRoom[]).map((r) => {
    if (isSet(r.widthM) && isSet(r.depthM)) return r as Room;
    const size = fitted(r.id, storedRoom.get(r.id));
    return { ...r, widthM: r.widthM ?? size.widthM, depthM: r.depthM ?? size.depthM };
  });
  // Stored rooms the file leaves alone but whose new rows need more floor.
  const fileRoomIds = new Set(rooms.map((r) => r.id));
  const grown: Room[] = [];
  const roomOfRow = new Map(rowsAfter.map((r) => [r.id, r.roomId]));
  const touched = new Set([...fileRows.map((r) => r.roomId), ...cabinets.map((c) => roomOfRow.get(c.rowId) ?? '')]);
  for (const roomId of touched) {
    const old = storedRoom.get(roomId);
    if (!old || fileRoomIds.has(roomId)) continue;
    const size = fitted(roomId, old);
    if (size.widthM !== old.widthM || size.depthM !== old.depthM) grown.push({ ...old, ...size });
  }
  const rows = fileRows.map((r) => placed.get(r.id)!);
  return { document: { ...file, rooms, rows, cabinets }, grown };
}
