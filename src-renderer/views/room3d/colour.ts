// The 3D room's colour modes and their scales, as pure functions (unit-tested): each maps a
// cabinet's or device's reading to linear RGB in 0..1, and each has a legend (swatches or a
// ramp) drawn beside the canvas. No three.js here: the scene copies these into instanceColor.
// For the scene's hot loop the same scales come as codes (a status, feed or alarm level as a
// small integer), a colour table per code and rampInto, which writes into a buffer in place;
// DecodedReadings turns a readings object into typed arrays by instance index, once per object.
import type { CabinetReading, DeviceReading, FeedRisk, RoomDeviceStatus, RoomReadings } from '../../../src-shared/domain/fleet';

export const COLOUR_MODES = ['status', 'power', 'inlet', 'feed', 'alarms'] as const;
export type ColourMode = (typeof COLOUR_MODES)[number];

export type Rgb = readonly [number, number, number];

const hex = (h: number): Rgb => [((h >> 16) & 255) / 255, ((h >> 8) & 255) / 255, (h & 255) / 255];

export const NO_DATA: Rgb = hex(0x5a6270);
export const STATUS_COLOURS: Readonly<Record<RoomDeviceStatus, Rgb>> = {
  up: hex(0x2fb56a),
  degraded: hex(0xf0a020),
  unreachable: hex(0xe0303a),
  unknown: hex(0x8a93a3),
  'not-monitored': hex(0x3a4150),
};
export const FEED_COLOURS: Readonly<Record<FeedRisk, Rgb>> = {
  redundant: hex(0x2fb56a),
  'dark-on-a': hex(0xf0a020),
  'dark-on-b': hex(0xe07a20),
  'dark-on-either': hex(0xe0303a),
  unknown: hex(0x8a93a3),
};
/** The probe matrix's top suspect, whatever the mode: a hot pink no mode's scale uses. */
export const SUSPECT_COLOUR: Rgb = hex(0xff3cc8);
/** Alarm levels: the worst firing, unmasked alarm's severity (warning is 'other'); only masked ones: a neutral light grey. */
export const ALARM_COLOURS = { critical: hex(0xe0303a), major: hex(0xe07a20), minor: hex(0xf0d020), other: hex(0x3a8ee0), masked: hex(0xb4bac4), none: hex(0x6a7280) } as const;
export type AlarmLevel = keyof typeof ALARM_COLOURS;

/** Power utilisation: green at 0 %, yellow at 60 %, red at 90 %, magenta from 100 % (over rating). */
export const POWER_STOPS: readonly (readonly [number, Rgb])[] = [
  [0, hex(0x2fb56a)],
  [0.6, hex(0xf0d020)],
  [0.9, hex(0xe0303a)],
  [1, hex(0xc020d0)],
];
export const INLET_MIN_C = 18;
export const INLET_MAX_C = 35;
/** Inlet temperature: blue at 18 C, green at 24 C (ASHRAE's recommended band), orange at 27 C, red at 35 C. */
export const INLET_STOPS: readonly (readonly [number, Rgb])[] = [
  [18, hex(0x3a8ee0)],
  [24, hex(0x2fb56a)],
  [27, hex(0xf0a020)],
  [35, hex(0xe0303a)],
];

/** Piecewise-linear ramp through the stops; clamps at both ends. */
export function ramp(stops: readonly (readonly [number, Rgb])[], v: number): Rgb {
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (!first || !last) return NO_DATA;
  if (v <= first[0]) return first[1];
  if (v >= last[0]) return last[1];
  for (let i = 1; i < stops.length; i++) {
    const b = stops[i];
    const a = stops[i - 1];
    if (!a || !b || v > b[0]) continue;
    const t = (v - a[0]) / (b[0] - a[0]);
    return [a[1][0] + (b[1][0] - a[1][0]) * t, a[1][1] + (b[1][1] - a[1][1]) * t, a[1][2] + (b[1][2] - a[1][2]) * t];
  }
  return last[1];
}

/** ramp, written into out[o..o+2] times scale: no array per call (the scene's loop over every instance). */
export function rampInto(stops: readonly (readonly [number, Rgb])[], v: number, out: Float32Array, o: number, scale: number): void {
  const n = stops.length;
  const first = stops[0];
  const last = stops[n - 1];
  if (!first || !last) return writeRgb(out, o, NO_DATA, scale);
  if (v <= first[0]) return writeRgb(out, o, first[1], scale);
  if (v >= last[0]) return writeRgb(out, o, last[1], scale);
  for (let i = 1; i < n; i++) {
    const b = stops[i] as (typeof stops)[number];
    if (v > b[0]) continue;
    const a = stops[i - 1] as (typeof stops)[number];
    const t = (v - a[0]) / (b[0] - a[0]);
    out[o] = (a[1][0] + (b[1][0] - a[1][0]) * t) * scale;
    out[o + 1] = (a[1][1] + (b[1][1] - a[1][1]) * t) * scale;
    out[o + 2] = (a[1][2] + (b[1][2] - a[1][2]) * t) * scale;
    return;
  }
  writeRgb(out, o, last[1], scale);
}

export function writeRgb(out: Float32Array, o: number, c: Rgb, scale: number): void {
  out[o] = c[0] * scale;
  out[o + 1] = c[1] * scale;
  out[o + 2] = c[2] * scale;
}

/** Codes for the scene's typed arrays: a status, feed risk or alarm level as its index in these. */
export const STATUS_ORDER = Object.keys(STATUS_COLOURS) as RoomDeviceStatus[];
export const FEED_ORDER = Object.keys(FEED_COLOURS) as FeedRisk[];
export const ALARM_ORDER = Object.keys(ALARM_COLOURS) as AlarmLevel[];
/** A status's code; -1 for a word the table does not know (drawn as no data). */
export function statusCode(s: RoomDeviceStatus): number {
  switch (s) {
    case 'up': return 0;
    case 'degraded': return 1;
    case 'unreachable': return 2;
    case 'unknown': return 3;
    case 'not-monitored': return 4;
    default: return -1;
  }
}

/** A status code for the tables below: no reading (-1 or undefined) is the table's NO_DATA slot. */
export const statusOrNone = (c: number | undefined): number => (c === undefined || c < 0 ? STATUS_ORDER.length : c);
export function feedCode(f: FeedRisk): number {
  const i = FEED_ORDER.indexOf(f);
  return i < 0 ? FEED_ORDER.length : i;
}
export const alarmCode = (flags: readonly string[]): number => ALARM_ORDER.indexOf(alarmLevel(flags));

/** A flat colour table (r, g, b per code) for codes 0..n-1, NO_DATA at code n. */
function colourTable(colours: readonly Rgb[]): Float32Array {
  const t = new Float32Array((colours.length + 1) * 3);
  [...colours, NO_DATA].forEach((c, i) => writeRgb(t, i * 3, c, 1));
  return t;
}
export const STATUS_TABLE = colourTable(STATUS_ORDER.map((k) => STATUS_COLOURS[k]));
export const FEED_TABLE = colourTable(FEED_ORDER.map((k) => FEED_COLOURS[k]));
export const ALARM_TABLE = colourTable(ALARM_ORDER.map((k) => ALARM_COLOURS[k]));

/** Entry `code` of a colour table into out[o..o+2], times scale. */
export function copyRgb(out: Float32Array, o: number, table: Float32Array, code: number, scale: number): void {
  const f = code * 3;
  out[o] = (table[f] as number) * scale;
  out[o + 1] = (table[f + 1] as number) * scale;
  out[o + 2] = (table[f + 2] as number) * scale;
}

export function powerColour(utilisation: number | null): Rgb {
  return utilisation === null || !Number.isFinite(utilisation) ? NO_DATA : ramp(POWER_STOPS, Math.max(0, utilisation));
}

export function inletColour(c: number | null): Rgb {
  return c === null || !Number.isFinite(c) ? NO_DATA : ramp(INLET_STOPS, c);
}

/** The worst alarm word among a cabinet's flags ('alarm:critical' ..., 'alarm:masked'); none when it has none. */
export function alarmLevel(flags: readonly string[]): AlarmLevel {
  let level: AlarmLevel = 'none';
  const rank: Record<AlarmLevel, number> = { none: 0, masked: 1, other: 2, minor: 3, major: 4, critical: 5 };
  for (const f of flags) {
    const word = f.startsWith('alarm:') ? f.slice(6) : null;
    const l: AlarmLevel = word === 'critical' || word === 'major' || word === 'minor' || word === 'masked' ? word : 'other';
    if (rank[l] > rank[level]) level = l;
  }
  return level;
}

export function cabinetColour(mode: ColourMode, r: CabinetReading | undefined): Rgb {
  if (!r) return NO_DATA;
  if (mode === 'status') return STATUS_COLOURS[r.worst];
  if (mode === 'power') return powerColour(r.utilisation);
  if (mode === 'inlet') return inletColour(r.inletC);
  if (mode === 'feed') return FEED_COLOURS[r.feed];
  return ALARM_COLOURS[alarmLevel(r.flags)];
}

/** A device's colour: its own status or inlet where the mode has one per device, else its cabinet's. */
export function deviceColour(mode: ColourMode, d: { status: RoomDeviceStatus; inletC: number | null } | undefined, cab: CabinetReading | undefined): Rgb {
  if (mode === 'status') return d ? STATUS_COLOURS[d.status] : NO_DATA;
  if (mode === 'inlet' && d && d.inletC !== null) return inletColour(d.inletC);
  return cabinetColour(mode, cab);
}

export type LegendEntry = { readonly key: string; readonly colour: Rgb };

/** The legend of a mode: swatches keyed for i18n, or ramp stops (value, colour) for a scale bar. */
export function legendOf(mode: ColourMode): { kind: 'swatches'; entries: LegendEntry[] } | { kind: 'ramp'; stops: readonly (readonly [number, Rgb])[]; unit: '%' | 'C' } {
  if (mode === 'status') return { kind: 'swatches', entries: Object.entries(STATUS_COLOURS).map(([key, colour]) => ({ key, colour })) };
  if (mode === 'feed') return { kind: 'swatches', entries: Object.entries(FEED_COLOURS).map(([key, colour]) => ({ key, colour })) };
  if (mode === 'alarms') return { kind: 'swatches', entries: Object.entries(ALARM_COLOURS).map(([key, colour]) => ({ key, colour })) };
  if (mode === 'power') return { kind: 'ramp', stops: POWER_STOPS, unit: '%' };
  return { kind: 'ramp', stops: INLET_STOPS, unit: 'C' };
}

export function cssOf(c: Rgb): string {
  return `rgb(${Math.round(c[0] * 255)}, ${Math.round(c[1] * 255)}, ${Math.round(c[2] * 255)})`;
}

/**
 * A room's readings as typed arrays indexed like the scene's instances (a room-device index,
 * a cabinet index, plus one "no cabinet" slot at the end), decoded once per readings object
 * (each poll brings a new one). Each list position's index is kept and reused while the id at
 * that position is unchanged (the core answers in a stable order), else looked up by id.
 */
export class DecodedReadings {
  private readings: RoomReadings | null | undefined = undefined;
  private devIds: string[] = [];
  private devPos: Int32Array = new Int32Array(0);
  private cabIds: string[] = [];
  private cabPos: Int32Array = new Int32Array(0);
  /** Per room device: status code (-1: no reading), inlet (NaN: none). */
  readonly status: Int8Array;
  readonly inlet: Float32Array;
  private readonly live: Int8Array;
  /** Per cabinet: has a reading, worst status, utilisation, inlet, feed, alarm level, identifying. */
  private readonly cabHas: Uint8Array;
  private readonly cabWorst: Int8Array;
  private readonly cabUtil: Float32Array;
  private readonly cabInlet: Float32Array;
  private readonly cabFeed: Int8Array;
  private readonly cabAlarm: Int8Array;
  readonly ident: Uint8Array;
  anyIdentifying = false;
  private readonly cabRgb: Float32Array;

  constructor(
    private readonly cabinetIndex: ReadonlyMap<string, number>,
    private readonly deviceIndex: ReadonlyMap<string, number>,
  ) {
    const nDev = deviceIndex.size;
    const nCab = cabinetIndex.size + 1;
    this.status = new Int8Array(nDev);
    this.inlet = new Float32Array(nDev);
    this.live = new Int8Array(nDev);
    this.cabHas = new Uint8Array(nCab);
    this.cabWorst = new Int8Array(nCab);
    this.cabUtil = new Float32Array(nCab);
    this.cabInlet = new Float32Array(nCab);
    this.cabFeed = new Int8Array(nCab);
    this.cabAlarm = new Int8Array(nCab);
    this.ident = new Uint8Array(nCab);
    this.cabRgb = new Float32Array(nCab * 3);
  }

  /** Decodes the readings unless they are the object decoded last. */
  update(readings: RoomReadings | null): void {
    if (readings === this.readings) return;
    this.readings = readings;
    this.status.fill(-1);
    this.inlet.fill(NaN);
    this.cabHas.fill(0);
    this.ident.fill(0);
    this.anyIdentifying = false;
    const devs = readings?.devices ?? [];
    const devPos = (this.devPos = positions(devs, deviceIdOf, this.devIds, this.devPos, this.deviceIndex));
    for (let i = 0; i < devs.length; i++) {
      const ri = devPos[i] as number;
      if (ri < 0) continue;
      const d = devs[i] as DeviceReading;
      this.status[ri] = statusCode(d.status);
      this.inlet[ri] = d.inletC !== null && Number.isFinite(d.inletC) ? d.inletC : NaN;
    }
    const cabs = readings?.cabinets ?? [];
    const cabPos = (this.cabPos = positions(cabs, cabinetIdOf, this.cabIds, this.cabPos, this.cabinetIndex));
    for (let i = 0; i < cabs.length; i++) {
      const ci = cabPos[i] as number;
      if (ci < 0) continue;
      const c = cabs[i] as CabinetReading;
      this.cabHas[ci] = 1;
      this.cabWorst[ci] = statusCode(c.worst);
      this.cabUtil[ci] = c.utilisation ?? NaN;
      this.cabInlet[ci] = c.inletC ?? NaN;
      this.cabFeed[ci] = feedCode(c.feed);
      this.cabAlarm[ci] = alarmCode(c.flags);
      if (c.identifying.length > 0) {
        this.ident[ci] = 1;
        this.anyIdentifying = true;
      }
    }
  }

  /** The statuses with the stream's newer ones on top (a copy only when there are any). */
  statusWith(liveStatus: Readonly<Record<string, RoomDeviceStatus>>): Int8Array {
    const ids = Object.keys(liveStatus);
    if (ids.length === 0) return this.status;
    this.live.set(this.status);
    for (const id of ids) {
      const ri = this.deviceIndex.get(id);
      if (ri !== undefined) this.live[ri] = statusCode(liveStatus[id] as RoomDeviceStatus);
    }
    return this.live;
  }

  /** Every cabinet's colour in a mode, r g b per cabinet index (NO_DATA without a reading, and in the last slot). */
  cabinetColours(mode: ColourMode): Float32Array {
    const out = this.cabRgb;
    for (let ci = 0; ci < this.cabHas.length; ci++) {
      const o = ci * 3;
      if (!this.cabHas[ci]) writeRgb(out, o, NO_DATA, 1);
      else if (mode === 'status') copyRgb(out, o, STATUS_TABLE, statusOrNone(this.cabWorst[ci]), 1);
      else if (mode === 'feed') copyRgb(out, o, FEED_TABLE, this.cabFeed[ci] as number, 1);
      else if (mode === 'alarms') copyRgb(out, o, ALARM_TABLE, this.cabAlarm[ci] as number, 1);
      else {
        const v = (mode === 'power' ? this.cabUtil[ci] : this.cabInlet[ci]) as number;
        if (!Number.isFinite(v)) writeRgb(out, o, NO_DATA, 1);
        else if (mode === 'power') rampInto(POWER_STOPS, Math.max(0, v), out, o, 1);
        else rampInto(INLET_STOPS, v, out, o, 1);
      }
    }
    return out;
  }
}

const deviceIdOf = (d: DeviceReading): string => d.deviceId;
const cabinetIdOf = (c: CabinetReading): string => c.cabinetId;

/** Each position of a readings list -> an index here (-1: not here); last time's where the id at a position is unchanged. */
function positions<T>(list: readonly T[], idOf: (t: T) => string, ids: string[], pos: Int32Array, index: ReadonlyMap<string, number>): Int32Array {
  const n = list.length;
  let out = pos;
  if (pos.length < n) {
    out = new Int32Array(n);
    out.set(pos);
  }
  if (ids.length > n) ids.length = n;
  for (let i = 0; i < n; i++) {
    const id = idOf(list[i] as T);
    if (ids[i] === id) continue;
    ids[i] = id;
    out[i] = index.get(id) ?? -1;
  }
  return out;
}

export type { CabinetReading, DeviceReading };
