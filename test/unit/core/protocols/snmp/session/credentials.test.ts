// SNMPv3 USM users checked before anything is sent: short passphrases, unknown protocols.
import { describe, expect, it } from 'vitest';
import { netSnmpUser } from '../../../../../../src-main/core/protocols/snmp/session/credentials';

describe('SNMP credentials', () => {
  it('checks v3 users before sending anything', () => {
    expect(() => netSnmpUser({ name: 'x', authKey: 'short' })).toThrow(/at least 8/);
    expect(() => netSnmpUser({ name: 'x', authKey: 'long-enough', privProtocol: 'rot13' as never, privKey: 'long-enough' })).toThrow(/privacy protocol/);
    expect(netSnmpUser({ name: 'x' })).toMatchObject({ name: 'x', level: 1 });
  });
});
