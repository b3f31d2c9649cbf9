// What one finished poll changes: the device's kept state, its PollResult and the status,
// health and interface events, batched in an outbox the poll loop flushes to its listeners.
import type { DeviceStatus, DeviceStatusChange } from '../../../../src-shared/domain';
import { serializeError } from '../../../../src-shared/errors';
import type { DeviceReading } from '../../protocols/snmp';
import { assessPoll, type DeviceMemory } from './device-memory';
import type { DeviceHealthChange, DevicePollState, InterfaceChange, PollResult } from './types';

/** A device's state before its first poll. */
export function newPollState(): DevicePollState {
  return {
    status: 'unknown', health: 'unknown', reasons: [], failures: 0, sysName: null, uptimeSeconds: null, inBps: null, outBps: null,
    powerWatts: null, outlets: null, interfaces: [], lastPollAt: null, rttMs: null, lastError: null,
  };
}

export interface PollOutcome {
  deviceId: string;
  reading: DeviceReading | null;
  /** The main GET's failure (or the session's), if any. */
  error: unknown;
  /** The main GET's round trip (or the poll's time when there was no answer). */
  rttMs: number;
  slowMs: number;
  walkInterfaces: boolean;
  /** The poll overlapped a stall of the core: its speed is no evidence, and its round trip is not kept. */
  stalled?: boolean;
}

export interface PollOutboxListeners {
  onResults?: (results: PollResult[]) => void;
  onStatusChange?: (changes: DeviceStatusChange[]) => void;
  onHealthChange?: (changes: DeviceHealthChange[]) => void;
  onInterfaceChange?: (changes: InterfaceChange[]) => void;
  log?: (line: string) => void;
}

/** Results and changes gathered between flushes; each listener gets its batch, and a throwing one is logged. */
export interface PollOutbox {
  readonly results: PollResult[];
  readonly changes: DeviceStatusChange[];
  readonly health: DeviceHealthChange[];
  readonly interfaces: InterfaceChange[];
  flush(): void;
}

export function createPollOutbox(listeners: PollOutboxListeners): PollOutbox {
  const results: PollResult[] = [];
  const changes: DeviceStatusChange[] = [];
  const health: DeviceHealthChange[] = [];
  const interfaces: InterfaceChange[] = [];
  const emit = <T>(batch: T[], fn: ((b: T[]) => void) | undefined): void => {
    if (!batch.length || !fn) return;
    try {
      fn(batch);
    } catch (err) {
      listeners.log?.(`snmp poller: a listener threw: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return {
    results, changes, health, interfaces,
    flush() {
      // Every batch is taken before any listener runs: a listener that polls again lands in the next flush.
      const [r, c, h, i] = [results.splice(0), changes.splice(0), health.splice(0), interfaces.splice(0)];
      emit(r, listeners.onResults);
      emit(c, listeners.onStatusChange);
      emit(h, listeners.onHealthChange);
      emit(i, listeners.onInterfaceChange);
    },
  };
}

/**
 * Applies one poll to the device's memory and state, queues its result and changes in
 * `out`, and says whether the device answered (the caller's schedule backs off when not).
 */
export function recordPoll(memory: DeviceMemory, s: DevicePollState, poll: PollOutcome, at: number, out: PollOutbox): boolean {
  const { deviceId: id, reading, error } = poll;
  const rtt = poll.stalled ? undefined : poll.rttMs;
  const a = assessPoll(memory, { reading, error, rttMs: rtt ?? null, slowMs: poll.slowMs, walkInterfaces: poll.walkInterfaces, at });
  const status: DeviceStatus = a.answered ? 'up' : 'unreachable';
  const result: PollResult = {
    deviceId: id, at, ok: a.answered, status, health: a.health, reasons: a.reasons, rttMs: a.answered ? rtt : undefined,
    sysName: a.sysName, uptimeSeconds: a.uptimeSeconds, inBps: a.inBps, outBps: a.outBps, powerWatts: a.powerWatts, restarted: a.restarted,
    error: error ? (error instanceof Error ? error.message : String(error)) : null,
  };
  if (a.outlets) result.outlets = a.outlets;
  if (a.interfaceRates) result.interfaceRates = a.interfaceRates;
  for (const c of a.ifChanges) out.interfaces.push({ deviceId: id, ...c });
  if (a.answered) {
    s.failures = 0;
    Object.assign(s, { sysName: a.sysName, uptimeSeconds: a.uptimeSeconds, inBps: a.inBps, outBps: a.outBps, powerWatts: a.powerWatts,
      outlets: a.outlets ?? s.outlets, interfaces: a.interfaces });
  } else {
    s.failures++;
  }
  s.lastPollAt = at;
  if (!a.answered) s.rttMs = null;
  else if (rtt !== undefined) s.rttMs = rtt;
  s.reasons = a.reasons;
  // The error stays while the device is unreachable or degraded; a full answer clears it.
  if (error) s.lastError = serializeError(error);
  else if (a.health === 'up') s.lastError = null;
  if (s.status !== status) {
    out.changes.push({ deviceId: id, status, previous: s.status, at });
    s.status = status;
  }
  if (s.health !== a.health) {
    out.health.push({ deviceId: id, status: a.health, previous: s.health, reasons: a.reasons, at });
    s.health = a.health;
  }
  out.results.push(result);
  return a.answered;
}
