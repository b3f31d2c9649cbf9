// Status reacts at once: against createCore with the lab, on a poll interval far longer than
// the test, a power action, a lab fault and a trap each re-poll the device, so a powered-off
// server shows unreachable within 3 s, a booted one answering within 3 s of its boot, and a
// link taken down degraded within 2 s. The measured times are printed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as snmp from 'net-snmp';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { DeviceStatus, ElevationDevice } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { LAB_COMMUNITY } from '../../../src-main/core/lab-link/lab-link';
import { leftOver, resources, sleep, until } from '../../support/handles';

const LAB_ENTRY = fileURLToPath(new URL('../../../src-main/lab/lab-process.ts', import.meta.url));
const operator: CallContext = { actor: 'test-operator', role: 'operator' };
const dir = mkdtempSync(join(tmpdir(), 'fd-reacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** True once the device answers an SNMP GET of sysUpTime directly (not through the core). */
function answersSnmp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = snmp.createSession(host, LAB_COMMUNITY, { port, timeout: 150, retries: 0, version: snmp.Version2c });
    s.on('error', () => {});
    s.get(['1.3.6.1.2.1.1.3.0'], (err: Error | null) => {
      s.close();
      resolve(!err);
    });
  });
}

describe('status reacts at once', () => {
  let core: Core | undefined;
  afterAll(async () => core?.dispose());

  it('power off/on, link-down, a lab kill and a trap each re-poll the device', async () => {
    const before = resources();
    const lines: string[] = [];
    core = await createCore({
      storePath: join(dir, 'core.db'),
      secretKey: randomBytes(32),
      lab: { entry: LAB_ENTRY, seed: 5, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 60 }, addressPrefix: '127.29', snmpPort: 16762 },
      // A minute between polls: only the re-polls can make these changes show within seconds.
      poller: { intervalMs: 60_000, timeoutMs: 800, retries: 1 },
      traps: { address: '127.0.0.1', port: 0 },
      log: (l) => lines.push(l),
    });
    const api = core.api;
    const overview = await until('every lab device answering', async () => {
      const o = await api.call(operator, 'fleet.overview', undefined);
      return o.totals.answering === 60 ? o : undefined;
    }, 30_000);
    expect(overview.totals).toMatchObject({ devices: 60, pollable: 60, unreachable: 0, notMonitored: 0 });
    const room = overview.sites[0].rooms[0];
    const [cabinet] = await api.call(operator, 'inventory.cabinets', { roomId: room.id });
    const statusIn = async (id: string): Promise<DeviceStatus> => (await api.call(operator, 'inventory.elevation', { cabinetId: cabinet.id })).devices.find((d) => d.id === id)!.status;
    const roomCount = async (k: 'unreachable' | 'degraded'): Promise<number> =>
      (await api.call(operator, 'fleet.overview', undefined)).sites[0].rooms.find((r) => r.id === room.id)![k];
    const servers: ElevationDevice[] = (await api.call(operator, 'inventory.elevation', { cabinetId: cabinet.id })).devices.filter((d) => d.kind === 'server' && d.capabilities.bmc);
    expect(servers.length).toBeGreaterThanOrEqual(3);
    const [powered, linked, killed] = servers;
    const timings: string[] = [];

    // power off through the API: unreachable in the elevation and counted in the overview within 3 s
    let t0 = performance.now();
    expect(await api.call(operator, 'device.power', { deviceId: powered.id, action: 'off', confirmHostname: powered.hostname })).toEqual({ power: 'off' });
    await until('the powered-off server unreachable', async () => (await statusIn(powered.id)) === 'unreachable' && (await roomCount('unreachable')) === 1, 10_000, 25);
    const offMs = performance.now() - t0;
    timings.push(`power off -> unreachable: ${Math.round(offMs)} ms`);

    // power on: the lab host boots, says coldStart, and the core shows it answering
    const trapsBefore = (await api.call(operator, 'events.recent', { deviceId: powered.id })).filter((e) => e.kind === 'trap').length;
    t0 = performance.now();
    expect(await api.call(operator, 'device.power', { deviceId: powered.id, action: 'on', confirmHostname: powered.hostname })).toEqual({ power: 'on' });
    const bootAt = await until('the host to answer SNMP directly', async () => ((await answersSnmp(powered.mgmtIp, 16762)) ? performance.now() : undefined), 10_000, 20);
    await until('the powered-on server answering', async () => (await statusIn(powered.id)) === 'up' && (await roomCount('unreachable')) === 0, 10_000, 25);
    const onMs = performance.now() - bootAt;
    const traps = (await api.call(operator, 'events.recent', { deviceId: powered.id })).filter((e) => e.kind === 'trap');
    expect(traps.length).toBe(trapsBefore + 1);
    expect(traps[0].message).toContain('coldStart');
    timings.push(`power on -> host answering SNMP ${Math.round(bootAt - t0)} ms -> core shows it up ${Math.round(onMs)} ms later`);

    // a link taken down in the lab (which also sends linkDown): degraded within 2 s
    t0 = performance.now();
    await api.call(operator, 'lab.fault', { kind: 'link-down', deviceId: linked.id });
    await until('the device degraded', async () => (await statusIn(linked.id)) === 'degraded' && (await roomCount('degraded')) === 1, 10_000, 25);
    const downMs = performance.now() - t0;
    timings.push(`link-down fault -> degraded: ${Math.round(downMs)} ms`);
    t0 = performance.now();
    await api.call(operator, 'lab.fault', { kind: 'link-up', deviceId: linked.id });
    await until('the device up again', async () => (await statusIn(linked.id)) === 'up', 10_000, 25);
    timings.push(`link-up fault -> up: ${Math.round(performance.now() - t0)} ms`);

    // a lab kill, then a revive
    t0 = performance.now();
    await api.call(operator, 'lab.fault', { kind: 'kill-device', deviceId: killed.id });
    await until('the killed device unreachable', async () => (await statusIn(killed.id)) === 'unreachable', 10_000, 25);
    const killMs = performance.now() - t0;
    timings.push(`kill-device -> unreachable: ${Math.round(killMs)} ms`);
    t0 = performance.now();
    await api.call(operator, 'lab.fault', { kind: 'revive-device', deviceId: killed.id });
    await until('the revived device up', async () => (await statusIn(killed.id)) === 'up', 10_000, 25);
    const reviveMs = performance.now() - t0;
    timings.push(`revive-device -> up: ${Math.round(reviveMs)} ms`);

    // a trap alone (no lab fault, no control action) re-polls its sender at once
    const trapPort = Number(/SNMP trap receiver on 127\.0\.0\.1:(\d+)/.exec(lines.join('\n'))?.[1]);
    const quiet = servers[3] ?? servers[0];
    const polledAt = (await api.call(operator, 'device.detail', { deviceId: quiet.id })).lastPollAt!;
    t0 = performance.now();
    const sender = snmp.createSession('127.0.0.1', LAB_COMMUNITY, { trapPort, version: snmp.Version2c, sourceAddress: quiet.mgmtIp } as snmp.SessionOptions);
    await new Promise<void>((resolve, reject) => sender.trap(snmp.TrapType.LinkDown, (err: Error | null) => (err ? reject(err) : resolve())));
    sender.close();
    await until('a poll of the trap sender', async () => (await api.call(operator, 'device.detail', { deviceId: quiet.id })).lastPollAt! > polledAt, 5_000, 25);
    const trapMs = performance.now() - t0;
    timings.push(`linkDown trap -> sender re-polled: ${Math.round(trapMs)} ms`);

    console.log(`status reacts (poll interval 60 s):\n  ${timings.join('\n  ')}`);
    expect(offMs).toBeLessThan(3000);
    expect(onMs).toBeLessThan(3000);
    expect(downMs).toBeLessThan(2000);
    expect(killMs).toBeLessThan(3000);
    expect(reviveMs).toBeLessThan(3000);
    expect(trapMs).toBeLessThan(1000);

    // re-poll sequences still under way, the stall detector's timer: dispose() ends them all
    const c = core;
    core = undefined;
    await c.dispose();
    await sleep(50);
    expect(leftOver(before, resources())).toEqual([]);
  });
});
