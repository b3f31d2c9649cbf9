// The binding rule: a device credential is used only for the endpoint it was bound to. An
// admin's import or device form binds what it writes, an operator's binds nothing (a move, a
// new device or another credential is unbound); credentials.bind binds; the migration binds
// the references stored before it; the poller, device.bmc and credentials.test refuse an
// unbound use before sending anything.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../../src-shared/api';
import type { Device } from '../../../../src-shared/domain';
import { bindingAllows, useOf } from '../../../../src-main/core/credentials/credential-binding';
import { createCore, type Core } from '../../../../src-main/core/create-core';
import { BindingRepository } from '../../../../src-main/core/store/binding-repository';
import { openStore } from '../../../../src-main/core/store/database';
import { MIGRATIONS } from '../../../../src-main/core/store/migrations';
import { oneCabinet } from '../../../support/one-cabinet';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'otto', role: 'operator' };
let core: Core | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

const device = (id: string, u: number, over: Partial<Device> = {}): Device => ({
  id, cabinetId: 'c', kind: 'server', hostname: id, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp: `127.77.0.${u}`, snmpPort: 16100 + u,
  bmcAddress: `127.77.1.${u}`, bmcPort: 17000 + u, sshPort: 22, snmpCredential: 'snmp-ro', sshCredential: 'ssh-ops', ipmiCredential: 'bmc', serviceTree: null, ...over,
});

/** A core with three credentials and one device an admin imported (bound). */
async function open(): Promise<Core> {
  const c = (core = await createCore({ storePath: ':memory:', secretKey: randomBytes(32), lab: false, poller: { intervalMs: 60_000, timeoutMs: 200, retries: 0 }, bmcSensors: false }));
  await c.api.call(admin, 'credentials.put', { id: 'snmp-ro', kind: 'snmp-community', name: 'ro', secret: 'public' });
  await c.api.call(admin, 'credentials.put', { id: 'ssh-ops', kind: 'ssh-password', name: 'ops', secret: { username: 'ops', password: 'pw' } });
  await c.api.call(admin, 'credentials.put', { id: 'ssh-root', kind: 'ssh-password', name: 'root', secret: { username: 'root', password: 'pw' } });
  await c.api.call(admin, 'credentials.put', { id: 'bmc', kind: 'ipmi', name: 'bmc', secret: { username: 'admin', password: 'pw' } });
  await c.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(oneCabinet([device('a', 1)])), replace: null, dryRun: false });
  return c;
}

const states = async (c: Core, id: string) => Object.fromEntries((await c.api.call(operator, 'credentials.bindings', { deviceId: id })).map((s) => [s.role, s.bound]));

describe('the binding rule', () => {
  it('allows a use only at the bound endpoint with the bound credential (any credential only when asked)', () => {
    const use = useOf(device('a', 1), 'ssh')!;
    expect(use).toEqual({ deviceId: 'a', role: 'ssh', credentialId: 'ssh-ops', host: '127.77.0.1', port: 22 });
    const bound = { credentialId: 'ssh-ops', host: '127.77.0.1', port: 22 };
    expect(bindingAllows(use, bound)).toBe(true);
    expect(bindingAllows(use, undefined)).toBe(false);
    expect(bindingAllows(use, { ...bound, host: '127.77.0.9' })).toBe(false);
    expect(bindingAllows(use, { ...bound, port: 2222 })).toBe(false);
    expect(bindingAllows(use, { ...bound, credentialId: 'ssh-root' })).toBe(false);
    expect(bindingAllows(use, { ...bound, credentialId: 'ssh-root' }, true)).toBe(true);
    expect(useOf(device('b', 2, { bmcAddress: null }), 'ipmi')).toBeNull();
    expect(useOf(device('b', 2, { sshCredential: null }), 'ssh')).toBeNull();
  });

  it('binds an admin\'s import; an operator\'s move leaves the moved endpoint\'s roles unbound until credentials.bind', async () => {
    const c = await open();
    expect(await states(c, 'a')).toEqual({ snmp: true, ssh: true, ipmi: true });
    const [ssh] = (await c.api.call(operator, 'credentials.bindings', { deviceId: 'a' })).filter((s) => s.role === 'ssh');
    expect(ssh).toMatchObject({ credentialId: 'ssh-ops', endpoint: '127.77.0.1:22', binding: { boundBy: 'ada', endpoint: '127.77.0.1:22' } });

    // The operator points the management address elsewhere: SNMP and SSH unbound, the BMC still bound.
    await c.api.call(operator, 'inventory.putDevice', { device: device('a', 1, { mgmtIp: '127.77.0.99' }) });
    expect(await states(c, 'a')).toEqual({ snmp: false, ssh: false, ipmi: true });
    const detail = await c.api.call(operator, 'device.detail', { deviceId: 'a' });
    expect(detail.monitoring).toMatchObject({ polled: false, reason: 'credential-unbound' });
    expect(detail.interfacesProblem).toMatchObject({ code: 'read-failed', error: { name: 'CredentialUnboundError' } });

    // Only an admin binds.
    await expect(c.api.call(operator, 'credentials.bind', { deviceIds: ['a'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const done = await c.api.call(admin, 'credentials.bind', { deviceIds: ['a', 'nope'] });
    expect(done.missing).toEqual(['nope']);
    expect(done.bound.map((b) => `${b.role} ${b.credentialId} ${b.endpoint} ${b.boundBy}`)).toEqual([
      'snmp snmp-ro 127.77.0.99:16101 ada', 'ssh ssh-ops 127.77.0.99:22 ada', 'ipmi bmc 127.77.1.1:17001 ada',
    ]);
    expect(await states(c, 'a')).toEqual({ snmp: true, ssh: true, ipmi: true });
    expect((await c.api.call(operator, 'device.detail', { deviceId: 'a' })).monitoring).toMatchObject({ polled: true, reason: null });
    const audit = await c.api.call(admin, 'audit.list', { action: 'credentials.bind' });
    expect(audit.filter((e) => e.action === 'credentials.bind').map((e) => `${e.role} ${e.outcome} ${e.target}`)).toEqual(['admin succeeded credentials of 2 devices (a, nope)', 'operator refused credentials of device a']);
  });

  it('an operator\'s new device or changed reference is unbound, an admin\'s bound; moving back restores the admin\'s binding', async () => {
    const c = await open();
    await c.api.call(operator, 'inventory.putDevice', { device: device('b', 2) });
    expect(await states(c, 'b')).toEqual({ snmp: false, ssh: false, ipmi: false });
    await c.api.call(admin, 'inventory.putDevice', { device: device('d', 4) });
    expect(await states(c, 'd')).toEqual({ snmp: true, ssh: true, ipmi: true });

    await c.api.call(operator, 'inventory.putDevice', { device: device('a', 1, { sshCredential: 'ssh-root' }) });
    expect(await states(c, 'a')).toEqual({ snmp: true, ssh: false, ipmi: true });
    await c.api.call(operator, 'inventory.putDevice', { device: device('a', 1, { bmcPort: 6230 }) });
    expect(await states(c, 'a')).toEqual({ snmp: true, ssh: true, ipmi: false });
    await c.api.call(operator, 'inventory.putDevice', { device: device('a', 1) });
    expect(await states(c, 'a')).toEqual({ snmp: true, ssh: true, ipmi: true });

    // An operator's import moving the device: unbound; the preview lists the move.
    const moved = JSON.stringify(oneCabinet([device('a', 1, { mgmtIp: '127.77.0.50' })]));
    const preview = await c.api.call(operator, 'inventory.import', { format: 'json', text: moved, replace: null, dryRun: true });
    expect(preview.addressChanges).toMatchObject([{ deviceId: 'a', endpoint: 'mgmt', to: '127.77.0.50 snmp:16101 ssh:22' }]);
    await c.api.call(operator, 'inventory.import', { format: 'json', text: moved, replace: null, dryRun: false });
    expect(await states(c, 'a')).toEqual({ snmp: false, ssh: false, ipmi: true });
  });

  it('refuses device.bmc, device.power and credentials.test at an unbound endpoint before sending', async () => {
    const c = await open();
    await c.api.call(operator, 'inventory.putDevice', { device: device('a', 1, { bmcAddress: '127.77.1.99', mgmtIp: '127.77.0.99' }) });
    const unbound = { name: 'CredentialUnboundError', code: 'CONFLICT' };
    await expect(c.api.call(operator, 'device.bmc', { deviceId: 'a' })).rejects.toMatchObject({ ...unbound, message: expect.stringContaining('the IPMI credential bmc of a is not bound to 127.77.1.99:17001; an admin must bind it') });
    await expect(c.api.call(operator, 'device.power', { deviceId: 'a', action: 'off', confirmHostname: 'a' })).rejects.toMatchObject(unbound);
    await expect(c.api.call(admin, 'credentials.test', { id: 'ssh-root', deviceId: 'a' })).rejects.toMatchObject({ ...unbound, params: { endpoint: '127.77.0.99:22', role: 'ssh' } });
    await expect(c.api.call(admin, 'credentials.test', { id: 'snmp-ro', deviceId: 'a' })).rejects.toMatchObject(unbound);
  });

  it('drops a cleared reference\'s binding on an admin\'s write, and a deleted device\'s bindings', async () => {
    const c = await open();
    await c.api.call(admin, 'inventory.putDevice', { device: device('a', 1, { sshCredential: null }) });
    expect((await c.api.call(operator, 'credentials.bindings', { deviceId: 'a' })).find((s) => s.role === 'ssh')).toMatchObject({ bound: false, binding: null });
    // An operator setting it again is not bound by the binding the admin dropped.
    await c.api.call(operator, 'inventory.putDevice', { device: device('a', 1) });
    expect(await states(c, 'a')).toEqual({ snmp: true, ssh: false, ipmi: true });
    await c.api.call(operator, 'inventory.deleteDevice', { deviceId: 'a', confirmHostname: 'a' });
    await c.api.call(operator, 'inventory.putDevice', { device: device('a', 1) });
    expect(await states(c, 'a')).toEqual({ snmp: false, ssh: false, ipmi: false });
  });
});

describe('the bindings migration', () => {
  it('binds every device reference stored before it where the device has it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fd-bind-'));
    try {
      const path = join(dir, 'old.db');
      const old = openStore(path, MIGRATIONS.filter((m) => m.version < 7));
      old.exec(`INSERT INTO sites VALUES ('s', 'S', ''); INSERT INTO rooms VALUES ('r', 's', 'R'); INSERT INTO rows VALUES ('w', 'r', 'W');
        INSERT INTO cabinets VALUES ('c', 'w', 'C', 1, 42, 8, NULL, NULL);`);
      old.prepare(`INSERT INTO devices (id, cabinet_id, kind, hostname, sn, u_position, u_height, mgmt_ip, snmp_port, bmc_address, bmc_port, ssh_port, snmp_credential, ssh_credential, ipmi_credential)
        VALUES (?, 'c', 'server', ?, ?, ?, 1, ?, 161, ?, 623, 2222, ?, ?, ?)`).run('x', 'x', 'SN-X', 1, '10.0.0.1', '10.1.0.1', 'snmp-ro', 'ssh-ops', 'bmc');
      old.prepare(`INSERT INTO devices (id, cabinet_id, kind, hostname, sn, u_position, u_height, mgmt_ip, snmp_port, bmc_address, bmc_port, ssh_port, snmp_credential, ssh_credential, ipmi_credential)
        VALUES (?, 'c', 'switch', ?, ?, ?, 1, ?, 161, NULL, 623, 22, ?, NULL, 'bmc')`).run('y', 'y', 'SN-Y', 2, 'fd00::1', 'snmp-ro');
      old.close();
      const db = openStore(path);
      const repo = new BindingRepository(db);
      expect(repo.ofDevice('x').map((b) => `${b.role} ${b.credentialId} ${b.endpoint} ${b.boundBy}`)).toEqual(['snmp snmp-ro 10.0.0.1:161 migration', 'ssh ssh-ops 10.0.0.1:2222 migration', 'ipmi bmc 10.1.0.1:623 migration']);
      expect(repo.ofDevice('y').map((b) => `${b.role} ${b.endpoint}`)).toEqual(['snmp [fd00::1]:161']);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
