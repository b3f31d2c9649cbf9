// Placement of the 3D room: cabinets from each row's start corner, facing and footprint,
// devices in their U slots on the front, aisle marks on the cold and hot sides, keyboard moves.
import { describe, expect, it } from 'vitest';
import type { RoomLayout, Row } from '../../../../src-shared/domain/inventory';
import { alongRow, CABINET_BASE_M, frontNormal, placeRoom, rotationOf, U_M, viewpointOf } from '../../../../src-renderer/views/room3d/placement';
import { nextCabinet } from '../../../../src-renderer/views/room3d/keyboard';

const row = (id: string, facing: Row['facing'], xM: number, yM: number, coldAisle: Row['coldAisle'] = 'front'): Row => ({ id, roomId: 'r', name: id.toUpperCase(), xM, yM, facing, coldAisle });
const cab = (id: string, rowId: string, position: number, widthMm = 600, depthMm = 1200) => ({ id, rowId, name: id, position, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm, depthMm });

function layout(rows: Row[], cabinets: ReturnType<typeof cab>[], devices: RoomLayout['devices'] = []): RoomLayout {
  return { site: { id: 's', name: 'S', city: 'C' }, room: { id: 'r', siteId: 's', name: 'R', widthM: 20, depthM: 12 }, rows, cabinets, devices };
}

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);

describe('room placement', () => {
  it('turns local +z into the front normal and local +x along the row for every facing', () => {
    for (const f of ['north', 'east', 'south', 'west'] as const) {
      const r = rotationOf(f);
      const [nx, nz] = frontNormal(f);
      close(Math.sin(r), nx);
      close(Math.cos(r), nz);
      const [ax, az] = alongRow(f);
      close(Math.cos(r), ax);
      close(-Math.sin(r), az);
    }
  });

  it('places a north-facing row from its front-left corner to the west, depth behind the front', () => {
    const p = placeRoom(layout([row('a', 'north', 10, 2)], [cab('c2', 'a', 2), cab('c1', 'a', 1)]));
    const [c1, c2] = p.cabinets;
    expect(c1?.id).toBe('c1');
    close(c1?.x ?? NaN, 10 - 0.3);
    close(c1?.z ?? NaN, 2 + 0.6);
    close(c2?.x ?? NaN, 10 - 0.9);
    close(c1?.rotY ?? NaN, Math.PI);
    expect(c1?.front).toEqual([0, -1]);
  });

  it('places an east-facing row running south-to-north... seen from the east, to the right is north', () => {
    const p = placeRoom(layout([row('a', 'east', 5, 8)], [cab('c1', 'a', 1, 800, 1000)]));
    const c = p.cabinets[0];
    close(c?.x ?? NaN, 5 - 0.5);
    close(c?.z ?? NaN, 8 - 0.4);
    close(c?.w ?? NaN, 0.8);
    close(c?.d ?? NaN, 1);
  });

  it('leaves a default-width gap for a missing position', () => {
    const p = placeRoom(layout([row('a', 'south', 0, 0)], [cab('c1', 'a', 1), cab('c3', 'a', 3)]));
    close(p.cabinets[1]?.x ?? NaN, 0.6 * 2 + 0.3);
  });

  it('puts a device on the front at its U slot', () => {
    const p = placeRoom(layout([row('a', 'south', 0, 0)], [cab('c1', 'a', 1)], [{ id: 'd1', cabinetId: 'c1', kind: 'server', hostname: 'h', sn: 'x', uPosition: 10, uHeight: 2 }]));
    const d = p.devices[0];
    close(d?.y ?? NaN, CABINET_BASE_M + 10 * U_M);
    expect(d?.z).toBeGreaterThan(0); // south-facing front is at z = 0, device just south of it
    expect(d?.cabinetId).toBe('c1');
  });

  it('marks the cold aisle on the side the row names', () => {
    const p = placeRoom(layout([row('a', 'north', 10, 2, 'front'), row('b', 'south', 0, 6, 'rear')], [cab('a1', 'a', 1), cab('b1', 'b', 1)]));
    const a = p.aisles.filter((m) => m.rowId === 'a');
    expect(a.find((m) => m.kind === 'cold')?.z).toBeLessThan(2); // in front, north of the row
    const b = p.aisles.filter((m) => m.rowId === 'b');
    expect(b.find((m) => m.kind === 'cold')?.z).toBeLessThan(6); // behind a south-facing row
    expect(p.labels.map((l) => l.name)).toEqual(['A', 'B']);
  });

  it('stands in front of a cabinet to look at it', () => {
    const p = placeRoom(layout([row('a', 'north', 10, 2)], [cab('c1', 'a', 1)]));
    const v = viewpointOf(p.cabinets[0] as NonNullable<(typeof p.cabinets)[0]>);
    expect(v.eye[2]).toBeLessThan(2);
  });

  it('moves the keyboard selection along a row and to the nearest cabinet of the next', () => {
    const p = placeRoom(layout([row('a', 'south', 0, 0), row('b', 'south', 0, 4)], [cab('a1', 'a', 1), cab('a2', 'a', 2), cab('b1', 'b', 1), cab('b2', 'b', 2)]));
    expect(nextCabinet(p.cabinets, null, 'ArrowRight')).toBe('a1');
    expect(nextCabinet(p.cabinets, 'a1', 'ArrowRight')).toBe('a2');
    expect(nextCabinet(p.cabinets, 'a2', 'ArrowRight')).toBe('a2');
    expect(nextCabinet(p.cabinets, 'a2', 'ArrowDown')).toBe('b2');
    expect(nextCabinet(p.cabinets, 'b2', 'ArrowUp')).toBe('a2');
    expect(nextCabinet(p.cabinets, 'a1', 'x')).toBeNull();
  });
});
