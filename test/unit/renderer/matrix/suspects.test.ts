// How the suspects and DNS panels word the localiser's answer: a suspect's kind and the name of
// what it stands for (from the core's places; the id when none came), its scores as shares, its
// evidence pairs by hostname worst first, where "show in room" goes per component kind, what the
// panel says with no suspect, and which DNS vantages are marked as having moved recently.
import { describe, expect, it } from 'vitest';
import type { DnsCatchment } from '../../../../src-shared/api/probes';
import type { FleetEvent } from '../../../../src-shared/domain';
import type { ComponentKind, ProbeLocalisation, ProbeSuspect } from '../../../../src-shared/domain/probe';
import { DNS_MOVED_RECENT_MS, dnsRows, evidenceRows, healthyReason, suspectLabel, suspectRoomTarget } from '../../../../src-renderer/stores/probes/suspects';

const places: ProbeLocalisation['places'] = {
  'dev-a': { name: 'bj1-a', roomId: 'room-1' },
  'dev-b': { name: 'bj1-b', roomId: 'room-1' },
  'dev-c': { name: 'bj1-c', roomId: 'room-2' },
  'dev-tor': { name: 'bj1-r1-tor', roomId: 'room-1' },
  'room-2': { name: 'Hall 2', roomId: 'room-2' },
  'site-1': { name: 'Beijing 1', roomId: 'room-1' },
};

function suspect(kind: ComponentKind, objectId: string, p: Partial<ProbeSuspect> = {}): ProbeSuspect {
  return { component: { id: `${kind}:${objectId}`, kind, objectId }, votes: 0.8, fittedSuccess: 0.7, badPairs: 3, pairs: [], ...p };
}

describe('suspect labels', () => {
  it('names what the component stands for: a hostname, a switch, a room, a site', () => {
    const loc = { places };
    expect(suspectLabel(loc, suspect('host-link', 'dev-a'))).toEqual({ id: 'host-link:dev-a', kind: 'host-link', name: 'bj1-a', votes: 0.8, fittedSuccess: 0.7, badPairs: 3 });
    expect(suspectLabel(loc, suspect('tor-uplink', 'dev-tor')).name).toBe('bj1-r1-tor');
    expect(suspectLabel(loc, suspect('spine', 'room-2')).name).toBe('Hall 2');
    expect(suspectLabel(loc, suspect('wan', 'site-1')).name).toBe('Beijing 1');
  });

  it('falls back to the id when the core sent no places, and keeps scores within 0..1', () => {
    const l = suspectLabel({}, suspect('tor', 'row-9', { votes: 1.2, fittedSuccess: Number.NaN }));
    expect(l.name).toBe('row-9');
    expect(l.votes).toBe(1);
    expect(l.fittedSuccess).toBe(0);
  });

  it('lists the evidence pairs by hostname, P99 in ms, worst first', () => {
    const s = suspect('host-link', 'dev-a', {
      pairs: [
        { src: 'dev-a', dst: 'dev-b', p99Us: 2_000, dropRate: 0.3 },
        { src: 'dev-c', dst: 'dev-a', p99Us: 3_004_000, dropRate: 0.25 },
        { src: 'dev-a', dst: 'dev-x', p99Us: 2_000, dropRate: 0.5 },
      ],
    });
    const rows = evidenceRows({ places }, s);
    expect(rows.map((r) => `${r.srcName}>${r.dstName}`)).toEqual(['bj1-c>bj1-a', 'bj1-a>dev-x', 'bj1-a>bj1-b']);
    expect(rows[0]?.p99Ms).toBe(3004);
    expect(rows[2]?.dropRate).toBe(0.3);
  });
});

describe('show in room', () => {
  it('lands on the device for a host link, ToR or uplink; opens the room for the spine; a site its first room', () => {
    const loc = { places };
    expect(suspectRoomTarget(loc, suspect('host-link', 'dev-c'))).toEqual({ roomId: 'room-2', deviceId: 'dev-c' });
    expect(suspectRoomTarget(loc, suspect('tor', 'dev-tor'))).toEqual({ roomId: 'room-1', deviceId: 'dev-tor' });
    expect(suspectRoomTarget(loc, suspect('tor-uplink', 'dev-tor'))).toEqual({ roomId: 'room-1', deviceId: 'dev-tor' });
    expect(suspectRoomTarget(loc, suspect('spine', 'room-2'))).toEqual({ roomId: 'room-2', deviceId: null });
    expect(suspectRoomTarget(loc, suspect('wan', 'site-1'))).toEqual({ roomId: 'room-1', deviceId: null });
  });

  it('has nowhere to go when the core named no room', () => {
    expect(suspectRoomTarget({}, suspect('host-link', 'dev-a'))).toBeNull();
    expect(suspectRoomTarget({ places: { 'site-x': { name: 'X', roomId: null } } }, suspect('wan', 'site-x'))).toBeNull();
  });
});

describe('no suspect', () => {
  it('says whether nothing was measured, nothing is bad, or the bad pairs implicate no component', () => {
    expect(healthyReason({ pairs: 0, badPairs: 0, suspects: [] })).toBe('noPairs');
    expect(healthyReason({ pairs: 40, badPairs: 0, suspects: [] })).toBe('healthy');
    expect(healthyReason({ pairs: 40, badPairs: 2, suspects: [] })).toBe('scattered');
    expect(healthyReason({ pairs: 40, badPairs: 9, suspects: [suspect('tor', 'dev-tor')] })).toBe('none');
  });
});

describe('DNS catchment rows', () => {
  const now = 10_000_000;
  const c: DnsCatchment = {
    resolver: 'anycast-dns',
    addr: '127.53.0.1',
    vantages: [
      { deviceId: 'dev-a', hostname: 'bj1-a', instance: 'dns-1', since: 1, p50Us: 400 },
      { deviceId: 'dev-b', hostname: 'bj1-b', instance: 'dns-2', since: now - 60_000, p50Us: 500 },
      { deviceId: 'dev-c', hostname: 'bj1-c', instance: null, since: now - 30_000, p50Us: null },
    ],
  };
  const moved = (deviceId: string, at: number, p: Record<string, string>): FleetEvent => ({
    id: at, at, deviceId, kind: 'probe', severity: 'warning', code: 'probe.catchmentMoved', params: { hostname: deviceId, resolver: 'anycast-dns', from: 'dns-1', to: 'dns-2', ...p }, message: '',
  });

  it('marks a vantage moved by a recent catchment event, with where it came from, moved ones first', () => {
    const rows = dnsRows(c, [moved('dev-b', now - 60_000, {}), moved('dev-c', now - 30_000, { from: 'dns-2', to: '-' })], now);
    expect(rows.map((r) => [r.hostname, r.movedFrom])).toEqual([['bj1-b', 'dns-1'], ['bj1-c', 'dns-2'], ['bj1-a', null]]);
  });

  it('does not mark old moves, another resolver\'s moves, or other events', () => {
    const events: FleetEvent[] = [
      moved('dev-a', now - DNS_MOVED_RECENT_MS - 1, {}),
      moved('dev-b', now - 1_000, { resolver: 'other' }),
      { id: 9, at: now, deviceId: 'dev-c', kind: 'probe', severity: 'warning', code: 'probe.routeChanged', params: { hostname: 'bj1-c', target: 't', before: 'a', after: 'b' }, message: '' },
    ];
    expect(dnsRows(c, events, now).every((r) => r.movedFrom === null)).toBe(true);
  });

  it('keeps the latest move of a vantage', () => {
    const rows = dnsRows(c, [moved('dev-a', now - 50_000, { from: 'dns-2' }), moved('dev-a', now - 10_000, { from: 'dns-3' })], now);
    expect(rows.find((r) => r.deviceId === 'dev-a')?.movedFrom).toBe('dns-3');
  });
});
