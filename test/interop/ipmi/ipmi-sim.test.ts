// FleetDeck's IPMI client against OpenIPMI's ipmi_sim (a child on 127.40.0.1:17001 running
// fixtures/lan.conf + bmc.emu), checked against what ipmitool -I lanplus -C 3 prints for the
// same simulator: device ID, chassis status, power, identify, boot device, SDR and sensor
// values, SEL entries; plus the login paths (suite 3, auto, IPMI 1.5) and named failures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIpmiClient, IpmiAuthError, IpmiUnsupportedError, PRIVILEGE, type IpmiClient, type IpmiClientOptions,
} from '../../../src-main/core/protocols/ipmi';
import { selSensorName } from '../../../src-main/core/device-control/bmc-service';
import { leftOver, resources, until } from '../../support/handles';
import { fields, ipmitool, IPMI_SIM, IPMITOOL, peerCheck, rows, SIM, startIpmiSim, type IpmiSimPeer } from './peers';

const check = peerCheck([IPMI_SIM, IPMITOOL]);
const TARGET = { address: SIM.address, port: SIM.port, username: SIM.username, password: SIM.password, cipherSuite: 3 as const };

let before: string[];
let sim: IpmiSimPeer;
let client: IpmiClient;
const extra: IpmiClient[] = [];

const tool = (...args: string[]): Promise<string> => ipmitool(TARGET, args);
function another(o: Partial<IpmiClientOptions> = {}): IpmiClient {
  const c = createIpmiClient({ host: SIM.address, port: SIM.port, username: SIM.username, password: SIM.password, keepAliveMs: 0, ...o });
  extra.push(c);
  return c;
}
const fixed = (v: number | null): string => (v === null ? 'na' : v.toFixed(3));

describe.skipIf(check.skip)(`FleetDeck IPMI against ipmi_sim and ipmitool${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs the IPMI peers: ${check.reason}`);
    before = resources();
    sim = await startIpmiSim();
    client = createIpmiClient({ host: SIM.address, port: SIM.port, username: SIM.username, password: SIM.password, cipherSuite: 3, keepAliveMs: 0 });
  });

  afterAll(async () => {
    await Promise.all([client, ...extra].map((c) => c?.close()));
    await sim?.stop();
    await until('no handle left', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
      throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
    });
  });

  it('reads the device ID ipmitool mc info prints', async () => {
    const mc = fields(await tool('mc', 'info'));
    const id = await client.deviceId();
    expect(client.session.cipherSuite).toBe(3);
    expect(String(id.deviceId)).toBe(mc['Device ID']);
    expect(String(id.deviceRevision)).toBe(mc['Device Revision']);
    expect(id.firmwareRevision).toBe(mc['Firmware Revision']);
    expect(id.ipmiVersion).toBe(mc['IPMI Version']);
    expect(String(id.manufacturerId)).toBe(mc['Manufacturer ID']);
    expect(String(id.productId)).toBe(mc['Product ID'].split(' ')[0]);
  });

  it('reads the chassis status ipmitool chassis status prints', async () => {
    const cs = fields(await tool('chassis', 'status'));
    const s = await client.chassisStatus();
    expect(s.powerOn ? 'on' : 'off').toBe(cs['System Power']);
    expect(s.powerRestorePolicy).toBe(cs['Power Restore Policy']);
    expect(String(s.powerOverload)).toBe(cs['Power Overload']);
    expect(String(s.mainPowerFault)).toBe(cs['Main Power Fault']);
    expect(s.powerInterlock ? 'active' : 'inactive').toBe(cs['Power Interlock']);
    expect(s.chassisIntrusion ? 'active' : 'inactive').toBe(cs['Chassis Intrusion']);
    expect(String(s.driveFault)).toBe(cs['Drive Fault']);
    expect(String(s.coolingFault)).toBe(cs['Cooling/Fan Fault']);
  });

  it('powers on, off and cycles (and resets, soft-offs): ipmi_sim\'s chassis control and ipmitool agree', async () => {
    await client.power('on');
    expect(sim.state('power')).toBe('1');
    expect(await tool('chassis', 'power', 'status')).toMatch(/Chassis Power is on/);
    expect((await client.chassisStatus()).powerOn).toBe(true);
    await client.power('reset');
    expect(sim.state('resets')).toBe('1');
    await client.power('off');
    expect(await tool('chassis', 'power', 'status')).toMatch(/Chassis Power is off/);
    await client.power('cycle');
    await until('ipmi_sim powers back on after the cycle', async () => (await client.chassisStatus()).powerOn);
    expect(await tool('chassis', 'power', 'status')).toMatch(/Chassis Power is on/);
    await client.power('soft');
    expect(sim.state('shutdowns')).toBe('soft');
    expect((await client.chassisStatus()).powerOn).toBe(false);
  });

  it('identifies for an interval and with force, as ipmitool chassis identify does', async () => {
    await client.identify({ seconds: 5 });
    expect(sim.state('identify')).toBe('5 0');
    await client.identify({ force: true });
    expect(sim.state('identify')).toBe('0 1');
    await tool('chassis', 'identify', '7');
    expect(sim.state('identify')).toBe('7 0');
  });

  it('sets the PXE boot device as ipmitool chassis bootdev pxe does, and reads it back', async () => {
    await tool('chassis', 'bootdev', 'disk');
    expect(sim.state('boot')).toBe('default');
    await client.setBootDevice('pxe');
    expect(sim.state('boot')).toBe('pxe');
    expect((await client.bootDevice()).device).toBe('pxe');
    expect(await tool('chassis', 'bootparam', 'get', '5')).toMatch(/Boot Device Selector : Force PXE/);
  });

  it('walks the SDR and reads every sensor with the values, units, statuses and thresholds ipmitool prints', async () => {
    const sdrNames = rows(await tool('sdr', 'list')).map((r) => r[0]);
    const elist = new Map(rows(await tool('sdr', 'elist')).map((r) => [r[0], r]));
    const table = new Map(rows(await tool('sensor', 'list')).map((r) => [r[0], r]));
    const records = await client.sdr();
    expect(records.filter((r) => r.kind !== 'mc-locator').map((r) => r.name)).toEqual(sdrNames);
    const sensors = await client.sensors();
    expect(sensors.map((s) => s.name)).toEqual(sdrNames);
    for (const s of sensors) {
      const e = elist.get(s.name)!;
      expect(`${s.number.toString(16).padStart(2, '0')}h`).toBe(e[1]);
      expect(`${s.record.entityId}.${s.record.entityInstance}`).toBe(e[3]);
      if (s.record.eventReadingType !== 0x01) continue; // discrete: ipmitool prints state bits
      const t = table.get(s.name)!;
      expect([fixed(s.value), s.units, s.status]).toEqual([t[1], t[2], e[2]]);
      const th = s.record.thresholds!;
      expect([th.lnr, th.lcr, th.lnc, th.unc, th.ucr, th.unr].map(fixed)).toEqual(t.slice(4, 10));
    }
    // The conversions the fixture was written to exercise.
    expect(Object.fromEntries(sensors.map((s) => [s.name, s.value]))).toMatchObject({ 'CPU Temp': 83.5, 'Fan1': 4800, 'PSU1 Power': 250, '5V': expect.closeTo(4.99, 9), 'Ambient Delta': -10 });
    expect(sensors.find((s) => s.name === 'CPU Temp')!.status).toBe('unc');
  });

  it('reads power from the PSU sensor: ipmi_sim has no DCMI', async () => {
    expect(await client.powerReading()).toMatchObject({ source: 'sensor', watts: 250 });
  });

  it('names each SEL entry\'s sensor from the SDR as ipmitool sel elist does', async () => {
    const listed = rows(await tool('sel', 'elist'));
    const sensors = await client.sensors();
    const entries = await client.selList();
    expect(entries.length).toBe(listed.length);
    const names = entries.map((e) => selSensorName(sensors, e));
    entries.forEach((e, i) => {
      const name = names[i];
      expect(name ? `${e.sensorTypeName} ${name}` : `${e.sensorTypeName} #0x${e.sensorNumber.toString(16).padStart(2, '0')}`, `record ${e.recordId}`).toBe(listed[i][3]);
    });
    expect(names).toContain('CPU Temp');
    expect(names).toContain('Power Unit');
  });

  it('lists the SEL entries ipmitool sel list prints, and clears the SEL', async () => {
    const listed = rows(await tool('sel', 'list'));
    const info = fields(await tool('sel', 'info'));
    const entries = await client.selList();
    expect(String((await client.selInfo()).entries)).toBe(info['Entries']);
    expect(entries.length).toBe(listed.length);
    expect(entries.length).toBeGreaterThanOrEqual(3);
    entries.forEach((e, i) => {
      const r = listed[i];
      const when = e.preInit ? ['Pre-Init', String(e.timestamp).padStart(10, '0')] : r.slice(1, 3);
      expect([e.recordId.toString(16), ...when, `${e.sensorTypeName} #0x${e.sensorNumber.toString(16).padStart(2, '0')}`, e.description, e.asserted ? 'Asserted' : 'Deasserted'])
        .toEqual(r.slice(0, 6));
    });
    expect(entries[0]).toMatchObject({ sensorTypeName: 'Temperature', sensorNumber: 2, description: 'Upper Non-critical going high', asserted: true });
    await client.selClear();
    expect(await client.selList()).toEqual([]);
    expect(rows(await tool('sel', 'list'))).toEqual([]); // ipmitool says "SEL has no entries" on stderr
    expect(fields(await tool('sel', 'info'))['Entries']).toBe('0');
  });

  it('logs in with IPMI 1.5 MD5 when asked, and picks suite 3 on auto (ipmi_sim refuses 17)', async () => {
    const v15 = another({ ipmiVersion: '1.5' });
    expect((await v15.deviceId()).manufacturerId).toBe(4753);
    expect(v15.session.version).toBe('1.5');
    const auto = another();
    await auto.chassisStatus();
    expect([auto.session.version, auto.session.cipherSuite]).toEqual(['2.0', 3]);
    await expect(another({ cipherSuite: 17 }).deviceId()).rejects.toBeInstanceOf(IpmiUnsupportedError);
  });

  it('fails a wrong password with IpmiAuthError before a 1 s timeout could fire', async () => {
    // With a 1 s timeout and no resends, a BMC that stayed silent would give IpmiTimeoutError.
    const err = await another({ password: 'not-the-password', cipherSuite: 3, timeoutMs: 1000, retries: 0 }).deviceId().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpmiAuthError);
    expect(err).toMatchObject({ host: SIM.address, reason: expect.stringMatching(/wrong password/) });
    const err15 = await another({ password: 'not-the-password', ipmiVersion: '1.5', timeoutMs: 300, retries: 0 }).deviceId().catch((e: unknown) => e);
    expect(err15).toBeInstanceOf(IpmiAuthError);
  });

  it('turns a refused command into IpmiCompletionCodeError for a user-level account', async () => {
    const viewer = another({ username: 'viewer', password: 'look', privilege: PRIVILEGE.USER });
    expect((await viewer.chassisStatus()).powerOn).toBe(false);
    await expect(viewer.power('on')).rejects.toMatchObject({ name: 'IpmiCompletionCodeError', completionCode: 0xd4, command: 'Chassis Control' });
  });

  it('closes its sessions: more logins than the user\'s 10 session slots all succeed one after another', async () => {
    for (let i = 0; i < 12; i++) {
      const c = createIpmiClient({ host: SIM.address, port: SIM.port, username: SIM.username, password: SIM.password, cipherSuite: 3, keepAliveMs: 0 });
      await c.chassisStatus();
      await c.close();
    }
  }, 30_000);
});
