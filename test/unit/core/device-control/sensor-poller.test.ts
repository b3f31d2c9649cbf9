// The sensor poller's pieces without a network: which sensors make which bmc.* samples (the PSU count too), and
// the schedule (bounded concurrency, rounds that never overlap, failures counted, dispose).
import { describe, expect, it } from 'vitest';
import { sensorPower, type BmcReadings } from '../../../../src-main/core/device-control/bmc-service';
import { sensorSamples, startSensorPoller } from '../../../../src-main/core/device-control/sensor-poller';
import type { SensorValue } from '../../../../src-main/core/protocols/ipmi';
import type { Sample } from '../../../../src-main/core/store/metrics-repository';

function sensor(name: string, sensorType: number, entityId: number, value: number | null, units = 'degrees C', unitCode = 1): SensorValue {
  return {
    record: { kind: 'full', entityId } as SensorValue['record'], name, number: 1, sensorType, sensorTypeName: '', units, unitCode,
    value, raw: value, status: value === null ? 'ns' : 'ok', states: 0,
  };
}

describe('sensorSamples', () => {
  it('picks inlet and CPU temperatures by entity (or name), fans by type and unit, and power', () => {
    const r: BmcReadings = {
      at: 1000,
      sensors: [
        sensor('Temp 1', 0x01, 0x37, 22),
        sensor('CPU1 Temp', 0x01, 0x03, 61),
        sensor('CPU2 Temp', 0x01, 0x03, 66),
        sensor('DIMM Temp', 0x01, 0x20, 40),
        sensor('Fan1', 0x04, 0x1d, 5400, 'RPM', 18),
        sensor('Fan2', 0x04, 0x1d, null, 'RPM', 18),
        sensor('Fan3', 0x04, 0x1d, 5100, 'RPM', 18),
        sensor('Fan Redundancy', 0x04, 0x1d, 1, 'unspecified', 0),
      ],
      power: { watts: 312, source: 'dcmi' },
    };
    expect(sensorSamples('srv-1', r).map((s) => [s.metric, s.value])).toEqual([
      ['bmc.inlet_c', 22], ['bmc.cpu_c', 66], ['bmc.cpu_c.1', 61], ['bmc.cpu_c.2', 66], ['bmc.fan_rpm.1', 5400], ['bmc.fan_rpm.2', 5100], ['bmc.power_w', 312],
    ]);
    expect(sensorSamples('srv-1', r).every((s) => s.deviceId === 'srv-1' && s.ts === 1000)).toBe(true);
  });

  it('finds an inlet by name when the entity says nothing, and writes nothing it could not read', () => {
    const r: BmcReadings = { at: 1, sensors: [sensor('Ambient Temp', 0x01, 0x07, 24), sensor('CPU Temp', 0x01, 0x03, null)], power: null };
    expect(sensorSamples('d', r).map((s) => [s.metric, s.value])).toEqual([['bmc.inlet_c', 24]]);
    expect(sensorSamples('d', { at: 1, sensors: [], power: null })).toEqual([]);
  });

  it('sums the PSU input sensors when the BMC has no DCMI', () => {
    const psu = (n: number, w: number | null) => sensor(`PSU${n} Power`, 0x08, 0x0a, w, 'Watts', 6);
    expect(sensorPower([psu(1, 180), psu(2, 176)])).toEqual({ watts: 356, source: 'sensor' });
    expect(sensorPower([sensor('Pwr Consumption', 0x0b, 0x15, 240, 'Watts', 6)])).toEqual({ watts: 240, source: 'sensor' });
    expect(sensorPower([psu(1, null)])).toBeNull();
  });

  it('counts the PSUs the power-supply sensors name (bmc.psus): once per PSU entity, unreadable ones too, redundancy left out', () => {
    const ps = (name: string, instance: number | undefined, value: number | null = 100): SensorValue => {
      const s = sensor(name, 0x08, 0x0a, value, 'Watts', 6);
      return { ...s, record: { ...s.record, entityInstance: instance } as SensorValue['record'] };
    };
    const count = (sensors: SensorValue[]): number | undefined => sensorSamples('d', { at: 1, sensors, power: null }).find((x) => x.metric === 'bmc.psus')?.value;
    expect(count([ps('PSU1 Power', 1), ps('PSU2 Power', 2, null)])).toBe(2);
    expect(count([ps('PS1 Status', 1), ps('PS1 Input Power', 1), ps('PS Redundancy', 0)])).toBe(1);
    // No instance in the record: by name.
    expect(count([ps('PSU1', undefined), ps('PSU2', undefined), ps('PSU3', undefined)])).toBe(3);
    expect(count([sensor('Inlet', 0x01, 0x37, 22)])).toBeUndefined();
  });
});

describe('startSensorPoller', () => {
  const readings = (id: string): BmcReadings => ({ at: Date.now(), sensors: [sensor('Inlet', 0x01, 0x37, id.length)], power: { watts: 100, source: 'dcmi' } });

  it('keeps at most `concurrency` BMCs in flight, counts failures, stores in batches, and runs rounds one at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const stored: Sample[] = [];
    const ids = Array.from({ length: 50 }, (_, i) => `srv-${i}`);
    const poller = startSensorPoller({
      intervalMs: 60_000,
      firstDelayMs: 60_000,
      concurrency: 8,
      targets: () => ids,
      metrics: { append: (s) => (stored.push(...s), s.length) },
      bmc: {
        readings: async (id, o) => {
          expect(o?.holdMs).toBeGreaterThan(60_000);
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          if (id === 'srv-7') throw new Error('timed out');
          return readings(id);
        },
      },
    });
    const [a, b] = [poller.pollNow(), poller.pollNow()];
    expect(a).toBe(b); // joins the round running
    const round = await a;
    expect(round).toMatchObject({ bmcs: 50, ok: 49, failed: 1, samples: 98 });
    expect(most).toBe(8);
    expect(stored).toHaveLength(98);
    expect(poller.stats()).toMatchObject({ rounds: 1, running: false });
    await poller.dispose();
  });

  it('polls on its schedule until disposed, even when every BMC fails', async () => {
    let calls = 0;
    const poller = startSensorPoller({
      intervalMs: 40,
      firstDelayMs: 0,
      targets: () => ['a', 'b'],
      metrics: { append: (s) => s.length },
      bmc: {
        readings: async () => {
          calls++;
          throw new Error('no answer');
        },
      },
    });
    const until = Date.now() + 2000;
    while (poller.stats().rounds < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(poller.stats().rounds).toBeGreaterThanOrEqual(3);
    expect(poller.stats().last).toMatchObject({ ok: 0, failed: 2 });
    await poller.dispose();
    const after = calls;
    await new Promise((r) => setTimeout(r, 150));
    expect(calls).toBe(after);
  });

  it('refresh(): a 3,000-device import is read within the same in-flight cap, ahead of the round; unchanged and removed ones are not read', async () => {
    let ids = Array.from({ length: 100 }, (_, i) => `old-${i}`);
    const keys = new Map(ids.map((id) => [id, 'k1']));
    let inFlight = 0;
    let most = 0;
    const reads: string[] = [];
    const released: string[] = [];
    const poller = startSensorPoller({
      intervalMs: 60_000,
      firstDelayMs: 60_000,
      concurrency: 8,
      targets: () => ids,
      metrics: { append: (s) => s.length },
      bmc: {
        targetKeys: (list) => new Map(list.map((id) => [id, keys.get(id) ?? null])),
        release: (id) => released.push(id),
        readings: async (id) => {
          inFlight++;
          most = Math.max(most, inFlight);
          reads.push(id);
          await new Promise((r) => setTimeout(r, 1));
          inFlight--;
          return readings(id);
        },
      },
    });
    const round = poller.pollNow();
    const added = Array.from({ length: 3000 }, (_, i) => `new-${i}`);
    ids = [...ids.slice(1), ...added];
    for (const id of added) keys.set(id, 'k1');
    keys.set('old-5', 'k2');
    expect(poller.refresh()).toEqual({ added, changed: ['old-5'], removed: ['old-0'] });
    expect(released).toEqual(['old-0', 'old-5']);
    const until = Date.now() + 20_000;
    while (poller.stats().immediate.pending && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await round;
    expect(most).toBe(8);
    expect(poller.stats().immediate).toEqual({ pending: 0, ok: 3001, failed: 0 });
    // Every new one read once (and before the round reached most of the old ones); nothing read twice in one round but old-5.
    expect(reads.filter((id) => id.startsWith('new-'))).toHaveLength(3000);
    expect(reads.indexOf('new-2999')).toBeLessThan(3000 + 8 * 2);
    expect(reads.filter((id) => id === 'old-1')).toHaveLength(1);
    expect(poller.refresh()).toEqual({ added: [], changed: [], removed: [] });
    await poller.dispose();
  });
});
