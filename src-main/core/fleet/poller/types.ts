// The SNMP poller's public shapes: what it polls (PollTarget), what each poll yields
// (PollResult), what it keeps per device (DevicePollState) and the change events it emits.
import type { DeviceKind, DeviceStatus } from '../../../../src-shared/domain';
import type { SerializedError } from '../../../../src-shared/errors';
import type { InterfaceRate, InterfaceStatusChange, OutletPower, PduProfile, SnmpCredentials } from '../../protocols/snmp';
import type { Assessment } from './device-memory';

export interface PollTarget {
  deviceId: string;
  kind: DeviceKind;
  host: string;
  port: number;
  community: string;
  /** This device's poll interval; the poller's when absent. */
  intervalMs?: number;
  /** v3 (or v2c) credentials; when present they are used instead of `community`. */
  credentials?: SnmpCredentials;
  /** Read the interface table by GetBulk (for ifIndexes that are not 1..n). */
  walkInterfaces?: boolean;
  /** PDUs: read total and per-outlet power with this profile. */
  pduProfile?: PduProfile;
}

export interface PollResult {
  deviceId: string;
  /** When the poll finished (options.now clock, ms). */
  at: number;
  /** The device answered. */
  ok: boolean;
  /** 'up' when it answered (health up or degraded), else 'unreachable'. */
  status: DeviceStatus;
  health: DeviceStatus;
  /** Why health is degraded or unreachable; empty when up. */
  reasons: string[];
  /** Request to answer, retries included; absent when it did not answer. */
  rttMs?: number;
  sysName: string | null;
  uptimeSeconds: number | null;
  /** Sum over the polled interfaces, bytes/s; null on the first sample or after a restart. */
  inBps: number | null;
  outBps: number | null;
  powerWatts: number | null;
  /** Per-outlet power (PDUs with a profile). */
  outlets?: OutletPower[] | null;
  /** Per-interface rates (walkInterfaces targets), bits/s. */
  interfaceRates?: InterfaceRate[];
  /** sysUpTime went backwards since the last answer. */
  restarted: boolean;
  error: string | null;
}

/** health and reasons from the last assessment; the values from the last answer (kept while the device is unreachable). */
export interface DevicePollState extends Pick<Assessment, 'health' | 'reasons' | 'sysName' | 'uptimeSeconds' | 'inBps' | 'outBps' | 'powerWatts' | 'outlets' | 'interfaces'> {
  status: DeviceStatus;
  /** Unanswered polls in a row (drives the back-off). */
  failures: number;
  /** Last poll attempt, answered or not. */
  lastPollAt: number | null;
  /** Round trip of the last poll; null when it went unanswered. */
  rttMs: number | null;
  /**
   * The last failed poll's protocol error (timeout, USM/auth failure, error-status), kept
   * while the device is unreachable or degraded; null once it answers fully (health up).
   */
  lastError?: SerializedError | null;
}

/** The interface counters of the poller's last answered poll of a device (for a first rate pair). */
export interface PolledCounters {
  /** options.now clock, ms. */
  at: number;
  uptimeTicks: number | null;
  /** By ifIndex. discontinuity: undefined when the poll did not read ifCounterDiscontinuityTime. */
  counters: Map<number, { inOctets: bigint | null; outOctets: bigint | null; counterBits: 32 | 64; discontinuity?: number | null }>;
}

export interface DeviceHealthChange {
  deviceId: string;
  status: DeviceStatus;
  previous: DeviceStatus;
  reasons: string[];
  at: number;
}

export interface InterfaceChange extends InterfaceStatusChange {
  deviceId: string;
}
