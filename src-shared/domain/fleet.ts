// The fleet read model: device status, overview counts, cabinet summaries and elevations, poller figures.
import type { SerializedError } from '../errors';
import type { Cabinet, Device, Room, Row, Site } from './inventory';

/**
 * up: answered its last poll. degraded: answered, but slowly, partly, or with interfaces
 * down. unreachable: did not answer (after retries). unknown: not polled yet.
 */
export type DeviceStatus = 'up' | 'degraded' | 'unreachable' | 'unknown';

export interface DeviceStatusChange {
  readonly deviceId: string;
  readonly status: DeviceStatus;
  readonly previous: DeviceStatus;
  readonly at: number;
}

export interface RoomOverview {
  readonly id: string;
  readonly siteId: string;
  readonly name: string;
  readonly cabinets: number;
  readonly devices: number;
  readonly answering: number;
  /** Devices polled at least once: until the first sweep ends, answering is out of these. */
  readonly polled: number;
  /** Of the answering, those degraded (slow, partial, links down). */
  readonly degraded: number;
  /** Polled, and did not answer its last poll (after retries). */
  readonly unreachable: number;
  /** Not polled at all (no usable SNMP credential): counted apart, never as failures. */
  readonly notMonitored: number;
}

export interface SiteOverview {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly devices: number;
  readonly answering: number;
  readonly polled: number;
  readonly unreachable: number;
  readonly notMonitored: number;
  readonly rooms: readonly RoomOverview[];
}

export interface FleetOverview {
  readonly generatedAt: number;
  readonly fleet: 'lab' | 'configured';
  /** pollable: devices the console can poll (those with an SNMP credential); polled: of those, polled at least once. */
  readonly totals: {
    readonly sites: number;
    readonly rooms: number;
    readonly cabinets: number;
    readonly devices: number;
    readonly answering: number;
    readonly polled: number;
    readonly pollable: number;
    readonly unreachable: number;
    /** devices - pollable: never polled, shown as "not monitored". */
    readonly notMonitored: number;
  };
  readonly sites: readonly SiteOverview[];
}

export interface CabinetSummary {
  readonly id: string;
  readonly rowId: string;
  readonly rowName: string;
  readonly name: string;
  readonly position: number;
  readonly devices: number;
  readonly answering: number;
  readonly polled: number;
  readonly degraded: number;
  readonly unreachable: number;
  readonly notMonitored: number;
}

/** A device as its cabinet's elevation shows it: where it sits, and what the poller last saw. */
/** Why the poller does not poll a device. */
/** 'credential-unbound': its SNMP credential is not bound to its address and port (moved or set by an operator; an admin binds it). */
export const NOT_MONITORED_REASONS = ['no-credential', 'unknown-credential', 'wrong-kind', 'credential-unusable', 'credential-unbound'] as const;
export type NotMonitoredReason = (typeof NOT_MONITORED_REASONS)[number];

/** Whether the console polls a device, why not, and what its last poll failed with. */
export interface Monitoring {
  readonly polled: boolean;
  /** Set when polled is false. */
  readonly reason: NotMonitoredReason | null;
  /** The last poll's protocol error while the device is unreachable or degraded (SnmpTimeoutError, SnmpAuthError...). */
  readonly lastError: SerializedError | null;
}

export interface ElevationDevice extends Pick<Device, 'id' | 'kind' | 'hostname' | 'sn' | 'uPosition' | 'uHeight' | 'mgmtIp' | 'snmpPort'> {
  readonly status: DeviceStatus;
  /** Another device has the same management address: show the port to tell them apart. Absent from older cores. */
  readonly sharedAddress?: boolean;
  readonly monitoring?: Monitoring;
  /** Last polled values, when the device answered. */
  readonly sysName: string | null;
  readonly uptimeSeconds: number | null;
  readonly powerWatts: number | null;
  /** What the console can do with it: a BMC to talk IPMI to, an OS to reach over SSH. */
  readonly capabilities: { bmc: boolean; ssh: boolean };
}

export interface CabinetElevation {
  readonly cabinet: Cabinet;
  readonly site: Site;
  readonly room: Room;
  readonly row: Row;
  readonly devices: readonly ElevationDevice[];
}

export interface PollerStats {
  readonly startedAt: number;
  /** Polls that got an answer, and polls that timed out after their retries. */
  readonly pollsCompleted: number;
  readonly pollsFailed: number;
  readonly targets: number;
  readonly intervalMs: number;
}

/**
 * What one feed failing would do to a cabinet (seed 001's cabinet awareness), from its PDUs'
 * feeds and its servers' PSUs: redundant (every device keeps power on either feed alone),
 * dark-on-a / dark-on-b (losing that feed darkens some devices), dark-on-either (some devices
 * hang on one feed and others on the other), unknown (no PDU or no PSU data).
 */
export const FEED_RISKS = ['redundant', 'dark-on-a', 'dark-on-b', 'dark-on-either', 'unknown'] as const;
export type FeedRisk = (typeof FEED_RISKS)[number];

/** A device's status as the room colours it: the poller's, or not monitored (never polled). */
export type RoomDeviceStatus = DeviceStatus | 'not-monitored';

export interface CabinetReading {
  readonly cabinetId: string;
  /** The cabinet's PDUs' summed power (last stored pdu reading), W; null: no reading. */
  readonly powerW: number | null;
  readonly ratedKw: number;
  /** powerW / (ratedKw * 1000); null without a reading or a rating. */
  readonly utilisation: number | null;
  /** The hottest inlet among its servers' BMCs (bmc.inlet_c), deg C; null: none read. */
  readonly inletC: number | null;
  /** When the newest of those readings was taken (ms since the epoch); null: none. */
  readonly readAt: number | null;
  /** The worst status among its devices (unreachable > degraded > unknown > up; not-monitored only when all are). */
  readonly worst: RoomDeviceStatus;
  readonly feed: FeedRisk;
  /** Devices that would lose power if feed A (B) failed. */
  readonly darkOnA: number;
  readonly darkOnB: number;
  /** Devices whose identify LED the console turned on and has not seen expire (the room blinks them). */
  readonly identifying: readonly string[];
  /** Hook for later issues (alarms, provisioning): state words per cabinet, e.g. 'alarm:critical'. */
  readonly flags: readonly string[];
}

export interface DeviceReading {
  readonly deviceId: string;
  readonly status: RoomDeviceStatus;
  readonly inletC: number | null;
  readonly powerW: number | null;
}

/** Live readings for one room's 3D colours (fleet.roomReadings); geometry is inventory.roomLayout. */
export interface RoomReadings {
  readonly roomId: string;
  readonly generatedAt: number;
  readonly cabinets: readonly CabinetReading[];
  readonly devices: readonly DeviceReading[];
}
