// Sites, rooms, rows and cabinets one at a time through the whole core, as an operator's form
// does it: inventory.locations lists every place with each cabinet's device count;
// putLocation adds, edits and moves a place with the import's rules (unknown parent, a
// cabinet shortened below its devices, an id with spaces, a height out of range, all
// refused naming the field, nothing written); deleteLocation needs the place's name, refuses
// one that still holds anything (LocationNotEmptyError with what its subtree holds) and is
// audited; a viewer may list but not change.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device, ImportIssue, LocationRecord } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'oli', role: 'operator' };
const viewer: CallContext = { actor: 'vic', role: 'viewer' };

const device = (id: string, cabinetId: string, uPosition: number, uHeight = 1): Device => ({
  id, cabinetId, kind: 'server', hostname: id, sn: `SN-${id}`, uPosition, uHeight, mgmtIp: '127.0.0.1', snmpPort: 20000 + uPosition,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
});
const cabinet = (id: string, rowId: string, over: Partial<LocationRecord & { kind: 'cabinet' }> = {}): LocationRecord => ({
  kind: 'cabinet', id, rowId, name: id.toUpperCase(), position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200, ...over,
});

interface Refusal { code: string; name: string; message: string; params: Record<string, unknown>; issues: ImportIssue[] }
async function refusal(p: Promise<unknown>): Promise<Refusal> {
  const err = (await p.then(() => null, (e: unknown) => e)) as { code: string; name: string; message: string; params?: Record<string, unknown> } | null;
  if (!err) throw new Error('the call was not refused');
  const params = err.params ?? {};
  return { code: err.code, name: err.name, message: err.message, params, issues: (params.issues as ImportIssue[] | undefined) ?? [] };
}

let core: Core | null = null;
async function start(): Promise<Core> {
  core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false, bmcSensors: false });
  const put = (location: LocationRecord) => core!.api.call(operator, 'inventory.putLocation', { location });
  await put({ kind: 'site', id: 's1', name: 'Site 1', city: 'Beijing' });
  await put({ kind: 'site', id: 's2', name: 'Site 2', city: 'Shanghai' });
  await put({ kind: 'room', id: 'r1', siteId: 's1', name: 'Room 1', widthM: 20, depthM: 10 });
  await put({ kind: 'row', id: 'w1', roomId: 'r1', name: 'Row A', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' });
  await put(cabinet('c1', 'w1'));
  return core;
}
afterEach(async () => {
  await core?.dispose();
  core = null;
});

describe('inventory.locations / putLocation / deleteLocation', () => {
  it('adds, edits and moves rooms, rows and cabinets, and lists them with device counts', async () => {
    const c = await start();
    await c.api.call(operator, 'inventory.putDevice', { device: device('d1', 'c1', 1) });
    await c.api.call(operator, 'inventory.putDevice', { device: device('d2', 'c1', 2) });
    // added
    expect(await c.api.call(operator, 'inventory.putLocation', { location: { kind: 'room', id: 'r2', siteId: 's1', name: 'Room 2' } }))
      .toEqual({ kind: 'room', id: 'r2', siteId: 's1', name: 'Room 2', widthM: 4.2, depthM: 4 });
    await c.api.call(operator, 'inventory.putLocation', { location: { kind: 'row', id: 'w2', roomId: 'r2', name: 'Row B' } });
    await c.api.call(operator, 'inventory.putLocation', { location: cabinet('c2', 'w2', { position: 2 }) });
    // edited: a room renamed, a cabinet's feeds and power changed
    await c.api.call(operator, 'inventory.putLocation', { location: { kind: 'room', id: 'r2', siteId: 's1', name: 'Hall 2' } });
    expect(await c.api.call(operator, 'inventory.putLocation', { location: cabinet('c1', 'w1', { feedA: 'A-PDB-03', ratedPowerKw: 12.5 }) }))
      .toMatchObject({ kind: 'cabinet', id: 'c1', feedA: 'A-PDB-03', ratedPowerKw: 12.5 });
    // moved: room r2 to site s2, cabinet c1 (with its devices) to row w2
    await c.api.call(operator, 'inventory.putLocation', { location: { kind: 'room', id: 'r2', siteId: 's2', name: 'Hall 2' } });
    await c.api.call(operator, 'inventory.putLocation', { location: cabinet('c1', 'w2', { feedA: 'A-PDB-03', ratedPowerKw: 12.5 }) });

    const tree = await c.api.call(viewer, 'inventory.locations', undefined);
    expect(tree.sites.map((s) => s.id)).toEqual(['s1', 's2']);
    // r2 had no plan: computed, and grown to hold the row and the cabinets put in it.
    expect(tree.rooms).toEqual([{ id: 'r1', siteId: 's1', name: 'Room 1', widthM: 20, depthM: 10 }, { id: 'r2', siteId: 's2', name: 'Hall 2', widthM: 5.4, depthM: 4 }]);
    expect(tree.rows[1]).toMatchObject({ id: 'w2', xM: 3, yM: 2.4, facing: 'south', coldAisle: 'front' });
    expect(tree.rows.map((r) => [r.id, r.roomId])).toEqual([['w1', 'r1'], ['w2', 'r2']]);
    expect(tree.cabinets.map((k) => [k.id, k.rowId, k.feedA])).toEqual([['c1', 'w2', 'A-PDB-03'], ['c2', 'w2', null]]);
    expect(tree.deviceCounts).toEqual({ c1: 2 });
    expect((await c.api.call(viewer, 'inventory.cabinets', { roomId: 'r2' })).map((k) => k.id).sort()).toEqual(['c1', 'c2']);
  });

  it('refuses what an import refuses, naming the field, and writes nothing', async () => {
    const c = await start();
    await c.api.call(operator, 'inventory.putDevice', { device: device('tall', 'c1', 30, 4) }); // U 30-33
    const before = await c.api.call(viewer, 'inventory.export', { format: 'json' });

    const short = await refusal(c.api.call(operator, 'inventory.putLocation', { location: cabinet('c1', 'w1', { uHeight: 32 }) }));
    expect(short).toMatchObject({ code: 'VALIDATION', name: 'ValidationError', params: { fields: ['uHeight'] } });
    expect(short.issues).toMatchObject([{ field: 'uHeight', code: 'cabinet-too-short', params: { height: 32, device: 'tall', from: 30, to: 33 } }]);
    // 33 U still holds it
    await c.api.call(operator, 'inventory.putLocation', { location: cabinet('c1', 'w1', { uHeight: 33 }) });

    const orphan = await refusal(c.api.call(operator, 'inventory.putLocation', { location: { kind: 'row', id: 'w9', roomId: 'r9', name: 'Nowhere' } }));
    expect(orphan.issues).toMatchObject([{ field: 'roomId', code: 'unknown-parent', params: { parentKind: 'room', parent: 'r9' } }]);
    const moved = await refusal(c.api.call(operator, 'inventory.putLocation', { location: { kind: 'room', id: 'r1', siteId: 'gone', name: 'Room 1' } }));
    expect(moved.issues.map((i) => i.code)).toEqual(['unknown-parent']);
    const spaces = await refusal(c.api.call(operator, 'inventory.putLocation', { location: { kind: 'site', id: ' s3', name: 'Site 3', city: '' } }));
    expect(spaces.issues.map((i) => [i.field, i.code])).toEqual([['id', 'id-spaces']]);
    const high = await refusal(c.api.call(operator, 'inventory.putLocation', { location: cabinet('c5', 'w1', { uHeight: 70 }) }));
    expect(high.issues).toMatchObject([{ field: 'uHeight', code: 'out-of-range', params: { min: 1, max: 60 } }]);

    expect(await c.api.call(viewer, 'inventory.export', { format: 'json' })).toEqual({
      ...before,
      text: before.text.replace('"uHeight": 42', '"uHeight": 33'),
    });
  });

  it('deletes a place only when empty and named, audited; refuses a viewer', async () => {
    const c = await start();
    await c.api.call(operator, 'inventory.putDevice', { device: device('d1', 'c1', 1) });
    await c.api.call(operator, 'inventory.putDevice', { device: device('d2', 'c1', 2) });

    const site = await refusal(c.api.call(operator, 'inventory.deleteLocation', { kind: 'site', id: 's1', confirmName: 'Site 1' }));
    expect(site).toMatchObject({
      code: 'CONFLICT', name: 'LocationNotEmptyError',
      params: { kind: 'site', id: 's1', name: 'Site 1', holds: { sites: 0, rooms: 1, rows: 1, cabinets: 1, devices: 2 } },
    });
    const cab = await refusal(c.api.call(operator, 'inventory.deleteLocation', { kind: 'cabinet', id: 'c1', confirmName: 'C1' }));
    expect(cab.params.holds).toEqual({ sites: 0, rooms: 0, rows: 0, cabinets: 0, devices: 2 });
    const row = await refusal(c.api.call(operator, 'inventory.deleteLocation', { kind: 'row', id: 'w1', confirmName: 'Row A' }));
    expect(row.params.holds).toEqual({ sites: 0, rooms: 0, rows: 0, cabinets: 1, devices: 2 });

    const wrong = await refusal(c.api.call(operator, 'inventory.deleteLocation', { kind: 'site', id: 's2', confirmName: 'site 2' }));
    expect(wrong.code).toBe('VALIDATION');
    expect(wrong.issues).toMatchObject([{ field: 'confirmName', code: 'confirm-name', params: { expected: 'Site 2', value: 'site 2' } }]);
    await expect(c.api.call(operator, 'inventory.deleteLocation', { kind: 'room', id: 'r9', confirmName: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(c.api.call(viewer, 'inventory.deleteLocation', { kind: 'site', id: 's2', confirmName: 'Site 2' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(c.api.call(viewer, 'inventory.putLocation', { location: { kind: 'site', id: 's3', name: 'S3', city: '' } })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect(await c.api.call(operator, 'inventory.deleteLocation', { kind: 'site', id: 's2', confirmName: 'Site 2' })).toEqual({ kind: 'site', deleted: 's2' });
    // emptied bottom-up, the whole of s1 goes too
    for (const id of ['d1', 'd2']) await c.api.call(operator, 'inventory.deleteDevice', { deviceId: id, confirmHostname: id });
    await c.api.call(operator, 'inventory.deleteLocation', { kind: 'cabinet', id: 'c1', confirmName: 'C1' });
    await c.api.call(operator, 'inventory.deleteLocation', { kind: 'row', id: 'w1', confirmName: 'Row A' });
    await c.api.call(operator, 'inventory.deleteLocation', { kind: 'room', id: 'r1', confirmName: 'Room 1' });
    await c.api.call(operator, 'inventory.deleteLocation', { kind: 'site', id: 's1', confirmName: 'Site 1' });
    expect(await c.api.call(viewer, 'inventory.locations', undefined)).toEqual({ sites: [], rooms: [], rows: [], cabinets: [], deviceCounts: {} });

    const audit = await c.api.call(admin, 'audit.list', { limit: 100 });
    const deletes = audit.filter((e) => e.action === 'inventory.deleteLocation');
    expect(deletes.find((e) => e.role === 'viewer')?.outcome).toBe('refused');
    expect(deletes.filter((e) => e.outcome === 'succeeded').length).toBe(5);
    expect(deletes.some((e) => e.outcome === 'failed' && e.target.includes('s1'))).toBe(true);
  });
});
