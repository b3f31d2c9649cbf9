// bmc.sel_critical without a network: the SEL tracker (what counts as critical, the baseline,
// new entries, a cleared SEL, the window) and the sensor poller's SEL reads (every selEvery-th
// read, a failed SEL read tried again, a removed BMC forgotten) over a fake BMC service.
import { describe, expect, it } from 'vitest';
import type { BmcInfo, SelEntry } from '../../../../src-shared/domain';
import { createSelCriticalTracker } from '../../../../src-main/core/device-control/sel-critical';
import { BMC_METRICS, startSensorPoller } from '../../../../src-main/core/device-control/sensor-poller';
import type { Sample } from '../../../../src-main/core/store/metrics-repository';

const MIN = 60_000;
/** Memory (0x0c), sensor-specific, offset 1: uncorrectable ECC - critical. */
const ecc = (id: number, at: number | null, direction: SelEntry['direction'] = 'assertion'): SelEntry => ({
  id, at, sensor: 'Memory #9', sensorType: 0x0c, sensorNumber: 9, eventType: 0x6f, offset: 1, event: 'Uncorrectable ECC', direction,
});
/** Temperature, threshold, offset 7: upper non-critical going high - a warning. */
const warm = (id: number, at: number | null): SelEntry => ({ ...ecc(id, at), sensor: 'Temp #1', sensorType: 0x01, eventType: 0x01, offset: 7, event: 'Upper Non-critical going high' });

describe('SEL critical tracker', () => {
  it('baseline: only critical entries with a real stamp inside the window count; pre-init and old ones do not', () => {
    const t = createSelCriticalTracker(15 * MIN);
    const now = 100 * MIN;
    expect(t.count('a', now)).toBeNull();
    t.update('a', [ecc(1, null), ecc(2, now - 20 * MIN), ecc(3, now - 5 * MIN), warm(4, now - MIN), ecc(5, now - MIN, 'deassertion')], now);
    expect(t.count('a', now)).toBe(1);
    // The entry stamped 5 min ago leaves the window 10 min later.
    expect(t.count('a', now + 10 * MIN)).toBe(0);
  });

  it('later reads count new critical entries at the read time; known ones, warnings and deassertions never', () => {
    const t = createSelCriticalTracker(15 * MIN);
    const sel = [ecc(1, null), warm(2, null)];
    t.update('a', sel, 0);
    expect(t.count('a', 0)).toBe(0);
    t.update('a', [...sel, ecc(3, null), warm(4, null), ecc(5, null, 'deassertion')], MIN);
    expect(t.count('a', MIN)).toBe(1);
    t.update('a', [...sel, ecc(3, null), ecc(6, null), ecc(7, null)], 2 * MIN);
    expect(t.count('a', 2 * MIN)).toBe(3);
    expect(t.count('a', 16 * MIN)).toBe(2); // the first one is out of the window
    expect(t.count('a', 17 * MIN)).toBe(0);
  });

  it('a cleared SEL reusing record ids: the entries after the clear are new', () => {
    const t = createSelCriticalTracker(15 * MIN);
    t.update('a', [ecc(1, 1000), ecc(2, 2000)], 3000);
    const base = t.count('a', 3000);
    t.update('a', [ecc(1, 5000)], 6000); // cleared, then one new critical entry as record 1
    expect(t.count('a', 6000)).toBe(base! + 1);
    // Cleared again, and a different critical entry as record 1 with no date (pre-init): new too.
    t.update('a', [{ ...ecc(1, null), sensorType: 0x07, sensor: 'Processor #1', offset: 0, event: 'IERR' }], 7000);
    expect(t.count('a', 7000)).toBe(base! + 2);
    t.forget('a');
    expect(t.has('a')).toBe(false);
  });
});

describe('sensor poller: bmc.sel_critical', () => {
  const info = (deviceId: string, sel: SelEntry[]): BmcInfo => ({
    deviceId, fetchedAt: Date.now(), power: 'on', identify: null, powerWatts: null, powerSource: null, sensors: [], sel, deviceIdInfo: null,
  });

  it('reads the SEL on the second and then every selEvery-th read, stores the count on every read, retries a failed SEL read', async () => {
    const stored: Sample[] = [];
    const sel: SelEntry[] = [ecc(1, null)];
    let infoCalls = 0;
    let failNext = false;
    const poller = startSensorPoller({
      intervalMs: 60_000,
      firstDelayMs: 60_000,
      selEvery: 3,
      targets: () => ['srv-1'],
      metrics: { append: (s) => (stored.push(...s), s.length) },
      bmc: {
        readings: () => Promise.resolve({ at: Date.now(), sensors: [], power: { watts: 100, source: 'dcmi' } }),
        info: (id) => {
          infoCalls++;
          if (failNext) {
            failNext = false;
            return Promise.reject(new Error('SEL read timed out'));
          }
          return Promise.resolve(info(id, [...sel]));
        },
      },
    });
    const counts = (): number[] => stored.filter((s) => s.metric === BMC_METRICS.selCritical).map((s) => s.value);
    await poller.pollNow(); // the first read: sensors only, no SEL yet, no count
    expect(infoCalls).toBe(0);
    expect(counts()).toEqual([]);
    await poller.pollNow(); // baseline: the pre-init entry is old
    expect(infoCalls).toBe(1);
    sel.push(ecc(2, null));
    await poller.pollNow();
    await poller.pollNow();
    expect(infoCalls).toBe(1); // not due yet: the count stays what was known
    expect(counts()).toEqual([0, 0, 0]);
    failNext = true;
    await poller.pollNow(); // due, fails: logged, the known count stored, tried again next read
    expect(infoCalls).toBe(2);
    await poller.pollNow();
    expect(infoCalls).toBe(3);
    expect(counts()).toEqual([0, 0, 0, 0, 1]);
    await poller.dispose();
  });

  it('selEvery 0, or a service without info(): no SEL reads, no series', async () => {
    const stored: Sample[] = [];
    let infoCalls = 0;
    const poller = startSensorPoller({
      intervalMs: 60_000, firstDelayMs: 60_000, selEvery: 0, targets: () => ['srv-1'], metrics: { append: (s) => (stored.push(...s), s.length) },
      bmc: {
        readings: () => Promise.resolve({ at: Date.now(), sensors: [], power: null }),
        info: (id) => (infoCalls++, Promise.resolve(info(id, []))),
      },
    });
    await poller.pollNow();
    expect(infoCalls).toBe(0);
    expect(stored.filter((s) => s.metric === BMC_METRICS.selCritical)).toEqual([]);
    await poller.dispose();
  });
});
