// The install profile across the process boundary: the core's lab module (a forked lab
// process, as in serve mode) takes lab.setInstallProfile, carries it to the lab as an
// install-profile message, and the lab installs the server on its next PXE boot (set over
// IPMI by FleetDeck's client) and calls back a receiver on 127.0.0.1. Refusals keep the
// lab's reason. Addresses 127.79.x.y (BMCs 127.179.x.y), SNMP port 16595.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../../src-shared/api';
import type { InventoryDocument, LabStatus } from '../../../../src-shared/domain';
import { startLabModule, type LabModule, type LabModuleDeps } from '../../../../src-main/core/lab-link/lab-module';
import { LAB_COMMUNITY } from '../../../../src-main/core/lab-link/lab-link';
import { createIpmiClient, type IpmiClient } from '../../../../src-main/core/protocols/ipmi';
import { until } from '../../../support/handles';
import { snmpGet, startReceiver, SYS_NAME, type CallbackReceiver } from './support';

const LAB_ENTRY = fileURLToPath(new URL('../../../../src-main/lab/lab-process.ts', import.meta.url));
const operator: CallContext = { actor: 'install-test', role: 'operator' };

let lab: LabModule;
let inventory: InventoryDocument;
let ipmiLogin: { username: string; password: string };
let receiver: CallbackReceiver;
let client: IpmiClient | undefined;

const entry = (s: LabStatus, id: string) => s.installs?.find((i) => i.deviceId === id);

beforeAll(async () => {
  const store = {
    credentials: {
      put: (id: string, _kind: string, _name: string, secret: string) => {
        if (id === 'lab-ipmi') ipmiLogin = JSON.parse(secret) as typeof ipmiLogin;
      },
    },
    inventory: {
      document: (): InventoryDocument => ({ format: 'fleetdeck-inventory', version: 1, sites: [], rooms: [], rows: [], cabinets: [], devices: [] }),
      upsert: (doc: InventoryDocument) => void (inventory = doc),
      devicesInCabinet: () => [],
    },
  } as unknown as LabModuleDeps['store'];
  lab = await startLabModule({
    config: { entry: LAB_ENTRY, seed: 13, size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 20 }, addressPrefix: '127.79', snmpPort: 16595 },
    store,
    log: () => {},
  });
  receiver = await startReceiver();
}, 60_000);

afterAll(async () => {
  await client?.close();
  await lab?.dispose();
  await receiver?.close();
});

describe('lab.setInstallProfile through the lab process', () => {
  it('refuses a non-server and a callback off loopback with the lab\'s reason', async () => {
    const pdu = inventory.devices.find((d) => d.kind === 'pdu')!;
    const server = inventory.devices.find((d) => d.kind === 'server')!;
    await expect(lab.api['lab.setInstallProfile']({ deviceId: pdu.id, profile: { os: 'debian-12', hostname: 'x', durationMs: 1 } }, operator))
      .rejects.toThrow(`lab: an install profile is for servers; "${pdu.id}" is a pdu`);
    await expect(lab.setInstallProfile(server.id, { os: 'debian-12', hostname: 'x', durationMs: 1, callback: { url: 'http://198.51.100.7/cb' } }))
      .rejects.toThrow('not "198.51.100.7"');
  });

  it('installs the server on its next PXE boot and calls back', async () => {
    const d = inventory.devices.filter((x) => x.kind === 'server')[2];
    const set = await lab.api['lab.setInstallProfile']({ deviceId: d.id, profile: { os: 'debian-12', hostname: 'linked-01', durationMs: 500, callback: { url: receiver.url('/linked'), method: 'POST' } } }, operator);
    expect(entry(set, d.id)).toMatchObject({ phase: 'idle', profile: { hostname: 'linked-01' } });
    // The callback URL is a one-time credential: the API (lab.status is a viewer's) shows its origin and path, not its last segment.
    const shown = entry(await lab.api['lab.status'](undefined, operator), d.id)?.profile?.callback?.url;
    expect(shown).toBe(`${new URL(receiver.url('/linked')).origin}/\u2026`);
    expect(entry(await lab.api['lab.fault']({ kind: 'install-fail', deviceId: d.id }, operator), d.id)).toMatchObject({ fault: 'install-fail' });
    expect(entry(await lab.api['lab.fault']({ kind: 'install-normal', deviceId: d.id }, operator), d.id)).toMatchObject({ fault: null });

    client = createIpmiClient({ host: d.bmcAddress!, port: d.bmcPort, ...ipmiLogin, cipherSuite: 17, keepAliveMs: 0 });
    await client.setBootDevice('pxe');
    await client.power('cycle');
    const done = await until('the install called back', async () => {
      const e = entry(await lab.api['lab.status'](undefined, operator), d.id);
      return e?.last?.callback === 'delivered' ? e : undefined;
    });
    expect(done).toMatchObject({ installs: 1, os: 'debian-12', hostname: 'linked-01', profile: null });
    expect(receiver.requests).toEqual([expect.objectContaining({ path: '/linked', body: { sn: d.sn, hostname: 'linked-01', os: 'debian-12', status: 'installed' } })]);
    expect(await snmpGet(d.mgmtIp, d.snmpPort, LAB_COMMUNITY, [SYS_NAME])).toEqual(['linked-01']);
    // The inventory the core holds still says the old name: reconciling is the console's job.
    expect(d.hostname).not.toBe('linked-01');
  });
});
