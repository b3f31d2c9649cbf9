// One device up close: its detail page, its BMC (sensors, SEL, power) and the control actions on it.
import type { SerializedError } from '../errors';
import type { DeviceStatus, Monitoring } from './fleet';
import type { LifecycleChange } from './device-lifecycle';
import type { Cabinet, Device, Room, Row, Site } from './inventory';

/** Rates in bits per second. */
export interface InterfaceInfo {
  readonly index: number;
  readonly name: string;
  readonly operStatus: 'up' | 'down' | 'testing' | 'unknown' | 'dormant' | 'notPresent' | 'lowerLayerDown';
  readonly speedBps: number | null;
  readonly inBps: number | null;
  readonly outBps: number | null;
}

export type InterfacesProblem =
  | { readonly code: 'no-credential' }
  | { readonly code: 'not-read'; readonly status: DeviceStatus }
  | { readonly code: 'read-failed'; readonly error: SerializedError };

export interface DeviceDetail {
  readonly device: Device;
  readonly site: Site;
  readonly room: Room;
  readonly row: Row;
  readonly cabinet: Cabinet;
  readonly status: DeviceStatus;
  readonly lastPollAt: number | null;
  readonly rttMs: number | null;
  readonly sysName: string | null;
  readonly uptimeSeconds: number | null;
  readonly interfaces: readonly InterfaceInfo[];
  /** Why interfaces is empty when the device did not answer the live read; null otherwise. */
  readonly interfacesError: string | null;
  /** The same, as a code with params for the renderer to word. */
  readonly interfacesProblem: InterfacesProblem | null;
  readonly powerWatts: number | null;
  /** Where powerWatts comes from: the PDU's own meter, or the server's BMC (sensor poller). */
  readonly powerSource: 'pdu' | 'bmc' | null;
  /** When powerWatts was read (ms since epoch). */
  readonly powerAt: number | null;
  /** Power draw over the last hour, from the stored time series (PDU meter or BMC readings). */
  readonly powerHistory: readonly { ts: number; watts: number }[];
  /** What the console can do with it: a BMC to talk IPMI to, an OS to reach over SSH. */
  readonly capabilities: { bmc: boolean; ssh: boolean };
  /** Whether it is polled, why not, and its last protocol error. Absent from older cores. */
  readonly monitoring?: Monitoring;
  /** Another device has the same management address (show the port). Absent from older cores. */
  readonly sharedAddress?: boolean;
  /** Who last moved device.lifecycle, and when; null when not moved since the store gained the lifecycle. Absent from older cores. */
  readonly lifecycleChange?: LifecycleChange | null;
}

export interface SensorReading {
  readonly name: string;
  /** The BMC's wording of the sensor type, and its IPMI code (v2.0 table 42-3) for the renderer to word. */
  readonly type: string;
  readonly typeCode: number;
  readonly value: number | null;
  /** The unit as the BMC words it, and its IPMI code (table 43-15). */
  readonly unit: string;
  readonly unitCode: number;
  readonly status: 'ok' | 'warning' | 'critical' | 'unavailable';
}

export interface SelEntry {
  readonly id: number;
  /** ms since epoch, or null when the BMC's clock stamp is pre-init. */
  readonly at: number | null;
  /** The sensor in the core's English ("Power Unit #8"), the fallback for a renderer that cannot word the codes below. */
  readonly sensor: string;
  /** The sensor's own name from the BMC's SDR ("PSU1 Status"), as ipmitool prints it; null when the SDR has none. Absent from older cores. */
  readonly sensorName?: string | null;
  /** IPMI sensor type (v2.0 table 42-3) and sensor number; both null for an OEM record (no sensor). */
  readonly sensorType: number | null;
  readonly sensorNumber: number | null;
  /**
   * Event/reading type (table 42-1: 0x01 threshold, 0x02-0x0c generic, 0x6f sensor-specific,
   * 0x70-0x7f OEM) and the event offset (event data 1, low nibble); both null for an OEM record.
   */
  readonly eventType: number | null;
  readonly offset: number | null;
  /** The event in the core's English (ipmitool's words: "Power off/down"), the fallback. */
  readonly event: string;
  readonly direction: 'assertion' | 'deassertion';
}

export interface BmcInfo {
  readonly deviceId: string;
  readonly fetchedAt: number;
  readonly power: 'on' | 'off';
  readonly identify: boolean | null;
  readonly powerWatts: number | null;
  readonly powerSource: 'dcmi' | 'sensor' | null;
  readonly sensors: readonly SensorReading[];
  readonly sel: readonly SelEntry[];
  readonly deviceIdInfo: { manufacturerId: number; productId: number; firmware: string; ipmiVersion: string } | null;
}

export const POWER_ACTIONS = ['on', 'off', 'cycle', 'reset', 'soft'] as const;
export type PowerAction = (typeof POWER_ACTIONS)[number];

export const BOOT_DEVICES = ['pxe', 'disk', 'bios', 'cdrom'] as const;
export type BootDevice = (typeof BOOT_DEVICES)[number];
