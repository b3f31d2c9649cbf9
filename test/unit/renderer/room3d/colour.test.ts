// The 3D room's colour scales: status, power utilisation, inlet temperature, feed risk,
// alarm flags (grey when none), device colours and each mode's legend; the in-place ramp
// and colour tables the scene's loop uses agree with them.
import { describe, expect, it } from 'vitest';
import type { CabinetReading } from '../../../../src-shared/domain/fleet';
import {
  ALARM_COLOURS,
  alarmLevel,
  cabinetColour,
  COLOUR_MODES,
  deviceColour,
  FEED_COLOURS,
  inletColour,
  legendOf,
  NO_DATA,
  POWER_STOPS,
  powerColour,
  ramp,
  rampInto,
  copyRgb,
  INLET_STOPS,
  STATUS_COLOURS,
  STATUS_ORDER,
  STATUS_TABLE,
  statusOrNone,
} from '../../../../src-renderer/views/room3d/colour';

const reading = (p: Partial<CabinetReading> = {}): CabinetReading => ({
  cabinetId: 'c1', powerW: 4000, ratedKw: 8, utilisation: 0.5, inletC: 22, readAt: 1, worst: 'up', feed: 'redundant', darkOnA: 0, darkOnB: 0, identifying: [], flags: [], ...p,
});

describe('room colour scales', () => {
  it('ramps linearly between stops and clamps at the ends', () => {
    const stops = [[0, [0, 0, 0]], [10, [1, 0.5, 0]]] as const;
    expect(ramp(stops, -1)).toEqual([0, 0, 0]);
    expect(ramp(stops, 5)).toEqual([0.5, 0.25, 0]);
    expect(ramp(stops, 20)).toEqual([1, 0.5, 0]);
  });

  it('writes the same ramp into a buffer in place, scaled, and reads status colours from the flat table', () => {
    const out = new Float32Array(6);
    for (const v of [10, 18, 20.5, 24, 26, 27, 31, 40]) {
      rampInto(INLET_STOPS, v, out, 3, 0.5);
      ramp(INLET_STOPS, v).forEach((c, i) => expect(out[3 + i]).toBeCloseTo(c * 0.5, 6));
    }
    for (const s of STATUS_ORDER) {
      copyRgb(out, 0, STATUS_TABLE, statusOrNone(STATUS_ORDER.indexOf(s)), 1);
      STATUS_COLOURS[s].forEach((c, i) => expect(out[i]).toBeCloseTo(c, 6));
    }
    copyRgb(out, 0, STATUS_TABLE, statusOrNone(-1), 1);
    NO_DATA.forEach((c, i) => expect(out[i]).toBeCloseTo(c, 6));
  });

  it('colours power use green at 0, red near 90 %, magenta over the rating, grey without a reading', () => {
    expect(powerColour(0)).toEqual(POWER_STOPS[0]?.[1]);
    expect(powerColour(1.4)).toEqual(POWER_STOPS[3]?.[1]);
    expect(powerColour(null)).toBe(NO_DATA);
    const r = powerColour(0.9);
    expect(r[0]).toBeGreaterThan(r[1]);
  });

  it('colours inlet blue when cold, red at 35 C and above', () => {
    const cold = inletColour(16);
    expect(cold[2]).toBeGreaterThan(cold[0]);
    const hot = inletColour(40);
    expect(hot[0]).toBeGreaterThan(hot[2]);
    expect(inletColour(null)).toBe(NO_DATA);
  });

  it('picks the worst alarm word, grey when there are no flags', () => {
    expect(alarmLevel([])).toBe('none');
    expect(alarmLevel(['provisioning'])).toBe('other');
    expect(alarmLevel(['alarm:minor', 'alarm:critical', 'alarm:major'])).toBe('critical');
    expect(cabinetColour('alarms', reading())).toBe(ALARM_COLOURS.none);
  });

  it('colours a cabinet by mode', () => {
    expect(cabinetColour('status', reading({ worst: 'unreachable' }))).toBe(STATUS_COLOURS.unreachable);
    expect(cabinetColour('feed', reading({ feed: 'dark-on-either' }))).toBe(FEED_COLOURS['dark-on-either']);
    expect(cabinetColour('power', undefined)).toBe(NO_DATA);
  });

  it('colours a device by its own status, its own inlet, else its cabinet', () => {
    const cab = reading({ feed: 'dark-on-a' });
    expect(deviceColour('status', { status: 'degraded', inletC: null }, cab)).toBe(STATUS_COLOURS.degraded);
    expect(deviceColour('inlet', { status: 'up', inletC: 40 }, cab)).toEqual(inletColour(40));
    expect(deviceColour('feed', { status: 'up', inletC: null }, cab)).toBe(FEED_COLOURS['dark-on-a']);
  });

  it('has a legend for every mode, and the legends differ', () => {
    const seen = new Set(COLOUR_MODES.map((m) => JSON.stringify(legendOf(m))));
    expect(seen.size).toBe(COLOUR_MODES.length);
    const s = legendOf('status');
    expect(s.kind === 'swatches' && s.entries.map((e) => e.key)).toEqual(['up', 'degraded', 'unreachable', 'unknown', 'not-monitored']);
  });
});
