// PDU power profiles against real agents: ENTITY-SENSOR-MIB (scale and precision per row)
// and APC PowerNet rPDU2 (hundredths of kW; -1 = no meter).
import { afterAll, describe, expect, it } from 'vitest';
import {
  APC_RPDU2_PROFILE, ENTITY_SENSOR_PROFILE, entitySensorValue, parsePduProfile, powerSamples, profileFor, readPduPower,
} from '../../../../../../src-main/core/protocols/snmp/mib/pdu-profiles';
import { createSnmpSession, type SnmpSession } from '../../../../../../src-main/core/protocols/snmp/session/session';
import { startTestAgent, type TestAgent } from '../../../../../support/snmp-test-agent';

const PORT = 18203;

describe('PDU power profiles', () => {
  const agents: TestAgent[] = [];
  const sessions: SnmpSession[] = [];
  const session = (host: string): SnmpSession => {
    const s = createSnmpSession({ host, port: PORT, credentials: { version: '2c', community: 'c' } });
    sessions.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all(agents.map((a) => a.close()));
  });

  it('scales ENTITY-SENSOR values by their own scale and precision', () => {
    expect(entitySensorValue(2345, 9, 0)).toBe(2345);
    expect(entitySensorValue(23456, 9, 1)).toBeCloseTo(2345.6);
    expect(entitySensorValue(3, 10, 0)).toBe(3000); // kilo
    expect(entitySensorValue(1500, 8, 0)).toBeCloseTo(1.5); // milli
    expect(entitySensorValue(42, null, null)).toBe(42);
    expect(entitySensorValue(42, 99, 99)).toBe(42);
  });

  it('reads inlet total and outlets from ENTITY-SENSOR-MIB, skipping failed and non-power sensors', async () => {
    const host = '127.52.3.1';
    agents.push(await startTestAgent({ address: host, port: PORT, community: 'c', sensors: [
      { index: 1, name: 'Inlet I1 active power', type: 6, scale: 10, precision: 3, value: 4212 }, // 4.212 kW
      { index: 11, name: 'Outlet 1', type: 6, scale: 9, precision: 1, value: 3105 },
      { index: 12, name: 'Outlet 2', type: 6, scale: 9, precision: 0, value: 402 },
      { index: 13, name: 'Outlet 3', type: 6, scale: 9, precision: 0, value: 999, status: 2 },
      { index: 20, name: 'Inlet temperature', type: 8, scale: 9, precision: 0, value: 24 },
    ] }));
    const reading = await readPduPower(session(host), ENTITY_SENSOR_PROFILE);
    expect(reading).toEqual({
      profile: 'entity-sensor', totalWatts: 4212, totalFromOutlets: false,
      outlets: [{ index: '11', name: 'Outlet 1', watts: 310.5 }, { index: '12', name: 'Outlet 2', watts: 402 }],
    });
    expect(powerSamples('pdu-1', 1000, reading)).toEqual([
      { deviceId: 'pdu-1', metric: 'pdu.power_w', ts: 1000, value: 4212 },
      { deviceId: 'pdu-1', metric: 'pdu.outlet_power_w.11', ts: 1000, value: 310.5 },
      { deviceId: 'pdu-1', metric: 'pdu.outlet_power_w.12', ts: 1000, value: 402 },
    ]);
  });

  it('takes a lone unnamed power sensor as the total (the FleetDeck lab PDU)', async () => {
    const host = '127.52.3.2';
    agents.push(await startTestAgent({ address: host, port: PORT, community: 'c', sensors: [{ index: 1, name: 'meter', type: 6, scale: 9, precision: 0, value: 730 }] }));
    expect(await readPduPower(session(host), ENTITY_SENSOR_PROFILE)).toMatchObject({ totalWatts: 730, outlets: [] });
  });

  it('reads APC rPDU2: a daisy chain summed at 10 W a count, outlets in watts, -1 skipped', async () => {
    const host = '127.52.3.3';
    agents.push(await startTestAgent({ address: host, port: PORT, community: 'c', sysObjectID: '1.3.6.1.4.1.318.1.3.4.5', apc: {
      devices: [{ index: 1, power: 613 }, { index: 2, power: 88 }],
      outlets: [{ index: 1, name: 'db-01 PSU1', power: 412 }, { index: 2, name: 'db-01 PSU2', power: 398 }, { index: 3, name: '', power: -1 }, { index: 24, name: '', power: 5 }],
    } }));
    expect(await readPduPower(session(host), APC_RPDU2_PROFILE)).toEqual({
      profile: 'apc-rpdu2', totalWatts: 7010, totalFromOutlets: false,
      outlets: [{ index: '1', name: 'db-01 PSU1', watts: 412 }, { index: '2', name: 'db-01 PSU2', watts: 398 }, { index: '24', name: 'outlet 24', watts: 5 }],
    });
  });

  it('sums outlets when the PDU has no total meter', async () => {
    const host = '127.52.3.4';
    agents.push(await startTestAgent({ address: host, port: PORT, community: 'c', apc: { devices: [{ index: 1, power: -1 }], outlets: [{ index: 1, name: 'a', power: 100 }, { index: 2, name: 'b', power: 50 }] } }));
    expect(await readPduPower(session(host), APC_RPDU2_PROFILE)).toMatchObject({ totalWatts: 150, totalFromOutlets: true });
  });

  it('picks the profile by sysObjectID, ENTITY-SENSOR-MIB otherwise', () => {
    expect(profileFor('1.3.6.1.4.1.318.1.3.4.5')).toBe(APC_RPDU2_PROFILE);
    expect(profileFor('1.3.6.1.4.1.318.1.3.4.5.1')).toBe(APC_RPDU2_PROFILE);
    expect(profileFor('1.3.6.1.4.1.318.1.3.4.55')).toBe(ENTITY_SENSOR_PROFILE);
    expect(profileFor(null)).toBe(ENTITY_SENSOR_PROFILE);
  });

  it('takes profiles from configuration, naming the first bad field', () => {
    expect(parsePduProfile(JSON.parse(JSON.stringify(APC_RPDU2_PROFILE)))).toEqual(APC_RPDU2_PROFILE);
    expect(parsePduProfile({ kind: 'entity-sensor', id: 'raritan', name: 'Raritan via ENTITY-SENSOR', sysObjectIds: ['.1.3.6.1.4.1.13742.6'] }))
      .toMatchObject({ sysObjectIds: ['1.3.6.1.4.1.13742.6'], totalName: ENTITY_SENSOR_PROFILE.totalName });
    const vendor = parsePduProfile({ kind: 'columns', id: 'acme', name: 'ACME', outlets: { entryOid: '1.3.6.1.4.1.32473.7.1', powerColumn: 4, scale: 0.1 } });
    expect(vendor).toMatchObject({ total: null, outlets: { nameColumn: null, powerColumn: 4, scale: 0.1, invalid: [] } });
    for (const [input, field] of [
      [null, 'profile'], [{ kind: 'x', id: 'a', name: 'b' }, 'kind'], [{ kind: 'columns', id: 'a', name: 'b' }, 'total'],
      [{ kind: 'columns', id: 'a', name: 'b', total: { entryOid: '1.3.x', column: 5 } }, 'total.entryOid'],
      [{ kind: 'columns', id: 'a', name: 'b', total: { entryOid: '1.3.6', column: 0 } }, 'total.column'],
      [{ kind: 'columns', id: 'a', name: 'b', total: { entryOid: '1.3.6', column: 5, scale: -1 } }, 'total.scale'],
      [{ kind: 'entity-sensor', id: 'a', name: 'b', totalName: '(' }, 'totalName'],
    ] as const) expect(() => parsePduProfile(input)).toThrow(expect.objectContaining({ name: 'ValidationError', details: { field } }));
  });
});
