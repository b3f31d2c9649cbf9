// The lab in single-address mode through createCore: every device on 127.0.0.1 with ports of
// its own (the inventory says which), polled up unchanged; the lab process binds nothing but
// 127.0.0.1; traps are attributed by source port although every device shares the address and
// the community; BMC power, PDU trips, kills and SSH runs still reach the right hosts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { DeviceStatusChange, FleetEvent, InventoryDocument, RunFinished, RunHostResult } from '../../../src-shared/domain';
import { createCore } from '../../../src-main/core/create-core';
import { SINGLE_PORT_SPAN } from '../../../src-main/lab/loopback';
import { alive, until } from '../../support/handles';
import { boundSockets, canReadSockets } from './support/bound-sockets';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
const operator: CallContext = { actor: 'single-test', role: 'operator' };
const dir = mkdtempSync(join(tmpdir(), 'fd-single-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete process.env.FLEETDECK_LAB_SINGLE_PORT_BASE;
});
const DEVICES = 150;
// Off the default plan (20000-31999), so a lab a developer runs with --lab-loopback single is never in the way.
const BASE = 3000;
process.env.FLEETDECK_LAB_SINGLE_PORT_BASE = String(BASE);

describe('the lab on 127.0.0.1 only (--lab-loopback single)', () => {
  it('is polled up, binds only 127.0.0.1, and its traps, power, PDUs and SSH reach the right device', async () => {
    const lines: string[] = [];
    const core = await createCore({
      storePath: join(dir, 'core.db'),
      secretKey: randomBytes(32),
      lab: { entry: LAB_ENTRY, seed: 11, size: { sites: 1, roomsPerSite: 2, rowsPerRoom: 2, cabinetsPerRow: 3, devices: DEVICES }, loopback: 'single' },
      poller: { intervalMs: 1500, timeoutMs: 400, retries: 0 },
      bmcSensors: false,
      traps: { address: '127.0.0.1', port: 0 },
      log: (l) => lines.push(l),
    });
    try {
      const changes: DeviceStatusChange[] = [];
      core.api.on(operator, 'onDidChangeDeviceStatus', (c) => changes.push(...c));
      await until('every lab device answering', async () => {
        const o = await core.api.call(operator, 'fleet.overview', undefined);
        return o.totals.devices === DEVICES && o.totals.answering === DEVICES ? o : undefined;
      });
      expect(lines.join('\n')).toMatch(/single-address mode: 150 devices on 127\.0\.0\.1, SNMP UDP 3000-3149, RMCP\+ UDP 7000-7149, SSH TCP 11000-11149/);

      // the inventory carries the ports: one address, a port per device and service, from the plan
      const inventory = JSON.parse((await core.api.call(operator, 'inventory.export', { format: 'json' })).text) as InventoryDocument;
      const devices = inventory.devices;
      expect(new Set(devices.map((d) => d.mgmtIp))).toEqual(new Set(['127.0.0.1']));
      expect(new Set(devices.map((d) => d.bmcAddress))).toEqual(new Set([null, '127.0.0.1']));
      const ports = devices.flatMap((d) => [d.snmpPort, d.bmcPort, d.sshPort]);
      expect(new Set(ports).size).toBe(3 * DEVICES);
      expect(Math.min(...ports)).toBe(BASE);
      expect(Math.max(...ports)).toBeLessThan(BASE + 3 * SINGLE_PORT_SPAN);

      // the lab process has bound nothing but 127.0.0.1: an SNMP agent per device, a BMC per server, the SSH sample
      const labPid = Number(/pid (\d+)/.exec(lines.join('\n'))?.[1]);
      expect(alive(labPid)).toBe(true);
      if (canReadSockets) {
        const bound = boundSockets(labPid);
        const servers = devices.filter((d) => d.kind === 'server');
        expect(bound.filter((s) => s.proto === 'udp').length).toBeGreaterThanOrEqual(DEVICES + servers.length);
        expect(bound.filter((s) => s.proto === 'tcp').length).toBe(devices.filter((d) => d.sshCredential).length);
        expect(bound.filter((s) => s.address !== '127.0.0.1')).toEqual([]);
      }

      // host identity: every device answers with its own name on its own port
      const cabinet = inventory.cabinets.find((c) => devices.filter((d) => d.cabinetId === c.id && d.kind === 'server').length >= 3)!;
      const elevation = await core.api.call(operator, 'inventory.elevation', { cabinetId: cabinet.id });
      for (const d of elevation.devices) expect(d.sysName).toBe(d.hostname);
      const [linked, powered, bystander] = elevation.devices.filter((d) => d.kind === 'server');

      // a link fault: the linkDown comes from 127.0.0.1, like every device's, and is still that device's
      const trapOf = (deviceId: string, name: string) => until(`${name} of ${deviceId}`, async () =>
        (await core.api.call(operator, 'events.recent', { deviceId, limit: 50 })).find((e): e is FleetEvent => e.kind === 'trap' && e.message.includes(name)));
      await core.api.call(operator, 'lab.fault', { kind: 'link-down', deviceId: linked.id });
      const linkTrap = await trapOf(linked.id, 'linkDown');
      expect(linkTrap.details).toMatchObject({ source: `127.0.0.1:${devices.find((d) => d.id === linked.id)!.snmpPort}` });
      expect(linkTrap.details).not.toHaveProperty('candidates');
      await core.api.call(operator, 'lab.fault', { kind: 'link-up', deviceId: linked.id });

      // BMC power off reaches this server's host only; power on boots it, with its own coldStart
      expect(await core.api.call(operator, 'device.power', { deviceId: powered.id, action: 'off', confirmHostname: powered.hostname })).toEqual({ power: 'off' });
      await until('the powered-off server to go unreachable', async () => changes.find((c) => c.deviceId === powered.id && c.status === 'unreachable'));
      expect((await core.api.call(operator, 'device.detail', { deviceId: bystander.id })).status).toBe('up');
      await core.api.call(operator, 'device.power', { deviceId: powered.id, action: 'on', confirmHostname: powered.hostname });
      await until('the server to answer again', async () => changes.find((c) => c.deviceId === powered.id && c.previous === 'unreachable' && c.status === 'up'));
      await trapOf(powered.id, 'coldStart');
      const stray = (await core.api.call(operator, 'events.recent', { limit: 200 })).filter((e) => e.kind === 'trap' && e.deviceId === null);
      expect(stray).toEqual([]);

      // a tripped PDU silences its cabinet's hosts (its own management stays up), no other cabinet's
      await core.api.call(operator, 'lab.fault', { kind: 'trip-pdu', cabinetId: cabinet.id });
      await until('the cabinet to go dark', async () => changes.find((c) => c.deviceId === bystander.id && c.status === 'unreachable'));
      const elsewhere = devices.find((d) => d.kind === 'server' && d.cabinetId !== cabinet.id)!;
      expect((await core.api.call(operator, 'device.detail', { deviceId: elsewhere.id })).status).toBe('up');
      expect((await core.api.call(operator, 'device.detail', { deviceId: elevation.devices.find((d) => d.kind === 'pdu')!.id })).status).toBe('up');
      await core.api.call(operator, 'lab.fault', { kind: 'restore-pdu', cabinetId: cabinet.id });

      // a kill silences one device on the shared address
      await core.api.call(operator, 'lab.fault', { kind: 'kill-device', deviceId: elsewhere.id });
      await until('the killed device to go unreachable', async () => changes.find((c) => c.deviceId === elsewhere.id && c.status === 'unreachable'));

      // SSH: every host of the sample answers on its own port
      const results: RunHostResult[] = [];
      const finished: RunFinished[] = [];
      core.api.on(operator, 'onDidReceiveRunResult', (r) => results.push(r));
      core.api.on(operator, 'onDidFinishRun', (f) => finished.push(f));
      await until('the restored cabinet up', async () => changes.find((c) => c.deviceId === bystander.id && c.previous === 'unreachable' && c.status === 'up'));
      const sshIds = devices.filter((d) => d.sshCredential && d.id !== elsewhere.id && d.cabinetId !== cabinet.id).map((d) => d.id);
      const run = await core.api.call(operator, 'fleet.run', { deviceIds: sshIds, command: 'hostname' });
      await until('the run to finish', async () => finished.find((f) => f.runId === run.runId));
      const byId = new Map(devices.map((d) => [d.id, d.hostname]));
      expect(results.filter((r) => r.runId === run.runId).map((r) => [r.deviceId, r.stdout.trim()])).toEqual(
        expect.arrayContaining(sshIds.map((id) => [id, byId.get(id)])));
    } finally {
      await core.dispose();
    }
  }, 90_000);
});
