// The health verdict: degraded when slow, partial or answering with an error; unreachable without an answer or when the credential is refused.
import { describe, expect, it } from 'vitest';
import { judgeHealth } from '../../../../../src-main/core/fleet/poller/health';
import { SnmpAuthError, SnmpResponseError, SnmpTimeoutError } from '../../../../../src-main/core/protocols/snmp/errors';

describe('poll health', () => {
  it('is degraded when slow, partial or answering with an error; unreachable without an answer', () => {
    expect(judgeHealth({ error: null, rttMs: 1500, slowMs: 1000, partial: [], linksDown: [] })).toEqual({ status: 'degraded', reasons: ['slow: answered in 1500 ms'] });
    expect(judgeHealth({ error: null, rttMs: 10, slowMs: 1000, partial: ['no sysUpTime'], linksDown: [] }).reasons).toEqual(['partial: no sysUpTime']);
    expect(judgeHealth({ error: new SnmpResponseError('h', 5, 0, null), rttMs: 10, slowMs: 1000, partial: [], linksDown: [] }).status).toBe('degraded');
    // A refused credential (wrong v3 key) gives no reading: unreachable, as a v2c agent dropping a wrong community is.
    expect(judgeHealth({ error: new SnmpAuthError('h', 'Wrong Digest'), rttMs: 10, slowMs: 1000, partial: [], linksDown: [] }).status).toBe('unreachable');
    expect(judgeHealth({ error: new SnmpTimeoutError('h', '1.3'), rttMs: null, slowMs: 1000, partial: [], linksDown: [] }))
      .toEqual({ status: 'unreachable', reasons: ['SNMP request to h for 1.3 timed out'] });
    expect(judgeHealth({ error: new Error('no session'), rttMs: null, slowMs: 1000, partial: [], linksDown: [] }).status).toBe('unreachable');
  });
});
