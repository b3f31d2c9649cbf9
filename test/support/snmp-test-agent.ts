// A small real SNMP agent (net-snmp's Agent, in the test process) whose values a test sets:
// system group, ifTable/ifXTable with any ifIndexes, ENTITY-SENSOR-MIB sensors and APC
// PowerNet rPDU2 tables. v2c communities and v3 USM users; counts the datagrams it gets.
import * as snmp from 'net-snmp';
import type { Socket } from 'node:dgram';
import { netSnmpUser, type SnmpUser } from '../../src-main/core/protocols/snmp';

export interface TestInterface {
  ifIndex: number;
  name: string;
  alias?: string;
  speedMbps: number;
  admin: number;
  oper: number;
  inOctets: bigint;
  outOctets: bigint;
  discontinuity?: number;
}

export interface TestSensor {
  index: number;
  name: string;
  /** entPhySensorType: watts(6), celsius(8)... */
  type: number;
  scale: number;
  precision: number;
  value: number;
  status?: number;
}

export interface TestAgentOptions {
  address: string;
  port: number;
  community?: string;
  users?: readonly SnmpUser[];
  sysName?: string;
  sysObjectID?: string;
  uptimeTicks?: number;
  interfaces?: readonly TestInterface[];
  /** Serve ifXTable (64-bit counters); default true. */
  ifXTable?: boolean;
  sensors?: readonly TestSensor[];
  apc?: { devices: ReadonlyArray<{ index: number; power: number }>; outlets: ReadonlyArray<{ index: number; name: string; power: number }> };
}

export interface TestAgent {
  /** Datagrams received so far. */
  readonly datagrams: number;
  setScalar(name: 'sysName' | 'sysUpTime', value: string | number): void;
  setInterface(ifIndex: number, patch: Partial<Omit<TestInterface, 'ifIndex'>>): void;
  setSensor(index: number, value: number): void;
  close(): Promise<void>;
}

interface Mib {
  registerProvider(p: object): void;
  setScalarValue(name: string, value: unknown): void;
  addTableRow(name: string, row: unknown[]): void;
  setTableSingleCell(name: string, column: number, rowIndex: unknown[], value: unknown): void;
}

const { ObjectType: T, MibProviderType: P, MaxAccess: A } = snmp;
const RO = A['read-only'];
const RW = A['read-write'];
const NA = A['not-accessible'];
/** Counter64 as net-snmp's MIB store takes it: 8 big-endian bytes (decoders read them unsigned). */
const c64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(v & 0xffff_ffff_ffff_ffffn);
  return b;
};
const col = (number: number, name: string, type: number, maxAccess = RO): object => ({ number, name, type, maxAccess });

export async function startTestAgent(o: TestAgentOptions): Promise<TestAgent> {
  const mib = snmp.createMib() as Mib;
  const scalar = (name: string, oid: string, type: number, value: unknown, maxAccess = RO): void => {
    mib.registerProvider({ name, type: P.Scalar, oid, scalarType: type, maxAccess });
    mib.setScalarValue(name, value);
  };
  scalar('sysDescr', '1.3.6.1.2.1.1.1', T.OctetString, 'FleetDeck test agent');
  scalar('sysObjectID', '1.3.6.1.2.1.1.2', T.OID, o.sysObjectID ?? '1.3.6.1.4.1.32473.9');
  scalar('sysUpTime', '1.3.6.1.2.1.1.3', T.TimeTicks, o.uptimeTicks ?? 100_000);
  scalar('sysName', '1.3.6.1.2.1.1.5', T.OctetString, o.sysName ?? 'test-agent', RW);
  const itfs = o.interfaces ?? [];
  scalar('ifNumber', '1.3.6.1.2.1.2.1', T.Integer, itfs.length);
  mib.registerProvider({
    name: 'ifTable', type: P.Table, oid: '1.3.6.1.2.1.2.2.1', maxAccess: NA,
    tableColumns: [col(1, 'ifIndex', T.Integer), col(2, 'ifDescr', T.OctetString), col(3, 'ifType', T.Integer), col(5, 'ifSpeed', T.Gauge),
      col(7, 'ifAdminStatus', T.Integer, RW), col(8, 'ifOperStatus', T.Integer), col(10, 'ifInOctets', T.Counter), col(16, 'ifOutOctets', T.Counter)],
    tableIndex: [{ columnName: 'ifIndex' }],
  });
  const ifX = o.ifXTable ?? true;
  if (ifX) {
    mib.registerProvider({
      name: 'ifXTable', type: P.Table, oid: '1.3.6.1.2.1.31.1.1.1', maxAccess: NA,
      tableColumns: [col(1, 'ifName', T.OctetString), col(6, 'ifHCInOctets', T.Counter64), col(10, 'ifHCOutOctets', T.Counter64),
        col(15, 'ifHighSpeed', T.Gauge), col(18, 'ifAlias', T.OctetString), col(19, 'ifCounterDiscontinuityTime', T.TimeTicks)],
      tableAugments: 'ifTable',
    });
  }
  const u32 = (v: bigint): number => Number(v % 2n ** 32n);
  for (const i of itfs) {
    mib.addTableRow('ifTable', [i.ifIndex, i.name, 6, Math.min(i.speedMbps * 1e6, 2 ** 32 - 1), i.admin, i.oper, u32(i.inOctets), u32(i.outOctets)]);
    if (ifX) mib.addTableRow('ifXTable', [i.ifIndex, i.name, c64(i.inOctets), c64(i.outOctets), i.speedMbps, i.alias ?? '', i.discontinuity ?? 0]);
  }
  if (o.sensors?.length) {
    mib.registerProvider({
      name: 'entPhysicalTable', type: P.Table, oid: '1.3.6.1.2.1.47.1.1.1.1', maxAccess: NA,
      tableColumns: [col(1, 'entPhysicalIndex', T.Integer, NA), col(7, 'entPhysicalName', T.OctetString)],
      tableIndex: [{ columnName: 'entPhysicalIndex' }],
    });
    mib.registerProvider({
      name: 'entPhySensorTable', type: P.Table, oid: '1.3.6.1.2.1.99.1.1.1', maxAccess: NA,
      tableColumns: [col(1, 'entPhySensorType', T.Integer), col(2, 'entPhySensorScale', T.Integer), col(3, 'entPhySensorPrecision', T.Integer),
        col(4, 'entPhySensorValue', T.Integer), col(5, 'entPhySensorOperStatus', T.Integer)],
      tableIndex: [{ columnName: 'entPhysicalIndex', foreign: 'entPhysicalTable' }],
    });
    for (const s of o.sensors) {
      mib.addTableRow('entPhysicalTable', [s.index, s.name]);
      mib.addTableRow('entPhySensorTable', [s.index, s.type, s.scale, s.precision, s.value, s.status ?? 1]);
    }
  }
  if (o.apc) {
    mib.registerProvider({
      name: 'rPDU2DeviceStatusTable', type: P.Table, oid: '1.3.6.1.4.1.318.1.1.26.4.3.1', maxAccess: NA,
      tableColumns: [col(1, 'rPDU2DeviceStatusIndex', T.Integer), col(5, 'rPDU2DeviceStatusPower', T.Integer)],
      tableIndex: [{ columnName: 'rPDU2DeviceStatusIndex' }],
    });
    for (const d of o.apc.devices) mib.addTableRow('rPDU2DeviceStatusTable', [d.index, d.power]);
    mib.registerProvider({
      name: 'rPDU2OutletMeteredStatusTable', type: P.Table, oid: '1.3.6.1.4.1.318.1.1.26.9.4.3.1', maxAccess: NA,
      tableColumns: [col(1, 'rPDU2OutletMeteredStatusIndex', T.Integer), col(3, 'rPDU2OutletMeteredStatusName', T.OctetString),
        col(7, 'rPDU2OutletMeteredStatusPower', T.Integer)],
      tableIndex: [{ columnName: 'rPDU2OutletMeteredStatusIndex' }],
    });
    for (const x of o.apc.outlets) mib.addTableRow('rPDU2OutletMeteredStatusTable', [x.index, x.name, x.power]);
  }

  const agent = snmp.createAgent({ port: o.port, address: o.address, transport: 'udp4', accessControlModelType: snmp.AccessControlModelType.None }, () => {}, mib) as {
    getAuthorizer(): { addCommunity(c: string): void; addUser(u: snmp.User): void };
    close(cb?: () => void): void;
    listener: { sockets: Record<string, Socket> };
  };
  agent.getAuthorizer().addCommunity(o.community ?? 'public');
  for (const u of o.users ?? []) agent.getAuthorizer().addUser(netSnmpUser(u));
  const socket = Object.values(agent.listener.sockets)[0];
  let datagrams = 0;
  socket.on('message', () => datagrams++);
  await new Promise<void>((resolve, reject) => {
    socket.once('listening', () => resolve());
    socket.once('error', reject);
  });

  const ifCols: Record<string, [string, number, (v: never) => unknown]> = {
    admin: ['ifTable', 7, (v: number) => v], oper: ['ifTable', 8, (v: number) => v], name: ['ifTable', 2, (v: string) => v],
  };
  return {
    get datagrams() {
      return datagrams;
    },
    setScalar: (name, value) => mib.setScalarValue(name, value),
    setInterface(ifIndex, patch) {
      for (const [k, v] of Object.entries(patch)) {
        if (k in ifCols) {
          const [table, column, conv] = ifCols[k];
          mib.setTableSingleCell(table, column, [ifIndex], conv(v as never));
        }
        if (k === 'name' && ifX) mib.setTableSingleCell('ifXTable', 1, [ifIndex], v);
        if (k === 'inOctets' || k === 'outOctets') {
          mib.setTableSingleCell('ifTable', k === 'inOctets' ? 10 : 16, [ifIndex], u32(v as bigint));
          if (ifX) mib.setTableSingleCell('ifXTable', k === 'inOctets' ? 6 : 10, [ifIndex], c64(v as bigint));
        }
        if (k === 'discontinuity' && ifX) mib.setTableSingleCell('ifXTable', 19, [ifIndex], v);
      }
    },
    setSensor: (index, value) => mib.setTableSingleCell('entPhySensorTable', 4, [index], value),
    close: () => new Promise<void>((resolve) => agent.close(() => resolve())),
  };
}
