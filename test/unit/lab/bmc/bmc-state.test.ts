// The lab BMC's platform model: deterministic drifting sensors, threshold crossings and
// power changes logged in the SEL, the SEL's capacity, identify and one-time boot flags.
import { describe, expect, it } from 'vitest';
import { BmcState } from '../../../../src-main/lab/bmc/bmc-state';
import { sensorProfile, sensorValues } from '../../../../src-main/lab/bmc/bmc-model';

const T0 = Date.UTC(2025, 0, 1);

describe('lab BMC state', () => {
  it('drifts its sensors slowly and deterministically: same seed and time, same readings', () => {
    let now = T0;
    const a = new BmcState({ seed: 3, now: () => now });
    const b = new BmcState({ seed: 3, now: () => now });
    expect(a.sensors()).toEqual(b.sensors());
    const first = a.sensors().map((s) => s.value!);
    now += 3_600_000 / 4;
    const later = a.sensors().map((s) => s.value!);
    expect(later).not.toEqual(first);
    expect(Math.abs(later[0] - first[0])).toBeLessThan(5); // inlet moves by degrees, not tens
    expect(new BmcState({ seed: 4, now: () => now }).sensors().map((s) => s.value)).not.toEqual(later);
  });

  it('reads fans as unavailable and draws standby power when off; logs power events', () => {
    const s = new BmcState({ seed: 1, now: () => T0 });
    s.setPower(false, 'lab');
    const off = s.sensors();
    expect(off.find((x) => x.name === 'Fan1')).toMatchObject({ value: null, status: 'ns' });
    expect(off.find((x) => x.name === 'PSU1 Power')!.value).toBeLessThan(20);
    s.setPower(true, 'ipmi');
    expect(s.selEntries().map((e) => [e.sensorTypeName, e.description, e.asserted])).toEqual([
      ['Power Unit', 'Power off/down', true],
      ['Power Unit', 'Power off/down', false],
    ]);
  });

  it('logs a threshold crossing when a hot CPU passes 85 C, and its deassertion when it cools', () => {
    // Find a hot server (3% of seeds), then walk its clock until the CPU crosses the warning.
    const seed = Array.from({ length: 500 }, (_, i) => i).find((i) => sensorProfile(i, 400).hot)!;
    let now = T0;
    const s = new BmcState({ seed, nominalWatts: 400, now: () => now });
    const cpuAt = (t: number) => sensorValues(sensorProfile(seed, 400), true, t)[1]!;
    while (cpuAt(now) < 86) now += 10_000;
    s.tick();
    while (cpuAt(now) > 84) now += 10_000;
    s.tick();
    const events = s.selEntries().filter((e) => e.sensorTypeName === 'Temperature');
    expect(events.map((e) => [e.sensorNumber, e.description, e.asserted])).toEqual(expect.arrayContaining([
      [2, 'Upper Non-critical going high', true],
      [2, 'Upper Non-critical going high', false],
    ]));
    // Event data: trigger reading and threshold, as BMCs report them.
    expect(events[0].eventData[0] & 0xf0).toBe(0x50);
    expect(events[0].eventData[2]).toBe(85);
  });

  it('keeps at most selCapacity entries, the newest, with increasing record IDs', () => {
    const s = new BmcState({ seed: 1, selCapacity: 4, now: () => T0 });
    for (let i = 0; i < 5; i++) {
      s.setPower(false, 'lab');
      s.setPower(true, 'lab');
    }
    expect(s.selEntries().map((e) => e.recordId)).toEqual([7, 8, 9, 10]);
    expect(s.selFreeBytes()).toBe(0);
    s.clearSel();
    expect(s.selEntries()).toEqual([]);
  });

  it('times out identify, keeps a forced one on, and uses up a one-time boot override', () => {
    let now = T0;
    const s = new BmcState({ seed: 1, now: () => now });
    s.identify(10, false);
    expect(s.identifyState).toBe('temporary');
    now += 11_000;
    expect(s.identifyState).toBe('off');
    s.identify(0, true);
    now += 3_600_000;
    expect(s.identifyState).toBe('indefinite');
    s.boot = { valid: true, persistent: false, efi: false, device: 'pxe' };
    s.reset();
    expect(s.boot.valid).toBe(false);
  });
});
