// IF-MIB: the table read against a real agent (ifIndexes that are not 1..n, with and
// without ifXTable), and the rate and event arithmetic on hand-made samples.
import { afterAll, describe, expect, it } from 'vitest';
import {
  counterDelta, createInterfaceTracker, ifStatus, interfaceChanges, interfaceRates, readInterfaces, restartedBetween,
  type InterfaceRow, type InterfaceSample,
} from '../../../../../../src-main/core/protocols/snmp/mib/if-mib';
import { createSnmpSession, type SnmpSession } from '../../../../../../src-main/core/protocols/snmp/session/session';
import { startTestAgent, type TestAgent } from '../../../../../support/snmp-test-agent';

const HOST = '127.52.2.1';
const PORT = 18202;

function row(ifIndex: number, o: Partial<InterfaceRow> = {}): InterfaceRow {
  return { ifIndex, name: `if${ifIndex}`, descr: '', alias: '', type: 6, adminStatus: 'up', operStatus: 'up', speedBps: 10e9,
    inOctets: 0n, outOctets: 0n, counterBits: 64, discontinuity: 0, ...o };
}
const sample = (at: number, uptimeTicks: number | null, rows: InterfaceRow[]): InterfaceSample => ({ at, uptimeTicks, interfaces: new Map(rows.map((r) => [r.ifIndex, r])) });

describe('IF-MIB rates and events', () => {
  it('gives bits/s per interface with utilisation, allowing one wrap of 64- and 32-bit counters', () => {
    const prev = sample(0, 1000, [row(1, { inOctets: 2n ** 64n - 1000n, outOctets: 10n }), row(7, { counterBits: 32, speedBps: 1e9, inOctets: 2n ** 32n - 500n, outOctets: 0n })]);
    const cur = sample(10_000, 2000, [row(1, { inOctets: 9000n, outOctets: 10n + 125_000_000n }), row(7, { counterBits: 32, speedBps: 1e9, inOctets: 500n, outOctets: 1250n })]);
    expect(interfaceRates(prev, cur)).toEqual([
      { ifIndex: 1, name: 'if1', inBps: 8000, outBps: 1e8, inUtilisation: 8000 / 10e9, outUtilisation: 0.01 },
      { ifIndex: 7, name: 'if7', inBps: 800, outBps: 1000, inUtilisation: 800 / 1e9, outUtilisation: 1000 / 1e9 },
    ]);
    expect(counterDelta(2n ** 32n - 1n, 0n, 32)).toBe(1n);
  });

  it('gives no rate across a restart, a discontinuity, a counter-width change, a new interface or an impossible delta', () => {
    const prev = sample(0, 50_000, [row(1, { inOctets: 1000n }), row(2, { inOctets: 1000n }), row(3, { inOctets: 1000n, counterBits: 32 })]);
    const restarted = sample(10_000, 300, [row(1, { inOctets: 5000n })]);
    expect(restartedBetween(prev, restarted)).toBe(true);
    expect(interfaceRates(prev, restarted)[0].inBps).toBeNull();
    const cur = sample(10_000, 51_000, [
      row(1, { inOctets: 1000n + 13n * 10n ** 12n }), // 10.4 Tbit/s on a 10G port: a reset we could not see
      row(2, { inOctets: 2000n, discontinuity: 4242 }),
      row(3, { inOctets: 2000n, counterBits: 64 }),
      row(4, { inOctets: 2000n }),
    ]);
    expect(interfaceRates(prev, cur).map((r) => r.inBps)).toEqual([null, null, null, null]);
    expect(interfaceRates(prev, sample(0, 50_000, [row(1, { inOctets: 2000n })]))[0].inBps).toBeNull(); // no time passed
  });

  it('tells a TimeTicks wrap at 2^32 (497 days) from a restart', () => {
    const prev = sample(0, 2 ** 32 - 500, [row(1, { inOctets: 0n })]);
    const wrapped = sample(10_000, 500, [row(1, { inOctets: 1250n })]); // 1000 ticks in 10 s
    expect(restartedBetween(prev, wrapped)).toBe(false);
    expect(interfaceRates(prev, wrapped)[0].inBps).toBe(1000);
    expect(restartedBetween(prev, sample(10_000, 90_000, []))).toBe(true);
    expect(restartedBetween(sample(0, null, []), sample(1, 5, []))).toBe(false);
  });

  it('reports oper-status changes, not appearances', () => {
    const prev = sample(0, 100, [row(1), row(2, { operStatus: 'down' })]);
    const cur = sample(5000, 600, [row(1, { operStatus: 'lowerLayerDown' }), row(2, { operStatus: 'up' }), row(3, { operStatus: 'down' })]);
    expect(interfaceChanges(prev, cur)).toEqual([
      { ifIndex: 1, name: 'if1', status: 'lowerLayerDown', previous: 'up', adminStatus: 'up', at: 5000 },
      { ifIndex: 2, name: 'if2', status: 'up', previous: 'down', adminStatus: 'up', at: 5000 },
    ]);
    expect([0, 1, 2, 7, 8, null].map(ifStatus)).toEqual(['unknown', 'up', 'down', 'lowerLayerDown', 'unknown', 'unknown']);
    const tracker = createInterfaceTracker();
    expect(tracker.update(prev)).toMatchObject({ changes: [], restarted: false });
    expect(tracker.update(cur).changes).toHaveLength(2);
    expect(tracker.last).toBe(cur);
  });
});

describe('IF-MIB table read', () => {
  const agents: TestAgent[] = [];
  const sessions: SnmpSession[] = [];
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    await Promise.all(agents.map((a) => a.close()));
  });

  it('reads sparse ifIndexes with 64-bit counters and ifHighSpeed, in a few round trips', async () => {
    const itfs = Array.from({ length: 48 }, (_, i) => ({
      ifIndex: 436_207_616 + i * 4096, name: `Ethernet1/${i + 1}`, alias: `srv-${i}`, speedMbps: i < 46 ? 25_000 : 100_000,
      admin: 1, oper: i === 3 ? 2 : 1, inOctets: 2n ** 50n + BigInt(i), outOctets: BigInt(i) * 1000n,
    }));
    const agent = await startTestAgent({ address: HOST, port: PORT, community: 'c', uptimeTicks: 123_456, interfaces: itfs });
    agents.push(agent);
    const s = createSnmpSession({ host: HOST, port: PORT, credentials: { version: '2c', community: 'c' } });
    sessions.push(s);
    const before = agent.datagrams;
    const sample = await readInterfaces(s, { maxRepetitions: 25, now: () => 42 });
    expect(sample.at).toBe(42);
    expect(sample.uptimeTicks).toBe(123_456);
    expect(sample.interfaces.size).toBe(48);
    const r = sample.interfaces.get(436_207_616 + 3 * 4096)!;
    expect(r).toMatchObject({ name: 'Ethernet1/4', alias: 'srv-3', operStatus: 'down', adminStatus: 'up', counterBits: 64, inOctets: 2n ** 50n + 3n, speedBps: 25e9 });
    expect(sample.interfaces.get(436_207_616 + 47 * 4096)!.speedBps).toBe(100e9); // ifSpeed saturates at 4.29G: ifHighSpeed wins
    // 48 rows x 13 columns = 624 cells; about 120 a response.
    expect(agent.datagrams - before).toBeLessThan(20);
  });

  it('falls back to 32-bit counters and ifDescr without ifXTable', async () => {
    const agent = await startTestAgent({ address: '127.52.2.2', port: PORT, community: 'c', ifXTable: false,
      interfaces: [{ ifIndex: 5, name: 'eth0', speedMbps: 1000, admin: 1, oper: 1, inOctets: 2n ** 33n + 7n, outOctets: 9n }] });
    agents.push(agent);
    const s = createSnmpSession({ host: '127.52.2.2', port: PORT, credentials: { version: '2c', community: 'c' } });
    sessions.push(s);
    const { interfaces } = await readInterfaces(s);
    expect(interfaces.get(5)).toMatchObject({ name: 'eth0', counterBits: 32, inOctets: 7n, outOctets: 9n, speedBps: 1e9 });
  });
});
