// The site / room / row / cabinet form as plain data: the fields each kind has, a stored
// place to form values and back (the record inventory.putLocation takes), numbers checked
// before sending, a new place's id made from its parent and name when left empty, and the
// core's refusal mapped to form fields (import issues name CSV columns: parent, u_height…).
// The room model's fields (a room's plan, a row's place, a cabinet's footprint) are optional:
// left empty, the core keeps the stored value or computes one. Pure.
import type { LocationInput } from '../../../src-shared/api/inventory';
import { COLD_AISLE_SIDES, ROW_FACINGS, type ColdAisleSide, type LocationKind, type LocationRecord, type RowFacing } from '../../../src-shared/domain';
import { refusalByField, type FieldRefusal } from '../field-refusal';
import type { ShownError } from '../shown-error';

export const PLACE_FORM_FIELDS = [
  'id', 'parent', 'name', 'city', 'position', 'uHeight', 'ratedPowerKw', 'feedA', 'feedB',
  'widthM', 'depthM', 'xM', 'yM', 'facing', 'coldAisle', 'widthMm', 'depthMm',
] as const;
export type PlaceFormField = (typeof PLACE_FORM_FIELDS)[number];
export type PlaceFormValues = Record<PlaceFormField, string>;
export type PlaceRefusal = FieldRefusal<PlaceFormField>;

/** The fields each kind's form shows, in order. */
export const FIELDS_OF: Readonly<Record<LocationKind, readonly PlaceFormField[]>> = {
  site: ['id', 'name', 'city'],
  room: ['id', 'parent', 'name', 'widthM', 'depthM'],
  row: ['id', 'parent', 'name', 'xM', 'yM', 'facing', 'coldAisle'],
  cabinet: ['id', 'parent', 'name', 'position', 'uHeight', 'ratedPowerKw', 'feedA', 'feedB', 'widthMm', 'depthMm'],
};

/** The fields picked from a list (the empty choice: let the core decide), with their choices. */
export const CHOICES_OF: Partial<Record<PlaceFormField, readonly string[]>> = { facing: ROW_FACINGS, coldAisle: COLD_AISLE_SIDES };

/** The kind of place each kind lives in. */
export const PARENT_KIND = { room: 'site', row: 'room', cabinet: 'row' } as const satisfies Partial<Record<LocationKind, LocationKind>>;

export type PlaceLocalProblem = 'whole-number' | 'number' | 'required';

const EMPTY = Object.fromEntries(PLACE_FORM_FIELDS.map((f) => [f, ''])) as PlaceFormValues;

/** A new place's form under a parent (a cabinet at the row's next position, 42U). */
export function newPlaceForm(kind: LocationKind, parentId: string, position = 1): PlaceFormValues {
  return kind === 'cabinet' ? { ...EMPTY, parent: parentId, position: String(position), uHeight: '42' } : { ...EMPTY, parent: parentId };
}

export function placeFormOf(r: LocationRecord): PlaceFormValues {
  if (r.kind === 'site') return { ...EMPTY, id: r.id, name: r.name, city: r.city };
  const text = (v: number | string | undefined | null): string => (v === undefined || v === null ? '' : String(v));
  if (r.kind === 'room') return { ...EMPTY, id: r.id, parent: r.siteId, name: r.name, widthM: text(r.widthM), depthM: text(r.depthM) };
  if (r.kind === 'row') {
    return { ...EMPTY, id: r.id, parent: r.roomId, name: r.name, xM: text(r.xM), yM: text(r.yM), facing: text(r.facing), coldAisle: text(r.coldAisle) };
  }
  return {
    ...EMPTY, id: r.id, parent: r.rowId, name: r.name, position: String(r.position), uHeight: String(r.uHeight), ratedPowerKw: String(r.ratedPowerKw),
    feedA: r.feedA ?? '', feedB: r.feedB ?? '', widthMm: text(r.widthMm), depthMm: text(r.depthMm),
  };
}

/** "Hall 1" under "dc1" → "dc1-hall-1"; a name with no Latin letters or digits gets a time-based id. */
export function placeIdOf(kind: LocationKind, parentId: string, name: string, now = Date.now()): string {
  const slug = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const own = slug || `${kind}-${now.toString(36)}`;
  return parentId ? `${parentId}-${own}` : own;
}

/** The record to send, or the fields found wrong before asking the core. */
export function placeRecordOf(
  kind: LocationKind,
  v: PlaceFormValues,
): { record: LocationInput; problems: null } | { record: null; problems: Partial<Record<PlaceFormField, PlaceLocalProblem>> } {
  const problems: Partial<Record<PlaceFormField, PlaceLocalProblem>> = {};
  const name = v.name.trim();
  const parent = v.parent.trim();
  if (kind !== 'site' && !parent) problems.parent = 'required';
  const int = (f: PlaceFormField): number => {
    const s = v[f].trim();
    if (!/^\d+$/.test(s)) problems[f] = 'whole-number';
    return Number(s);
  };
  const decimal = (f: PlaceFormField): number => {
    const s = v[f].trim();
    if (!/^\d+(\.\d+)?$/.test(s)) problems[f] = 'number';
    return Number(s);
  };
  const id = v.id.trim() || placeIdOf(kind, parent, name);
  const opt = (s: string) => (s.trim() === '' ? null : s.trim());
  /** An optional number: empty sends null (the core keeps or computes it). */
  const optional = (f: PlaceFormField, read: (f: PlaceFormField) => number): number | null => (v[f].trim() === '' ? null : read(f));
  let record: LocationInput;
  if (kind === 'site') record = { kind, id, name, city: v.city.trim() };
  else if (kind === 'room') record = { kind, id, siteId: parent, name, widthM: optional('widthM', decimal), depthM: optional('depthM', decimal) };
  else if (kind === 'row') {
    record = {
      kind, id, roomId: parent, name, xM: optional('xM', decimal), yM: optional('yM', decimal),
      facing: (opt(v.facing) as RowFacing | null), coldAisle: (opt(v.coldAisle) as ColdAisleSide | null),
    };
  } else {
    record = {
      kind, id, rowId: parent, name, position: int('position'), uHeight: int('uHeight'), ratedPowerKw: decimal('ratedPowerKw'), feedA: opt(v.feedA), feedB: opt(v.feedB),
      widthMm: optional('widthMm', int), depthMm: optional('depthMm', int),
    };
  }
  if (Object.keys(problems).length > 0) return { record: null, problems };
  return { record, problems: null };
}

const ALIASES: Readonly<Record<string, PlaceFormField>> = {
  parent: 'parent', siteid: 'parent', roomid: 'parent', rowid: 'parent', site: 'parent', room: 'parent', row: 'parent',
  uheight: 'uHeight', u_height: 'uHeight', height: 'uHeight', ratedpowerkw: 'ratedPowerKw', rated_power_kw: 'ratedPowerKw',
  feeda: 'feedA', feed_a: 'feedA', feedb: 'feedB', feed_b: 'feedB', confirmname: 'name',
  width_m: 'widthM', depth_m: 'depthM', x_m: 'xM', y_m: 'yM', cold_aisle: 'coldAisle', width_mm: 'widthMm', depth_mm: 'depthMm',
};

/** The form field an issue or a contract path names ("location.uHeight", "u_height", "rooms[0].parent"); null when none. */
export function placeFieldOf(path: string): PlaceFormField | null {
  const last = (path.split(/[.[\]]/).filter(Boolean).pop() ?? '').toLowerCase();
  if (ALIASES[last]) return ALIASES[last];
  return PLACE_FORM_FIELDS.find((f) => f.toLowerCase() === last) ?? null;
}

export function placeRefusalOf(error: ShownError): PlaceRefusal | null {
  return refusalByField(error, placeFieldOf);
}
