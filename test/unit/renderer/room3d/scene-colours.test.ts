// The 3D room scene's colour pass (applyColours) on a small room: each instance's colour in
// the buffers three.js draws from, for status, power and inlet modes, the selection, the
// identify blink, live status over the readings, and a new readings object recolouring.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CabinetReading, DeviceReading, RoomReadings } from '../../../../src-shared/domain/fleet';
import type { RoomLayout } from '../../../../src-shared/domain/inventory';
import { inletColour, NO_DATA, powerColour, STATUS_COLOURS, STATUS_ORDER, statusCode, type Rgb } from '../../../../src-renderer/views/room3d/colour';
import { applyColours, buildRoomScene, type ColourInput, type RoomScene } from '../../../../src-renderer/views/room3d/scene';

// buildRoomScene paints the floor on a canvas; node has no DOM, so a canvas without a 2D context.
beforeAll(() => vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => null }) }));
afterAll(() => vi.unstubAllGlobals());

const layout: RoomLayout = {
  site: { id: 's', name: 'S', city: 'C' },
  room: { id: 'r', siteId: 's', name: 'R', widthM: 10, depthM: 8 },
  rows: [{ id: 'row', roomId: 'r', name: 'A', xM: 1, yM: 2, facing: 'south', coldAisle: 'front' }],
  cabinets: ['c1', 'c2'].map((id, i) => ({ id, rowId: 'row', name: id, position: i + 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 })),
  devices: [
    { id: 'd1', cabinetId: 'c1', kind: 'server', hostname: 'h1', sn: 'S1', uPosition: 1, uHeight: 2 },
    { id: 'd2', cabinetId: 'c1', kind: 'pdu', hostname: 'h2', sn: 'S2', uPosition: 3, uHeight: 1 },
    { id: 'd3', cabinetId: 'c2', kind: 'server', hostname: 'h3', sn: 'S3', uPosition: 1, uHeight: 2 },
  ],
};

const cab = (cabinetId: string, p: Partial<CabinetReading> = {}): CabinetReading => ({
  cabinetId, powerW: 4000, ratedKw: 8, utilisation: 0.5, inletC: 22, readAt: 1, worst: 'up', feed: 'redundant', darkOnA: 0, darkOnB: 0, identifying: [], flags: [], ...p,
});
const dev = (deviceId: string, p: Partial<DeviceReading> = {}): DeviceReading => ({ deviceId, status: 'up', inletC: null, powerW: null, ...p });
const readings = (cabinets: CabinetReading[], devices: DeviceReading[]): RoomReadings => ({ roomId: 'r', generatedAt: 1, cabinets, devices });

const input = (p: Partial<ColourInput>): ColourInput => ({ mode: 'status', readings: null, liveStatus: {}, blinkOn: false, selectedCabinetId: null, ...p });

/** The colour an instance is drawn with, by id. */
function colourOf(rs: RoomScene, id: string): number[] {
  const ci = rs.cabinetIds.indexOf(id);
  if (ci >= 0) return Array.from((rs.cabinetMesh.instanceColor?.array as Float32Array).slice(ci * 3, ci * 3 + 3));
  for (const [k, ids] of rs.deviceIdsByKind) {
    const i = ids.indexOf(id);
    if (i >= 0) return Array.from((rs.deviceMeshes.get(k)?.instanceColor?.array as Float32Array).slice(i * 3, i * 3 + 3));
  }
  throw new Error(`no instance ${id}`);
}

function expectColour(rs: RoomScene, id: string, c: Rgb, scale = 1): void {
  const got = colourOf(rs, id);
  c.forEach((v, i) => expect(got[i], `${id}[${i}]`).toBeCloseTo(v * scale, 5));
}

describe('room scene colours', () => {
  it('numbers statuses in the order of their colour table', () => {
    expect(STATUS_ORDER.map(statusCode)).toEqual(STATUS_ORDER.map((_, i) => i));
  });

  it('colours devices by their own status and cabinets by their worst, dimmed unless selected', () => {
    const rs = buildRoomScene(layout);
    const r = readings([cab('c1', { worst: 'degraded' }), cab('c2', { worst: 'unreachable' })], [dev('d1', { status: 'degraded' }), dev('d2'), dev('d3', { status: 'unreachable' })]);
    applyColours(rs, input({ readings: r, selectedCabinetId: 'c2' }));
    expectColour(rs, 'd1', STATUS_COLOURS.degraded);
    expectColour(rs, 'd2', STATUS_COLOURS.up);
    expectColour(rs, 'd3', STATUS_COLOURS.unreachable);
    expectColour(rs, 'c1', STATUS_COLOURS.degraded, 0.7);
    expectColour(rs, 'c2', STATUS_COLOURS.unreachable, 1);
  });

  it('colours by power (cabinet and its devices), by inlet (a device its own, else its cabinet\'s), grey without a reading', () => {
    const rs = buildRoomScene(layout);
    const r = readings([cab('c1', { utilisation: 0.95, inletC: 30 })], [dev('d1', { inletC: 19 }), dev('d2')]);
    applyColours(rs, input({ mode: 'power', readings: r }));
    expectColour(rs, 'c1', powerColour(0.95), 0.7);
    expectColour(rs, 'd1', powerColour(0.95));
    expectColour(rs, 'c2', NO_DATA, 0.7);
    expectColour(rs, 'd3', NO_DATA);
    applyColours(rs, input({ mode: 'inlet', readings: r }));
    expectColour(rs, 'd1', inletColour(19));
    expectColour(rs, 'd2', inletColour(30));
    expectColour(rs, 'c1', inletColour(30), 0.7);
    expectColour(rs, 'd3', NO_DATA);
  });

  it('blinks an identifying cabinet and its devices white on the blink phase only', () => {
    const rs = buildRoomScene(layout);
    const r = readings([cab('c1', { identifying: ['d1'] }), cab('c2')], [dev('d1'), dev('d2'), dev('d3')]);
    applyColours(rs, input({ readings: r, blinkOn: true }));
    expectColour(rs, 'c1', [1, 1, 1], 0.7);
    expectColour(rs, 'd2', [1, 1, 1]);
    expectColour(rs, 'd3', STATUS_COLOURS.up);
    applyColours(rs, input({ readings: r, blinkOn: false }));
    expectColour(rs, 'd2', STATUS_COLOURS.up);
  });

  it('draws live status over the readings, and a new readings object (even reordered) recolours', () => {
    const rs = buildRoomScene(layout);
    const first = readings([cab('c1'), cab('c2')], [dev('d1'), dev('d2'), dev('d3')]);
    applyColours(rs, input({ readings: first, liveStatus: { d3: 'unreachable' } }));
    expectColour(rs, 'd3', STATUS_COLOURS.unreachable);
    expectColour(rs, 'd1', STATUS_COLOURS.up);
    applyColours(rs, input({ readings: first }));
    expectColour(rs, 'd3', STATUS_COLOURS.up);
    applyColours(rs, input({ readings: readings([cab('c1'), cab('c2')], [dev('d1'), dev('d2', { status: 'degraded' }), dev('d3')]) }));
    expectColour(rs, 'd2', STATUS_COLOURS.degraded);
    // Another order, and d1 gone from the answer: each reading still lands on its own device.
    applyColours(rs, input({ readings: readings([cab('c2'), cab('c1')], [dev('d3', { status: 'unknown' }), dev('d2')]) }));
    expectColour(rs, 'd3', STATUS_COLOURS.unknown);
    expectColour(rs, 'd2', STATUS_COLOURS.up);
    expectColour(rs, 'd1', NO_DATA);
    applyColours(rs, input({ readings: null }));
    expectColour(rs, 'c1', NO_DATA, 0.7);
  });
});
