// FleetDeck's IPMI client: the commands the console needs, on top of one session per BMC.
// Everything it throws is a named IpmiError.
import { decodeDeviceId, type DeviceId } from './codec/app-commands';
import {
  BOOT_PARAM, decodeBootFlags, decodeChassisStatus, decodeDcmiPowerReading, decodeGetBootOptions, encodeChassisControl, encodeChassisIdentify,
  encodeDcmiGetPowerReading, encodeGetBootOptions, encodeSetBootFlags, encodeSetBootInfoAck,
  type BootDevice, type BootFlags, type ChassisStatus, type PowerAction, type PowerReading,
} from './codec/chassis-commands';
import { CMD, NETFN } from './codec/constants';
import { decodeRepositoryInfo, encodeClearSel, type RepositoryInfo } from './codec/storage-commands';
import { decodeSelEntry, type SelEntry } from './codec/sel';
import { isSensorRecord, type SdrRecord } from './codec/sdr';
import { IpmiCompletionCodeError, IpmiUnsupportedError, toIpmiError } from './errors';
import { readRecords, readSensors, type SensorValue } from './client-records';
import { createIpmiSession, type IpmiSession, type IpmiSessionOptions } from './session';
import type { AsyncDisposable } from '../../../../src-shared/lifecycle';

export type IpmiClientOptions = IpmiSessionOptions;

export interface IpmiClient extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  readonly session: IpmiSession;
  chassisStatus(): Promise<ChassisStatus>;
  /** Chassis Control: off, on, cycle, reset (hard), diag (NMI), soft (ACPI shutdown). */
  power(action: PowerAction): Promise<void>;
  /** Identify LED: on for `seconds` (default 15; 0 = off), or until turned off with `force`. */
  identify(opts?: { seconds?: number; force?: boolean }): Promise<void>;
  /** Boot device override: next boot only unless `persistent`. */
  setBootDevice(device: BootDevice, opts?: { persistent?: boolean; efi?: boolean }): Promise<void>;
  bootDevice(): Promise<BootFlags>;
  deviceId(): Promise<DeviceId>;
  /** Every record of the SDR repository. */
  sdr(): Promise<SdrRecord[]>;
  /**
   * Every sensor with its current reading converted to units. The SDR is read once and
   * re-read only when the repository's entry count or change stamps move.
   */
  sensors(): Promise<SensorValue[]>;
  selInfo(): Promise<RepositoryInfo>;
  selList(): Promise<SelEntry[]>;
  selClear(): Promise<void>;
  /** DCMI power reading; from a Watts sensor where the BMC has no DCMI. */
  powerReading(): Promise<PowerReading>;
  close(): Promise<void>;
}

export function createIpmiClient(opts: IpmiClientOptions): IpmiClient {
  const session = createIpmiSession(opts);
  const host = opts.host;
  let sdrCache: { key: string; records: SdrRecord[] } | null = null;
  const cachedSdr = async (): Promise<SdrRecord[]> => {
    const info = decodeRepositoryInfo(await session.request(NETFN.STORAGE, CMD.GET_SDR_REPOSITORY_INFO), 'Get SDR Repository Info response');
    const key = `${info.entries}:${info.lastAddition}:${info.lastErase}`;
    if (sdrCache?.key !== key) sdrCache = { key, records: await readRecords(session, 'sdr') };
    return sdrCache.records;
  };
  const named = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toIpmiError(err, host);
    }
  };

  const client: IpmiClient = {
    host,
    port: session.port,
    session,
    chassisStatus: () => named(async () => decodeChassisStatus(await session.request(NETFN.CHASSIS, CMD.GET_CHASSIS_STATUS))),
    power: (action) => named(async () => {
      await session.request(NETFN.CHASSIS, CMD.CHASSIS_CONTROL, encodeChassisControl(action));
    }),
    identify: (o = {}) => named(async () => {
      await session.request(NETFN.CHASSIS, CMD.CHASSIS_IDENTIFY, encodeChassisIdentify(o));
    }),
    setBootDevice: (device, o = {}) => named(async () => {
      const flags = encodeSetBootFlags(device, o.persistent ?? false, o.efi ?? false);
      // As ipmitool does: acknowledge boot info first; BMCs without parameter 4 may refuse it.
      await session.request(NETFN.CHASSIS, CMD.SET_SYSTEM_BOOT_OPTIONS, encodeSetBootInfoAck(), { allowCompletionCode: true });
      await session.request(NETFN.CHASSIS, CMD.SET_SYSTEM_BOOT_OPTIONS, flags);
    }),
    bootDevice: () => named(async () => {
      const res = decodeGetBootOptions(await session.request(NETFN.CHASSIS, CMD.GET_SYSTEM_BOOT_OPTIONS, encodeGetBootOptions(BOOT_PARAM.BOOT_FLAGS)));
      return decodeBootFlags(res.data);
    }),
    deviceId: () => named(async () => decodeDeviceId(await session.request(NETFN.APP, CMD.GET_DEVICE_ID))),
    sdr: () => named(() => readRecords(session, 'sdr')),
    sensors: () => named(async () => readSensors(session, (await cachedSdr()).filter(isSensorRecord))),
    selInfo: () => named(async () => decodeRepositoryInfo(await session.request(NETFN.STORAGE, CMD.GET_SEL_INFO), 'Get SEL Info response')),
    selList: () => named(async () => (await readRecords(session, 'sel')).map(decodeSelEntry)),
    selClear: () => named(async () => {
      const res = await session.request(NETFN.STORAGE, CMD.RESERVE_SEL);
      const reservation = res.readUInt16LE(0);
      await session.request(NETFN.STORAGE, CMD.CLEAR_SEL, encodeClearSel(reservation, true));
    }),
    powerReading: () => named(async () => {
      try {
        return decodeDcmiPowerReading(await session.request(NETFN.GROUP_EXTENSION, CMD.DCMI_GET_POWER_READING, encodeDcmiGetPowerReading()));
      } catch (err) {
        if (!(err instanceof IpmiCompletionCodeError)) throw err;
      }
      const sensors = await client.sensors();
      const watts = sensors.filter((s) => s.record.kind === 'full' && s.units === 'Watts' && s.value !== null);
      const best = watts.find((s) => /power|pwr|psu/i.test(s.name)) ?? watts[0];
      if (!best || best.value === null) throw new IpmiUnsupportedError(host, 'DCMI power reading, and it has no readable Watts sensor');
      const now = Math.floor(Date.now() / 1000);
      return { watts: best.value, minWatts: best.value, maxWatts: best.value, averageWatts: best.value, timestamp: now, periodMs: 0, active: true, source: 'sensor' as const };
    }),
    close: () => session.close(),
    dispose: () => session.close(),
  };
  return client;
}

