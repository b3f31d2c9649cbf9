// The Run view's targets come from the cabinets' elevations: only devices with
// capabilities.ssh are offered (all of them chosen until unticked), the others counted.
import { describe, expect, it } from 'vitest';
import type { CabinetElevation, DeviceKind, ElevationDevice } from '../../../../../src-shared/domain';
import { chosenIds, hostsOf } from '../../../../../src-renderer/stores/run/run-targets';

function dev(id: string, uPosition: number, ssh: boolean, kind: DeviceKind = 'server'): ElevationDevice {
  return {
    id, kind, hostname: `host-${id}`, sn: `SN${id}`, uPosition, uHeight: kind === 'pdu' ? 0 : 1, mgmtIp: '10.0.0.1', snmpPort: 161, status: 'up',
    sysName: null, uptimeSeconds: null, powerWatts: null, capabilities: { bmc: kind === 'server', ssh },
  };
}

function elevation(name: string, devices: ElevationDevice[]): CabinetElevation {
  return {
    cabinet: { id: `cab-${name}`, rowId: 'r1', name, position: 1, uHeight: 42, ratedPowerKw: 8 } as CabinetElevation['cabinet'],
    site: { id: 's1', name: 'Site', city: 'City' },
    room: { id: 'room1', siteId: 's1', name: 'Room', widthM: 20, depthM: 10 },
    row: { id: 'r1', roomId: 'room1', name: 'A', xM: 3, yM: 2.4, facing: 'south', coldAisle: 'front' },
    devices,
  };
}

describe('hostsOf', () => {
  it('offers only the SSH-capable devices and counts the rest', () => {
    const { candidates, noSsh } = hostsOf([elevation('C01', [dev('a', 1, true), dev('b', 2, false), dev('c', 3, true), dev('p', 0, false, 'pdu')])]);
    expect(candidates.map((c) => c.deviceId)).toEqual(['c', 'a']);
    expect(noSsh).toBe(2);
    expect(candidates[0]).toEqual({ deviceId: 'c', hostname: 'host-c', kind: 'server', cabinetName: 'C01' });
  });
  it('goes cabinet by cabinet in natural name order, top of the rack first', () => {
    const { candidates } = hostsOf([
      elevation('C10', [dev('x', 5, true)]),
      elevation('C2', [dev('y', 1, true), dev('z', 40, true)]),
    ]);
    expect(candidates.map((c) => `${c.cabinetName}/${c.deviceId}`)).toEqual(['C2/z', 'C2/y', 'C10/x']);
  });
  it('trusts capabilities.ssh whatever the kind', () => {
    const { candidates, noSsh } = hostsOf([elevation('C01', [dev('sw', 40, true, 'switch'), dev('s', 1, false)])]);
    expect(candidates.map((c) => c.kind)).toEqual(['switch']);
    expect(noSsh).toBe(1);
  });
  it('is empty for no cabinets or cabinets without SSH', () => {
    expect(hostsOf([])).toEqual({ candidates: [], noSsh: 0 });
    expect(hostsOf([elevation('C01', [dev('a', 1, false)]), elevation('C02', [])])).toEqual({ candidates: [], noSsh: 1 });
  });
  it('does not reorder its input', () => {
    const list = [elevation('C2', [dev('a', 1, true), dev('b', 2, true)]), elevation('C1', [])];
    hostsOf(list);
    expect(list.map((e) => e.cabinet.name)).toEqual(['C2', 'C1']);
    expect(list[0].devices.map((d) => d.id)).toEqual(['a', 'b']);
  });
});

describe('chosenIds', () => {
  const { candidates } = hostsOf([elevation('C01', [dev('a', 3, true), dev('b', 2, true), dev('c', 1, true)])]);
  it('chooses every offered host by default', () => {
    expect(chosenIds(candidates, {})).toEqual(['a', 'b', 'c']);
  });
  it('leaves out the unticked, keeps the ticked', () => {
    expect(chosenIds(candidates, { b: false, c: true })).toEqual(['a', 'c']);
    expect(chosenIds(candidates, { a: false, b: false, c: false })).toEqual([]);
  });
  it('ignores picks for devices not offered', () => {
    expect(chosenIds(candidates, { zzz: true })).toEqual(['a', 'b', 'c']);
  });
});
