// The lab's SNMPv2-Trap encoder, read back by the console's own trap receiver (net-snmp's
// decoder): integers at their sign edges, TimeTicks with the top bit set, long lengths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrapReceiver, type TrapEvent, type TrapReceiver } from '../../../src-main/core/protocols/snmp';
import { encodeV2cTrap } from '../../../src-main/lab/snmp/trap-pdu';

const community = `c${'x'.repeat(299)}`;
const got: TrapEvent[] = [];
let receiver: TrapReceiver;
beforeAll(async () => {
  receiver = await createTrapReceiver({ address: '127.0.0.1', port: 0, communities: [community, 'lab'], users: [], onTrap: (t) => got.push(t) });
});
afterAll(() => receiver.dispose());

describe('encodeV2cTrap', () => {
  it('is read back whole: long community and value, edge integers, large uptime', () => {
    const ints = [0, 1, -1, 127, 128, -128, -129, 255, 256, 2 ** 31 - 1, -(2 ** 31)];
    const message = encodeV2cTrap(community, 2 ** 31 - 2, 2 ** 31 + 5, '1.3.6.1.4.1.32473.9.1', [
      ...ints.map((value, i) => ({ oid: `1.3.6.1.4.1.32473.9.2.${i}`, value: { type: 'integer' as const, value } })),
      { oid: '1.3.6.1.4.1.32473.9.3.0', value: { type: 'octets', value: 'y'.repeat(200) } },
      { oid: '1.3.6.1.4.1.32473.9.4.0', value: { type: 'oid', value: '1.3.6.1.4.1.200000.1' } },
      { oid: '1.3.6.1.4.1.32473.9.5.0', value: { type: 'timeticks', value: 0 } },
    ]);
    expect(message.length).toBeGreaterThan(600);
    receiver.handle(message, { address: '127.0.0.1', port: 20005 });
    expect(got).toHaveLength(1);
    const t = got[0];
    expect(t).toMatchObject({ kind: 'trap', version: '2c', trapOid: '1.3.6.1.4.1.32473.9.1', source: { address: '127.0.0.1', port: 20005 } });
    expect(t.community).toBe(community);
    expect(t.varbinds.slice(0, ints.length).map((v) => v.value)).toEqual(ints);
    expect(t.varbinds.slice(ints.length)).toEqual([
      { oid: '1.3.6.1.4.1.32473.9.3.0', type: 'octets', value: Buffer.from('y'.repeat(200)) },
      { oid: '1.3.6.1.4.1.32473.9.4.0', type: 'oid', value: '1.3.6.1.4.1.200000.1' },
      { oid: '1.3.6.1.4.1.32473.9.5.0', type: 'timeticks', value: 0 },
    ]);
  });

  it('refuses values SNMP cannot carry', () => {
    expect(() => encodeV2cTrap('lab', 1, 2 ** 32, '1.3.6.1.6.3.1.1.5.1')).toThrow(RangeError);
    expect(() => encodeV2cTrap('lab', 2 ** 31, 0, '1.3.6.1.6.3.1.1.5.1')).toThrow(RangeError);
    expect(() => encodeV2cTrap('lab', 1, 0, 'not.an.oid')).toThrow(RangeError);
  });
});
