// The device search index: exact, prefix and one-typo matches over SN, hostname, management
// IP and BMC address, ranked exact > prefix > typo, limited, and nothing for no match.
import { describe, expect, it } from 'vitest';
import { buildSearchIndex, type SearchRecord } from '../../../../src-main/core/search/search-index';

function rec(n: number, over: Partial<SearchRecord> = {}): SearchRecord {
  return {
    deviceId: `dev-${n}`, hostname: `bj1-r1-c0101-srv${String(n).padStart(2, '0')}`, sn: `FD10000000${String(n).padStart(2, '0')}`, kind: 'server',
    mgmtIp: `127.16.0.${n}`, bmcAddress: `127.17.0.${n}`, siteName: 'Beijing', roomName: 'Hall 1', cabinetId: 'cab-1', cabinetName: 'R1-01', uPosition: n, ...over,
  };
}

const records = Array.from({ length: 40 }, (_, i) => rec(i + 1));
const index = buildSearchIndex(records);
const ids = (q: string, limit?: number) => index.search(q, limit).map((h) => h.deviceId);

describe('device search index', () => {
  it('finds a device by its exact SN, hostname, management IP or BMC address, case-insensitively', () => {
    expect(index.search('FD1000000007')[0]).toMatchObject({ deviceId: 'dev-7', field: 'sn', match: 'exact', siteName: 'Beijing', cabinetName: 'R1-01', uPosition: 7 });
    expect(index.search('fd1000000007')[0]).toMatchObject({ deviceId: 'dev-7', match: 'exact' });
    expect(index.search('  BJ1-R1-C0101-SRV12 ')[0]).toMatchObject({ deviceId: 'dev-12', field: 'hostname', match: 'exact' });
    expect(index.search('127.16.0.3')[0]).toMatchObject({ deviceId: 'dev-3', field: 'mgmtIp', match: 'exact' });
    expect(index.search('127.17.0.3')[0]).toMatchObject({ deviceId: 'dev-3', field: 'bmcAddress', match: 'exact' });
  });

  it('matches prefixes, in key order', () => {
    const hits = index.search('bj1-r1-c0101-srv1', 10);
    expect(hits.map((h) => h.deviceId)).toEqual(['dev-10', 'dev-11', 'dev-12', 'dev-13', 'dev-14', 'dev-15', 'dev-16', 'dev-17', 'dev-18', 'dev-19']);
    expect(hits.every((h) => h.match === 'prefix' && h.field === 'hostname')).toBe(true);
  });

  it('matches IP prefixes, with the whole address first', () => {
    const hits = index.search('127.16.0.1');
    expect(hits[0]).toMatchObject({ deviceId: 'dev-1', match: 'exact', field: 'mgmtIp' });
    expect(hits.slice(1, 11).map((h) => h.deviceId)).toEqual(['dev-10', 'dev-11', 'dev-12', 'dev-13', 'dev-14', 'dev-15', 'dev-16', 'dev-17', 'dev-18', 'dev-19']);
    expect(hits.slice(1, 11).every((h) => h.match === 'prefix')).toBe(true);
    const bmc = index.search('127.17.0.2', 100);
    expect(bmc.slice(0, 11).map((h) => h.deviceId)).toEqual(['dev-2', 'dev-20', 'dev-21', 'dev-22', 'dev-23', 'dev-24', 'dev-25', 'dev-26', 'dev-27', 'dev-28', 'dev-29']);
    expect(bmc[11]).toMatchObject({ deviceId: 'dev-1', field: 'bmcAddress', match: 'typo' }); // then one edit away: 127.17.0.1
    expect(ids('127.16.', 100)).toHaveLength(40);
  });

  it('tolerates one substitution, insertion, deletion or transposition', () => {
    const one = buildSearchIndex([rec(1, { hostname: 'web-frontend-07', sn: 'ZX99812', mgmtIp: '10.20.30.40', bmcAddress: null }), rec(2, { hostname: 'db-primary', sn: 'QQ1', mgmtIp: '10.9.9.9', bmcAddress: null })]);
    const first = (q: string) => one.search(q)[0];
    expect(first('web-frontend-08')).toMatchObject({ deviceId: 'dev-1', field: 'hostname', match: 'typo' }); // substitution
    expect(first('web-fronttend-07')).toMatchObject({ deviceId: 'dev-1', match: 'typo' }); // insertion
    expect(first('web-frontnd-07')).toMatchObject({ deviceId: 'dev-1', match: 'typo' }); // deletion
    expect(first('web-frnotend-07')).toMatchObject({ deviceId: 'dev-1', match: 'typo' }); // transposition
    expect(first('zx98812')).toMatchObject({ deviceId: 'dev-1', field: 'sn', match: 'typo' });
    expect(first('10.20.30.41')).toMatchObject({ deviceId: 'dev-1', field: 'mgmtIp', match: 'typo' });
    expect(first('db-primray')).toMatchObject({ deviceId: 'dev-2', match: 'typo' });
    // a typo in what has been typed so far still finds the longer value
    expect(first('web-frpnt')).toMatchObject({ deviceId: 'dev-1', match: 'typo' });
    // two edits away is not a match
    expect(one.search('web-frnotend-08')).toEqual([]);
  });

  it('ranks exact before prefix before typo', () => {
    const r = buildSearchIndex([
      rec(1, { hostname: 'node-12x' }), // typo of node-12 (insertion) -- but also a prefix match
      rec(2, { hostname: 'node-13' }), // typo (substitution)
      rec(3, { hostname: 'node-12' }), // exact
      rec(4, { hostname: 'node-120' }), // prefix
      rec(5, { hostname: 'node-1' }), // typo (deletion from the query)
    ]);
    const hits = r.search('node-12');
    expect(hits.map((h) => [h.deviceId, h.match])).toEqual([
      ['dev-3', 'exact'], ['dev-4', 'prefix'], ['dev-1', 'prefix'], ['dev-5', 'typo'], ['dev-2', 'typo'],
    ]);
  });

  it('reports a device once, by its best match', () => {
    const r = buildSearchIndex([rec(1, { hostname: '127.16.0.1x', mgmtIp: '127.16.0.1', bmcAddress: '127.16.0.1' })]);
    expect(r.search('127.16.0.1')).toEqual([expect.objectContaining({ deviceId: 'dev-1', match: 'exact', field: 'mgmtIp' })]);
  });

  it('returns at most limit hits', () => {
    expect(ids('127.16.0.', 5)).toHaveLength(5);
    expect(ids('127.16.0.')).toHaveLength(20);
    expect(ids('bj1', 100)).toHaveLength(40);
    expect(ids('bj1', 0)).toEqual([]);
  });

  it('finds nothing for no match, an empty query, or an empty index', () => {
    expect(index.search('no-such-host')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('zz')).toEqual([]);
    expect(buildSearchIndex([]).search('bj1')).toEqual([]);
  });

  it('does not look for typos in one- or two-character queries', () => {
    expect(ids('x')).toEqual([]);
    expect(ids('cj')).toEqual([]);
    expect(ids('cj1')).toHaveLength(20);
  });
});
