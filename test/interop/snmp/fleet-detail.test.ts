// The fleet against net-snmp's snmpd (a child process on 127.50.0.3:18031) with traffic on
// loopback: the device page's first visit shows non-zero rates (from the poller's last
// counters, and from two fresh samples spaced past snmpd's ~3 s cache), loopback's 10 Mb/s
// does not blank them, and every device says whether it is polled, why not, and the last
// protocol error of one that never answers; two devices on one address are marked.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { createDeviceDetail } from '../../../src-main/core/fleet/device-detail';
import { startFleet, type FleetModule } from '../../../src-main/core/fleet/fleet-module';
import { openCoreStore, type CoreStore } from '../../../src-main/core/store/core-store';
import { alive, until } from '../../support/handles';
import { peerCheck, startSnmpd, V3_USERS, type SnmpdPeer } from '../../support/snmp-peers';

const HOST = '127.50.0.3';
const PORT = 18031;
const SILENT = '127.50.0.4';
const BLAST_PORT = 18039;
const peers = peerCheck(['snmpd']);
const who = { actor: 't', role: 'viewer' } as const;

function device(id: string, over: Partial<Device>): Device {
  return {
    id, cabinetId: 'c1', kind: 'server', hostname: `${id}.test`, sn: `SN-${id}`, uPosition: 1, uHeight: 1, mgmtIp: HOST, snmpPort: PORT,
    bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null, ...over,
  };
}

/** UDP datagrams to ourselves on 127.0.0.1: a few MB/s through lo, well past its reported 10 Mb/s. */
function blast(): { stop(): Promise<void> } {
  const rx: Socket = createSocket('udp4');
  const tx: Socket = createSocket('udp4');
  rx.bind(BLAST_PORT, '127.0.0.1');
  const payload = Buffer.alloc(1400, 7);
  const timer = setInterval(() => {
    for (let i = 0; i < 40; i++) tx.send(payload, BLAST_PORT, '127.0.0.1');
  }, 10);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([new Promise<void>((r) => tx.close(() => r())), new Promise<void>((r) => rx.close(() => r()))]);
    },
  };
}

describe.skipIf(peers.skip)(`fleet detail vs snmpd${peers.skip ? ` (skipped: ${peers.reason})` : ''}`, () => {
  let snmpd: SnmpdPeer;
  let store: CoreStore;
  let fleet: FleetModule;
  let traffic: { stop(): Promise<void> };

  beforeAll(async () => {
    if (peers.missing.length) throw new Error(`CI=true: the interop peers must be installed: ${peers.reason}`);
    snmpd = await startSnmpd({ host: HOST, port: PORT });
    traffic = blast();
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.credentials.put('v2c', 'snmp-community', 'snmpd', snmpd.community);
    store.credentials.put('v3', 'snmp-v3', 'snmpd v3', JSON.stringify(V3_USERS.sha));
    store.credentials.put('ssh', 'ssh-password', 'a login', JSON.stringify({ username: 'u', password: 'p' }));
    const doc: InventoryDocument = {
      format: 'fleetdeck-inventory', version: 1,
      sites: [{ id: 's1', name: 'Lab', city: 'Beijing' }], rooms: [{ id: 'm1', siteId: 's1', name: 'Hall 1', widthM: 20, depthM: 10 }], rows: [{ id: 'r1', roomId: 'm1', name: 'R1', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
      cabinets: [{ id: 'c1', rowId: 'r1', name: 'R1-01', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
      devices: [
        device('d-v2c', { snmpCredential: 'v2c', uPosition: 1 }),
        device('d-v3', { snmpCredential: 'v3', uPosition: 2 }),
        device('d-none', { mgmtIp: '127.50.0.5', uPosition: 3 }),
        device('d-ssh', { mgmtIp: '127.50.0.6', snmpCredential: 'ssh', uPosition: 4 }),
        device('d-gone', { mgmtIp: '127.50.0.7', snmpCredential: 'nowhere', uPosition: 5 }),
        device('d-silent', { mgmtIp: SILENT, snmpPort: PORT, snmpCredential: 'v2c', uPosition: 6 }),
      ],
    };
    store.inventory.upsert(doc);
    fleet = startFleet({
      store, credentials: createCredentialResolver(store.credentials, store.bindings), hub: { emit: () => {} } as never, record: () => {},
      fleetKind: 'configured', poller: { intervalMs: 600_000, timeoutMs: 400, retries: 0, concurrency: 8 },
    });
    await until('first sweep', () => (fleet.poller.state('d-silent')?.status === 'unreachable' && fleet.poller.state('d-v2c')?.status === 'up') || undefined, 20_000);
    await fleet.poller.pollNow(); // the interface count is known after the first answer: the second poll holds its counters
  }, 40_000);
  afterAll(async () => {
    await fleet?.dispose();
    await traffic?.stop();
    await store?.dispose();
    const pid = snmpd?.pid;
    await snmpd?.stop();
    if (pid) expect(alive(pid)).toBe(false);
  });

  const lo = (ifs: readonly { name: string; inBps: number | null; outBps: number | null; speedBps: number | null }[]) => ifs.find((i) => i.name === 'lo');

  it('shows non-zero loopback rates on the first visit, from the poller\'s last counters', async () => {
    expect(fleet.poller.counters('d-v2c')?.counters.size).toBeGreaterThan(0);
    const t0 = Date.now();
    const page = await fleet.api['device.detail']({ deviceId: 'd-v2c' }, who);
    expect(Date.now() - t0).toBeLessThan(5000);
    const l = lo(page.interfaces);
    expect(l, JSON.stringify(page.interfaces)).toBeDefined();
    expect(l!.speedBps).toBe(10_000_000); // what snmpd reports for lo: not believable, so not a bound
    expect(l!.inBps).toBeGreaterThan(11_000_000);
    expect(l!.outBps).toBeGreaterThan(11_000_000);
  });

  it('shows non-zero rates from two fresh samples when no earlier one exists', async () => {
    const detail = createDeviceDetail({
      inventory: store.inventory, credentials: createCredentialResolver(store.credentials, store.bindings), metrics: store.metrics,
      pollState: () => ({ status: 'up', sysName: null, uptimeSeconds: null, powerWatts: null, lastPollAt: Date.now(), rttMs: 1 }),
    });
    const t0 = Date.now();
    const page = await detail.detail('d-v3');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(3400);
    expect(lo(page.interfaces)!.inBps).toBeGreaterThan(11_000_000);
  }, 20_000);

  it('says why each device is not monitored, the last error of a silent one, and marks a shared address', async () => {
    const el = await fleet.api['inventory.elevation']({ cabinetId: 'c1' }, who);
    const by = new Map(el.devices.map((d) => [d.id, d]));
    expect(by.get('d-v2c')).toMatchObject({ sharedAddress: true, snmpPort: PORT, monitoring: { polled: true, reason: null, lastError: null } });
    expect(by.get('d-v3')).toMatchObject({ sharedAddress: true, monitoring: { polled: true, reason: null } });
    expect(by.get('d-none')).toMatchObject({ sharedAddress: false, monitoring: { polled: false, reason: 'no-credential', lastError: null } });
    expect(by.get('d-ssh')!.monitoring).toMatchObject({ polled: false, reason: 'wrong-kind' });
    expect(by.get('d-gone')!.monitoring).toMatchObject({ polled: false, reason: 'unknown-credential' });
    expect(by.get('d-silent')).toMatchObject({ status: 'unreachable', monitoring: { polled: true, reason: null, lastError: { name: 'SnmpTimeoutError' } } });
    const page = await fleet.api['device.detail']({ deviceId: 'd-silent' }, who);
    expect(page).toMatchObject({ sharedAddress: false, monitoring: { polled: true, lastError: { name: 'SnmpTimeoutError' } } });
    const none = await fleet.api['device.detail']({ deviceId: 'd-ssh' }, who);
    expect(none).toMatchObject({ monitoring: { polled: false, reason: 'wrong-kind' }, interfacesProblem: { code: 'no-credential' } });
    const v3 = await fleet.api['device.detail']({ deviceId: 'd-v3' }, who);
    expect(v3.sharedAddress).toBe(true);
  }, 20_000);
});
