// The 3D room's colour modes and their scales, as pure functions (unit-tested): each maps a
// cabinet's or device's reading to linear RGB in 0..1, and each has a legend (swatches or a
// ramp) drawn beside the canvas. No three.js here: the scene copies these into instanceColor.
import type { CabinetReading, DeviceReading, FeedRisk, RoomDeviceStatus } from '../../../src-shared/domain/fleet';

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
export const ALARM_COLOURS = { critical: hex(0xe0303a), major: hex(0xe07a20), minor: hex(0xf0d020), other: hex(0x3a8ee0), none: hex(0x6a7280) } as const;
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

export function powerColour(utilisation: number | null): Rgb {
  return utilisation === null || !Number.isFinite(utilisation) ? NO_DATA : ramp(POWER_STOPS, Math.max(0, utilisation));
}

export function inletColour(c: number | null): Rgb {
  return c === null || !Number.isFinite(c) ? NO_DATA : ramp(INLET_STOPS, c);
}

/** The worst alarm word among a cabinet's flags ('alarm:critical' ...); none when it has none. */
export function alarmLevel(flags: readonly string[]): AlarmLevel {
  let level: AlarmLevel = 'none';
  const rank: Record<AlarmLevel, number> = { none: 0, other: 1, minor: 2, major: 3, critical: 4 };
  for (const f of flags) {
    const word = f.startsWith('alarm:') ? f.slice(6) : null;
    const l: AlarmLevel = word === 'critical' || word === 'major' || word === 'minor' ? word : 'other';
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

export type { CabinetReading, DeviceReading };
