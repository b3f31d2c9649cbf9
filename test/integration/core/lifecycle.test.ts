// inventory.setLifecycle and inventory.lifecycleCounts through the whole core: a viewer is
// refused (FORBIDDEN, audited, nothing moved), an operator moves devices (audited with the
// count, the target state and the first ids); a refused move is CONFLICT (LifecycleMoveError
// naming each device and its state), audited as failed; the device page's detail carries the
// lifecycle and who moved it when; counts per state for the fleet and per site.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { Device } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { oneCabinet } from '../../support/one-cabinet';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'oli', role: 'operator' };
const viewer: CallContext = { actor: 'vic', role: 'viewer' };

const device = (id: string, u: number, lifecycle: Device['lifecycle']): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `${id}.lab`, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: `10.0.0.${u}`, snmpPort: 161,
  bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, lifecycle,
});

let core: Core | null = null;
async function start(): Promise<Core> {
  core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false, bmcSensors: false });
  const doc = oneCabinet([device('srv-1', 1, 'racked'), device('srv-2', 2, 'racked'), device('srv-3', 3, undefined), device('srv-4', 4, 'retired')]);
  await core.api.call(operator, 'inventory.import', { format: 'json', text: JSON.stringify(doc) });
  return core;
}
afterEach(async () => {
  await core?.dispose();
  core = null;
});

const lifecycles = async (c: Core) => (await c.api.call(viewer, 'inventory.export', { format: 'json' })).text;
const lifecycleOf = async (c: Core, id: string) => (await c.api.call(viewer, 'device.detail', { deviceId: id })).device.lifecycle;

describe('inventory.setLifecycle', () => {
  it('refuses a viewer, lets an operator move devices, and audits both', async () => {
    const c = await start();
    const args = { deviceIds: ['srv-1', 'srv-2'], to: 'provisioning' as const, expectedFrom: 'racked' as const };
    await expect(c.api.call(viewer, 'inventory.setLifecycle', args)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await lifecycleOf(c, 'srv-1')).toBe('racked');

    expect(await c.api.call(operator, 'inventory.setLifecycle', args)).toEqual({ changed: 2, unchanged: 0 });
    const detail = await c.api.call(viewer, 'device.detail', { deviceId: 'srv-2' });
    expect(detail.device.lifecycle).toBe('provisioning');
    expect(detail.lifecycleChange).toMatchObject({ by: 'oli', at: expect.any(Number) });
    expect((await c.api.call(viewer, 'device.detail', { deviceId: 'srv-3' })).device.lifecycle).toBe('online');

    const audit = (await c.api.call(admin, 'audit.list', { limit: 50 })).filter((e) => e.action === 'inventory.setLifecycle');
    expect(audit.map((e) => [e.actor, e.outcome])).toEqual(expect.arrayContaining([['vic', 'refused'], ['oli', 'succeeded']]));
    expect(audit.find((e) => e.actor === 'oli')?.target).toBe('2 devices to provisioning from racked: srv-1, srv-2');
  });

  it('refuses a disallowed move or a stale expectedFrom with CONFLICT naming each device, moving none; audited as failed', async () => {
    const c = await start();
    const before = await lifecycles(c);
    const err = await c.api.call(operator, 'inventory.setLifecycle', { deviceIds: ['srv-3', 'srv-4', 'srv-1'], to: 'maintenance' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'LifecycleMoveError', code: 'CONFLICT',
      params: {
        to: 'maintenance', requested: 3, refusedCount: 2,
        refused: [
          { deviceId: 'srv-4', hostname: 'srv-4.lab', from: 'retired', reason: 'not-allowed' },
          { deviceId: 'srv-1', hostname: 'srv-1.lab', from: 'racked', reason: 'not-allowed' },
        ],
      },
    });
    expect(await lifecycles(c)).toBe(before); // srv-3 (online -> maintenance is allowed) did not move either

    const stale = await c.api.call(operator, 'inventory.setLifecycle', { deviceIds: ['srv-3'], to: 'offline', expectedFrom: 'maintenance' }).catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT', params: { refused: [{ deviceId: 'srv-3', from: 'online', reason: 'not-expected' }] } });
    const unknown = await c.api.call(operator, 'inventory.setLifecycle', { deviceIds: ['srv-3', 'nope'], to: 'offline' }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', params: { what: 'device', id: 'nope' } });
    expect(await lifecycles(c)).toBe(before);

    const audit = (await c.api.call(admin, 'audit.list', { limit: 50 })).filter((e) => e.action === 'inventory.setLifecycle');
    expect(audit.map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(audit.map((e) => e.target)).toContain('3 devices to maintenance: srv-3, srv-4, srv-1');
  });

  it('refuses malformed arguments before anything moves (an unknown state, no devices)', async () => {
    const c = await start();
    await expect(c.api.call(operator, 'inventory.setLifecycle', { deviceIds: ['srv-3'], to: 'decommissioned' as never })).rejects.toMatchObject({ code: 'VALIDATION', params: { field: 'to' } });
    await expect(c.api.call(operator, 'inventory.setLifecycle', { deviceIds: [], to: 'offline' })).rejects.toMatchObject({ code: 'VALIDATION', params: { field: 'deviceIds' } });
    expect(await lifecycleOf(c, 'srv-3')).toBe('online');
  });
});

describe('inventory.lifecycleCounts', () => {
  it('counts devices per state for a viewer, fleet-wide and per site, and follows a move', async () => {
    const c = await start();
    const zero = { racked: 0, provisioning: 0, online: 0, offline: 0, maintenance: 0, retired: 0 };
    const first = { ...zero, racked: 2, online: 1, retired: 1 };
    expect(await c.api.call(viewer, 'inventory.lifecycleCounts', undefined)).toEqual({ total: 4, counts: first, sites: [{ siteId: 's', name: 'S', total: 4, counts: first }] });
    await c.api.call(operator, 'inventory.setLifecycle', { deviceIds: ['srv-4'], to: 'racked' });
    expect((await c.api.call(viewer, 'inventory.lifecycleCounts', undefined)).counts).toEqual({ ...zero, racked: 3, online: 1 });
  });
});
