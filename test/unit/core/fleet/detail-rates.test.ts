// The device page's rate rules: which earlier sample pairs with a new read, the poller's
// counters as a sample, the link-speed bound only where the agent's speed is believable, and
// the poller's last protocol error kept while a device fails.
import { describe, expect, it } from 'vitest';
import { createSampleHistory, MIN_SPACING_MS, sampleFromCounters } from '../../../../src-main/core/fleet/detail-rates';
import { lastCounters, newDeviceMemory } from '../../../../src-main/core/fleet/poller/device-memory';
import { createPollOutbox, newPollState, recordPoll } from '../../../../src-main/core/fleet/poller/poll-record';
import { interfaceRates, speedBelievable, type InterfaceRow, type InterfaceSample } from '../../../../src-main/core/protocols/snmp';
import { SnmpTimeoutError } from '../../../../src-main/core/protocols/snmp/errors';

function row(ifIndex: number, o: Partial<InterfaceRow> = {}): InterfaceRow {
  return { ifIndex, name: `eth${ifIndex}`, descr: '', alias: '', type: 6, adminStatus: 'up', operStatus: 'up', speedBps: 1e9, inOctets: 0n, outOctets: 0n, counterBits: 64, discontinuity: 0, ...o };
}
const sample = (at: number, rs: InterfaceRow[]): InterfaceSample => ({ at, uptimeTicks: at / 10, interfaces: new Map(rs.map((r) => [r.ifIndex, r])) });

describe('believable link speeds', () => {
  it('does not bound loopback or a virtual interface at net-snmp\'s nominal 10 Mb/s', () => {
    expect(speedBelievable(row(1, { type: 24, name: 'lo', speedBps: 10e6 }))).toBe(false);
    expect(speedBelievable(row(2, { type: 6, name: 'veth12ab', speedBps: 10e6 }))).toBe(false);
    expect(speedBelievable(row(3, { type: 209, name: 'br0', speedBps: 10e6 }))).toBe(false);
    expect(speedBelievable(row(4, { type: null, name: 'x', speedBps: 10e6 }))).toBe(false);
    expect(speedBelievable(row(5, { type: 6, name: 'eth0', speedBps: 10e6 }))).toBe(true); // a real 10 Mb/s port
    expect(speedBelievable(row(6, { type: 6, name: 'docker0', speedBps: 1e9 }))).toBe(true);
    expect(speedBelievable(row(7, { speedBps: 0 }))).toBe(false);
  });

  it('keeps loopback rates above its reported 10 Mb/s and blanks a believable link past 1.1x', () => {
    const prev = sample(0, [row(1, { type: 24, name: 'lo', speedBps: 10e6 }), row(2, { speedBps: 10e6 })]);
    const cur = sample(10_000, [row(1, { type: 24, name: 'lo', speedBps: 10e6, inOctets: 50_000_000n, outOctets: 50_000_000n }), row(2, { speedBps: 10e6, inOctets: 50_000_000n })]);
    const [lo, eth] = interfaceRates(prev, cur);
    expect(lo).toMatchObject({ inBps: 40e6, outBps: 40e6, inUtilisation: null });
    expect(eth).toMatchObject({ inBps: null, outBps: 0 });
  });
});

describe('the first of a rate pair', () => {
  it('keeps the newest sample past the spacing and the younger ones a second apart', () => {
    const h = createSampleHistory();
    const s = (at: number) => ({ at, page: sample(at, []) });
    for (const at of [0, 500, 1000, 2500, 4000, 4200, 6000]) h.add(s(at));
    const now = 6000 + 100;
    const kept = h.list(now).map((e) => e.at);
    expect(kept).toEqual([2500, 4000, 6000]); // 2500 is the newest >= 3.5 s old; 500 and 4200 were too close to a kept one
    expect(now - kept[0]).toBeGreaterThanOrEqual(MIN_SPACING_MS);
  });

  it('turns the poller\'s counters into a sample beside a new read (rows it lacks left out)', () => {
    const m = newDeviceMemory('server');
    m.sample = { at: 1000, ticks: 100, inOctets: [10n, null], outOctets: [20n, 5n] };
    const c = lastCounters(m)!;
    expect(c).toMatchObject({ at: 1000, uptimeTicks: 100 });
    const cur = sample(5000, [row(1, { inOctets: 1010n, outOctets: 2020n, discontinuity: 7 }), row(2), row(3)]);
    const prev = sampleFromCounters(c, cur);
    expect([...prev.interfaces.keys()]).toEqual([1]);
    expect(prev.interfaces.get(1)).toMatchObject({ inOctets: 10n, outOctets: 20n, discontinuity: 7 });
    expect(interfaceRates(prev, cur)[0]).toMatchObject({ inBps: 2000, outBps: 4000 });
  });
});

describe('the poller\'s last error', () => {
  it('is kept while the device is unreachable and cleared by a full answer', () => {
    const m = newDeviceMemory('server');
    const s = newPollState();
    const out = createPollOutbox({});
    const poll = { deviceId: 'a', rttMs: 5, slowMs: 1000, walkInterfaces: false };
    recordPoll(m, s, { ...poll, reading: null, error: new SnmpTimeoutError('127.0.0.1', null) }, 1000, out);
    expect(s.lastError).toMatchObject({ name: 'SnmpTimeoutError' });
    recordPoll(m, s, {
      ...poll, error: null,
      reading: { at: 2000, rttMs: 5, sysName: 'a', uptimeTicks: 10, ifNumber: 0, octets: null, table: null, interfaces: [], powerWatts: null, outlets: null, partial: [] },
    }, 2000, out);
    expect(s.health).toBe('up');
    expect(s.lastError).toBeNull();
  });
});
