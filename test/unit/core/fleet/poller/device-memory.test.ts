// The per-device poll step: rates, restarts, interface events and the health verdict.
import { describe, expect, it } from 'vitest';
import { assessPoll, newDeviceMemory } from '../../../../../src-main/core/fleet/poller/device-memory';
import type { DeviceReading } from '../../../../../src-main/core/protocols/snmp/mib/device-poll';
import { SnmpTimeoutError } from '../../../../../src-main/core/protocols/snmp/errors';

function reading(at: number, ticks: number, o: Partial<DeviceReading> = {}): DeviceReading {
  return {
    at, rttMs: 5, sysName: 'srv', uptimeTicks: ticks, ifNumber: 2, table: null, powerWatts: null, outlets: null, partial: [],
    octets: { at, ticks, inOctets: [BigInt(at) * 100n, 0n], outOctets: [BigInt(at) * 50n, 0n] },
    interfaces: [{ ifIndex: 1, name: 'if1', admin: 'up', oper: 'up' }, { ifIndex: 2, name: 'if2', admin: 'up', oper: 'down' }],
    ...o,
  };
}
const base = { rttMs: 5, slowMs: 1000, walkInterfaces: false };

describe('device poll assessment', () => {
  it('is up with rates from the second answer on, and flags a restart without a rate across it', () => {
    const m = newDeviceMemory('server');
    expect(assessPoll(m, { ...base, reading: reading(1000, 100), error: null, at: 1000 })).toMatchObject({ answered: true, health: 'up', inBps: null, reasons: [] });
    expect(assessPoll(m, { ...base, reading: reading(2000, 200), error: null, at: 2000 })).toMatchObject({ health: 'up', inBps: 100_000, outBps: 50_000, restarted: false });
    expect(assessPoll(m, { ...base, reading: reading(3000, 5), error: null, at: 3000 })).toMatchObject({ inBps: null, restarted: true, uptimeSeconds: 0.05 });
  });

  it('is degraded when a link it saw up goes down while admin-up, not when never up or shut by an operator', () => {
    const m = newDeviceMemory('switch');
    assessPoll(m, { ...base, reading: reading(1000, 100), error: null, at: 1000 });
    const down = reading(2000, 200, { interfaces: [{ ifIndex: 1, name: 'if1', admin: 'up', oper: 'down' }, { ifIndex: 2, name: 'if2', admin: 'up', oper: 'down' }] });
    const a = assessPoll(m, { ...base, reading: down, error: null, at: 2000 });
    expect(a).toMatchObject({ health: 'degraded', reasons: ['link down: if1'] });
    expect(a.ifChanges).toEqual([{ ifIndex: 1, name: 'if1', status: 'down', previous: 'up', adminStatus: 'up', at: 2000 }]);
    const shut = reading(3000, 300, { interfaces: [{ ifIndex: 1, name: 'if1', admin: 'down', oper: 'down' }] });
    expect(assessPoll(m, { ...base, reading: shut, error: null, at: 3000 }).health).toBe('up');
    const back = reading(4000, 400, { interfaces: [{ ifIndex: 1, name: 'if1', admin: 'up', oper: 'down' }] });
    expect(assessPoll(m, { ...base, reading: back, error: null, at: 4000 }).health).toBe('up'); // forgotten once shut
  });

  it('is unreachable without an answer', () => {
    const m = newDeviceMemory('pdu');
    expect(assessPoll(m, { ...base, reading: null, error: new SnmpTimeoutError('h', null), at: 1 })).toMatchObject({ answered: false, health: 'unreachable', sysName: null });
  });

  it('follows the device ifNumber for the GET path, up to 16 interfaces', () => {
    const m = newDeviceMemory('switch');
    expect(m.interfaces).toBe(6);
    assessPoll(m, { ...base, reading: reading(1000, 100, { ifNumber: 52 }), error: null, at: 1000 });
    expect(m.interfaces).toBe(16);
    expect(m.sample).toBeNull();
  });
});
