// The device page's freshness rules: which power reading it shows and when it is stale,
// when the device last answered, and why its interfaces were not read (as a code).
import { describe, expect, it } from 'vitest';
import type { BmcInfo, DeviceDetail } from '../../../../../src-shared/domain';
import { POWER_STALE_MS, factsStale, interfacesProblemOf, nextAnsweredAt, powerShown } from '../../../../../src-renderer/stores/device/freshness';

const NOW = 1_700_000_000_000;

function detail(p: Partial<DeviceDetail> & { kind?: 'server' | 'pdu' } = {}): DeviceDetail {
  const { kind = 'server', ...rest } = p;
  return {
    device: { id: 'dev-1', kind, hostname: 'srv-1' },
    status: 'up',
    lastPollAt: NOW - 5_000,
    rttMs: 1.2,
    powerWatts: null,
    powerSource: null,
    powerAt: null,
    powerHistory: [],
    interfaces: [],
    interfacesError: null,
    interfacesProblem: null,
    ...rest,
  } as unknown as DeviceDetail;
}

const bmc = (watts: number | null): BmcInfo =>
  ({ deviceId: 'dev-1', fetchedAt: NOW - 1_000, power: 'on', identify: false, powerWatts: watts, powerSource: 'dcmi', sensors: [], sel: [], deviceIdInfo: null }) as BmcInfo;

describe('powerShown', () => {
  it('shows a server\'s power from the BMC readings when the detail says powerSource bmc, stale when old', () => {
    expect(powerShown(detail({ powerWatts: 256, powerSource: 'bmc', powerAt: NOW - 30_000 }), null, NOW)).toEqual({ kind: 'bmc', watts: 256, at: NOW - 30_000, stale: false });
    expect(powerShown(detail({ powerWatts: 256, powerSource: 'bmc', powerAt: NOW - POWER_STALE_MS - 1 }), null, NOW)?.stale).toBe(true);
  });

  it('marks a PDU reading stale when the PDU does not answer', () => {
    const d = detail({ kind: 'pdu', powerWatts: 4000, powerSource: 'pdu', powerAt: NOW - 10_000, status: 'unreachable' });
    expect(powerShown(d, null, NOW)).toMatchObject({ kind: 'pdu', stale: true });
  });

  it('falls back to the BMC read on the page instead of "no power reading"', () => {
    expect(powerShown(detail(), bmc(256), NOW)).toMatchObject({ kind: 'bmc-live', watts: 256, source: 'dcmi' });
    expect(powerShown(detail(), bmc(null), NOW)).toBeNull();
    expect(powerShown(detail(), { ...bmc(256), deviceId: 'other' }, NOW)).toBeNull();
  });
});

describe('nextAnsweredAt / factsStale', () => {
  it('keeps the time of the last answer once the device stops answering', () => {
    const answered = nextAnsweredAt(null, 'up', NOW - 60_000);
    expect(answered).toBe(NOW - 60_000);
    expect(nextAnsweredAt(answered, 'unreachable', NOW)).toBe(NOW - 60_000);
    expect(nextAnsweredAt(null, 'unreachable', NOW)).toBeNull();
    expect(factsStale('unreachable')).toBe(true);
    expect(factsStale('degraded')).toBe(false);
  });
});

describe('interfacesProblemOf', () => {
  it('takes the core\'s code when it sends one', () => {
    expect(interfacesProblemOf({ interfacesProblem: { code: 'no-credential' }, interfacesError: 'x', status: 'up' })).toEqual({ code: 'no-credential' });
  });

  it('recognises the older English reasons', () => {
    expect(interfacesProblemOf({ interfacesProblem: null, interfacesError: 'no SNMP credential for this device', status: 'up' })).toEqual({ code: 'no-credential' });
    expect(interfacesProblemOf({ interfacesProblem: null, interfacesError: 'not read: the device is unreachable', status: 'unreachable' })).toEqual({ code: 'not-read', status: 'unreachable' });
    const failed = interfacesProblemOf({ interfacesProblem: null, interfacesError: 'SnmpTimeoutError: no answer from 10.0.0.1', status: 'up' });
    expect(failed).toEqual({ code: 'read-failed', error: { name: 'SnmpTimeoutError', code: 'UNAVAILABLE', message: 'no answer from 10.0.0.1' } });
    expect(interfacesProblemOf({ interfacesProblem: null, interfacesError: null, status: 'up' })).toBeNull();
  });
});
