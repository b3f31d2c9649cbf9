// The BMC sensor poller against FleetDeck's BMC simulator on real loopback UDP
// (127.35.2.x:17502), through startDeviceControl: every server's readings land in the time
// series under the bmc.* names, the sessions are held across rounds (one login per BMC), a
// dead BMC costs one timeout and the schedule goes on, the device page shows the server's
// power from its BMC, a control action is announced, and dispose() leaves no handle.
// refresh() with a 60 s round: a server added after start, a corrected IPMI credential and a
// changed login are read within about a second; a removed server is no longer read.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import { startDeviceControl, type DeviceControlModule } from '../../../src-main/core/device-control/device-control-module';
import { BMC_METRICS } from '../../../src-main/core/device-control/sensor-poller';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { createDeviceDetail } from '../../../src-main/core/fleet/device-detail';
import { openCoreStore, type CoreStore } from '../../../src-main/core/store/core-store';
import { createBmcSimulator, type BmcSimulator } from '../../../src-main/lab/bmc';
import { leftOver, resources, sleep, until } from '../../support/handles';
import { oneCabinet } from '../../support/one-cabinet';

const PORT = 17502;
const LOGIN = { username: 'fleetdeck', password: 'sensor-poller-pass' };

function device(n: number, over: Partial<Device> = {}): Device {
  return {
    id: `srv-${n}`, cabinetId: 'c1', kind: 'server', hostname: `srv-${n}.lab`, sn: `SN${n}`, uPosition: n, uHeight: 1, mgmtIp: `127.36.2.${n}`, snmpPort: 16161,
    bmcAddress: `127.35.2.${n}`, bmcPort: PORT, sshPort: 22, snmpCredential: null, sshCredential: null, ipmiCredential: 'bmc-login', serviceTree: null, ...over,
  };
}

describe('BMC sensor poller', () => {
  let store: CoreStore | null = null;
  let control: DeviceControlModule | null = null;
  const sims: BmcSimulator[] = [];

  afterEach(async () => {
    await control?.dispose();
    for (const s of sims.splice(0)) await s.stop();
    await store?.dispose();
    control = null;
    store = null;
  });

  it('stores every server\'s temperatures, fans and power, holds one session per BMC, and a dead BMC stalls nothing', async () => {
    const before = resources();
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify(LOGIN));
    const live = [1, 2, 3].map((n) => device(n));
    const dead = device(9); // nothing answers at 127.35.2.9
    const pdu = device(20, { id: 'pdu-20', kind: 'pdu', bmcAddress: null, ipmiCredential: null, hostname: 'pdu-20' });
    const doc: InventoryDocument = {
      format: 'fleetdeck-inventory', version: 1,
      sites: [{ id: 's1', name: 'Lab', city: 'Beijing' }], rooms: [{ id: 'm1', siteId: 's1', name: 'Hall 1', widthM: 20, depthM: 10 }], rows: [{ id: 'r1', roomId: 'm1', name: 'R1', xM: 2, yM: 2.4, facing: 'south', coldAisle: 'front' }],
      cabinets: [{ id: 'c1', rowId: 'r1', name: 'R1-01', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 }],
      devices: [...live, dead, pdu],
    };
    store.inventory.upsert(doc);
    for (const [i, dev] of live.entries()) {
      // the third BMC has no DCMI: its power comes from the PSU sensor
      const sim = createBmcSimulator({ address: dev.bmcAddress!, port: PORT, ...LOGIN, seed: 10 + i, nominalWatts: 300 + 100 * i, poweredOn: true, tickMs: 0, dcmi: i !== 2 });
      await sim.start();
      sims.push(sim);
    }
    const controlled: string[] = [];
    control = startDeviceControl({
      store,
      credentials: createCredentialResolver(store.credentials, store.bindings),
      record: () => {},
      bmcSensors: { intervalMs: 300, concurrency: 2, firstDelayMs: 0 },
      onControlled: (id, action) => controlled.push(`${id} ${action}`),
    });
    const poller = control.sensors!;
    const t0 = Date.now();
    await until('three rounds', () => poller.stats().rounds >= 3 || undefined, 30_000);
    const { last } = poller.stats();
    expect(last).toMatchObject({ bmcs: 4, ok: 3, failed: 1 });
    // The dead BMC cost its slot one timeout (1 s x 3 attempts), not one per retry on a fresh session.
    expect(last!.ms).toBeLessThan(5000);
    expect(Date.now() - t0).toBeLessThan(3 * 5000);
    expect(sims.map((s) => s.logins)).toEqual([1, 1, 1]);
    expect(control.bmc.openSessions).toBeLessThanOrEqual(4); // the three, and the dead one while a round tries it

    const now = Date.now();
    for (const dev of live) {
      for (const metric of [BMC_METRICS.inlet, BMC_METRICS.cpu, `${BMC_METRICS.fanPrefix}1`, BMC_METRICS.power]) {
        const pts = store.metrics.query(dev.id, metric, now - 60_000, now + 1, now).points;
        expect(pts.length, `${dev.id} ${metric}`).toBeGreaterThanOrEqual(3);
      }
      const inlet = store.metrics.query(dev.id, BMC_METRICS.inlet, now - 60_000, now + 1, now).points.at(-1)!.avg;
      expect(inlet).toBeGreaterThan(5);
      expect(inlet).toBeLessThan(45);
      expect(store.metrics.query(dev.id, `${BMC_METRICS.fanPrefix}1`, now - 60_000, now + 1, now).points.at(-1)!.avg).toBeGreaterThan(600);
    }
    expect(store.metrics.query(dead.id, BMC_METRICS.power, now - 60_000, now + 1, now).points).toEqual([]);

    // The device page: a server's power from its BMC, with when it was read; the PDU says it has none.
    const detail = createDeviceDetail({ inventory: store.inventory, credentials: { snmpFor: () => null }, metrics: store.metrics, pollState: () => undefined });
    const page = await detail.detail('srv-2');
    const bmc = await control.api['device.bmc']({ deviceId: 'srv-2' }, { actor: 't', role: 'viewer' });
    expect(page).toMatchObject({ powerSource: 'bmc', interfacesProblem: { code: 'no-credential' }, interfacesError: 'no SNMP credential for this device' });
    expect(page.powerWatts).toBeGreaterThan(100);
    expect(Math.abs(page.powerWatts! - bmc.powerWatts!)).toBeLessThan(0.25 * bmc.powerWatts!);
    expect(now + 1000 - page.powerAt!).toBeLessThan(5000);
    expect(page.powerHistory.length).toBeGreaterThanOrEqual(3);
    expect((await detail.detail('srv-3')).powerSource).toBe('bmc'); // from the PSU sensor (no DCMI)
    expect(await detail.detail('pdu-20')).toMatchObject({ powerSource: null, powerWatts: null, powerAt: null, powerHistory: [] });

    // A control action is announced once it succeeded, and not when it failed.
    await control.api['device.identify']({ deviceId: 'srv-1', seconds: 5, force: undefined }, { actor: 't', role: 'operator' });
    await expect(control.api['device.power']({ deviceId: 'srv-1', action: 'off', confirmHostname: 'wrong' }, { actor: 't', role: 'operator' })).rejects.toThrow();
    await control.api['device.power']({ deviceId: 'srv-1', action: 'off', confirmHostname: 'srv-1.lab' }, { actor: 't', role: 'operator' });
    expect(controlled).toEqual(['srv-1 identify', 'srv-1 power.off']);

    await control.dispose();
    const rounds = poller.stats().rounds;
    expect(sims.every((s) => s.sessions === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 700));
    expect(poller.stats().rounds).toBe(rounds);
    control = null;
    for (const s of sims.splice(0)) await s.stop();
    await until('no handle left', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
      throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
    });
  }, 60_000);
});

describe('BMC sensor poller refresh (60 s rounds: only refresh() can make a read this soon)', () => {
  const SUB = '127.35.3';
  let store: CoreStore;
  let control: DeviceControlModule | null = null;
  const sims: BmcSimulator[] = [];
  const server = (n: number): Device => device(n, { cabinetId: 'c', bmcAddress: `${SUB}.${n}`, mgmtIp: `127.36.3.${n}` });
  const inlets = (id: string): number => store.metrics.query(id, BMC_METRICS.inlet, Date.now() - 600_000, Date.now() + 1).points.length;
  const sim = async (n: number, extra: Partial<Parameters<typeof createBmcSimulator>[0]> = {}): Promise<BmcSimulator> => {
    const s = createBmcSimulator({ address: `${SUB}.${n}`, port: PORT, ...LOGIN, seed: n, poweredOn: true, tickMs: 0, ...extra });
    await s.start();
    sims.push(s);
    return s;
  };
  /** A module whose first round runs at once and the next one a minute later. */
  const start = async (devices: Device[]): Promise<DeviceControlModule> => {
    store.inventory.upsert(oneCabinet(devices));
    control = startDeviceControl({ store, credentials: createCredentialResolver(store.credentials, store.bindings), record: () => {}, bmcSensors: { intervalMs: 60_000, concurrency: 4, firstDelayMs: 0 } });
    await until('the first round', () => control!.sensors!.stats().rounds >= 1 || undefined, 10_000);
    return control;
  };
  /** refresh(), then how long until `done` holds (ms). */
  const timeRefresh = async (what: string, done: () => boolean): Promise<number> => {
    const t0 = performance.now();
    control!.refresh();
    await until(what, () => done() || undefined, 5000, 10);
    const ms = performance.now() - t0;
    console.log(`${what}: ${Math.round(ms)} ms after refresh()`);
    return ms;
  };

  afterEach(async () => {
    await control?.dispose();
    control = null;
    for (const s of sims.splice(0)) await s.stop();
    store.dispose();
  });

  it('reads a server added after start within a second, and leaves the others on their schedule', async () => {
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify(LOGIN));
    const first = await sim(1);
    await start([server(1)]);
    expect(inlets('srv-1')).toBe(1);
    const added = await sim(2);
    store.inventory.putDevice(server(2));
    await sleep(200);
    expect(inlets('srv-2')).toBe(0); // not without refresh(): the next round is a minute away
    const ms = await timeRefresh('the added server read', () => inlets('srv-2') > 0);
    expect(ms).toBeLessThan(1500);
    for (const metric of [BMC_METRICS.cpu, `${BMC_METRICS.fanPrefix}1`, BMC_METRICS.power]) {
      expect(store.metrics.query('srv-2', metric, Date.now() - 60_000, Date.now() + 1).points.length, metric).toBe(1);
    }
    expect(added.logins).toBe(1);
    // The unchanged server is not read again, nor logged in to again; the round stays a minute away.
    await sleep(300);
    expect(inlets('srv-1')).toBe(1);
    expect(first.logins).toBe(1);
    expect(control!.sensors!.stats()).toMatchObject({ rounds: 1, immediate: { pending: 0, ok: 1, failed: 0 } });
  }, 30_000);

  it('takes a corrected IPMI credential within a second, and a changed login opens a new session (the held one is closed)', async () => {
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify({ ...LOGIN, password: 'not-the-password' }));
    const second = { username: 'poller2', password: 'second-account-pass' };
    const bmc = await sim(1, { users: [{ ...second, maxPrivilege: 4 }] });
    await start([server(1)]);
    expect(control!.sensors!.stats().last).toMatchObject({ ok: 0, failed: 1 });
    expect(inlets('srv-1')).toBe(0);

    store.credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify(LOGIN));
    expect(await timeRefresh('the corrected credential', () => inlets('srv-1') > 0)).toBeLessThan(1500);
    expect(bmc.logins).toBe(1);
    expect(control!.bmc.openSessions).toBe(1);

    // Another account under the same credential id: the session held with the old login is closed, not reused.
    // (The BMC still counts the half-open sessions of the refused logins: compare with the count before.)
    const before = bmc.sessions;
    store.credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify(second));
    expect(await timeRefresh('the changed login', () => inlets('srv-1') > 1)).toBeLessThan(1500);
    expect(bmc.logins).toBe(2);
    await until('the old session closed at the BMC', () => bmc.sessions <= before || undefined, 3000);
    expect(control!.bmc.openSessions).toBe(1);
    expect(control!.sensors!.stats()).toMatchObject({ rounds: 1, immediate: { ok: 2, failed: 0 } });
  }, 30_000);

  it('no longer reads a removed server and closes its session; a moved BMC address is read at the new one', async () => {
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.credentials.put('bmc-login', 'ipmi', 'BMC login', JSON.stringify(LOGIN));
    const [one, two] = [await sim(1), await sim(2)];
    await start([server(1), server(2)]);
    expect([inlets('srv-1'), inlets('srv-2')]).toEqual([1, 1]);
    expect([one.sessions, two.sessions]).toEqual([1, 1]);

    store.inventory.deleteDevice('srv-2');
    control!.refresh();
    await until('the removed server\'s session closed at its BMC', () => two.sessions === 0 || undefined, 3000);
    expect(control!.bmc.openSessions).toBe(1);
    // The next round (run now) reads only the server left.
    expect(await control!.sensors!.pollNow()).toMatchObject({ bmcs: 1, ok: 1, failed: 0 });
    expect([inlets('srv-1'), inlets('srv-2')]).toEqual([2, 1]);
    expect(two.logins).toBe(1);

    // srv-1's BMC moves to another address: read there at once.
    const moved = await sim(3);
    store.inventory.putDevice({ ...server(1), bmcAddress: `${SUB}.3` });
    expect(await timeRefresh('the moved BMC', () => inlets('srv-1') > 2)).toBeLessThan(1500);
    expect(moved.logins).toBe(1);
    await until('the old address\'s session closed', () => one.sessions === 0 || undefined, 3000);
  }, 30_000);
});
