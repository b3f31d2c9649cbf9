// The lab fault panel's Network form: the fault a form holds (percent -> share, ms as typed,
// both 0 clearing), the problem a bad form names instead of sending, component ids both ways,
// and the picker's ToRs of a room by the probe topology's rule (a row's lowest-id switch, else the row).
import { describe, expect, it } from 'vitest';
import { roomsAndSites, torsOfRoom } from '../../../../../src-renderer/stores/lab/actions';
import { componentId, netFaultOf, parseComponent } from '../../../../../src-renderer/stores/lab/net-fault';

const form = (o: Partial<Parameters<typeof netFaultOf>[0]> = {}) => ({ kind: 'host-link' as const, objectId: 'dev-a', lossPct: '0', delayMs: '0', ...o });

describe('netFaultOf', () => {
  it('turns percent into the share the lab takes and keeps the delay in ms', () => {
    expect(netFaultOf(form({ lossPct: '5', delayMs: '20' }))).toEqual({ fault: { kind: 'net-fault', component: 'host-link:dev-a', loss: 0.05, delayMs: 20 } });
    expect(netFaultOf(form({ kind: 'tor-uplink', objectId: 'sw-1', lossPct: '0.5' }))).toEqual({ fault: { kind: 'net-fault', component: 'tor-uplink:sw-1', loss: 0.005, delayMs: 0 } });
  });
  it('sends both 0 (the clear) and reads an empty field as 0', () => {
    expect(netFaultOf(form({ lossPct: '', delayMs: ' ' }))).toEqual({ fault: { kind: 'net-fault', component: 'host-link:dev-a', loss: 0, delayMs: 0 } });
  });
  it('names the bad field instead of sending', () => {
    expect(netFaultOf(form({ lossPct: '150' }))).toEqual({ problem: 'badLoss' });
    expect(netFaultOf(form({ lossPct: '-1' }))).toEqual({ problem: 'badLoss' });
    expect(netFaultOf(form({ lossPct: '5%' }))).toEqual({ problem: 'badLoss' });
    expect(netFaultOf(form({ delayMs: '10001' }))).toEqual({ problem: 'badDelay' });
    expect(netFaultOf(form({ delayMs: 'soon' }))).toEqual({ problem: 'badDelay' });
    expect(netFaultOf(form({ objectId: '' }))).toEqual({ problem: 'noObject' });
  });
});

describe('component ids', () => {
  it('round-trip and refuse what is not one', () => {
    expect(parseComponent(componentId('spine', 'room-bj1-1'))).toEqual({ kind: 'spine', objectId: 'room-bj1-1' });
    expect(parseComponent('wan:site:odd')).toEqual({ kind: 'wan', objectId: 'site:odd' });
    expect(parseComponent('core:x')).toBeNull();
    expect(parseComponent('tor:')).toBeNull();
    expect(parseComponent('tor')).toBeNull();
  });
});

describe('the picker', () => {
  it('offers per row its lowest-id switch, or the row itself when it has none', () => {
    const tors = torsOfRoom({
      rows: [{ id: 'r1', name: 'Row 1' }, { id: 'r2', name: 'Row 2' }] as never,
      cabinets: [{ id: 'c1', rowId: 'r1' }, { id: 'c2', rowId: 'r1' }, { id: 'c3', rowId: 'r2' }] as never,
      devices: [
        { id: 'sw-b', kind: 'switch', cabinetId: 'c2', hostname: 'tor-b' },
        { id: 'sw-a', kind: 'switch', cabinetId: 'c1', hostname: 'tor-a' },
        { id: 's-1', kind: 'server', cabinetId: 'c3', hostname: 'srv' },
      ] as never,
    });
    expect(tors).toEqual([{ id: 'sw-a', label: 'Row 1 · tor-a', rowId: 'r1' }, { id: 'r2', label: 'Row 2', rowId: 'r2' }]);
  });
  it('labels rooms with their site', () => {
    expect(roomsAndSites({ sites: [{ id: 's', name: 'Beijing' }] as never, rooms: [{ id: 'rm', name: 'Hall 1', siteId: 's' }] as never })).toEqual({ rooms: [{ id: 'rm', label: 'Beijing · Hall 1' }], sites: [{ id: 's', label: 'Beijing' }] });
  });
});
