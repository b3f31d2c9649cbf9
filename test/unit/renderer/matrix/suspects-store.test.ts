// The suspects and DNS panels' store actions against a fake client: the matrix view asks the
// localiser over at least five minutes ending where the matrix is (the newest minute, or the
// scrubbed one) and the DNS catchment, asks again per stored minute (suspects only while live)
// and when the scrubber moves; an older answer is dropped; "show in room" opens the 3D room of the
// top suspect's device and tells the room which suspect to highlight; the 3D room follows the
// top suspect itself (now, per minute, per probe.suspect event) and keeps it across rooms.
import { afterEach, describe, expect, it } from 'vitest';
import type { DnsCatchment } from '../../../../src-shared/api/probes';
import type { ProbeLocalisation } from '../../../../src-shared/domain/probe';
import { setClient } from '../../../../src-renderer/stores/client';
import { openSuspects, showSuspectInRoom, toggleSuspect } from '../../../../src-renderer/stores/probes/suspect-actions';
import { initialProbes } from '../../../../src-renderer/stores/probes/slice';
import { initialRoom3d } from '../../../../src-renderer/stores/room3d/slice';
import { followRoomProbeSuspect } from '../../../../src-renderer/stores/room3d/suspect-actions';
import { useAppStore } from '../../../../src-renderer/stores/store';
import { fakeClient } from '../stores/fake-client';

const pr = () => useAppStore.getState().probes;
const r3 = () => useAppStore.getState().room3d;
const flush = () => new Promise<void>((r) => setTimeout(r, 0));

const hostLink = (id: string, badPairs = 10): ProbeLocalisation['suspects'][number] => ({
  component: { id: `host-link:${id}`, kind: 'host-link', objectId: id },
  votes: 0.9, fittedSuccess: 0.7, badPairs, pairs: [{ src: id, dst: 'dev-b', p99Us: 3_000_000, dropRate: 0.3 }],
});
const loc = (suspects: ProbeLocalisation['suspects']): ProbeLocalisation => ({
  from: 0, to: 300_000, pairs: 50, badPairs: 10, suspects,
  places: { 'dev-a': { name: 'bj1-a', roomId: 'room-1' }, 'dev-b': { name: 'bj1-b', roomId: 'room-1' } },
});
const dns: DnsCatchment[] = [{ resolver: 'anycast', addr: '127.53.0.1', vantages: [] }];

afterEach(() => {
  setClient(null);
  location.hash = '';
  useAppStore.setState({ probes: initialProbes, room3d: initialRoom3d });
});

// The store's navigate() writes location.hash; node has none.
globalThis.location = { hash: '' } as Location;

describe('suspects panel actions', () => {
  it('asks over five minutes ending at the matrix\'s minute, again per minute while live and when scrubbed', async () => {
    const c = fakeClient({ 'probes.localise': () => loc([hostLink('dev-a')]), 'probes.dns': () => dns });
    useAppStore.setState({ probes: { ...initialProbes, request: { level: 'tor', tors: null, at: null } } });
    const live = openSuspects();
    await flush();
    expect(c.calls('probes.localise')).toEqual([{ minutes: 5 }]);
    expect(pr().localisation?.suspects[0]?.component.id).toBe('host-link:dev-a');
    expect(pr().dns).toEqual(dns);
    c.listeners.get('onDidProbeMinute')?.({ minute: 60_000 });
    await flush();
    expect(c.calls('probes.localise')).toHaveLength(2);
    expect(c.calls('probes.dns')).toHaveLength(2);
    useAppStore.setState({ probes: { ...pr(), request: { level: 'tor', tors: null, at: 900_000 } } });
    await flush();
    expect(c.calls('probes.localise')[2]).toEqual({ at: 900_000, minutes: 5 });
    c.listeners.get('onDidProbeMinute')?.({ minute: 120_000 });
    await flush();
    expect(c.calls('probes.localise')).toHaveLength(3);
    live.dispose();
    expect(c.listeners.has('onDidProbeMinute')).toBe(false);
  });

  it('drops an older answer; keeps a suspect open only while it is still named', async () => {
    const pending: ((l: ProbeLocalisation) => void)[] = [];
    fakeClient({ 'probes.localise': () => new Promise<ProbeLocalisation>((r) => pending.push(r)), 'probes.dns': () => dns });
    const live = openSuspects();
    useAppStore.setState({ probes: { ...pr(), request: { level: 'tor', tors: null, at: 5 } } });
    pending[1]?.(loc([hostLink('dev-b')]));
    await flush();
    pending[0]?.(loc([hostLink('dev-a')]));
    await flush();
    expect(pr().localisation?.suspects[0]?.component.objectId).toBe('dev-b');
    toggleSuspect('host-link:dev-b');
    expect(pr().openSuspect).toBe('host-link:dev-b');
    useAppStore.setState({ probes: { ...pr(), request: { level: 'tor', tors: null, at: 6 } } });
    pending[2]?.(loc([hostLink('dev-a')]));
    await flush();
    expect(pr().openSuspect).toBeNull();
    live.dispose();
  });

  it('"show in room" opens the device\'s room, landing on it, and seeds the room\'s highlight', async () => {
    fakeClient({ 'probes.localise': () => loc([hostLink('dev-a', 12)]), 'probes.dns': () => dns });
    const live = openSuspects();
    await flush();
    const top = pr().localisation?.suspects[0];
    if (!top) throw new Error('no suspect');
    expect(showSuspectInRoom(top)).toBe(true);
    expect(location.hash).toBe('#/room3d/room-1?device=dev-a');
    expect(r3().probeSuspect).toEqual({ component: top.component, name: 'bj1-a', votes: 0.9, badPairs: 12 });
    live.dispose();
  });
});

describe('the 3D room follows the top suspect', () => {
  it('asks now, per minute and per probe.suspect event; recolours on a change only', async () => {
    let answer = loc([hostLink('dev-a')]);
    const c = fakeClient({ 'probes.localise': () => answer });
    const follow = followRoomProbeSuspect();
    await flush();
    expect(c.calls('probes.localise')).toEqual([{ minutes: 5 }]);
    expect(r3().probeSuspect?.component.id).toBe('host-link:dev-a');
    const seq = r3().colourSeq;
    c.listeners.get('onDidProbeMinute')?.({ minute: 1 });
    await flush();
    expect(r3().colourSeq).toBe(seq);
    answer = loc([hostLink('dev-b')]);
    c.listeners.get('onDidReceiveFleetEvent')?.([{ id: 1, at: 1, deviceId: 'dev-b', kind: 'probe', severity: 'critical', code: 'probe.suspect', params: {}, message: '' }]);
    await flush();
    expect(c.calls('probes.localise')).toHaveLength(3);
    expect(r3().probeSuspect?.name).toBe('bj1-b');
    expect(r3().colourSeq).toBe(seq + 1);
    c.listeners.get('onDidReceiveFleetEvent')?.([{ id: 2, at: 2, deviceId: null, kind: 'status', severity: 'info', message: '' }]);
    await flush();
    expect(c.calls('probes.localise')).toHaveLength(3);
    answer = loc([]);
    c.listeners.get('onDidProbeMinute')?.({ minute: 2 });
    await flush();
    expect(r3().probeSuspect).toBeNull();
    follow.dispose();
    expect(c.listeners.size).toBe(0);
  });

  it('a failed ask keeps the suspect shown', async () => {
    let fail = false;
    const c = fakeClient({ 'probes.localise': () => (fail ? Promise.reject(new Error('down')) : loc([hostLink('dev-a')])) });
    const follow = followRoomProbeSuspect();
    await flush();
    fail = true;
    c.listeners.get('onDidProbeMinute')?.({ minute: 1 });
    await flush();
    expect(r3().probeSuspect?.component.objectId).toBe('dev-a');
    follow.dispose();
  });
});
