import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as snmp from 'net-snmp';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { DeviceStatusChange, InventoryDocument, RunFinished, RunHostResult } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { LAB_COMMUNITY } from '../../../src-main/core/lab-link/lab-link';
import { alive, leftOver, resources, sleep, until } from '../../support/handles';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
const operator: CallContext = { actor: 'test-operator', role: 'operator' };
const dir = mkdtempSync(join(tmpdir(), 'fd-core-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createCore with the lab fleet', () => {
  it('polls the lab over real SNMP, reacts to a lab fault, and dispose() leaves no handle or child behind', async () => {
    const before = resources();
    const lines: string[] = [];
    const core: Core = await createCore({
      storePath: join(dir, 'core.db'),
      secretKey: randomBytes(32),
      lab: { entry: LAB_ENTRY, seed: 7, size: { sites: 1, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 3, devices: 120 }, addressPrefix: '127.18', snmpPort: 16262 },
      poller: { intervalMs: 1500, timeoutMs: 400, retries: 0 },
      traps: { address: '127.0.0.1', port: 0 },
      log: (l) => lines.push(l),
    });
    const changes: DeviceStatusChange[] = [];
    core.api.on(operator, 'onDidChangeDeviceStatus', (c) => changes.push(...c));

    const overview = await until('every lab device answering', async () => {
      const o = await core.api.call(operator, 'fleet.overview', undefined);
      return o.totals.devices === 120 && o.totals.answering === 120 ? o : undefined;
    });
    expect(overview.fleet).toBe('lab');
    expect(overview.totals).toMatchObject({ rooms: 2, pollable: 120, polled: 120 });

    // a device from an elevation, killed in the lab, goes unreachable through SNMP alone
    const room = overview.sites[0].rooms[0];
    const cabinets = await core.api.call(operator, 'inventory.cabinets', { roomId: room.id });
    const elevation = await core.api.call(operator, 'inventory.elevation', { cabinetId: cabinets[0].id });
    const victim = elevation.devices.find((d) => d.kind === 'server')!;
    expect(victim.status).toBe('up');
    expect(victim.sysName).toBe(victim.hostname);
    await core.api.call(operator, 'lab.fault', { kind: 'kill-device', deviceId: victim.id });
    await until('the killed device to go unreachable', async () => changes.find((c) => c.deviceId === victim.id && c.status === 'unreachable'));
    const audit = await core.api.call({ actor: 'a', role: 'admin' }, 'audit.list', { limit: 5 });
    expect(audit.find((e) => e.action === 'lab.fault')).toMatchObject({ actor: 'test-operator', outcome: 'succeeded', target: `kill-device ${victim.id}` });

    // the kill is a fleet event too, with the host named
    const events = await core.api.call(operator, 'events.recent', { deviceId: victim.id });
    expect(events[0]).toMatchObject({ kind: 'status', severity: 'critical', message: `${victim.hostname}: up -> unreachable` });

    // a live device in full: interfaces read over SNMP, with rates
    const other = elevation.devices.find((d) => d.kind === 'server' && d.id !== victim.id)!;
    const detail = await core.api.call(operator, 'device.detail', { deviceId: other.id });
    expect(detail.status).toBe('up');
    expect(detail.interfacesError).toBeNull();
    expect(elevation.devices.find((d) => d.kind === 'pdu')?.capabilities).toEqual({ bmc: false, ssh: false });
    expect(other.capabilities.bmc).toBe(true);
    expect((await core.api.call(operator, 'device.detail', { deviceId: victim.id })).interfacesError).toBe('not read: the device is unreachable');
    expect(detail.cabinet.id).toBe(cabinets[0].id);
    expect(detail.interfaces.length).toBeGreaterThan(0);
    expect(detail.interfaces.find((i) => i.operStatus === 'up')?.inBps).toBeGreaterThan(0);

    // its BMC, over RMCP+: sensors and SEL; powering it off (named host only) silences its SNMP
    expect(detail.capabilities.bmc).toBe(true);
    const bmc = await core.api.call(operator, 'device.bmc', { deviceId: other.id });
    expect(bmc).toMatchObject({ power: 'on', powerSource: expect.stringMatching(/dcmi|sensor/) });
    expect(bmc.sensors.length).toBeGreaterThan(3);
    expect(bmc.sensors.some((x) => x.unit.includes('degrees C') && x.value !== null)).toBe(true);
    await expect(core.api.call(operator, 'device.power', { deviceId: other.id, action: 'off', confirmHostname: 'someone-else' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await core.api.call(operator, 'device.bmc', { deviceId: other.id })).power).toBe('on');
    expect(await core.api.call(operator, 'device.power', { deviceId: other.id, action: 'off', confirmHostname: other.hostname })).toEqual({ power: 'off' });
    await until('the powered-off server to go unreachable', async () => changes.find((c) => c.deviceId === other.id && c.status === 'unreachable'));
    expect((await core.api.call(operator, 'device.bmc', { deviceId: other.id })).sel.some((e) => /power/i.test(`${e.sensor} ${e.event}`))).toBe(true);
    expect(await core.api.call(operator, 'device.power', { deviceId: other.id, action: 'on', confirmHostname: other.hostname })).toEqual({ power: 'on' });
    await until('the powered-on server to answer again', async () => changes.find((c) => c.deviceId === other.id && c.previous === 'unreachable' && c.status === 'up'));

    // the powered-on server booted, and said so with a coldStart trap from its own address
    const coldStart = await until('the coldStart trap', async () => (await core.api.call(operator, 'events.recent', { deviceId: other.id })).find((e) => e.kind === 'trap'));
    expect(coldStart.message).toBe(`${other.hostname}: trap coldStart (SNMPv2c)`);

    // a link taken down in the lab: the device sends linkDown at once, and still answers
    // polls, but degraded, with a link event
    const linked = elevation.devices.find((d) => d.kind === 'server' && d.id !== victim.id && d.id !== other.id)!;
    await core.api.call(operator, 'lab.fault', { kind: 'link-down', deviceId: linked.id });
    const linkTrap = await until('the linkDown trap', async () => (await core.api.call(operator, 'events.recent', { deviceId: linked.id })).find((e) => e.kind === 'trap'));
    expect(linkTrap).toMatchObject({ severity: 'warning', message: `${linked.hostname}: trap linkDown (SNMPv2c)` });
    expect(linkTrap.details?.varbinds).toContainEqual({ oid: '1.3.6.1.2.1.2.2.1.8.1', type: 'integer', value: 2 });
    await until('the device to go degraded', async () => changes.find((c) => c.deviceId === linked.id && c.status === 'degraded'));
    const linkEvents = await core.api.call(operator, 'events.recent', { deviceId: linked.id });
    expect(linkEvents.find((e) => e.kind === 'interface')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/: up -> down$/) });
    expect((await core.api.call(operator, 'fleet.overview', undefined)).sites[0].rooms.reduce((n, r) => n + r.degraded, 0)).toBe(1);
    await core.api.call(operator, 'lab.fault', { kind: 'link-up', deviceId: linked.id });
    await until('the device to be up again', async () => changes.find((c) => c.deviceId === linked.id && c.previous === 'degraded' && c.status === 'up'));

    // a linkDown trap sent from a lab device's address arrives as that device's event
    const trapPort = Number(/SNMP trap receiver on 127\.0\.0\.1:(\d+)/.exec(lines.join('\n'))?.[1]);
    const sender = snmp.createSession('127.0.0.1', LAB_COMMUNITY, { trapPort, version: snmp.Version2c, sourceAddress: other.mgmtIp } as snmp.SessionOptions);
    await new Promise<void>((resolve, reject) => sender.trap(snmp.TrapType.LinkDown, (err: Error | null) => (err ? reject(err) : resolve())));
    sender.close();
    const trap = await until('the trap event', async () => (await core.api.call(operator, 'events.recent', { deviceId: other.id })).find((e) => e.kind === 'trap' && e.message.includes('linkDown')));
    expect(trap.message).toBe(`${other.hostname}: trap linkDown (SNMPv2c)`);

    // "run this on N hosts": every SSH-capable lab server answers, results stream as events
    const runResults: RunHostResult[] = [];
    const finished: RunFinished[] = [];
    core.api.on(operator, 'onDidReceiveRunResult', (r) => runResults.push(r));
    core.api.on(operator, 'onDidFinishRun', (f) => finished.push(f));
    const inventory = JSON.parse((await core.api.call(operator, 'inventory.export', { format: 'json' })).text) as InventoryDocument;
    const sshIds = inventory.devices.filter((d) => d.sshCredential).map((d) => d.id);
    expect(sshIds.length).toBeGreaterThan(0);
    const started = await core.api.call(operator, 'fleet.run', { deviceIds: [...sshIds, 'no-such-device'], command: 'uname -a' });
    expect(started.hosts).toBe(sshIds.length);
    expect(started.skipped).toEqual([{ deviceId: 'no-such-device', reason: 'no such device', code: 'no-device' }]);
    await until('the run to finish', async () => finished.find((f) => f.runId === started.runId));
    const mine = runResults.filter((r) => r.runId === started.runId);
    expect(mine).toHaveLength(sshIds.length);
    // every host answers but the one killed above, which refuses the connection
    const failedHosts = mine.filter((r) => !(r.ok && r.exitCode === 0 && r.stdout.startsWith('Linux ')));
    expect(failedHosts.map((r) => r.deviceId)).toEqual(sshIds.includes(victim.id) ? [victim.id] : []);
    if (failedHosts.length) expect(failedHosts[0].error).toMatch(/^SshConnectError: .*ECONNREFUSED/);
    const runAudit = (await core.api.call({ actor: 'a', role: 'admin' }, 'audit.list', { limit: 10 })).find((e) => e.action === 'fleet.run');
    expect(runAudit).toMatchObject({ outcome: 'succeeded', target: `${sshIds.length + 1} hosts: uname -a` });

    // the run pinned each host's key; forgetting one is admin-only, named, audited, and the
    // next connection pins the key again
    const keyed = mine.find((r) => r.ok)!;
    const keyedDevice = inventory.devices.find((d) => d.id === keyed.deviceId)!;
    const pinned = await core.api.call(operator, 'device.hostKey', { deviceId: keyed.deviceId });
    expect(pinned.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await expect(core.api.call(operator, 'device.forgetHostKey', { deviceId: keyed.deviceId, confirmHostname: keyedDevice.hostname })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin: CallContext = { actor: 'test-admin', role: 'admin' };
    await expect(core.api.call(admin, 'device.forgetHostKey', { deviceId: keyed.deviceId, confirmHostname: 'someone-else' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect((await core.api.call(operator, 'device.hostKey', { deviceId: keyed.deviceId })).fingerprint).toBe(pinned.fingerprint);
    expect(await core.api.call(admin, 'device.forgetHostKey', { deviceId: keyed.deviceId, confirmHostname: keyedDevice.hostname })).toEqual({ forgotten: pinned.fingerprint });
    expect((await core.api.call(operator, 'device.hostKey', { deviceId: keyed.deviceId })).fingerprint).toBeNull();
    const keyAudit = (await core.api.call(admin, 'audit.list', { limit: 10 })).filter((e) => e.action === 'device.forgetHostKey').map((e) => `${e.actor} ${e.outcome}`);
    expect(keyAudit).toEqual(['test-admin succeeded', 'test-admin failed', 'test-operator refused']);
    const keyEvent = (await core.api.call(operator, 'events.recent', { deviceId: keyed.deviceId, limit: 5 })).find((e) => e.kind === 'control');
    expect(keyEvent?.message).toContain(`SSH host key ${pinned.fingerprint} forgotten`);
    const again = await core.api.call(operator, 'fleet.run', { deviceIds: [keyed.deviceId], command: 'true' });
    await until('the second run to finish', async () => finished.find((f) => f.runId === again.runId));
    expect((await core.api.call(operator, 'device.hostKey', { deviceId: keyed.deviceId })).fingerprint).toBe(pinned.fingerprint);

    const labPid = Number(/pid (\d+)/.exec(lines.join('\n'))?.[1]);
    expect(alive(labPid)).toBe(true);
    await core.dispose();
    expect(alive(labPid)).toBe(false);
    await sleep(50);
    expect(leftOver(before, resources())).toEqual([]);

    // what the poller stored: every PDU's total and its per-outlet power (ENTITY-SENSOR-MIB)
    const store = new Database(join(dir, 'core.db'), { readonly: true });
    const metrics = (store.prepare("SELECT metric FROM series WHERE metric LIKE 'pdu.%'").all() as { metric: string }[]).map((r) => r.metric);
    store.close();
    expect(metrics).toContain('pdu.power_w');
    expect(metrics.some((m) => /^pdu\.outlet_power_w\.\d+$/.test(m))).toBe(true);
  });

  it('keeps the store when the lab restarts: the same seed gives the same fleet', async () => {
    const opts = {
      storePath: join(dir, 'core.db'),
      secretKey: randomBytes(32),
      lab: { entry: LAB_ENTRY, seed: 7, size: { sites: 1, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 3, devices: 120 }, addressPrefix: '127.18', snmpPort: 16262 },
      poller: { intervalMs: 60_000 },
    };
    const core = await createCore(opts);
    const o = await core.api.call(operator, 'fleet.overview', undefined);
    expect(o.totals.devices).toBe(120);
    const exported = await core.api.call(operator, 'inventory.export', { format: 'json' });
    expect(JSON.parse(exported.text).devices).toHaveLength(120);
    await core.dispose();
  });
});
