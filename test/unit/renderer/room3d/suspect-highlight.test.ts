// What the 3D room highlights for the probe matrix's top suspect, per component kind (a host
// link's server, a ToR's or uplink's switch, a switchless row's cabinets, the spine's every switch
// of the room, a site's WAN edge: the banner only; nothing when not in this room), and that the
// scene draws it in the suspect colour in every colour mode while the other instances keep theirs.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RoomReadings } from '../../../../src-shared/domain/fleet';
import type { RoomLayout } from '../../../../src-shared/domain/inventory';
import { COLOUR_MODES, STATUS_COLOURS, SUSPECT_COLOUR } from '../../../../src-renderer/views/room3d/colour';
import { applyColours, buildRoomScene, suspectSlots, type RoomScene } from '../../../../src-renderer/views/room3d/scene';
import { suspectHighlight } from '../../../../src-renderer/views/room3d/suspect-highlight';

beforeAll(() => vi.stubGlobal('document', { createElement: () => ({ width: 0, height: 0, getContext: () => null }) }));
afterAll(() => vi.unstubAllGlobals());

const cabinet = (id: string, rowId: string, position: number) => ({ id, rowId, name: id, position, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 });
const layout: RoomLayout = {
  site: { id: 'site-1', name: 'S', city: 'C' },
  room: { id: 'room-1', siteId: 'site-1', name: 'R', widthM: 12, depthM: 10 },
  rows: [
    { id: 'row-a', roomId: 'room-1', name: 'A', xM: 1, yM: 2, facing: 'south', coldAisle: 'front' },
    { id: 'row-b', roomId: 'room-1', name: 'B', xM: 1, yM: 6, facing: 'south', coldAisle: 'front' },
  ],
  cabinets: [cabinet('c1', 'row-a', 1), cabinet('c2', 'row-a', 2), cabinet('c3', 'row-b', 1)],
  devices: [
    { id: 'tor-a', cabinetId: 'c1', kind: 'switch', hostname: 'tor-a', sn: 'T1', uPosition: 40, uHeight: 1 },
    { id: 'srv-1', cabinetId: 'c1', kind: 'server', hostname: 'srv-1', sn: 'S1', uPosition: 1, uHeight: 2 },
    { id: 'srv-2', cabinetId: 'c2', kind: 'server', hostname: 'srv-2', sn: 'S2', uPosition: 1, uHeight: 2 },
    { id: 'tor-a2', cabinetId: 'c2', kind: 'switch', hostname: 'tor-a2', sn: 'T2', uPosition: 40, uHeight: 1 },
    { id: 'srv-3', cabinetId: 'c3', kind: 'server', hostname: 'srv-3', sn: 'S3', uPosition: 1, uHeight: 2 },
  ],
};

describe('suspect highlight', () => {
  it('a host link: its server, its cabinet to fly to', () => {
    expect(suspectHighlight({ kind: 'host-link', objectId: 'srv-2' }, layout)).toEqual({ here: true, deviceIds: ['srv-2'], cabinetIds: [], cabinetId: 'c2' });
  });

  it('a ToR or its uplink: the switch', () => {
    for (const kind of ['tor', 'tor-uplink'] as const) expect(suspectHighlight({ kind, objectId: 'tor-a' }, layout)).toEqual({ here: true, deviceIds: ['tor-a'], cabinetIds: [], cabinetId: 'c1' });
  });

  it('a ToR that is a row: the row\'s switches, or its cabinets when it has none', () => {
    expect(suspectHighlight({ kind: 'tor', objectId: 'row-a' }, layout).deviceIds).toEqual(['tor-a', 'tor-a2']);
    expect(suspectHighlight({ kind: 'tor-uplink', objectId: 'row-b' }, layout)).toEqual({ here: true, deviceIds: [], cabinetIds: ['c3'], cabinetId: 'c3' });
  });

  it('the spine layer: every switch of the room', () => {
    expect(suspectHighlight({ kind: 'spine', objectId: 'room-1' }, layout).deviceIds).toEqual(['tor-a', 'tor-a2']);
  });

  it('a site\'s WAN edge: the banner shows, no device stands for it', () => {
    expect(suspectHighlight({ kind: 'wan', objectId: 'site-1' }, layout)).toEqual({ here: true, deviceIds: [], cabinetIds: [], cabinetId: null });
  });

  it('nothing for a component in another room, or no suspect', () => {
    const none = { here: false, deviceIds: [], cabinetIds: [], cabinetId: null };
    expect(suspectHighlight({ kind: 'host-link', objectId: 'srv-elsewhere' }, layout)).toEqual(none);
    expect(suspectHighlight({ kind: 'tor', objectId: 'tor-elsewhere' }, layout)).toEqual(none);
    expect(suspectHighlight({ kind: 'spine', objectId: 'room-2' }, layout)).toEqual(none);
    expect(suspectHighlight({ kind: 'wan', objectId: 'site-2' }, layout)).toEqual(none);
    expect(suspectHighlight(null, layout)).toEqual(none);
    expect(suspectHighlight({ kind: 'host-link', objectId: 'srv-1' }, null)).toEqual(none);
  });
});

function colourOf(rs: RoomScene, id: string): number[] {
  const ci = rs.cabinetIds.indexOf(id);
  if (ci >= 0) return Array.from((rs.cabinetMesh.instanceColor?.array as Float32Array).slice(ci * 3, ci * 3 + 3));
  for (const [k, ids] of rs.deviceIdsByKind) {
    const i = ids.indexOf(id);
    if (i >= 0) return Array.from((rs.deviceMeshes.get(k)?.instanceColor?.array as Float32Array).slice(i * 3, i * 3 + 3));
  }
  throw new Error(`no instance ${id}`);
}
const near = (a: readonly number[], b: readonly number[], scale = 1) => a.every((v, i) => Math.abs(v - (b[i] ?? 0) * scale) < 1e-6);

describe('the scene draws the suspect', () => {
  const readings: RoomReadings = {
    roomId: 'room-1', generatedAt: 1,
    cabinets: ['c1', 'c2', 'c3'].map((cabinetId) => ({ cabinetId, powerW: 4000, ratedKw: 8, utilisation: 0.5, inletC: 22, readAt: 1, worst: 'up' as const, feed: 'redundant' as const, darkOnA: 0, darkOnB: 0, identifying: [], flags: [] })),
    devices: layout.devices.map((d) => ({ deviceId: d.id, status: 'up' as const, inletC: 22, powerW: null })),
  };

  it('in the suspect colour in every mode, the other devices as the mode colours them', () => {
    const rs = buildRoomScene(layout);
    const slots = suspectSlots(rs, suspectHighlight({ kind: 'host-link', objectId: 'srv-2' }, layout));
    expect(slots?.devices).toHaveLength(1);
    for (const mode of COLOUR_MODES) {
      applyColours(rs, { mode, readings, liveStatus: {}, blinkOn: false, selectedCabinetId: null, suspect: slots });
      expect(near(colourOf(rs, 'srv-2'), SUSPECT_COLOUR), mode).toBe(true);
      expect(near(colourOf(rs, 'srv-1'), SUSPECT_COLOUR), mode).toBe(false);
    }
    applyColours(rs, { mode: 'status', readings, liveStatus: {}, blinkOn: false, selectedCabinetId: null, suspect: slots });
    expect(near(colourOf(rs, 'srv-1'), STATUS_COLOURS.up)).toBe(true);
    // The suspect gone: its own status colour again.
    applyColours(rs, { mode: 'status', readings, liveStatus: {}, blinkOn: false, selectedCabinetId: null, suspect: null });
    expect(near(colourOf(rs, 'srv-2'), STATUS_COLOURS.up)).toBe(true);
  });

  it('a switchless row: its cabinets in the suspect colour (a little darker, as cabinets are drawn)', () => {
    const rs = buildRoomScene(layout);
    const slots = suspectSlots(rs, suspectHighlight({ kind: 'tor', objectId: 'row-b' }, layout));
    applyColours(rs, { mode: 'power', readings, liveStatus: {}, blinkOn: false, selectedCabinetId: null, suspect: slots });
    expect(near(colourOf(rs, 'c3'), SUSPECT_COLOUR, 0.85)).toBe(true);
    expect(near(colourOf(rs, 'c1'), SUSPECT_COLOUR, 0.85)).toBe(false);
  });

  it('leaves out ids the scene does not hold', () => {
    const rs = buildRoomScene(layout);
    expect(suspectSlots(rs, { deviceIds: ['nope'], cabinetIds: ['nope'] })).toBeNull();
  });
});
