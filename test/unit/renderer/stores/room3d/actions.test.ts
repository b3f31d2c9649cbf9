// The 3D room's actions on the app store's room3d slice: opening a room loads its layout and
// readings and polls the readings every ROOM3D_POLL_MS until closed; status batches for the
// room's devices are folded in (others ignored); an answer for a room no longer open is
// dropped; another room starts afresh but keeps the colour mode; without WebGL the room's
// cabinets are polled instead; a search hit in the open room flies there instead of leaving.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CabinetSummary, RoomReadings } from '../../../../../src-shared/domain/fleet';
import type { RoomLayout } from '../../../../../src-shared/domain/inventory';
import { setClient } from '../../../../../src-renderer/stores/client';
import { publishDeviceStatus, clearDeviceStatus, deviceStatusChannel } from '../../../../../src-renderer/stores/live/device-status';
import { ROOM3D_POLL_MS, claimSearchHit, focusCabinet, openRoom3d, setRoom3dMode } from '../../../../../src-renderer/stores/room3d/actions';
import { initialRoom3d } from '../../../../../src-renderer/stores/room3d/slice';
import { selectR3Layout, selectR3Mode, selectR3RoomName } from '../../../../../src-renderer/stores/room3d/selectors';
import { useAppStore } from '../../../../../src-renderer/stores/store';

const layoutOf = (roomId: string): RoomLayout =>
  ({
    site: { id: 'site-1', name: 'Site 1' },
    room: { id: roomId, name: `Hall ${roomId}` },
    rows: [],
    cabinets: [{ id: `${roomId}-cab-1` }, { id: `${roomId}-cab-2` }],
    devices: [{ id: `${roomId}-dev-1`, cabinetId: `${roomId}-cab-1` }],
  }) as unknown as RoomLayout;

const readingsOf = (roomId: string, n: number): RoomReadings => ({ roomId, generatedAt: n, cabinets: [], devices: [] });
const cabinetsOf = (roomId: string): CabinetSummary[] => [{ id: `${roomId}-cab-1`, rowId: 'row-1', rowName: 'A', name: 'C1', position: 1, devices: 1, answering: 1, polled: 1, degraded: 0, unreachable: 0, notMonitored: 0 }];

const r3 = () => useAppStore.getState().room3d;
const fakeLocation = { hash: '' };
let close: (() => void) | null = null;

type Answer = (method: string, args: { roomId: string }) => Promise<unknown>;
function fakeClient(answer?: Answer) {
  let readingsCalls = 0;
  const call = vi.fn((method: string, args: { roomId: string }) => {
    if (answer) return answer(method, args);
    if (method === 'inventory.roomLayout') return Promise.resolve(layoutOf(args.roomId));
    if (method === 'fleet.roomReadings') return Promise.resolve(readingsOf(args.roomId, ++readingsCalls));
    if (method === 'inventory.cabinets') return Promise.resolve(cabinetsOf(args.roomId));
    throw new Error(`unexpected ${method}`);
  });
  setClient({ call, on: () => ({ dispose() {} }) } as never);
  return call;
}
const callsOf = (call: ReturnType<typeof fakeClient>, method: string) => call.mock.calls.filter((c) => c[0] === method).length;

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('location', fakeLocation);
  fakeLocation.hash = '';
  useAppStore.setState({ room3d: initialRoom3d });
});

afterEach(() => {
  close?.();
  close = null;
  setClient(null);
  clearDeviceStatus();
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('room3d actions', () => {
  it('loads the layout and readings into the app store and polls the readings until closed', async () => {
    const call = fakeClient();
    close = openRoom3d('r1');
    await vi.advanceTimersByTimeAsync(0);
    expect(selectR3Layout(useAppStore.getState())?.room.id).toBe('r1');
    expect(selectR3RoomName(useAppStore.getState())).toBe('Hall r1');
    expect(r3().readings?.generatedAt).toBe(1);
    const seq = r3().colourSeq;
    await vi.advanceTimersByTimeAsync(ROOM3D_POLL_MS);
    expect(callsOf(call, 'fleet.roomReadings')).toBe(2);
    expect(r3().readings?.generatedAt).toBe(2);
    expect(r3().colourSeq).toBe(seq + 1);
    expect(callsOf(call, 'inventory.roomLayout')).toBe(1);
    close();
    close = null;
    await vi.advanceTimersByTimeAsync(ROOM3D_POLL_MS * 3);
    expect(callsOf(call, 'fleet.roomReadings')).toBe(2);
    expect(deviceStatusChannel.subscribers).toBe(0);
  });

  it("folds status batches for the room's devices over the readings, and ignores other devices", async () => {
    fakeClient();
    close = openRoom3d('r1');
    await vi.advanceTimersByTimeAsync(0);
    const seq = r3().colourSeq;
    publishDeviceStatus([{ deviceId: 'elsewhere', status: 'unreachable', previous: 'up', at: 1 }]);
    expect(r3().colourSeq).toBe(seq);
    expect(r3().liveStatus).toEqual({});
    publishDeviceStatus([{ deviceId: 'r1-dev-1', status: 'unreachable', previous: 'up', at: 2 }]);
    expect(r3().liveStatus).toEqual({ 'r1-dev-1': 'unreachable' });
    expect(r3().colourSeq).toBe(seq + 1);
    // The next readings supersede what the stream said.
    await vi.advanceTimersByTimeAsync(ROOM3D_POLL_MS);
    expect(r3().liveStatus).toEqual({});
  });

  it('drops a late answer for a room no longer open; another room starts afresh and keeps the mode', async () => {
    let releaseR1: (l: RoomLayout) => void = () => {};
    fakeClient((method, { roomId }) => {
      if (method === 'inventory.roomLayout') return roomId === 'r1' ? new Promise((r) => (releaseR1 = r)) : Promise.resolve(layoutOf(roomId));
      return Promise.resolve(readingsOf(roomId, 1));
    });
    close = openRoom3d('r1');
    setRoom3dMode('power');
    focusCabinet('r1-cab-2');
    close = openRoom3d('r2');
    await vi.advanceTimersByTimeAsync(0);
    releaseR1(layoutOf('r1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(r3().roomId).toBe('r2');
    expect(r3().layout?.room.id).toBe('r2');
    expect(r3().focus).toBeNull();
    expect(r3().selectedCabinetId).toBeNull();
    expect(selectR3Mode(useAppStore.getState())).toBe('power');
  });

  it('without WebGL polls the room\'s cabinets, and neither layout nor readings', async () => {
    const call = fakeClient();
    close = openRoom3d('r1', { flat: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(r3().flatCabinets?.map((c) => c.id)).toEqual(['r1-cab-1']);
    await vi.advanceTimersByTimeAsync(ROOM3D_POLL_MS);
    expect(callsOf(call, 'inventory.cabinets')).toBe(2);
    expect(callsOf(call, 'inventory.roomLayout')).toBe(0);
    expect(callsOf(call, 'fleet.roomReadings')).toBe(0);
    expect(deviceStatusChannel.subscribers).toBe(0);
    expect(claimSearchHit({ deviceId: 'r1-dev-1', cabinetId: 'r1-cab-1' })).toBe(false);
  });

  it('claims a search hit in the open 3D room (URL and focus), not one elsewhere', async () => {
    fakeClient();
    close = openRoom3d('r1');
    await vi.advanceTimersByTimeAsync(0);
    const route = useAppStore.getState().fleet.route;
    useAppStore.setState((s) => ({ fleet: { ...s.fleet, route: { view: 'room3d', roomId: 'r1', cabinetId: null, deviceId: null } } }));
    try {
      expect(claimSearchHit({ deviceId: 'x', cabinetId: 'r9-cab-1' })).toBe(false);
      expect(r3().focus).toBeNull();
      expect(claimSearchHit({ deviceId: 'r1-dev-1', cabinetId: 'r1-cab-1' })).toBe(true);
      expect(fakeLocation.hash).toBe('#/room3d/r1?cabinet=r1-cab-1&device=r1-dev-1');
      expect(r3()).toMatchObject({ selectedCabinetId: 'r1-cab-1', landedDeviceId: 'r1-dev-1', focus: { cabinetId: 'r1-cab-1', seq: 1 } });
      // Off the 3D route, the hit is the device page's.
      useAppStore.setState((s) => ({ fleet: { ...s.fleet, route: { view: 'overview' } } }));
      expect(claimSearchHit({ deviceId: 'r1-dev-1', cabinetId: 'r1-cab-1' })).toBe(false);
    } finally {
      useAppStore.setState((s) => ({ fleet: { ...s.fleet, route } }));
    }
  });
});
