// The lab fleet in this process with auto loopback and a probe that says "no such address"
// (what macOS answers for 127.16.x.y): it falls back to 127.0.0.1, logs it once, and each
// device's agent answers on its own port and sends its traps from that port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as snmp from 'net-snmp';
import { startLabFleet, type LabFleet } from '../../../src-main/lab/lab-fleet';
import { createTrapReceiver, type TrapEvent, type TrapReceiver } from '../../../src-main/core/protocols/snmp';
import { until } from '../../support/handles';

const BASE = 5200;
let lab: LabFleet;
let receiver: TrapReceiver;
const traps: TrapEvent[] = [];
const log: string[] = [];

beforeAll(async () => {
  lab = await startLabFleet({
    seed: 4,
    size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 3, devices: 40 },
    community: 'auto-test',
    snmpPort: 16161,
    addressPrefix: '127.16',
    loopback: 'auto',
    singlePortBase: BASE,
  }, undefined, { log: (l) => log.push(l), probe: async () => 'unavailable' });
  receiver = await createTrapReceiver({ address: '127.0.0.1', port: 0, communities: ['auto-test'], users: [], onTrap: (t) => traps.push(t) });
  lab.setTrapTarget({ host: '127.0.0.1', port: receiver.address().port });
});
afterAll(async () => {
  await lab?.close();
  await receiver?.dispose();
});

const get = (host: string, port: number, oid: string) => new Promise<unknown>((resolve, reject) => {
  const s = snmp.createSession(host, 'auto-test', { port, version: snmp.Version2c, timeout: 1000, retries: 0 });
  s.get([oid], (err: Error | null, vbs?: snmp.Varbind[]) => {
    s.close();
    if (err) reject(err);
    else resolve(vbs?.[0]?.value?.toString());
  });
});

describe('auto loopback without aliases', () => {
  it('falls back to single, says so once, and the inventory says where each device is', () => {
    expect(lab.options.loopback).toBe('single');
    expect(log.filter((l) => l.includes('EADDRNOTAVAIL'))).toHaveLength(1);
    expect(log.some((l) => l.startsWith('single-address mode: 40 devices on 127.0.0.1'))).toBe(true);
    expect(new Set(lab.inventory.devices.map((d) => d.mgmtIp))).toEqual(new Set(['127.0.0.1']));
    expect(lab.inventory.devices[0]).toMatchObject({ snmpPort: BASE, bmcPort: BASE + 4000, sshPort: BASE + 8000 });
    const servers = lab.inventory.devices.filter((d) => d.kind === 'server');
    expect(servers.every((d) => d.bmcAddress === '127.0.0.1')).toBe(true);
  });

  it('answers each device on its own port with its own name', async () => {
    for (const d of lab.inventory.devices.slice(0, 8)) expect(await get('127.0.0.1', d.snmpPort, '1.3.6.1.2.1.1.5.0')).toBe(d.hostname);
  });

  it('sends a device\'s traps from its own SNMP port', async () => {
    const d = lab.inventory.devices.find((x) => x.kind === 'server')!;
    await lab.fault({ kind: 'link-down', deviceId: d.id });
    const t = await until('the linkDown', () => traps.find((x) => x.trapOid === '1.3.6.1.6.3.1.1.5.3'), 3000);
    expect(t.source).toEqual({ address: '127.0.0.1', port: d.snmpPort });
    expect(t.community).toBe('auto-test');
    expect(t.varbinds).toContainEqual({ oid: '1.3.6.1.2.1.2.2.1.8.1', type: 'integer', value: 2 });
    // a device that boots says coldStart, from its port too
    await lab.fault({ kind: 'kill-device', deviceId: d.id });
    await lab.fault({ kind: 'revive-device', deviceId: d.id });
    const cold = await until('the coldStart', () => traps.find((x) => x.trapOid === '1.3.6.1.6.3.1.1.5.1'), 3000);
    expect(cold.source).toEqual({ address: '127.0.0.1', port: d.snmpPort });
    expect(cold.varbinds).toEqual([]);
  });
});
