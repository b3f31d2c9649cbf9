// The feed rule (src-main/core/fleet/feed-risk.ts on src-shared/power-feeds.ts): a cabinet with
// a PDU on each feed and dual-PSU servers is redundant; a one-feed or one-PDU cabinet has
// everything dark on that feed; single-PSU devices in a two-PDU cabinet alternate sides (mixed:
// dark-on-either); PDUs named A/B are placed by name; a cabinet without PDUs or feed names is
// unknown; the cabling names the PDU of every PSU.
import { describe, expect, it } from 'vitest';
import type { DeviceKind } from '../../../../src-shared/domain';
import { assignPduFeeds, feedMarker, feedRisk, type FeedDevice } from '../../../../src-main/core/fleet/feed-risk';
import { cableCabinet } from '../../../../src-shared/power-feeds';

const dev = (id: string, kind: DeviceKind, psus?: number): FeedDevice => ({ id, kind, hostname: id, ...(psus === undefined ? {} : { psus }) });
const dual = { feedA: 'R1-A-PDB-01', feedB: 'R1-B-PDB-01' };

describe('feed risk', () => {
  it('two PDUs, dual-PSU servers: redundant, nothing dark', () => {
    const r = feedRisk(dual, [dev('c1-pdu-a', 'pdu'), dev('c1-pdu-b', 'pdu'), dev('s1', 'server'), dev('s2', 'server'), dev('s3', 'server', 4)]);
    expect(r).toMatchObject({ feed: 'redundant', darkOnA: 0, darkOnB: 0 });
    expect([...r.pduFeeds]).toEqual([['c1-pdu-a', 'A'], ['c1-pdu-b', 'B']]);
  });

  it('one feed: every load dark on it', () => {
    const r = feedRisk({ feedA: 'R1-A-PDB-01', feedB: null }, [dev('c1-pdu-a', 'pdu'), dev('c1-pdu-b', 'pdu'), dev('s1', 'server'), dev('t1', 'switch')]);
    expect(r).toMatchObject({ feed: 'dark-on-a', darkOnA: 2, darkOnB: 0 });
    const onlyB = feedRisk({ feedA: null, feedB: 'R1-B-PDB-01' }, [dev('p', 'pdu'), dev('s1', 'server')]);
    expect(onlyB).toMatchObject({ feed: 'dark-on-b', darkOnA: 0, darkOnB: 1 });
  });

  it('two feeds but one PDU: everything dark on its feed', () => {
    const r = feedRisk(dual, [dev('c1-pdu', 'pdu'), dev('s1', 'server'), dev('s2', 'server')]);
    expect(r).toMatchObject({ feed: 'dark-on-a', darkOnA: 2, darkOnB: 0 });
  });

  it('mixed: dual-PSU servers survive, single-corded devices alternate sides', () => {
    // sockets A, B, A, B...: s1 (2) takes A+B, t1 (1) takes A, s2 (1 PSU) takes B, s3 (2) B+A
    const r = feedRisk(dual, [dev('p1', 'pdu'), dev('p2', 'pdu'), dev('s1', 'server'), dev('t1', 'switch'), dev('s2', 'server', 1), dev('s3', 'server')]);
    expect(r).toMatchObject({ feed: 'dark-on-either', darkOnA: 1, darkOnB: 1 });
    const oneSingle = feedRisk(dual, [dev('p1', 'pdu'), dev('p2', 'pdu'), dev('t1', 'switch'), dev('s1', 'server'), dev('s2', 'server')]);
    expect(oneSingle).toMatchObject({ feed: 'dark-on-a', darkOnA: 1, darkOnB: 0 });
  });

  it('a PDU named for feed B alone makes single-PSU loads dark on B', () => {
    const r = feedRisk(dual, [dev('c1-pdu-b', 'pdu'), dev('s1', 'server', 1), dev('s2', 'server')]);
    expect(r).toMatchObject({ feed: 'dark-on-b', darkOnA: 0, darkOnB: 2 });
  });

  it('no PDU, or no feed names: unknown', () => {
    expect(feedRisk(dual, [dev('s1', 'server')])).toMatchObject({ feed: 'unknown', darkOnA: 0, darkOnB: 0 });
    expect(feedRisk({ feedA: null, feedB: null }, [dev('p', 'pdu'), dev('s1', 'server')]).feed).toBe('unknown');
  });

  it('PDU markers and order', () => {
    expect(feedMarker('bj1-r1-c0101-pdu-a')).toBe('A');
    expect(feedMarker('bj1-r1-c0101-pdub')).toBe('B');
    expect(feedMarker('bj1-r1-c0101-pdu')).toBeNull();
    expect(feedMarker('bj1-r1-c0101-tab')).toBeNull();
    // unmarked PDUs take the feeds left over, in hostname order
    expect(assignPduFeeds(dual, [{ id: 'z', hostname: 'z-pdu' }, { id: 'a', hostname: 'a-pdu' }])).toEqual([{ id: 'a', feed: 'A' }, { id: 'z', feed: 'B' }]);
    expect(assignPduFeeds(dual, [{ id: 'z', hostname: 'z-pdu' }, { id: 'b', hostname: 'b-pdu-b' }])).toEqual([{ id: 'z', feed: 'A' }, { id: 'b', feed: 'B' }]);
  });

  it('cables each PSU to a PDU: sides interleaved over the PDUs, carrying on from device to device', () => {
    const c = cableCabinet(dual, [dev('c1-pdu-b', 'pdu'), dev('c1-pdu-a', 'pdu'), dev('t1', 'switch'), dev('s1', 'server'), dev('s2', 'server', 1), dev('s3', 'server', 3)]);
    expect(c.pdus).toEqual([{ id: 'c1-pdu-a', feed: 'A' }, { id: 'c1-pdu-b', feed: 'B' }]);
    const a = { id: 'c1-pdu-a', feed: 'A' };
    const b = { id: 'c1-pdu-b', feed: 'B' };
    expect(Object.fromEntries(c.loads)).toEqual({ t1: [a], s1: [b, a], s2: [b], s3: [a, b, a] });
    expect(cableCabinet(dual, [dev('s1', 'server')]).loads.size).toBe(0);
    // A bad count still cables the device: at least one PSU, whole.
    expect(cableCabinet(dual, [dev('p', 'pdu'), dev('s1', 'server', 0), dev('s2', 'server', 2.7)]).loads.get('s2')).toHaveLength(2);
  });
});
