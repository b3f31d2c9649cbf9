// cmdb.check and cmdb.set on a real store (SQLite in memory): the lifecycle checked against
// the expected states and the SN; a compare-and-set move with the hostname in the same
// transaction (a refused move renames nothing), audited under the run's actor with the
// repository's refusal kept; a repeat finds the work done and changes nothing; a rename
// leaves the credential bindings as they were.
import { describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import { storeCmdb } from '../../../../src-main/core/provisioning';
import { cmdbCheckTool, cmdbSetTool } from '../../../../src-main/core/provisioning/cmdb-tools';
import type { ProvisioningDeps } from '../../../../src-main/core/provisioning/deps';
import { AuditRepository } from '../../../../src-main/core/store/audit-repository';
import { BindingRepository } from '../../../../src-main/core/store/binding-repository';
import { openStore } from '../../../../src-main/core/store/database';
import { InventoryRepository } from '../../../../src-main/core/store/inventory-repository';
import type { ToolContext } from '../../../../src-main/core/workflows/tool';
import { oneCabinet } from '../../../support/one-cabinet';

const device = (id: string, u: number, lifecycle: Device['lifecycle']): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: `${id}.old`, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: `127.0.0.${u}`, snmpPort: 161,
  bmcAddress: `127.100.0.${u}`, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: 'ssh-login', ipmiCredential: 'bmc-login', serviceTree: null, lifecycle,
});

function setup() {
  const db = openStore(':memory:');
  const inventory = new InventoryRepository(db);
  inventory.upsert(oneCabinet([device('srv-1', 1, 'racked'), device('srv-2', 2, 'online')]));
  const audit = new AuditRepository(db);
  const renamed: string[] = [];
  const deps = {
    device: (id: string) => inventory.device(id),
    cmdb: storeCmdb({ db, inventory, onRenamed: (id) => renamed.push(id) }),
    audit: (e) => audit.record({ ...e, role: 'operator' }),
  } as Partial<ProvisioningDeps> as ProvisioningDeps;
  const logs: string[] = [];
  const ctx = { runId: 'run-1', stepId: 'cmdb', host: null, attempt: 1, signal: new AbortController().signal, log: (l: string) => logs.push(l), callbackUrl: null, pollState: null, check: 0, actor: 'ops-amy' } as ToolContext;
  return { db, inventory, audit, deps, ctx, logs, renamed, bindings: new BindingRepository(db) };
}

describe('cmdb.check', () => {
  it('passes a device in an expected state, refuses another state or SN naming both', async () => {
    const { deps, ctx } = setup();
    const check = cmdbCheckTool(deps);
    expect(await check.run(ctx, check.input.parse({ deviceId: 'srv-1', expect: ['racked', 'offline'] }))).toEqual({ status: 'done', output: { lifecycle: 'racked', hostname: 'srv-1.old' } });
    await expect(check.run(ctx, check.input.parse({ deviceId: 'srv-2', expect: ['racked'] }))).rejects.toThrow('srv-2.old (srv-2) is online in the CMDB; this step expects racked');
    await expect(check.run(ctx, check.input.parse({ deviceId: 'srv-1', expect: ['racked'], expectSn: 'SN-other' }))).rejects.toThrow('has SN SN-srv-1, not SN-other');
    await expect(check.run(ctx, check.input.parse({ deviceId: 'nope', expect: ['racked'] }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('cmdb.set', () => {
  it('moves compare-and-set, renames in the same transaction, audits under the actor', async () => {
    const { deps, ctx, inventory, audit, renamed, bindings } = setup();
    const set = cmdbSetTool(deps);
    const boundBefore = bindings.ofDevice('srv-1');
    const r = await set.run(ctx, set.input.parse({ deviceId: 'srv-1', to: 'provisioning', expectedFrom: 'racked' }));
    expect(r).toEqual({ status: 'done', output: { from: 'racked', to: 'provisioning', changed: true, hostname: 'srv-1.old', hostnameBefore: 'srv-1.old' } });
    const online = await set.run(ctx, set.input.parse({ deviceId: 'srv-1', to: 'online', expectedFrom: 'provisioning', hostname: 'web-new-01' }));
    expect(online).toMatchObject({ output: { from: 'provisioning', to: 'online', changed: true, hostname: 'web-new-01', hostnameBefore: 'srv-1.old' } });
    expect(inventory.device('srv-1')).toMatchObject({ lifecycle: 'online', hostname: 'web-new-01', mgmtIp: '127.0.0.1' });
    expect(renamed).toEqual(['srv-1']);
    expect(boundBefore.map((b) => b.role).sort()).toEqual(['ipmi', 'ssh']);
    expect(bindings.ofDevice('srv-1')).toEqual(boundBefore); // not bound again: same endpoint, binder and time
    const entries = audit.list({ action: 'cmdb.set' });
    expect(entries.map((e) => [e.actor, e.outcome, e.target, e.detail])).toEqual([
      ['ops-amy', 'succeeded', 'srv-1.old (srv-1)', 'provisioning -> online; hostname srv-1.old -> web-new-01 (workflow run run-1, step cmdb)'],
      ['ops-amy', 'succeeded', 'srv-1.old (srv-1)', 'racked -> provisioning (workflow run run-1, step cmdb)'],
    ]);
  });

  it('refuses a device someone else moved, renaming nothing, and audits the refusal', async () => {
    const { deps, ctx, inventory, audit } = setup();
    const set = cmdbSetTool(deps);
    // srv-2 is online, not racked: the move to provisioning with expectedFrom racked is refused whole.
    const err = await set.run(ctx, set.input.parse({ deviceId: 'srv-2', to: 'provisioning', expectedFrom: 'racked', hostname: 'renamed' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'LifecycleMoveError', code: 'CONFLICT' });
    expect((err as Error).message).toContain('is online, not racked as expected');
    expect(inventory.device('srv-2')).toMatchObject({ lifecycle: 'online', hostname: 'srv-2.old' });
    expect(audit.list({ action: 'cmdb.set' })[0]).toMatchObject({ actor: 'ops-amy', outcome: 'failed', detail: expect.stringContaining('is online, not racked as expected') });
    // A move the lifecycle table does not allow is refused too.
    await expect(set.run(ctx, set.input.parse({ deviceId: 'srv-2', to: 'racked' }))).rejects.toThrow(/may move to/);
  });

  it('finds the work of an interrupted attempt done and changes nothing', async () => {
    const { deps, ctx, audit, logs } = setup();
    const set = cmdbSetTool(deps);
    const args = set.input.parse({ deviceId: 'srv-1', to: 'provisioning', expectedFrom: 'racked' });
    await set.run(ctx, args);
    const again = await set.run(ctx, args);
    expect(again).toMatchObject({ output: { from: 'provisioning', to: 'provisioning', changed: false } });
    expect(logs.at(-1)).toBe('srv-1.old (srv-1) is already provisioning in the CMDB: nothing to change');
    expect(audit.list({ action: 'cmdb.set' })).toHaveLength(1);
    expect(() => set.input.parse({ deviceId: 'srv-1', to: 'online', hostname: 'bad_name!' })).toThrow(/RFC 1123/);
  });
});
