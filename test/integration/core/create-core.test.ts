import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { DeviceStatusChange } from '../../../src-shared/domain';
import { createCore, type Core } from '../../../src-main/core/create-core';
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
      log: (l) => lines.push(l),
    });
    const changes: DeviceStatusChange[] = [];
    core.api.on('onDidChangeDeviceStatus', (c) => changes.push(...c));

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

    const labPid = Number(/pid (\d+)/.exec(lines.join('\n'))?.[1]);
    expect(alive(labPid)).toBe(true);
    await core.dispose();
    expect(alive(labPid)).toBe(false);
    await sleep(50);
    expect(leftOver(before, resources())).toEqual([]);
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
