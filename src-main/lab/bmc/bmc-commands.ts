// The lab BMC's command set: what ipmitool's mc info, chassis, sdr, sensor and sel commands
// and FleetDeck's client send, answered from BmcState. Unknown commands get 0xC1, commands
// above the session's privilege 0xD4, malformed ones 0xC7 / 0xCC: never an exception.
import { encodeChannelAuthCapabilities, encodeDeviceId } from '../../core/protocols/ipmi/codec/app-commands';
import {
  BOOT_PARAM, decodeBootFlags, decodeChassisControl, decodeChassisIdentify, encodeBootFlags, encodeChassisStatus, encodeDcmiPowerReading,
} from '../../core/protocols/ipmi/codec/chassis-commands';
import { CIPHER_SUITES, AUTH_ALGORITHM_NUMBERS, CONFIDENTIALITY_ALGORITHM_NUMBERS, INTEGRITY_ALGORITHM_NUMBERS } from '../../core/protocols/ipmi/codec/cipher';
import { CC } from '../../core/protocols/ipmi/codec/completion-codes';
import { CMD, DCMI_GROUP, NETFN, PRIVILEGE } from '../../core/protocols/ipmi/codec/constants';
import { SDR_HEADER_LEN } from '../../core/protocols/ipmi/codec/sdr';
import {
  decodeClearSel, decodeRecordRead, encodeRecordChunk, encodeRepositoryInfo, encodeReservation, encodeSensorReading, encodeSensorThresholds,
} from '../../core/protocols/ipmi/codec/storage-commands';
import { rawFromValue } from '../../core/protocols/ipmi/codec/sdr';
import { POWER_UNIT_SENSOR } from './bmc-model';
import type { BmcState } from './bmc-state';

export interface DeviceInfo {
  deviceId: number;
  deviceRevision: number;
  firmwareMajor: number;
  /** BCD, as the wire carries it: 0x41 prints "2.41". */
  firmwareMinor: number;
  manufacturerId: number;
  productId: number;
}

export interface BmcConfig {
  deviceInfo: DeviceInfo;
  cipherSuites: readonly number[];
  /** IPMI 2.0 (RMCP+) offered; false makes an IPMI 1.5-only BMC. */
  ipmi20: boolean;
  /** IPMI 1.5 MD5 sessions offered. */
  ipmi15: boolean;
  dcmi: boolean;
  /** Delay between off and on in a power cycle. */
  cycleDelayMs: number;
}

export interface CommandContext {
  privilege: number;
  maxPrivilege: number;
  sessionId: number;
  setPrivilege(p: number): void;
  close(sessionId: number): boolean;
  /** Power cycles finish later: the simulator owns the timer. */
  later(ms: number, fn: () => void): void;
}

export interface CommandResult {
  cc: number;
  data?: Buffer;
}

const ok = (data?: Buffer): CommandResult => ({ cc: CC.OK, data });
const fail = (cc: number): CommandResult => ({ cc });

/** Least privilege each command needs; absent = User. */
const OPERATOR_CMDS = new Set([`${NETFN.CHASSIS}:${CMD.CHASSIS_CONTROL}`, `${NETFN.CHASSIS}:${CMD.CHASSIS_IDENTIFY}`, `${NETFN.CHASSIS}:${CMD.SET_SYSTEM_BOOT_OPTIONS}`, `${NETFN.STORAGE}:${CMD.CLEAR_SEL}`]);

export function cipherSuiteRecords(ids: readonly number[]): Buffer {
  const out: number[] = [];
  for (const id of ids) {
    const s = CIPHER_SUITES[id];
    if (!s) continue;
    out.push(0xc0, id, AUTH_ALGORITHM_NUMBERS[s.auth], 0x40 | INTEGRITY_ALGORITHM_NUMBERS[s.integrity], 0x80 | CONFIDENTIALITY_ALGORITHM_NUMBERS[s.confidentiality]);
  }
  return Buffer.from(out);
}

export function channelAuthCapabilities(config: BmcConfig): Buffer {
  return encodeChannelAuthCapabilities({
    channel: 1,
    authTypes: { none: false, md2: false, md5: config.ipmi15, password: false, oem: false },
    extended: config.ipmi20,
    ipmi15: config.ipmi15,
    ipmi20: config.ipmi20,
    kgSet: false, perMessageAuth: true, userLevelAuth: true, nonNullUsers: true, nullUsers: false, anonymousLogin: false, oemId: 0, oemAux: 0,
  });
}

function readRecord(records: readonly Buffer[], data: Buffer, reservation: number, headerLen: number): CommandResult {
  if (data.length < 6) return fail(CC.DATA_LENGTH_INVALID);
  const q = decodeRecordRead(data);
  if (records.length === 0) return fail(CC.NOT_PRESENT);
  const ids = records.map((r) => r.readUInt16LE(0));
  const index = q.recordId === 0 ? 0 : q.recordId === 0xffff ? records.length - 1 : ids.indexOf(q.recordId);
  if (index < 0) return fail(CC.NOT_PRESENT);
  if (q.offset !== 0 && q.reservationId !== reservation) return fail(CC.RESERVATION_CANCELLED);
  const rec = records[index];
  if (q.offset > rec.length) return fail(CC.PARAMETER_OUT_OF_RANGE);
  const count = q.count === 0xff ? rec.length - q.offset : Math.min(q.count, rec.length - q.offset);
  if (count > 64 + headerLen) return fail(CC.CANNOT_RETURN_BYTES);
  const next = index + 1 < records.length ? ids[index + 1] : 0xffff;
  return ok(encodeRecordChunk(next, rec.subarray(q.offset, q.offset + count)));
}

export function handleCommand(state: BmcState, config: BmcConfig, ctx: CommandContext, netFn: number, cmd: number, data: Buffer): CommandResult {
  const key = `${netFn}:${cmd}`;
  if (OPERATOR_CMDS.has(key) && ctx.privilege < PRIVILEGE.OPERATOR) return fail(CC.INSUFFICIENT_PRIVILEGE);
  switch (key) {
    case `${NETFN.APP}:${CMD.GET_DEVICE_ID}`: {
      const d = config.deviceInfo;
      return ok(encodeDeviceId({
        deviceId: d.deviceId, deviceRevision: d.deviceRevision, providesDeviceSdrs: false, firmwareMajor: d.firmwareMajor, firmwareMinor: d.firmwareMinor,
        deviceAvailable: true, additionalDeviceSupport: 0x97, manufacturerId: d.manufacturerId, productId: d.productId, auxFirmwareRevision: null,
      }));
    }
    case `${NETFN.APP}:${CMD.GET_CHANNEL_AUTH_CAPABILITIES}`:
      return ok(channelAuthCapabilities(config));
    case `${NETFN.APP}:${CMD.SET_SESSION_PRIVILEGE}`: {
      if (data.length < 1) return fail(CC.DATA_LENGTH_INVALID);
      const want = data[0] & 0x0f;
      if (want === 0) return ok(Buffer.from([ctx.privilege]));
      if (want < PRIVILEGE.USER || want > PRIVILEGE.ADMINISTRATOR) return fail(0x80); // requested level not available
      if (want > ctx.maxPrivilege) return fail(0x81); // exceeds the user's or channel's limit
      ctx.setPrivilege(want);
      return ok(Buffer.from([want]));
    }
    case `${NETFN.APP}:${CMD.CLOSE_SESSION}`: {
      if (data.length < 4) return fail(CC.DATA_LENGTH_INVALID);
      return ctx.close(data.readUInt32LE(0)) ? ok() : fail(0x87); // invalid session ID
    }
    case `${NETFN.APP}:${CMD.GET_CHANNEL_CIPHER_SUITES}`: {
      if (data.length < 3) return fail(CC.DATA_LENGTH_INVALID);
      const all = cipherSuiteRecords(config.cipherSuites);
      const index = data[2] & 0x3f;
      return ok(Buffer.concat([Buffer.from([1]), all.subarray(index * 16, index * 16 + 16)]));
    }
    case `${NETFN.CHASSIS}:${CMD.GET_CHASSIS_STATUS}`:
      return ok(encodeChassisStatus({
        powerOn: state.power === 'on', powerOverload: false, powerInterlock: false, mainPowerFault: false, powerControlFault: false, powerRestorePolicy: 'previous',
        lastPowerEvent: { acFailed: false, overload: false, interlock: false, fault: false, command: false },
        chassisIntrusion: false, frontPanelLockout: false, driveFault: false, coolingFault: false, identify: state.identifyState,
      }));
    case `${NETFN.CHASSIS}:${CMD.CHASSIS_CONTROL}`: {
      if (data.length < 1) return fail(CC.DATA_LENGTH_INVALID);
      const action = decodeChassisControl(data);
      switch (action) {
        case 'off':
        case 'soft':
          state.setPower(false, 'ipmi');
          return ok();
        case 'on':
          state.setPower(true, 'ipmi');
          return ok();
        case 'cycle':
          state.setPower(false, 'ipmi', true);
          {
            const at = state.beginCycle(config.cycleDelayMs);
            ctx.later(config.cycleDelayMs, () => state.finishCycle(at));
          }
          return ok();
        case 'reset':
          if (state.power === 'off') return fail(CC.NOT_SUPPORTED_IN_STATE);
          state.reset();
          return ok();
        default:
          return fail(CC.INVALID_DATA_FIELD);
      }
    }
    case `${NETFN.CHASSIS}:${CMD.CHASSIS_IDENTIFY}`: {
      const { seconds, force } = decodeChassisIdentify(data);
      state.identify(seconds, force);
      return ok();
    }
    case `${NETFN.CHASSIS}:${CMD.SET_SYSTEM_BOOT_OPTIONS}`: {
      if (data.length < 1) return fail(CC.DATA_LENGTH_INVALID);
      const param = data[0] & 0x7f;
      if (param === BOOT_PARAM.SET_IN_PROGRESS || param === BOOT_PARAM.INFO_ACK || param === 3) return ok();
      if (param !== BOOT_PARAM.BOOT_FLAGS) return fail(0x80); // parameter not supported
      if (data.length < 6) return fail(CC.DATA_LENGTH_INVALID);
      const flags = decodeBootFlags(data.subarray(1));
      if (flags.device === 'unknown') return fail(CC.INVALID_DATA_FIELD);
      state.boot = flags;
      return ok();
    }
    case `${NETFN.CHASSIS}:${CMD.GET_SYSTEM_BOOT_OPTIONS}`: {
      if (data.length < 3) return fail(CC.DATA_LENGTH_INVALID);
      const param = data[0] & 0x7f;
      if (param === BOOT_PARAM.BOOT_FLAGS) return ok(Buffer.concat([Buffer.from([0x01, BOOT_PARAM.BOOT_FLAGS]), encodeBootFlags(state.boot)]));
      if (param === BOOT_PARAM.SET_IN_PROGRESS) return ok(Buffer.from([0x01, 0x00, 0x00]));
      if (param === BOOT_PARAM.INFO_ACK) return ok(Buffer.from([0x01, BOOT_PARAM.INFO_ACK, 0x00, 0x00]));
      return fail(0x80);
    }
    case `${NETFN.SENSOR_EVENT}:${CMD.GET_SENSOR_READING}`: {
      if (data.length < 1) return fail(CC.DATA_LENGTH_INVALID);
      if (data[0] === POWER_UNIT_SENSOR) return ok(encodeSensorReading({ raw: 0, eventsEnabled: true, scanningEnabled: true, unavailable: false, states: state.powerUnitStates() }));
      const s = state.sensors().find((x) => x.number === data[0]);
      if (!s) return fail(CC.NOT_PRESENT);
      return ok(encodeSensorReading({ raw: s.raw ?? 0, eventsEnabled: true, scanningEnabled: true, unavailable: s.raw === null, states: s.states }));
    }
    case `${NETFN.SENSOR_EVENT}:${CMD.GET_SENSOR_THRESHOLDS}`: {
      if (data.length < 1) return fail(CC.DATA_LENGTH_INVALID);
      const d = state.defs.find((x) => x.number === data[0]);
      if (!d) return fail(CC.NOT_PRESENT);
      const t = d.thresholds;
      const raw = (v: number | null): number => (v === null ? 0 : rawFromValue(v, d.conversion));
      let readable = 0;
      (['lnc', 'lcr', 'lnr', 'unc', 'ucr', 'unr'] as const).forEach((k, i) => {
        if (t[k] !== null) readable |= 1 << i;
      });
      return ok(encodeSensorThresholds(readable, { lnc: raw(t.lnc), lcr: raw(t.lcr), lnr: raw(t.lnr), unc: raw(t.unc), ucr: raw(t.ucr), unr: raw(t.unr) }));
    }
    case `${NETFN.SENSOR_EVENT}:${CMD.GET_SENSOR_HYSTERESIS}`:
      if (data.length < 1) return fail(CC.DATA_LENGTH_INVALID);
      return state.defs.some((x) => x.number === data[0]) ? ok(Buffer.from([0, 0])) : fail(CC.NOT_PRESENT);
    case `${NETFN.STORAGE}:${CMD.GET_SDR_REPOSITORY_INFO}`:
      return ok(encodeRepositoryInfo({ version: 0x51, entries: state.sdr.length, freeBytes: 0, lastAddition: 0, lastErase: 0, operations: 0x02 }));
    case `${NETFN.STORAGE}:${CMD.RESERVE_SDR_REPOSITORY}`:
      return ok(encodeReservation(1));
    case `${NETFN.STORAGE}:${CMD.GET_SDR}`:
      return readRecord(state.sdr, data, 1, SDR_HEADER_LEN);
    case `${NETFN.STORAGE}:${CMD.GET_SEL_INFO}`:
      return ok(encodeRepositoryInfo({
        version: 0x51, entries: state.selRecords().length, freeBytes: state.selFreeBytes(), lastAddition: state.selLastAdd, lastErase: state.selLastErase, operations: 0x02,
      }));
    case `${NETFN.STORAGE}:${CMD.RESERVE_SEL}`:
      state.selReservation = (state.selReservation + 1) & 0xffff || 1;
      return ok(encodeReservation(state.selReservation));
    case `${NETFN.STORAGE}:${CMD.GET_SEL_ENTRY}`:
      return readRecord(state.selRecords(), data, state.selReservation, 0);
    case `${NETFN.STORAGE}:${CMD.CLEAR_SEL}`: {
      if (data.length < 6) return fail(CC.DATA_LENGTH_INVALID);
      const c = decodeClearSel(data);
      if (!c.valid) return fail(CC.INVALID_DATA_FIELD);
      if (c.reservationId !== state.selReservation) return fail(CC.RESERVATION_CANCELLED);
      if (c.initiate) state.clearSel();
      return ok(Buffer.from([0x01])); // erasure completed
    }
    case `${NETFN.STORAGE}:${CMD.GET_SEL_TIME}`: {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(Math.floor(Date.now() / 1000) >>> 0);
      return ok(b);
    }
    case `${NETFN.GROUP_EXTENSION}:${CMD.DCMI_GET_CAPABILITIES}`:
    case `${NETFN.GROUP_EXTENSION}:${CMD.DCMI_GET_POWER_READING}`: {
      if (!config.dcmi || data.length < 1 || data[0] !== DCMI_GROUP) return fail(CC.INVALID_COMMAND);
      if (cmd === CMD.DCMI_GET_CAPABILITIES) return ok(Buffer.from([DCMI_GROUP, 1, 5, 2, 0, 0x01, 0, 0, 0]));
      // The platform's draw: every PSU's input power summed.
      const w = state.sensors().filter((s) => s.units === 'Watts').reduce((a, s) => a + (s.value ?? 0), 0);
      return ok(encodeDcmiPowerReading({ watts: w, minWatts: w, maxWatts: w, averageWatts: w, timestamp: Math.floor(Date.now() / 1000), periodMs: 1000, active: state.power === 'on' }));
    }
    default:
      return fail(CC.INVALID_COMMAND);
  }
}
