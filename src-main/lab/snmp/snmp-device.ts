// One simulated device: a real net-snmp v2c agent on its own loopback address. Values that
// move (uptime, octet counters, power) are computed in the provider handlers at request
// time from elapsed wall-clock time, so a device costs no timers and little memory.
// A PDU is metered by outlet in ENTITY-SENSOR-MIB terms: sensor 1 is the inlet (total),
// sensors 2..N+1 are its outlets, entPhysicalName "Inlet" / "Outlet <n> <hostname>".
import type { DeviceKind } from '../../../src-shared/domain';
import * as snmp from 'net-snmp';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Socket } from 'node:dgram';
import { encodeCounter64 } from '../../core/protocols/snmp/codec';
import type { LabInterface } from '../lab-device';
import { answerGetBulkLikeSnmpd } from './get-bulk';

export const OID = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  ifNumber: '1.3.6.1.2.1.2.1.0',
  ifEntry: '1.3.6.1.2.1.2.2.1',
  ifXEntry: '1.3.6.1.2.1.31.1.1.1',
  /** ENTITY-SENSOR-MIB entPhySensorValue, row 1: the PDU's input power in watts. */
  pduPowerWatts: '1.3.6.1.2.1.99.1.1.1.4.1',
} as const;

/** A link as the agent reports it in ifTable/ifXTable (the lab's device links). */
export type SimInterface = LabInterface;

export interface SimDeviceSpec {
  id: string;
  kind: DeviceKind;
  hostname: string;
  address: string;
  port: number;
  community: string;
  sysDescr: string;
  sysObjectID: string;
  sysLocation: string;
  interfaces: readonly SimInterface[];
  /** PDUs only: input power in watts at this moment. */
  powerWatts?: () => number;
  /** PDUs only: hostnames of the devices on its outlets, outlet 1 first. */
  outlets?: readonly string[];
  /** PDUs only: each outlet's draw in watts at this moment, in `outlets` order. */
  outletWatts?: () => readonly number[];
  /** Uptime the device already has when the lab first starts it. */
  initialUptimeSec?: number;
  /** Seconds; de-synchronises the short traffic wobble between devices. */
  phase?: number;
}

export interface SimDevice {
  readonly spec: SimDeviceSpec;
  readonly running: boolean;
  /** Epoch ms the device last booted; a restart (stop then start) resets it to now. */
  readonly bootAt: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** sysUpTime.0 now, in hundredths of a second. */
  uptimeTicks(): number;
  /** Sends a datagram from the agent's own socket (source port = its SNMP port); false when it is not running. */
  sendDatagram(data: Buffer, host: string, port: number): Promise<boolean>;
  /** A reinstalled host names itself anew: sysName and sysDescr from the next request on. */
  setSystem(hostname: string, sysDescr: string): void;
}

// The slice of net-snmp's untyped agent that this module uses.
interface MibRequest {
  oid: string;
  instanceNode: { value: unknown };
  done(error?: { errorStatus: number }): void;
}
interface Mib {
  registerProvider(p: object): void;
  setScalarValue(name: string, value: unknown): void;
  addTableRow(name: string, row: unknown[]): void;
}
interface Agent {
  getAuthorizer(): { addCommunity(c: string): void };
  close(cb?: () => void): void;
  listener: { sockets: Record<string, Socket> };
}

const { ObjectType: T, MibProviderType: P, MaxAccess: A } = snmp;
const RO = A['read-only'];
const NA = A['not-accessible'];
const TWO_PI = Math.PI * 2;
const DAY = 86_400;
/** 15:00 in UTC+8 (the lab's sites are in China): the daily traffic and power peak. */
const PEAK_UTC_SEC = 7 * 3600;
const DAILY_AMP = 0.35;
const WOBBLE_AMP = 0.15;
const WOBBLE_SEC = 300;
const TICKS_MOD = 2 ** 32;

/** Daily load factor in [1-2a, 1], 1 at the mid-afternoon peak. */
export function dailyFactor(epochMs: number, amplitude = 0.22): number {
  const t = epochMs / 1000;
  return 1 - amplitude + amplitude * Math.cos((TWO_PI * (t - PEAK_UTC_SEC)) / DAY);
}

/** Bytes a link moving `mean` bytes/s (daily curve + short wobble) carries from t0 to t1 (s). */
function octetsBetween(mean: number, t0: number, t1: number, phase: number): number {
  const daily = (t: number): number => ((DAILY_AMP * DAY) / TWO_PI) * Math.sin((TWO_PI * (t - PEAK_UTC_SEC)) / DAY);
  const wobble = (t: number): number => ((WOBBLE_AMP * WOBBLE_SEC) / TWO_PI) * Math.cos((TWO_PI * (t + phase)) / WOBBLE_SEC);
  return mean * (t1 - t0 + daily(t1) - daily(t0) - wobble(t1) + wobble(t0));
}

// Counter64 values are encoded by the core's SNMP codec (encodeCounter64), re-exported for the lab's tests.
export { encodeCounter64 };

// Every device of one shape (kind, interface count, power sensor) shares one MIB tree:
// net-snmp's MIB nodes cost ~30 KB a device, which 3000 devices cannot afford. The agent
// that received a request runs its handlers synchronously inside the socket's message
// callback, and each agent's socket is created inside answering.run(device), so the
// handlers learn which device is answering and write its values into the shared nodes
// just before the response is encoded.
const answering = new AsyncLocalStorage<Dev>();
const sharedMibs = new Map<string, Mib>();

type CellValue = (dev: Dev, itf: SimInterface, column: number) => unknown;

function withDevice(r: MibRequest, value: (dev: Dev) => unknown): void {
  const dev = answering.getStore();
  if (!dev) return r.done({ errorStatus: snmp.ErrorStatus.GeneralError });
  r.instanceNode.value = value(dev);
  r.done();
}

/** A handler for a table with one integer index: the cell's column and row come from its OID. */
function rowCell(value: (dev: Dev, index: number, column: number, r: MibRequest) => unknown): (r: MibRequest) => void {
  return (r) => withDevice(r, (dev) => {
    const dot = r.oid.lastIndexOf('.');
    const index = Number(r.oid.slice(dot + 1));
    const column = Number(r.oid.slice(r.oid.lastIndexOf('.', dot - 1) + 1, dot));
    return value(dev, index, column, r);
  });
}

/** A handler for a table indexed by ifIndex. */
function ifCell(cells: Record<number, CellValue>): (r: MibRequest) => void {
  return rowCell((dev, ifIndex, column, r) => {
    const itf = dev.spec.interfaces[ifIndex - 1];
    return itf && cells[column] ? cells[column](dev, itf, column) : r.instanceNode.value;
  });
}

// One request, one instant: every cell of a response is read at the same time (the handlers
// of a request run in one synchronous turn), so ifInOctets and ifHCInOctets agree.
let instant: number | null = null;
function requestNow(): number {
  if (instant === null) {
    instant = Date.now();
    queueMicrotask(() => (instant = null));
  }
  return instant;
}

function octets(dev: Dev, itf: SimInterface, inbound: boolean): bigint {
  if (!itf.up) return 0n;
  const n = octetsBetween(inbound ? itf.inBytesPerSec : itf.outBytesPerSec, dev.bootAt / 1000, requestNow() / 1000, dev.spec.phase ?? 0);
  return BigInt(Math.max(0, Math.floor(n)));
}

/** IF-MIB ifXEntry, every column (read-only here: the lab's community cannot write). */
const IF_X_COLUMNS: ReadonlyArray<readonly [number, string, number]> = [
  [1, 'ifName', T.OctetString], [2, 'ifInMulticastPkts', T.Counter], [3, 'ifInBroadcastPkts', T.Counter],
  [4, 'ifOutMulticastPkts', T.Counter], [5, 'ifOutBroadcastPkts', T.Counter], [6, 'ifHCInOctets', T.Counter64],
  [7, 'ifHCInUcastPkts', T.Counter64], [8, 'ifHCInMulticastPkts', T.Counter64], [9, 'ifHCInBroadcastPkts', T.Counter64],
  [10, 'ifHCOutOctets', T.Counter64], [11, 'ifHCOutUcastPkts', T.Counter64], [12, 'ifHCOutMulticastPkts', T.Counter64],
  [13, 'ifHCOutBroadcastPkts', T.Counter64], [14, 'ifLinkUpDownTrapEnable', T.Integer], [15, 'ifHighSpeed', T.Gauge],
  [16, 'ifPromiscuousMode', T.Integer], [17, 'ifConnectorPresent', T.Integer], [18, 'ifAlias', T.OctetString],
  [19, 'ifCounterDiscontinuityTime', T.TimeTicks],
];

/** Mean frame size in bytes, and the share of the bytes that are unicast, multicast, broadcast. */
const FRAME_BYTES = 800;
const CAST_SHARE = { ucast: 0.978, mcast: 0.017, bcast: 0.005 } as const;
const TRUE = 1;
const FALSE = 2;

/** Frames of one cast since boot: each share of the octets counted in mean-size frames (never goes back). */
function packets(dev: Dev, itf: SimInterface, inbound: boolean, cast: keyof typeof CAST_SHARE): bigint {
  const share = BigInt(Math.round(CAST_SHARE[cast] * 1000));
  return (octets(dev, itf, inbound) * share) / BigInt(FRAME_BYTES * 1000);
}

const low32 = (n: bigint): number => Number(n % BigInt(TICKS_MOD));

const IF_X_CELLS: Record<number, CellValue> = {
  1: (_, itf) => itf.name,
  2: (dev, itf) => low32(packets(dev, itf, true, 'mcast')),
  3: (dev, itf) => low32(packets(dev, itf, true, 'bcast')),
  4: (dev, itf) => low32(packets(dev, itf, false, 'mcast')),
  5: (dev, itf) => low32(packets(dev, itf, false, 'bcast')),
  6: (dev, itf) => encodeCounter64(octets(dev, itf, true)),
  7: (dev, itf) => encodeCounter64(packets(dev, itf, true, 'ucast')),
  8: (dev, itf) => encodeCounter64(packets(dev, itf, true, 'mcast')),
  9: (dev, itf) => encodeCounter64(packets(dev, itf, true, 'bcast')),
  10: (dev, itf) => encodeCounter64(octets(dev, itf, false)),
  11: (dev, itf) => encodeCounter64(packets(dev, itf, false, 'ucast')),
  12: (dev, itf) => encodeCounter64(packets(dev, itf, false, 'mcast')),
  13: (dev, itf) => encodeCounter64(packets(dev, itf, false, 'bcast')),
  14: () => 1, // enabled: the lab sends linkDown/linkUp
  15: (_, itf) => itf.speedMbps,
  16: () => FALSE,
  17: () => TRUE, // physical ports, connector present
  18: (_, itf) => itf.alias,
  19: () => 0, // counters start at boot, as sysUpTime does: no discontinuity since
};

function mibFor(spec: SimDeviceSpec): Mib {
  const outlets = spec.powerWatts ? spec.outlets?.length ?? 0 : null;
  const key = `${spec.kind}/${spec.interfaces.length}/${outlets ?? '-'}`;
  let mib = sharedMibs.get(key);
  if (!mib) {
    mib = buildMib(spec.interfaces.length, outlets);
    sharedMibs.set(key, mib);
  }
  return mib;
}

/** `outlets`: null for a device without power sensors, else the PDU's outlet count. */
function buildMib(interfaces: number, outlets: number | null): Mib {
  const mib = snmp.createMib() as Mib;
  const scalar = (name: string, oid: string, type: number, value: (dev: Dev) => unknown): void => {
    mib.registerProvider({ name, type: P.Scalar, oid: oid.slice(0, -2), scalarType: type, maxAccess: RO,
      handler: (r: MibRequest) => withDevice(r, value) });
    mib.setScalarValue(name, type === T.OctetString ? '' : type === T.OID ? '0.0' : 0);
  };
  scalar('sysDescr', OID.sysDescr, T.OctetString, (d) => d.spec.sysDescr);
  scalar('sysObjectID', OID.sysObjectID, T.OID, (d) => d.spec.sysObjectID);
  scalar('sysUpTime', OID.sysUpTime, T.TimeTicks, (d) => Math.floor((requestNow() - d.bootAt) / 10) % TICKS_MOD);
  scalar('sysContact', '1.3.6.1.2.1.1.4.0', T.OctetString, () => 'noc@northwind.example');
  scalar('sysName', OID.sysName, T.OctetString, (d) => d.spec.hostname);
  scalar('sysLocation', '1.3.6.1.2.1.1.6.0', T.OctetString, (d) => d.spec.sysLocation);
  scalar('ifNumber', OID.ifNumber, T.Integer, (d) => d.spec.interfaces.length);

  const col = (number: number, name: string, type: number, maxAccess = RO): object => ({ number, name, type, maxAccess });
  mib.registerProvider({
    name: 'ifTable', type: P.Table, oid: OID.ifEntry, maxAccess: NA,
    tableColumns: [
      col(1, 'ifIndex', T.Integer), col(2, 'ifDescr', T.OctetString), col(3, 'ifType', T.Integer),
      col(5, 'ifSpeed', T.Gauge), col(7, 'ifAdminStatus', T.Integer), col(8, 'ifOperStatus', T.Integer),
      col(10, 'ifInOctets', T.Counter), col(16, 'ifOutOctets', T.Counter),
    ],
    tableIndex: [{ columnName: 'ifIndex' }],
    handler: ifCell({
      2: (_, itf) => itf.name,
      5: (_, itf) => Math.min(itf.speedMbps * 1e6, TICKS_MOD - 1),
      8: (_, itf) => (itf.up ? 1 : 2),
      10: (dev, itf) => low32(octets(dev, itf, true)),
      16: (dev, itf) => low32(octets(dev, itf, false)),
    }),
  });
  mib.registerProvider({
    name: 'ifXTable', type: P.Table, oid: OID.ifXEntry, maxAccess: NA,
    tableColumns: IF_X_COLUMNS.map(([number, name, type]) => col(number, name, type)),
    tableAugments: 'ifTable',
    handler: ifCell(IF_X_CELLS),
  });
  for (let i = 1; i <= interfaces; i++) {
    // ifIndex, ifDescr, ifType ethernetCsmacd(6), ifSpeed, ifAdminStatus up(1), ifOperStatus, in, out
    mib.addTableRow('ifTable', [i, '', 6, 0, 1, 1, 0, 0]);
    mib.addTableRow('ifXTable', [i, ...IF_X_COLUMNS.map(([, , type]) => (type === T.OctetString ? '' : 0))]);
  }

  if (outlets !== null) {
    // Row 1 is the inlet, row n+1 outlet n; names and values come from the answering PDU.
    mib.registerProvider({
      name: 'entPhysicalTable', type: P.Table, oid: '1.3.6.1.2.1.47.1.1.1.1', maxAccess: NA,
      tableColumns: [col(1, 'entPhysicalIndex', T.Integer, NA), col(2, 'entPhysicalDescr', T.OctetString),
        col(5, 'entPhysicalClass', T.Integer), col(7, 'entPhysicalName', T.OctetString)],
      tableIndex: [{ columnName: 'entPhysicalIndex' }],
      handler: rowCell((dev, index, column, r) => column !== 7 ? r.instanceNode.value
        : index === 1 ? 'Inlet' : `Outlet ${index - 1} ${dev.spec.outlets?.[index - 2] ?? ''}`.trimEnd()),
    });
    mib.registerProvider({
      name: 'entPhySensorTable', type: P.Table, oid: '1.3.6.1.2.1.99.1.1.1', maxAccess: NA,
      tableColumns: [col(1, 'entPhySensorType', T.Integer), col(2, 'entPhySensorScale', T.Integer),
        col(3, 'entPhySensorPrecision', T.Integer), col(4, 'entPhySensorValue', T.Integer),
        col(5, 'entPhySensorOperStatus', T.Integer)],
      tableIndex: [{ columnName: 'entPhysicalIndex', foreign: 'entPhysicalTable' }],
      handler: rowCell((dev, index, column, r) => {
        if (column !== 4) return r.instanceNode.value;
        const w = index === 1 ? dev.spec.powerWatts?.() : dev.spec.outletWatts?.()[index - 2];
        return Math.max(0, Math.round(w ?? 0));
      }),
    });
    for (let i = 1; i <= outlets + 1; i++) {
      // entPhysicalClass sensor(8); the name is filled in per PDU
      mib.addTableRow('entPhysicalTable', [i, i === 1 ? 'Inlet power sensor' : 'Outlet power sensor', 8, '']);
      // watts(6), units(9), precision 0, value, ok(1)
      mib.addTableRow('entPhySensorTable', [i, 6, 9, 0, 0, 1]);
    }
  }
  return mib;
}

class Dev implements SimDevice {
  bootAt: number;
  private agent: Agent | null = null;
  private socket: Socket | null = null;
  private booted = false;

  constructor(readonly spec: SimDeviceSpec) {
    this.bootAt = Date.now() - (spec.initialUptimeSec ?? 0) * 1000;
  }

  get running(): boolean {
    return this.agent !== null;
  }

  start(): Promise<void> {
    if (this.agent) return Promise.resolve();
    if (this.booted) this.bootAt = Date.now();
    this.booted = true;
    const { address, port, community } = this.spec;
    const mib = mibFor(this.spec);
    // createAgent opens the socket now, inside the device's context (see `answering`).
    const agent = answering.run(this, () => snmp.createAgent(
      { port, address, transport: 'udp4', accessControlModelType: snmp.AccessControlModelType.Simple },
      // Refused requests (wrong community) and send errors land here; a device just stays silent.
      () => {},
      mib,
    )) as Agent;
    agent.getAuthorizer().addCommunity(community); // read-only under the Simple model
    answerGetBulkLikeSnmpd(agent);
    const socket = Object.values(agent.listener.sockets)[0];
    this.agent = agent;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.off('listening', onListening);
        this.agent = null;
        try {
          socket.close();
        } catch {
          // never bound: nothing to close
        }
        reject(new Error(`lab device ${this.spec.id}: cannot listen on ${address}:${port}: ${err.message}`, { cause: err }));
      };
      const onListening = (): void => {
        socket.off('error', onError);
        if (this.agent === agent) this.socket = socket;
        resolve();
      };
      socket.once('error', onError);
      socket.once('listening', onListening);
    });
  }

  stop(): Promise<void> {
    const agent = this.agent;
    if (!agent) return Promise.resolve();
    this.agent = null;
    this.socket = null;
    return new Promise((resolve) => agent.close(() => resolve()));
  }

  setSystem(hostname: string, sysDescr: string): void {
    this.spec.hostname = hostname;
    this.spec.sysDescr = sysDescr;
  }

  uptimeTicks(): number {
    return Math.floor((Date.now() - this.bootAt) / 10) % TICKS_MOD;
  }

  sendDatagram(data: Buffer, host: string, port: number): Promise<boolean> {
    const socket = this.socket;
    if (!socket) return Promise.resolve(false);
    return new Promise((resolve) => {
      try {
        socket.send(data, port, host, (err) => resolve(!err));
      } catch {
        resolve(false); // closed under us
      }
    });
  }
}

export function createSimDevice(spec: SimDeviceSpec): SimDevice {
  return new Dev(spec);
}
