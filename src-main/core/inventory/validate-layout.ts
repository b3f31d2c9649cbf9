// The import checks of the room model (called by validateInventory with its reporters): a
// room's floor plan 1-500 m, a row's place 0-500 m with facing and cold aisle among their
// words, a cabinet's footprint in whole millimetres; then, with the layout completed as it will
// be stored (room-plan.ts), every row of the file must stand on its room's floor.
import { COLD_AISLE_SIDES, ROW_FACINGS, type Cabinet, type InventoryDocument, type ImportIssueCode, type ImportIssueParams } from '../../../src-shared/domain';
import type { RecordKind } from './record-fields';
import { PLAN_M, cm, completeLayout, rowExtent, rowFootprint } from '../../../src-shared/room-plan';

export interface LayoutContext {
  document: InventoryDocument;
  existing: InventoryDocument;
  /** Checks a number field of record i (absent fields are skipped); false when it is out of range. */
  number(kind: RecordKind, i: number, key: string, min: number, max: number, integer: boolean): boolean;
  bad(kind: RecordKind, i: number, key: string): boolean;
  label(kind: RecordKind, i: number, key: string): string;
  report(kind: RecordKind, i: number, key: string, code: ImportIssueCode, params: ImportIssueParams, message: string): void;
}

/** Cabinet footprints accepted, millimetres. */
export const CABINET_MM = { min: 200, max: 2000 } as const;

type Rec = Record<string, unknown> & { id: string };

export function checkLayout(c: LayoutContext): void {
  const given = (v: unknown): boolean => v !== undefined;
  const num = (kind: RecordKind, i: number, r: Rec, key: string, min: number, max: number, integer = false): boolean =>
    !given(r[key]) || c.number(kind, i, key, min, max, integer);
  const roomsOk = (c.document.rooms as unknown as Rec[]).map((r, i) =>
    [num('room', i, r, 'widthM', 1, PLAN_M.maxRoom), num('room', i, r, 'depthM', 1, PLAN_M.maxRoom)].every(Boolean));
  const rowsOk = (c.document.rows as unknown as Rec[]).map((r, i) => {
    const ok = [num('row', i, r, 'xM', 0, PLAN_M.maxRoom), num('row', i, r, 'yM', 0, PLAN_M.maxRoom)];
    for (const [key, words] of [['facing', ROW_FACINGS], ['coldAisle', COLD_AISLE_SIDES]] as const) {
      const v = r[key];
      if (!given(v) || c.bad('row', i, key)) continue;
      if (!(words as readonly unknown[]).includes(v)) {
        c.report('row', i, key, 'bad-choice', { value: String(v), choices: words }, `${c.label('row', i, key)} "${String(v)}" is not one of ${words.join(', ')}`);
        ok.push(false);
      }
    }
    return ok.every(Boolean);
  });
  const cabinetsOk = (c.document.cabinets as unknown as Rec[]).map((r, i) =>
    [num('cabinet', i, r, 'widthMm', CABINET_MM.min, CABINET_MM.max, true), num('cabinet', i, r, 'depthMm', CABINET_MM.min, CABINET_MM.max, true)].every(Boolean));
  if (![...roomsOk, ...rowsOk, ...cabinetsOk].every(Boolean)) return; // the floor is judged once every number reads

  const { document, grown } = completeLayout(c.document, c.existing);
  const fileRoomIds = new Set(document.rooms.map((r) => r.id));
  const rooms = new Map([...c.existing.rooms.filter((r) => !fileRoomIds.has(r.id)), ...grown, ...document.rooms].map((r) => [r.id, r]));
  const fileCabIds = new Set(document.cabinets.map((x) => x.id));
  const cabinetsOfRow = new Map<string, Cabinet[]>();
  for (const x of [...c.existing.cabinets.filter((s) => !fileCabIds.has(s.id)), ...document.cabinets]) {
    cabinetsOfRow.set(x.rowId, [...(cabinetsOfRow.get(x.rowId) ?? []), x]);
  }
  document.rows.forEach((row, i) => {
    const room = rooms.get(row.roomId);
    if (!room || c.bad('row', i, 'xM') || c.bad('row', i, 'yM')) return;
    const e = rowExtent(cabinetsOfRow.get(row.id) ?? []);
    const f = rowFootprint(row, e.length, e.depth);
    const r = { x0: cm(f.x0), y0: cm(f.y0), x1: cm(f.x1), y1: cm(f.y1) };
    const slack = 1e-6;
    if (r.x0 < -slack || r.y0 < -slack || r.x1 > room.widthM + slack || r.y1 > room.depthM + slack) {
      const params = { room: room.id, widthM: room.widthM, depthM: room.depthM, x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 };
      c.report('row', i, 'xM', 'row-outside-room', params, `its cabinets cover x ${r.x0}-${r.x1} m, y ${r.y0}-${r.y1} m, outside room "${room.id}" (${room.widthM} x ${room.depthM} m)`);
    }
  });
}
