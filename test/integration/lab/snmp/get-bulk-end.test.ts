// A GetBulk that runs past the end of the MIB: the lab's agents answer it in the shape
// net-snmp's snmpd (5.9) does, ONE endOfMibView per column and no padding. The same
// queries go to a lab server and, where net-snmp is installed, to a real snmpd started on
// loopback (test/support/snmp-peers.ts), and their shapes are compared.
import * as snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import { startLabFleet, type LabFleet } from '../../../../src-main/lab/lab-fleet';
import { parseCliWalk, peerCheck, startSnmpd, type SnmpdPeer } from '../../../support/snmp-peers';

const COMMUNITY = 'get-bulk-end-test';
const PORT = 16961;
const SNMPD = { host: '127.73.0.1', port: 17861 };
const peers = peerCheck(['snmpd', 'snmpbulkget']);
const SYSTEM = '1.3.6.1.2.1.1';

interface Target {
  host: string;
  port: number;
  community: string;
}
/** A response as rows of cells: 'v' a value, 'end' endOfMibView; non-repeaters in their own row. */
interface Shape {
  nonRepeaters: string[];
  rows: string[][];
  /** The names the endOfMibView varbinds of the repeaters carry, row by row. */
  endOids: string[];
}

let fleet: LabFleet;
let server: Device;
let lab: Target;
let real: SnmpdPeer | null = null;

function withSession<T>(t: Target, fn: (s: snmp.Session, done: (err: Error | null, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const s = snmp.createSession(t.host, t.community, { port: t.port, version: snmp.Version2c, timeout: 2000, retries: 1 });
    s.on('error', () => {});
    fn(s, (err, v) => {
      s.close();
      if (err) reject(err);
      else resolve(v as T);
    });
  });
}

/** The last two names of the agent's MIB, found by walking all of it. */
function lastTwo(t: Target): Promise<[string, string]> {
  const oids: string[] = [];
  return withSession(t, (s, done) => s.walk('1.3.6.1', 50, (vbs) => void oids.push(...vbs.map((v) => v.oid)),
    (err) => done(err ?? null, [oids[oids.length - 2], oids[oids.length - 1]])));
}

function bulkShape(t: Target, oids: string[], nonRepeaters: number, maxRepetitions: number): Promise<Shape> {
  return withSession(t, (s, done) => s.getBulk(oids, nonRepeaters, maxRepetitions, (err, vbs) => {
    if (err) return done(err);
    const cell = (v: snmp.Varbind): string => (v.type === snmp.ObjectType.EndOfMibView ? 'end' : 'v');
    const nr = (vbs!.slice(0, nonRepeaters) as snmp.Varbind[]).map(cell);
    const columns = vbs!.slice(nonRepeaters) as snmp.Varbind[][];
    const rows: string[][] = [];
    const endOids: string[] = [];
    for (let r = 0; r < (columns[0]?.length ?? 0); r++) {
      rows.push(columns.map((c) => cell(c[r])));
      for (const c of columns) if (c[r].type === snmp.ObjectType.EndOfMibView) endOids.push(c[r].oid);
    }
    done(null, { nonRepeaters: nr, rows, endOids });
  }));
}

/** The queries, given an agent's last two names X and L. */
function queries([x, l]: [string, string]): Array<{ name: string; oids: string[]; n: number; r: number }> {
  return [
    { name: 'past the end, one column', oids: [l], n: 0, r: 10 },
    { name: 'past the end, two columns', oids: [l, l], n: 0, r: 10 },
    { name: 'one value left', oids: [x], n: 0, r: 10 },
    { name: 'one column ends first', oids: [x, l], n: 0, r: 10 },
    { name: 'a non-repeater past the end too', oids: [l, l, l], n: 1, r: 10 },
    { name: 'max-repetitions cut to 100 varbinds', oids: [SYSTEM, SYSTEM, SYSTEM], n: 0, r: 200 },
  ];
}

beforeAll(async () => {
  fleet = await startLabFleet({
    seed: 9,
    size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 10 },
    community: COMMUNITY,
    snmpPort: PORT,
    addressPrefix: '127.72',
  });
  server = fleet.inventory.devices.find((d) => d.kind === 'server')!;
  lab = { host: server.mgmtIp, port: PORT, community: COMMUNITY };
  if (!peers.missing.length) real = await startSnmpd(SNMPD);
}, 60_000);

afterAll(async () => {
  await real?.stop();
  await fleet?.close();
});

describe('GetBulk past the end of the MIB', () => {
  it('a lab server sends one endOfMibView per column, named by the column\'s last name', async () => {
    const [x, l] = await lastTwo(lab);
    expect(l).toBe('1.3.6.1.2.1.31.1.1.1.19.2'); // ifCounterDiscontinuityTime of eno2: the end of a server's MIB
    expect(await bulkShape(lab, [l], 0, 10)).toEqual({ nonRepeaters: [], rows: [['end']], endOids: [l] });
    expect(await bulkShape(lab, [l, l], 0, 10)).toEqual({ nonRepeaters: [], rows: [['end', 'end']], endOids: [l, l] });
    expect(await bulkShape(lab, [x, l], 0, 10)).toEqual({ nonRepeaters: [], rows: [['v', 'end'], ['end', 'end']], endOids: [l, l, l] });
    const capped = await bulkShape(lab, [SYSTEM, SYSTEM, SYSTEM], 0, 200);
    expect(capped.rows).toHaveLength(33);
  });

  it('answers the net-snmp CLI: snmpbulkget -Cr10 <last oid> prints one endOfMibView', async () => {
    if (peers.skip) return void console.log(`skipped the CLI check: ${peers.reason}`);
    const [, l] = await lastTwo(lab);
    // real is started whenever the CLI is present; its cli() runs with no MIBs loaded.
    const out = parseCliWalk(await real!.cli('snmpbulkget', ['-v2c', '-c', COMMUNITY, '-On', '-Cr10', `${lab.host}:${PORT}`, l]));
    expect(out).toHaveLength(1);
    expect(out[0].oid).toBe(l);
    expect(out[0].value).toMatch(/No more variables left in this MIB View/);
  });

  it.skipIf(peers.skip)('has the shape real snmpd gives the same queries', async () => {
    const snmpd: Target = { host: SNMPD.host, port: SNMPD.port, community: real!.community };
    const labEnds = await lastTwo(lab);
    const realEnds = await lastTwo(snmpd);
    const realQueries = queries(realEnds);
    const labQueries = queries(labEnds);
    const printed: string[] = [];
    for (let i = 0; i < labQueries.length; i++) {
      const q = labQueries[i];
      const fromReal = await bulkShape(snmpd, realQueries[i].oids, q.n, q.r);
      const fromLab = await bulkShape(lab, q.oids, q.n, q.r);
      printed.push(`${q.name}: snmpd ${fromReal.rows.length} rows ${JSON.stringify(fromReal.rows.slice(0, 2))}, lab ${fromLab.rows.length} rows`);
      expect({ query: q.name, nonRepeaters: fromLab.nonRepeaters, rows: fromLab.rows })
        .toEqual({ query: q.name, nonRepeaters: fromReal.nonRepeaters, rows: fromReal.rows });
      // Without non-repeaters, each endOfMibView names the column's last name, on both.
      if (q.n === 0) {
        const lastOf = (ends: [string, string]) => (name: string) => (name === ends[0] ? 'X' : name === ends[1] ? 'L' : name);
        expect(fromLab.endOids.map(lastOf(labEnds))).toEqual(fromReal.endOids.map(lastOf(realEnds)));
      }
    }
    console.log(printed.join('\n'));
  });
});
