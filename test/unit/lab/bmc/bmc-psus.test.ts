// A lab BMC with several PSUs, read by the console's own IPMI client (in-memory transport, no
// sockets): a power sensor per PSU (PSU1 Power, PSU2 Power, entity instance = PSU number),
// DCMI power = the PSU sensors' sum = the sensor fallback, the sensor poller's bmc.psus count,
// and a PSU without input reading 0 W while the other carries the draw.
import { afterEach, describe, expect, it } from 'vitest';
import { sensorPower } from '../../../../src-main/core/device-control/bmc-service';
import { BMC_METRICS, psuCount, sensorSamples } from '../../../../src-main/core/device-control/sensor-poller';
import { createIpmiClient, type IpmiClient } from '../../../../src-main/core/protocols/ipmi';
import { BmcState } from '../../../../src-main/lab/bmc/bmc-state';
import { createBmcSimulator, type BmcSimulator, type BmcSimulatorOptions } from '../../../../src-main/lab/bmc/bmc-simulator';
import { memoryTransport } from '../../core/protocols/ipmi/memory-transport';

const ADMIN = { username: 'fleetdeck', password: 'lab-bmc-pass' };
const NOW = Date.UTC(2025, 0, 1, 12);
const open: IpmiClient[] = [];

function bmc(o: Partial<BmcSimulatorOptions> = {}): BmcSimulator {
  return createBmcSimulator({ address: '127.42.7.1', port: 17210, ...ADMIN, seed: 21, nominalWatts: 500, psuRatedWatts: 1100, tickMs: 0, now: () => NOW, ...o });
}

function client(sim: BmcSimulator): IpmiClient {
  const c = createIpmiClient({ host: sim.address, port: sim.port, ...ADMIN, transport: memoryTransport([sim]), timeoutMs: 200, retries: 2, keepAliveMs: 0 });
  open.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const psuWatts = (sim: BmcSimulator): number[] => sim.state.sensors.filter((s) => s.units === 'Watts').map((s) => s.value!);

describe('lab BMC PSUs', () => {
  it('has a power sensor per PSU; DCMI, the sensor fallback and bmc.psus agree with them', async () => {
    const sim = bmc({ psus: 2 });
    const c = client(sim);
    const sdr = await c.sdr();
    expect(sdr.map((r) => r.name)).toEqual(['Inlet Temp', 'CPU Temp', 'Fan1', 'PSU1 Power', 'PSU2 Power', 'Power Unit', 'Lab BMC']);
    const sensors = await c.sensors();
    const psus = sensors.filter((s) => s.sensorType === 0x08);
    expect(psus.map((s) => [s.name, s.record.entityId, s.record.entityInstance])).toEqual([['PSU1 Power', 0x0a, 1], ['PSU2 Power', 0x0a, 2]]);
    const sum = psuWatts(sim).reduce((a, b) => a + b, 0);
    expect(psus.map((s) => s.value)).toEqual(psuWatts(sim));
    // The draw is shared: each PSU about half of what a one-PSU BMC of the same seed reads.
    const one = bmc({ address: '127.42.7.2' });
    expect(Math.abs(sum - psuWatts(one)[0])).toBeLessThanOrEqual(8);
    expect(await c.powerReading()).toMatchObject({ source: 'dcmi', watts: sum });
    expect(sensorPower(sensors)).toEqual({ watts: sum, source: 'sensor' });
    expect(psuCount(sensors)).toBe(2);
    const samples = sensorSamples('srv-1', { at: NOW, sensors, power: { watts: sum, source: 'dcmi' } });
    expect(samples.find((s) => s.metric === BMC_METRICS.psus)).toMatchObject({ deviceId: 'srv-1', ts: NOW, value: 2 });
    expect(psuCount(await client(one).sensors())).toBe(1);
  });

  it('reads 0 W on a PSU without input, the other carrying the draw', async () => {
    const sim = bmc({ psus: 2 });
    const before = psuWatts(sim).reduce((a, b) => a + b, 0);
    sim.setPsuInputs([true, false]);
    const [first, second] = psuWatts(sim);
    expect(second).toBe(0);
    expect(Math.abs(first - before)).toBeLessThanOrEqual(8);
    // Still two PSUs: the SDR names both.
    expect(psuCount(await client(sim).sensors())).toBe(2);
    sim.setPsuInputs([true, true]);
    expect(psuWatts(sim).every((w) => w > 0)).toBe(true);
  });

  it('refuses a PSU count it cannot number and inputs that do not match its PSUs', () => {
    expect(() => new BmcState({ seed: 1, psus: 0 })).toThrow('psus must be a whole number from 1 to 8, got 0');
    expect(() => new BmcState({ seed: 1, psus: 2.5 })).toThrow(RangeError);
    expect(() => new BmcState({ seed: 1, psus: 2 }).setPsuInputs([true])).toThrow('1 PSU inputs for 2 PSUs');
  });
});
