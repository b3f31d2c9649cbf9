// The lab's IF-MIB ifXTable has every ifXEntry column (1..19) with values that agree with
// ifTable: ifName is ifDescr, ifHCInOctets' low 32 bits are ifInOctets, ifHighSpeed is
// ifSpeed in Mbit/s, packet counters follow the octets. Read over real SNMP on loopback.
import * as snmp from 'net-snmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../../../src-shared/domain';
import { startLabFleet, type LabFleet } from '../../../../src-main/lab/lab-fleet';
import { OID } from '../../../../src-main/lab/snmp/snmp-device';

const COMMUNITY = 'ifxtable-test';
const PORT = 17061;
const T = snmp.ObjectType;
const GAUGE_MAX = 2 ** 32 - 1;

/** IF-MIB ifXEntry: column number, name, SMI type. */
const COLUMNS: ReadonlyArray<readonly [number, string, number]> = [
  [1, 'ifName', T.OctetString], [2, 'ifInMulticastPkts', T.Counter32], [3, 'ifInBroadcastPkts', T.Counter32],
  [4, 'ifOutMulticastPkts', T.Counter32], [5, 'ifOutBroadcastPkts', T.Counter32], [6, 'ifHCInOctets', T.Counter64],
  [7, 'ifHCInUcastPkts', T.Counter64], [8, 'ifHCInMulticastPkts', T.Counter64], [9, 'ifHCInBroadcastPkts', T.Counter64],
  [10, 'ifHCOutOctets', T.Counter64], [11, 'ifHCOutUcastPkts', T.Counter64], [12, 'ifHCOutMulticastPkts', T.Counter64],
  [13, 'ifHCOutBroadcastPkts', T.Counter64], [14, 'ifLinkUpDownTrapEnable', T.Integer], [15, 'ifHighSpeed', T.Gauge32],
  [16, 'ifPromiscuousMode', T.Integer], [17, 'ifConnectorPresent', T.Integer], [18, 'ifAlias', T.OctetString],
  [19, 'ifCounterDiscontinuityTime', T.TimeTicks],
];
const COL = Object.fromEntries(COLUMNS.map(([n, name]) => [name, n])) as Record<string, number>;
const IF = { ifDescr: 2, ifSpeed: 5, ifOperStatus: 8, ifInOctets: 10, ifOutOctets: 16 };

let fleet: LabFleet;
let devices: Device[];

function session(host: string): snmp.Session {
  const s = snmp.createSession(host, COMMUNITY, { port: PORT, version: snmp.Version2c, timeout: 1000, retries: 1 });
  s.on('error', () => {});
  return s;
}
function walk(host: string, oid: string): Promise<snmp.Varbind[]> {
  const s = session(host);
  const out: snmp.Varbind[] = [];
  return new Promise((resolve, reject) => s.subtree(oid, 20, (vbs) => void out.push(...vbs), (err) => {
    s.close();
    if (err) reject(err);
    else resolve(out);
  }));
}
function get(host: string, oids: string[]): Promise<snmp.Varbind[]> {
  const s = session(host);
  return new Promise((resolve, reject) => s.get(oids, (err, vbs) => {
    s.close();
    if (err) reject(err);
    else resolve(vbs!);
  }));
}
const u64 = (v: unknown): bigint => BigInt(`0x${(v as Buffer).toString('hex') || '0'}`);
const low32 = (n: bigint): number => Number(n % 2n ** 32n);
const x = (column: number, ifIndex: number): string => `${OID.ifXEntry}.${column}.${ifIndex}`;
const i = (column: number, ifIndex: number): string => `${OID.ifEntry}.${column}.${ifIndex}`;

beforeAll(async () => {
  fleet = await startLabFleet({
    seed: 4,
    size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 12 },
    community: COMMUNITY,
    snmpPort: PORT,
    addressPrefix: '127.74',
  });
  const all = fleet.inventory.devices;
  devices = (['server', 'switch', 'pdu'] as const).map((k) => all.find((d) => d.kind === k)!);
}, 60_000);
afterAll(() => fleet?.close());

describe('lab ifXTable', () => {
  it('walks every IF-MIB ifXEntry column, one row per interface, with the standard types', async () => {
    for (const d of devices) {
      const [ifNumber] = await get(d.mgmtIp, [OID.ifNumber]);
      const rows = ifNumber.value as number;
      const vbs = await walk(d.mgmtIp, OID.ifXEntry);
      expect(vbs).toHaveLength(COLUMNS.length * rows);
      for (const [n, name, type] of COLUMNS) {
        const column = vbs.filter((v) => v.oid.startsWith(`${OID.ifXEntry}.${n}.`));
        expect({ device: d.kind, name, rows: column.length }).toEqual({ device: d.kind, name, rows });
        for (const v of column) expect({ name, type: v.type }).toEqual({ name, type });
      }
      const ints = (n: number): unknown[] => vbs.filter((v) => v.oid.startsWith(`${OID.ifXEntry}.${n}.`)).map((v) => v.value);
      expect(ints(COL.ifLinkUpDownTrapEnable)).toEqual(Array(rows).fill(1)); // enabled: the lab sends link traps
      expect(ints(COL.ifPromiscuousMode)).toEqual(Array(rows).fill(2)); // false
      expect(ints(COL.ifConnectorPresent)).toEqual(Array(rows).fill(1)); // true
      expect(ints(COL.ifCounterDiscontinuityTime)).toEqual(Array(rows).fill(0)); // counters start at boot
    }
  });

  it('agrees with ifTable: names, speeds, and octets read at one instant', async () => {
    for (const d of devices) {
      const [ifNumber] = await get(d.mgmtIp, [OID.ifNumber]);
      for (let n = 1; n <= (ifNumber.value as number); n++) {
        const [descr, name, alias, speed, highSpeed, inOct, hcIn, outOct, hcOut, oper] = await get(d.mgmtIp, [
          i(IF.ifDescr, n), x(COL.ifName, n), x(COL.ifAlias, n), i(IF.ifSpeed, n), x(COL.ifHighSpeed, n),
          i(IF.ifInOctets, n), x(COL.ifHCInOctets, n), i(IF.ifOutOctets, n), x(COL.ifHCOutOctets, n), i(IF.ifOperStatus, n),
        ]);
        expect(String(name.value)).toBe(String(descr.value));
        expect(String(alias.value)).toMatch(d.kind === 'switch' ? /^(server-port|spine)-\d+$/ : /^(uplink-[ab]|management|)$/);
        const mbps = highSpeed.value as number;
        if ((speed.value as number) < GAUGE_MAX) expect(mbps).toBe((speed.value as number) / 1e6);
        else expect(mbps * 1e6).toBeGreaterThan(GAUGE_MAX); // ifSpeed saturates: ifHighSpeed carries the rate
        expect(low32(u64(hcIn.value))).toBe(inOct.value);
        expect(low32(u64(hcOut.value))).toBe(outOct.value);
        if (oper.value === 1) expect(u64(hcIn.value)).toBeGreaterThan(0n);
      }
    }
  });

  it('counts packets that follow the octets: HC and 32-bit counters agree, and they move', async () => {
    const sw = devices[1];
    const oids = [
      x(COL.ifHCInOctets, 1), x(COL.ifHCInUcastPkts, 1), x(COL.ifHCInMulticastPkts, 1), x(COL.ifHCInBroadcastPkts, 1),
      x(COL.ifInMulticastPkts, 1), x(COL.ifInBroadcastPkts, 1),
      x(COL.ifHCOutOctets, 1), x(COL.ifHCOutUcastPkts, 1), x(COL.ifHCOutMulticastPkts, 1), x(COL.ifHCOutBroadcastPkts, 1),
      x(COL.ifOutMulticastPkts, 1), x(COL.ifOutBroadcastPkts, 1),
    ];
    const read = async () => {
      const v = await get(sw.mgmtIp, oids);
      const [inOct, inU, inM, inB] = v.slice(0, 4).map((b) => u64(b.value));
      const [outOct, outU, outM, outB] = v.slice(6, 10).map((b) => u64(b.value));
      expect(v[4].value).toBe(low32(inM));
      expect(v[5].value).toBe(low32(inB));
      expect(v[10].value).toBe(low32(outM));
      expect(v[11].value).toBe(low32(outB));
      for (const [oct, u, m, b] of [[inOct, inU, inM, inB], [outOct, outU, outM, outB]]) {
        // Frames of a plausible mean size (64..1518 bytes), mostly unicast.
        const frames = u + m + b;
        expect(oct / frames).toBeGreaterThanOrEqual(64n);
        expect(oct / frames).toBeLessThanOrEqual(1518n);
        expect(u).toBeGreaterThan(m);
        expect(m).toBeGreaterThan(b);
      }
      return { inU, outU, inM };
    };
    const a = await read();
    await new Promise((r) => setTimeout(r, 1100));
    const b = await read();
    expect(b.inU).toBeGreaterThan(a.inU);
    expect(b.outU).toBeGreaterThan(a.outU);
    expect(b.inM).toBeGreaterThanOrEqual(a.inM);
  });
});
