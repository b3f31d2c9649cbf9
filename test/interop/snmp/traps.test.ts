// Notifications sent by net-snmp's snmptrap and snmpinform (v1, v2c, v3 SHA/AES and
// SHA-256/AES-256) to FleetDeck's trap receiver on 127.51.0.1:18100 arrive as events; informs
// are acknowledged (snmpinform exits 0 only on the receiver's answer); a wrong key is a named
// error and no event.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrapReceiver, type SnmpError, type TrapEvent, type TrapReceiver } from '../../../src-main/core/protocols/snmp';
import { until } from '../../support/handles';
import { cliEnv, cliUserArgs, peerCheck, V3_USERS, which } from '../../support/snmp-peers';

const HOST = '127.51.0.1';
const PORT = 18100;
const COMMUNITY = 'fd-traps';
const peers = peerCheck(['snmptrap', 'snmpinform']);
const run = promisify(execFile);

/** The varbinds every notification carries: one of each type the CLI can send. */
const VARBINDS = [
  '1.3.6.1.2.1.2.2.1.1.7', 'i', '7',
  '1.3.6.1.2.1.2.2.1.2.7', 's', 'Ethernet1/7',
  '1.3.6.1.2.1.31.1.1.1.6.7', 'C', '18446744073709551615',
  '1.3.6.1.2.1.4.20.1.1.127.0.0.7', 'a', '127.0.0.7',
  '1.3.6.1.2.1.2.2.1.5.7', 'u', '4294967295',
  '1.3.6.1.4.1.8072.9.1', 'o', '1.3.6.1.4.1.8072.3.2.10',
];

describe.skipIf(peers.skip)(`snmptrap / snmpinform to FleetDeck's receiver${peers.skip ? ` (skipped: ${peers.reason})` : ''}`, () => {
  let receiver: TrapReceiver;
  let dir: string;
  const events: TrapEvent[] = [];
  const errors: SnmpError[] = [];
  const target = `${HOST}:${PORT}`;
  const send = (program: string, args: string[]) => run(which(program) ?? program, ['-t', '2', '-r', '1', ...args], { env: cliEnv(dir) });

  beforeAll(async () => {
    if (peers.missing.length) throw new Error(`CI=true: the interop peers must be installed: ${peers.reason}`);
    dir = mkdtempSync(join(tmpdir(), 'fleetdeck-traps-'));
    receiver = await createTrapReceiver({ address: HOST, port: PORT, communities: [COMMUNITY], users: Object.values(V3_USERS), onTrap: (e) => events.push(e), onError: (e) => errors.push(e) });
  });
  afterAll(async () => {
    await receiver?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<[string, string, string[], Partial<TrapEvent>]> = [
    ['v1 trap', 'snmptrap', ['-v1', '-c', COMMUNITY, target, '1.3.6.1.4.1.8072.4', '127.0.0.7', '6', '42', '', ...VARBINDS],
      { version: '1', kind: 'trap', trapOid: '1.3.6.1.4.1.8072.4.0.42', agentAddress: '127.0.0.7' }],
    ['v2c trap', 'snmptrap', ['-v2c', '-c', COMMUNITY, target, '', '1.3.6.1.6.3.1.1.5.3', ...VARBINDS], { version: '2c', kind: 'trap', trapOid: '1.3.6.1.6.3.1.1.5.3' }],
    ['v2c inform', 'snmpinform', ['-v2c', '-c', COMMUNITY, target, '', '1.3.6.1.6.3.1.1.5.4', ...VARBINDS], { version: '2c', kind: 'inform', trapOid: '1.3.6.1.6.3.1.1.5.4' }],
    ['v3 SHA/AES trap', 'snmptrap', [...cliUserArgs(V3_USERS.sha), target, '', '1.3.6.1.6.3.1.1.5.3', ...VARBINDS], { version: '3', kind: 'trap', user: V3_USERS.sha.name }],
    ['v3 SHA-256/AES-256 trap', 'snmptrap', [...cliUserArgs(V3_USERS.sha256), target, '', '1.3.6.1.6.3.1.1.5.3', ...VARBINDS], { version: '3', kind: 'trap', user: V3_USERS.sha256.name }],
    ['v3 SHA/AES inform', 'snmpinform', [...cliUserArgs(V3_USERS.sha), target, '', '1.3.6.1.6.3.1.1.5.4', ...VARBINDS], { version: '3', kind: 'inform', user: V3_USERS.sha.name }],
    ['v3 SHA-256/AES-256 inform', 'snmpinform', [...cliUserArgs(V3_USERS.sha256), target, '', '1.3.6.1.6.3.1.1.5.4', ...VARBINDS], { version: '3', kind: 'inform', user: V3_USERS.sha256.name }],
  ];

  for (const [label, program, args, want] of cases) {
    it(`${label} arrives as an event with every varbind`, async () => {
      const n = events.length;
      await send(program, args); // an inform's snmpinform fails unless the receiver acknowledged it
      const e = await until(`the ${label} event`, () => events[n], 5000);
      expect(events).toHaveLength(n + 1); // one event, even if the sender retransmitted
      expect(e).toMatchObject({ ...want, source: { address: expect.stringMatching(/^127\./) } });
      expect(e.varbinds.map((v) => [v.oid, v.type, typeof v.value === 'bigint' ? v.value.toString() : Buffer.isBuffer(v.value) ? v.value.toString() : v.value])).toEqual([
        ['1.3.6.1.2.1.2.2.1.1.7', 'integer', 7],
        ['1.3.6.1.2.1.2.2.1.2.7', 'octets', 'Ethernet1/7'],
        ['1.3.6.1.2.1.31.1.1.1.6.7', 'counter64', '18446744073709551615'],
        ['1.3.6.1.2.1.4.20.1.1.127.0.0.7', 'ipAddress', '127.0.0.7'],
        ['1.3.6.1.2.1.2.2.1.5.7', 'gauge32', 4294967295],
        ['1.3.6.1.4.1.8072.9.1', 'oid', '1.3.6.1.4.1.8072.3.2.10'],
      ]);
      if (want.version !== '1') expect(e.uptime).toEqual(expect.any(Number));
    });
  }

  it('turns a wrong community and a wrong v3 key into named errors and no event', async () => {
    const n = events.length;
    const m = errors.length;
    await send('snmptrap', ['-v2c', '-c', 'not-the-community', target, '', '1.3.6.1.6.3.1.1.5.3']);
    await send('snmptrap', [...cliUserArgs({ ...V3_USERS.sha, authKey: 'not-the-auth-key' }), target, '', '1.3.6.1.6.3.1.1.5.3']);
    await expect(send('snmpinform', ['-v2c', '-c', 'not-the-community', '-t', '0.3', '-r', '0', target, '', '1.3.6.1.6.3.1.1.5.4'])).rejects.toThrow();
    await until('three errors', () => errors.length >= m + 3, 5000);
    expect(errors.slice(m).map((e) => [e.name, (e.details as { reason: string }).reason])).toEqual([
      ['SnmpAuthError', 'unknown community'], ['SnmpAuthError', 'authentication digest does not verify'], ['SnmpAuthError', 'unknown community'],
    ]);
    expect(events).toHaveLength(n);
    expect(receiver.stats()).toMatchObject({ traps: 4, informs: 3 });
  });
});
