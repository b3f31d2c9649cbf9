// ipmitool (-I lanplus -C 3 and -C 17, and -I lan) against FleetDeck's own lab BMC simulator
// on 127.41.0.1:17101 (a real UDP socket, a frozen clock so sensor values hold still): mc
// info, chassis power status/on/off, sdr list, sensor list and sel list all succeed and
// print the simulator's state. Then FleetDeck's client over real UDP against the same BMC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIpmiClient, IpmiAuthError, type IpmiClient } from '../../../src-main/core/protocols/ipmi';
import { createBmcSimulator, type BmcSimulator } from '../../../src-main/lab/bmc';
import { leftOver, resources, until } from '../../support/handles';
import { fields, ipmitool, IPMITOOL, peerCheck, rows } from './peers';

const check = peerCheck([IPMITOOL]);
const BMC = { address: '127.41.0.1', port: 17101, username: 'fleetdeck', password: 'lab-bmc-pass' };
const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

let before: string[];
let sim: BmcSimulator;
const clients: IpmiClient[] = [];

describe.skipIf(check.skip)(`ipmitool against FleetDeck's BMC simulator${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs the IPMI peers: ${check.reason}`);
    before = resources();
    sim = createBmcSimulator({ ...BMC, seed: 2024, nominalWatts: 450, psuRatedWatts: 1100, now: () => NOW, cycleDelayMs: 50, deviceId: { manufacturerId: 674, productId: 0x0123 } });
    await sim.start();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sim?.stop();
    await until('no handle left', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
      throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
    });
  });

  for (const suite of [3, 17] as const) {
    describe(`-I lanplus -C ${suite}`, () => {
      const tool = (...args: string[]): Promise<string> => ipmitool({ ...BMC, cipherSuite: suite }, args);

      it('mc info', async () => {
        const mc = fields(await tool('mc', 'info'));
        expect(mc).toMatchObject({ 'Firmware Revision': '2.41', 'IPMI Version': '2.0', 'Manufacturer ID': '674', 'Device Available': 'yes' });
        expect(mc['Product ID']).toMatch(/^291 /);
      });

      it('chassis power status, off, on', async () => {
        expect(await tool('chassis', 'power', 'status')).toMatch(/Chassis Power is on/);
        expect(await tool('chassis', 'power', 'off')).toMatch(/Down\/Off/);
        expect(sim.state.power).toBe('off');
        expect(await tool('chassis', 'power', 'status')).toMatch(/Chassis Power is off/);
        expect(await tool('chassis', 'power', 'on')).toMatch(/Up\/On/);
        expect(sim.state.power).toBe('on');
        expect(await tool('chassis', 'power', 'status')).toMatch(/Chassis Power is on/);
      });

      it('sdr list and sensor list show the simulator\'s sensors', async () => {
        const listed = rows(await tool('sdr', 'list'));
        const truth = sim.state.sensors;
        expect(listed.map((r) => r[0])).toEqual([...truth.map((s) => s.name), 'Power Unit']);
        for (const s of truth) expect(listed.find((r) => r[0] === s.name)!.slice(1)).toEqual([`${s.value} ${s.units}`, s.status === 'ok' ? 'ok' : expect.any(String)]);
        const table = rows(await tool('sensor', 'list'));
        for (const s of truth) expect(table.find((r) => r[0] === s.name)![1]).toBe(s.value!.toFixed(3));
      });

      it('sel list shows the power events the simulator logged', async () => {
        const listed = rows(await tool('sel', 'list'));
        const sel = sim.state.sel;
        expect(listed.length).toBe(sel.length);
        expect(sel.length).toBeGreaterThanOrEqual(2);
        expect(listed.map((r) => [r[3], r[4], r[5]])).toEqual(sel.map((e) => ['Power Unit #0x05', e.description, e.asserted ? 'Asserted' : 'Deasserted']));
      });
    });
  }

  it('ipmitool -I lan (IPMI 1.5, MD5) reads mc info too', async () => {
    expect(fields(await ipmitool(BMC, ['mc', 'info'], 'lan'))['Firmware Revision']).toBe('2.41');
  });

  it('ipmitool chassis identify and bootdev change the simulator\'s state', async () => {
    await ipmitool({ ...BMC, cipherSuite: 17 }, ['chassis', 'identify', 'force']);
    expect(sim.state.identify).toBe('indefinite');
    await ipmitool({ ...BMC, cipherSuite: 17 }, ['chassis', 'bootdev', 'pxe', 'options=persistent']);
    expect(sim.state.boot).toMatchObject({ device: 'pxe', persistent: true, valid: true });
  });

  it('FleetDeck\'s client over real UDP: both suites, and a wrong password is an IpmiAuthError before any 1 s timeout', async () => {
    for (const cipherSuite of [3, 17]) {
      const c = createIpmiClient({ host: BMC.address, port: BMC.port, username: BMC.username, password: BMC.password, cipherSuite, keepAliveMs: 0 });
      clients.push(c);
      expect((await c.powerReading()).source).toBe('dcmi');
      expect((await c.sensors()).map((s) => s.value)).toEqual([...sim.state.sensors.map((s) => s.value), null]);
      expect(c.session.cipherSuite).toBe(cipherSuite);
    }
    const wrong = createIpmiClient({ host: BMC.address, port: BMC.port, username: BMC.username, password: 'guess', timeoutMs: 1000, retries: 0, keepAliveMs: 0 });
    clients.push(wrong);
    const err = await wrong.chassisStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiAuthError);
    expect(sim.internalErrors).toBe(0);
  });
});
