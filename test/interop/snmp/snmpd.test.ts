// FleetDeck's SNMP session and poller against net-snmp's snmpd (a child process on
// 127.50.0.1:18001, generated config, v2c community and v3 authPriv users SHA/AES and
// SHA-256/AES-256): the values FleetDeck reads are the values snmpbulkwalk reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnmpPoller } from '../../../src-main/core/fleet/snmp-poller';
import { createSnmpSession, type SnmpCredentials, type SnmpSession, type TypedVarbind } from '../../../src-main/core/protocols/snmp';
import { alive } from '../../support/handles';
import { cliUserArgs, parseCliWalk, peerCheck, startSnmpd, V3_USERS, type CliVarbind, type SnmpdPeer } from '../../support/snmp-peers';

const HOST = '127.50.0.1';
const PORT = 18001;
const peers = peerCheck(['snmpd', 'snmpbulkwalk', 'snmpget', 'snmpset']);
/** system, ifTable and ifXTable. */
const ROOTS = ['1.3.6.1.2.1.1', '1.3.6.1.2.1.2', '1.3.6.1.2.1.31.1.1'];

/** A FleetDeck value written the way `snmpbulkwalk -On -Oe -Ox` writes it. */
function asCli(vb: TypedVarbind): { type: string; value: string } {
  switch (vb.type) {
    case 'integer': return { type: 'INTEGER', value: String(vb.value) };
    case 'counter32': return { type: 'Counter32', value: String(vb.value) };
    case 'gauge32': return { type: 'Gauge32', value: String(vb.value) };
    case 'counter64': return { type: 'Counter64', value: vb.value.toString() };
    case 'timeticks': return { type: 'Timeticks', value: String(vb.value) };
    case 'oid': return { type: 'OID', value: `.${vb.value}` };
    case 'ipAddress': return { type: 'IpAddress', value: vb.value };
    case 'octets': return vb.value.length ? { type: 'Hex-STRING', value: vb.value.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ') } : { type: '', value: '""' };
    default: return { type: vb.type, value: String(vb.value) };
  }
}
const cliValue = (vb: CliVarbind): string => (vb.type === 'Timeticks' ? /^\((\d+)\)/.exec(vb.value)![1] : vb.value.replace(/\s+/g, ' '));
const MOVING = new Set(['Counter32', 'Counter64', 'Timeticks']);

describe.skipIf(peers.skip)(`FleetDeck SNMP vs snmpd${peers.skip ? ` (skipped: ${peers.reason})` : ''}`, () => {
  let snmpd: SnmpdPeer;
  const sessions: SnmpSession[] = [];
  const target = `${HOST}:${PORT}`;
  const credentials: Array<[string, SnmpCredentials, string[]]> = [];

  beforeAll(async () => {
    if (peers.missing.length) throw new Error(`CI=true: the interop peers must be installed: ${peers.reason}`);
    snmpd = await startSnmpd({ host: HOST, port: PORT });
    credentials.push(
      ['v2c', { version: '2c', community: snmpd.community }, ['-v2c', '-c', snmpd.community]],
      ['v3 SHA/AES', { version: '3', user: V3_USERS.sha }, cliUserArgs(V3_USERS.sha)],
      ['v3 SHA-256/AES-256', { version: '3', user: V3_USERS.sha256 }, cliUserArgs(V3_USERS.sha256)],
    );
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    const pid = snmpd?.pid;
    await snmpd?.stop();
    if (pid) expect(alive(pid)).toBe(false);
  });

  const open = (c: SnmpCredentials): SnmpSession => {
    const s = createSnmpSession({ host: HOST, port: PORT, credentials: c, timeoutMs: 2000 });
    sessions.push(s);
    return s;
  };
  const cliWalk = async (args: string[], root: string): Promise<CliVarbind[]> =>
    parseCliWalk(await snmpd.cli('snmpbulkwalk', [...args, '-On', '-Oe', '-Ox', '-t', '2', target, root]));

  for (const i of [0, 1, 2]) {
    it(`walks system and the interface tables like snmpbulkwalk (${['v2c', 'v3 SHA/AES', 'v3 SHA-256/AES-256'][i]})`, async () => {
      const [, creds, args] = credentials[i];
      const session = open(creds);
      for (const root of ROOTS) {
        const before = await cliWalk(args, root);
        const ours = await session.walk(root, { maxRepetitions: 20 });
        const after = await cliWalk(args, root);
        expect(before.length).toBeGreaterThan(root === '1.3.6.1.2.1.1' ? 8 : 10);
        expect(ours.map((v) => v.oid)).toEqual(before.map((v) => v.oid));
        const beforeBy = new Map(before.map((v) => [v.oid, v]));
        const afterBy = new Map(after.map((v) => [v.oid, v]));
        for (const vb of ours) {
          const cli = beforeBy.get(vb.oid)!;
          const mine = asCli(vb);
          expect(`${vb.oid} ${mine.type}`).toBe(`${vb.oid} ${cli.type}`);
          if (MOVING.has(cli.type)) {
            // Counters and ticks move (this very traffic crosses lo): ours lies between the two walks.
            const lo = BigInt(cliValue(cli));
            const hi = BigInt(cliValue(afterBy.get(vb.oid) ?? cli));
            expect(BigInt(mine.value) >= lo && BigInt(mine.value) <= hi, `${vb.oid}: ${lo} <= ${mine.value} <= ${hi}`).toBe(true);
          } else {
            expect(`${vb.oid} = ${mine.value}`).toBe(`${vb.oid} = ${cliValue(cli)}`);
          }
        }
      }
    });
  }

  it('polls snmpd over v2c and v3 with the poller: the same sysName and interfaces snmpget and snmpbulkwalk see', async () => {
    const [sysName] = parseCliWalk(await snmpd.cli('snmpget', ['-v2c', '-c', snmpd.community, '-On', target, '1.3.6.1.2.1.1.5.0']));
    const ifNames = (await cliWalk(['-v2c', '-c', snmpd.community], '1.3.6.1.2.1.31.1.1.1.1')).map((v) => Buffer.from(v.value.replace(/\s/g, ''), 'hex').toString());
    const poller = createSnmpPoller({
      targets: () => credentials.map(([label, c]) => ({ deviceId: label, kind: 'server', host: HOST, port: PORT, community: 'unused', credentials: c, walkInterfaces: true })),
      intervalMs: 60_000, timeoutMs: 2000,
    });
    try {
      await poller.pollNow();
      await poller.pollNow();
      for (const [label] of credentials) {
        const s = poller.state(label)!;
        expect(s, label).toMatchObject({ status: 'up', sysName: sysName.value.replace(/^"|"$/g, '') });
        expect(s.health, `${label}: ${s.reasons.join('; ')}`).not.toBe('unreachable');
        expect(s.interfaces.map((i) => i.name)).toEqual(ifNames);
        expect(s.inBps).not.toBeNull();
      }
    } finally {
      await poller.dispose();
    }
  });

  it('sets sysContact over v3 and snmpget reads it back; a read-only community is refused by name', async () => {
    const s = open({ version: '3', user: V3_USERS.sha256 });
    await s.set([{ oid: '1.3.6.1.2.1.1.4.0', type: 'octets', value: 'noc-oncall@fleetdeck.example' }]);
    const out = await snmpd.cli('snmpget', ['-v2c', '-c', snmpd.community, '-On', target, '1.3.6.1.2.1.1.4.0']);
    expect(out).toContain('noc-oncall@fleetdeck.example');
    const ro = open({ version: '2c', community: snmpd.community });
    await expect(ro.set([{ oid: '1.3.6.1.2.1.1.4.0', type: 'octets', value: 'x' }])).rejects.toMatchObject({ name: 'SnmpResponseError', index: 1, status: 'noAccess' });
  });

  it('names snmpd\'s USM reports: a wrong auth key is SnmpAuthError, an unknown user too', async () => {
    for (const user of [{ ...V3_USERS.sha, authKey: 'wrong-auth-key' }, { ...V3_USERS.sha256, name: 'nobody-here' }]) {
      const err = await open({ version: '3', user }).get(['1.3.6.1.2.1.1.5.0']).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'SnmpAuthError', host: HOST });
      expect(JSON.stringify(err)).not.toContain(user.authKey);
    }
  });
});
