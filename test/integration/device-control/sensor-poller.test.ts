// The BMC sensor poller against FleetDeck's BMC simulator on real loopback UDP
// (127.35.2.x:17502), through startDeviceControl: every server's readings land in the time
// series under the bmc.* names, the sessions are held across rounds (one login per BMC), a
// dead BMC costs one timeout and the schedule goes on, the device page shows the server's
// power from its BMC, a control action is announced, and dispose() leaves no handle.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import { startDeviceControl, type DeviceControlModule } from '../../../src-main/core/device-control/device-control-module';
import { BMC_METRICS } from '../../../src-main/core/device-control/sensor-poller';
import { createCredentialResolver } from '../../../src-main/core/credentials/credential-resolver';
import { createDeviceDetail } from '../../../src-main/core/fleet/device-detail';
import { openCoreStore, type CoreStore } from '../../../src-main/core/store/core-store';
import { createBmcSimulator, type BmcSimulator } from '../../../src-main/lab/bmc';
import { leftOver, resources, until } from '../../support/handles';

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
      sites: [{ id: 's1', name: 'Lab', city: 'Beijing' }], rooms: [{ id: 'm1', siteId: 's1', name: 'Hall 1' }], rows: [{ id: 'r1', roomId: 'm1', name: 'R1' }],
      cabinets: [{ id: 'c1', rowId: 'r1', name: 'R1-01', position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null }],
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
      credentials: createCredentialResolver(store.credentials),
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
    const detail = createDeviceDetail({ inventory: store.inventory, credentials: { snmp: () => null }, metrics: store.metrics, pollState: () => undefined });
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
