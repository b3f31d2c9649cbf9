// The names and rooms a localisation carries for the views: each suspect's object (a host, a ToR
// switch or a switchless row, a room, a site with its first room) and each evidence pair's hosts,
// and nothing else of the topology.
import { describe, expect, it } from 'vitest';
import type { ProbeSuspect, ProbeTopology } from '../../../../src-shared/domain/probe';
import { placesOf } from '../../../../src-main/core/probes/localisation-places';

const host = (deviceId: string, roomId: string, rowId: string, torId: string) => ({ deviceId, hostname: `h-${deviceId}`, agentId: `a-${deviceId}`, addr: '127.0.0.1', siteId: 's1', roomId, rowId, torId });
const topology: ProbeTopology = {
  hosts: [host('d1', 'r1', 'row1', 'tor1'), host('d2', 'r1', 'row1', 'tor1'), host('d3', 'r2', 'row2', 'row2'), host('d4', 'r2', 'row2', 'row2')],
  tors: [
    { id: 'tor1', name: 'sw-tor1', rowId: 'row1', roomId: 'r1', siteId: 's1' },
    { id: 'row2', name: 'Row 2', rowId: 'row2', roomId: 'r2', siteId: 's1' },
  ],
  rooms: [{ id: 'r1', name: 'Hall 1', siteId: 's1' }, { id: 'r2', name: 'Hall 2', siteId: 's1' }],
  sites: [{ id: 's1', name: 'Beijing' }, { id: 's2', name: 'Empty' }],
};
const suspect = (kind: ProbeSuspect['component']['kind'], objectId: string, pairs: [string, string][] = []): ProbeSuspect => ({
  component: { id: `${kind}:${objectId}`, kind, objectId }, votes: 1, fittedSuccess: 0.5, badPairs: pairs.length, pairs: pairs.map(([src, dst]) => ({ src, dst, p99Us: 1, dropRate: 0.1 })),
});

describe('placesOf', () => {
  it('names the suspects\' objects and the evidence hosts, with their rooms', () => {
    const p = placesOf(topology, { suspects: [suspect('host-link', 'd1', [['d1', 'd3']]), suspect('tor', 'row2'), suspect('spine', 'r2'), suspect('wan', 's1'), suspect('wan', 's2')] });
    expect(p).toEqual({
      d1: { name: 'h-d1', roomId: 'r1' },
      d3: { name: 'h-d3', roomId: 'r2' },
      row2: { name: 'Row 2', roomId: 'r2' },
      r2: { name: 'Hall 2', roomId: 'r2' },
      s1: { name: 'Beijing', roomId: 'r1' },
      s2: { name: 'Empty', roomId: null },
    });
  });

  it('a ToR switch by its device id; nothing when there are no suspects', () => {
    expect(placesOf(topology, { suspects: [suspect('tor-uplink', 'tor1')] })).toEqual({ tor1: { name: 'sw-tor1', roomId: 'r1' } });
    expect(placesOf(topology, { suspects: [] })).toEqual({});
  });
});
