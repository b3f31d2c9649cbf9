// The probe topology from inventory: servers grouped site -> room -> ToR by id (the matrix's
// axis order), a host's ToR is its row's switch (the row when it has none), agentless hosts are
// kept with agentId null, dangling parents are named; paths cross the components the localiser
// blames, in order, for each distance (same ToR, same room, another room, another site).
import { describe, expect, it } from 'vitest';
import { generateLab } from '../../../../src-main/lab/generator';
import { deriveTopology, indexTopology, pathComponents, type TopologyInventory } from '../../../../src-shared/probe';

const inv: TopologyInventory = {
  sites: [{ id: 'site-b', name: 'B' }, { id: 'site-a', name: 'A' }],
  rooms: [{ id: 'room-a1', siteId: 'site-a', name: 'A1' }, { id: 'room-a2', siteId: 'site-a', name: 'A2' }, { id: 'room-b1', siteId: 'site-b', name: 'B1' }, { id: 'room-empty', siteId: 'site-a', name: 'E' }],
  rows: [{ id: 'row-a1-1', roomId: 'room-a1', name: 'R1' }, { id: 'row-a1-2', roomId: 'room-a1', name: 'R2' }, { id: 'row-a2-1', roomId: 'room-a2', name: 'R1' }, { id: 'row-b1-1', roomId: 'room-b1', name: 'R1' }],
  cabinets: [{ id: 'c1', rowId: 'row-a1-1' }, { id: 'c2', rowId: 'row-a1-1' }, { id: 'c3', rowId: 'row-a1-2' }, { id: 'c4', rowId: 'row-a2-1' }, { id: 'c5', rowId: 'row-b1-1' }],
  devices: [
    { id: 'sw-a1-1', kind: 'switch', hostname: 'a1-1-tor', cabinetId: 'c1', mgmtIp: '127.0.0.10' },
    { id: 'h3', kind: 'server', hostname: 'h3', cabinetId: 'c2', mgmtIp: '127.0.0.3' },
    { id: 'h1', kind: 'server', hostname: 'h1', cabinetId: 'c1', mgmtIp: '127.0.0.1' },
    { id: 'h2', kind: 'server', hostname: 'h2', cabinetId: 'c3', mgmtIp: '127.0.0.2' },
    { id: 'h4', kind: 'server', hostname: 'h4', cabinetId: 'c4', mgmtIp: '127.0.0.4' },
    { id: 'sw-a2-1', kind: 'switch', hostname: 'a2-1-tor', cabinetId: 'c4', mgmtIp: '127.0.0.11' },
    { id: 'h5', kind: 'server', hostname: 'h5', cabinetId: 'c5', mgmtIp: '127.0.0.5' },
    { id: 'p1', kind: 'pdu', hostname: 'p1', cabinetId: 'c1', mgmtIp: '127.0.0.20' },
  ],
};
const agents = new Map([['h1', 'ag1'], ['h2', 'ag2'], ['h4', 'ag4'], ['h5', 'ag5']]);

describe('deriveTopology', () => {
  it('groups servers site -> room -> ToR -> host, each by id, with their ToR switch or row', () => {
    const t = deriveTopology(inv, agents);
    expect(t.hosts.map((h) => h.deviceId)).toEqual(['h2', 'h1', 'h3', 'h4', 'h5']); // row-a1-2 < sw-a1-1 by id
    expect(t.hosts.find((h) => h.deviceId === 'h1')).toMatchObject({ torId: 'sw-a1-1', rowId: 'row-a1-1', roomId: 'room-a1', siteId: 'site-a', addr: '127.0.0.1', agentId: 'ag1' });
    expect(t.hosts.find((h) => h.deviceId === 'h3')).toMatchObject({ torId: 'sw-a1-1', agentId: null });
    expect(t.hosts.find((h) => h.deviceId === 'h2')?.torId).toBe('row-a1-2');
    expect(t.tors.map((x) => [x.id, x.name])).toEqual([['row-a1-2', 'R2'], ['sw-a1-1', 'a1-1-tor'], ['sw-a2-1', 'a2-1-tor'], ['row-b1-1', 'R1']]);
    expect(t.rooms.map((r) => r.id)).toEqual(['room-a1', 'room-a2', 'room-b1']);
    expect(t.sites.map((s) => s.id)).toEqual(['site-a', 'site-b']);
  });

  it('names a dangling cabinet, row or room', () => {
    expect(() => deriveTopology({ ...inv, devices: [{ id: 'hx', kind: 'server', hostname: 'hx', cabinetId: 'nope', mgmtIp: '127.0.0.9' }] }, agents)).toThrow(/hx is in cabinet nope/);
    expect(() => deriveTopology({ ...inv, cabinets: [...inv.cabinets.slice(1), { id: 'c1', rowId: 'row-gone' }] }, agents)).toThrow(/cabinet c1 is in row row-gone/);
  });

  it("takes the lab fleet's row switches as ToRs", () => {
    const lab = generateLab(5, { sites: 2, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 120 });
    const t = deriveTopology(lab, new Map());
    expect(t.tors.length).toBe(8);
    for (const x of t.tors) expect(x.id).toMatch(/^dev-.*-tor$/);
    expect(t.hosts.length).toBe(lab.devices.filter((d) => d.kind === 'server').length);
  });
});

describe('pathComponents', () => {
  const idx = indexTopology(deriveTopology(inv, agents));
  const ids = (a: string, b: string) => pathComponents(idx, a, b).map((c) => c.id);

  it('crosses one ToR under the same ToR', () => {
    expect(ids('h1', 'h3')).toEqual(['host-link:h1', 'tor:sw-a1-1', 'host-link:h3']);
  });
  it('crosses both uplinks and the spine inside a room', () => {
    expect(ids('h1', 'h2')).toEqual(['host-link:h1', 'tor:sw-a1-1', 'tor-uplink:sw-a1-1', 'spine:room-a1', 'tor-uplink:row-a1-2', 'tor:row-a1-2', 'host-link:h2']);
  });
  it("crosses both spines and the site's core between rooms of a site", () => {
    expect(ids('h1', 'h4')).toEqual(['host-link:h1', 'tor:sw-a1-1', 'tor-uplink:sw-a1-1', 'spine:room-a1', 'wan:site-a', 'spine:room-a2', 'tor-uplink:sw-a2-1', 'tor:sw-a2-1', 'host-link:h4']);
  });
  it('crosses both WAN edges between sites, with the inventory objects named', () => {
    const p = pathComponents(idx, 'h5', 'h1');
    expect(p.map((c) => c.id)).toEqual(['host-link:h5', 'tor:row-b1-1', 'tor-uplink:row-b1-1', 'spine:room-b1', 'wan:site-b', 'wan:site-a', 'spine:room-a1', 'tor-uplink:sw-a1-1', 'tor:sw-a1-1', 'host-link:h1']);
    expect(p.map((c) => c.objectId)).toEqual(['h5', 'row-b1-1', 'row-b1-1', 'room-b1', 'site-b', 'site-a', 'room-a1', 'sw-a1-1', 'sw-a1-1', 'h1']);
  });
  it('refuses a device that is not a host', () => {
    expect(() => pathComponents(idx, 'h1', 'p1')).toThrow(/p1 is not a host/);
    expect(idx.componentNumber('tor:nope')).toBe(-1);
  });
});
