// Chassis commands (netFn 0x00): status, power control, identify, boot options; and the
// DCMI power reading (group extension 0xDC).
import { IpmiArgumentError } from './errors';
import { DCMI_GROUP } from './constants';
import { Reader, check } from './reader';

export type PowerRestorePolicy = 'always-off' | 'previous' | 'always-on' | 'unknown';
export type IdentifyState = 'off' | 'temporary' | 'indefinite' | 'unknown';

export interface ChassisStatus {
  powerOn: boolean;
  powerOverload: boolean;
  powerInterlock: boolean;
  mainPowerFault: boolean;
  powerControlFault: boolean;
  powerRestorePolicy: PowerRestorePolicy;
  /** Last power event bits: ac failed, overload, interlock, fault, on by IPMI command. */
  lastPowerEvent: { acFailed: boolean; overload: boolean; interlock: boolean; fault: boolean; command: boolean };
  chassisIntrusion: boolean;
  frontPanelLockout: boolean;
  driveFault: boolean;
  coolingFault: boolean;
  /** 'unknown' when the BMC does not report the identify state (byte 3 bit 6 clear). */
  identify: IdentifyState;
}

const POLICIES: PowerRestorePolicy[] = ['always-off', 'previous', 'always-on', 'unknown'];
const IDENTIFY: IdentifyState[] = ['off', 'temporary', 'indefinite', 'unknown'];

export function decodeChassisStatus(data: Buffer): ChassisStatus {
  const r = new Reader(data, 'Get Chassis Status response');
  const p = r.u8();
  const e = r.u8();
  const m = r.u8();
  return {
    powerOn: (p & 0x01) !== 0,
    powerOverload: (p & 0x02) !== 0,
    powerInterlock: (p & 0x04) !== 0,
    mainPowerFault: (p & 0x08) !== 0,
    powerControlFault: (p & 0x10) !== 0,
    powerRestorePolicy: POLICIES[(p >> 5) & 3],
    lastPowerEvent: { acFailed: (e & 0x01) !== 0, overload: (e & 0x02) !== 0, interlock: (e & 0x04) !== 0, fault: (e & 0x08) !== 0, command: (e & 0x10) !== 0 },
    chassisIntrusion: (m & 0x01) !== 0,
    frontPanelLockout: (m & 0x02) !== 0,
    driveFault: (m & 0x04) !== 0,
    coolingFault: (m & 0x08) !== 0,
    identify: (m & 0x40) !== 0 ? IDENTIFY[(m >> 4) & 3] : 'unknown',
  };
}

export function encodeChassisStatus(s: ChassisStatus): Buffer {
  const e = s.lastPowerEvent;
  const p = (s.powerOn ? 1 : 0) | (s.powerOverload ? 2 : 0) | (s.powerInterlock ? 4 : 0) | (s.mainPowerFault ? 8 : 0) | (s.powerControlFault ? 0x10 : 0) | (POLICIES.indexOf(s.powerRestorePolicy) << 5);
  const ev = (e.acFailed ? 1 : 0) | (e.overload ? 2 : 0) | (e.interlock ? 4 : 0) | (e.fault ? 8 : 0) | (e.command ? 0x10 : 0);
  const idf = s.identify === 'unknown' ? 0 : 0x40 | (IDENTIFY.indexOf(s.identify) << 4);
  const m = (s.chassisIntrusion ? 1 : 0) | (s.frontPanelLockout ? 2 : 0) | (s.driveFault ? 4 : 0) | (s.coolingFault ? 8 : 0) | idf;
  return Buffer.from([p, ev, m, 0]);
}

export type PowerAction = 'off' | 'on' | 'cycle' | 'reset' | 'diag' | 'soft';
export const POWER_ACTIONS: Record<PowerAction, number> = { off: 0, on: 1, cycle: 2, reset: 3, diag: 4, soft: 5 };

export function encodeChassisControl(action: PowerAction): Buffer {
  const v = POWER_ACTIONS[action];
  if (v === undefined) throw new IpmiArgumentError('power action', `"${String(action)}" is not one of ${Object.keys(POWER_ACTIONS).join(', ')}`);
  return Buffer.from([v]);
}

export function decodeChassisControl(data: Buffer): PowerAction | undefined {
  const r = new Reader(data, 'Chassis Control request');
  const v = r.u8() & 0x0f;
  return (Object.keys(POWER_ACTIONS) as PowerAction[]).find((k) => POWER_ACTIONS[k] === v);
}

/** Identify: seconds 0 turns the light off; force keeps it on until turned off (interval 0, as ipmitool sends). */
export function encodeChassisIdentify(opts: { seconds?: number; force?: boolean }): Buffer {
  const seconds = opts.seconds ?? (opts.force ? 0 : 15);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 255) throw new IpmiArgumentError('identify interval', `${seconds} s is not an integer 0-255`);
  return opts.force ? Buffer.from([seconds, 1]) : Buffer.from([seconds]);
}

export function decodeChassisIdentify(data: Buffer): { seconds: number; force: boolean } {
  return { seconds: data.length >= 1 ? data[0] : 15, force: data.length >= 2 && (data[1] & 1) === 1 };
}

export type BootDevice = 'none' | 'pxe' | 'disk' | 'safe' | 'diag' | 'cdrom' | 'bios' | 'floppy';
export const BOOT_DEVICES: Record<BootDevice, number> = { none: 0, pxe: 1, disk: 2, safe: 3, diag: 4, cdrom: 5, bios: 6, floppy: 15 };
export const BOOT_PARAM = { SET_IN_PROGRESS: 0, INFO_ACK: 4, BOOT_FLAGS: 5 } as const;

export interface BootFlags {
  valid: boolean;
  persistent: boolean;
  efi: boolean;
  device: BootDevice | 'unknown';
}

/** Set System Boot Options, parameter 5: boot flags. */
export function encodeSetBootFlags(device: BootDevice, persistent: boolean, efi = false): Buffer {
  const v = BOOT_DEVICES[device];
  if (v === undefined) throw new IpmiArgumentError('boot device', `"${String(device)}" is not one of ${Object.keys(BOOT_DEVICES).join(', ')}`);
  return Buffer.from([BOOT_PARAM.BOOT_FLAGS, 0x80 | (persistent ? 0x40 : 0) | (efi ? 0x20 : 0), v << 2, 0, 0, 0]);
}

/** Set System Boot Options, parameter 4: boot info acknowledge (ipmitool sends it before the flags). */
export function encodeSetBootInfoAck(): Buffer {
  return Buffer.from([BOOT_PARAM.INFO_ACK, 0x01, 0x01]);
}

export function decodeBootFlags(flags: Buffer): BootFlags {
  const r = new Reader(flags, 'boot flags');
  const b1 = r.u8();
  const b2 = r.u8();
  const dev = (b2 >> 2) & 0x0f;
  return {
    valid: (b1 & 0x80) !== 0,
    persistent: (b1 & 0x40) !== 0,
    efi: (b1 & 0x20) !== 0,
    device: (Object.keys(BOOT_DEVICES) as BootDevice[]).find((k) => BOOT_DEVICES[k] === dev) ?? 'unknown',
  };
}

export function encodeBootFlags(f: BootFlags): Buffer {
  const dev = f.device === 'unknown' ? 0 : BOOT_DEVICES[f.device];
  return Buffer.from([(f.valid ? 0x80 : 0) | (f.persistent ? 0x40 : 0) | (f.efi ? 0x20 : 0), dev << 2, 0, 0, 0]);
}

export function encodeGetBootOptions(param: number): Buffer {
  return Buffer.from([param & 0x7f, 0, 0]);
}

/** Get System Boot Options response: version, parameter, then the parameter's data. */
export function decodeGetBootOptions(data: Buffer): { param: number; data: Buffer } {
  const r = new Reader(data, 'Get System Boot Options response');
  r.u8();
  const param = r.u8() & 0x7f;
  return { param, data: Buffer.from(r.rest()) };
}

export interface PowerReading {
  watts: number;
  minWatts: number;
  maxWatts: number;
  averageWatts: number;
  /** Epoch seconds of the reading, as the BMC's clock says. */
  timestamp: number;
  periodMs: number;
  active: boolean;
  source: 'dcmi' | 'sensor';
}

export function encodeDcmiGetPowerReading(): Buffer {
  return Buffer.from([DCMI_GROUP, 0x01, 0x00, 0x00]);
}

export function decodeDcmiPowerReading(data: Buffer): PowerReading {
  const r = new Reader(data, 'DCMI Get Power Reading response');
  check(r.u8() === DCMI_GROUP, 'DCMI response does not start with group 0xDC');
  const watts = r.u16le();
  const minWatts = r.u16le();
  const maxWatts = r.u16le();
  const averageWatts = r.u16le();
  const timestamp = r.u32le();
  const periodMs = r.u32le();
  const state = r.u8();
  return { watts, minWatts, maxWatts, averageWatts, timestamp, periodMs, active: (state & 0x40) !== 0, source: 'dcmi' };
}

export function encodeDcmiPowerReading(p: Omit<PowerReading, 'source'>): Buffer {
  const b = Buffer.alloc(18);
  b[0] = DCMI_GROUP;
  b.writeUInt16LE(Math.round(p.watts) & 0xffff, 1);
  b.writeUInt16LE(Math.round(p.minWatts) & 0xffff, 3);
  b.writeUInt16LE(Math.round(p.maxWatts) & 0xffff, 5);
  b.writeUInt16LE(Math.round(p.averageWatts) & 0xffff, 7);
  b.writeUInt32LE(p.timestamp >>> 0, 9);
  b.writeUInt32LE(p.periodMs >>> 0, 13);
  b[17] = p.active ? 0x40 : 0;
  return b;
}
