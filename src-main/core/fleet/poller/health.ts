// A device's health after one SNMP poll: unreachable when it did not answer (or refused the
// credential: no reading, as when a v2c agent drops a wrong community), degraded when it
// answered slowly, with an error, partially or with a link down, else up.
import type { DeviceStatus } from '../../../../src-shared/domain';
import { SnmpAuthError, SnmpError, SnmpSessionClosedError, SnmpTimeoutError } from '../../protocols/snmp';

const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export interface HealthInput {
  /** The main GET's failure, if it failed. */
  error: unknown;
  rttMs: number | null;
  /** An answer slower than this is slow. */
  slowMs: number;
  /** DeviceReading.partial, when there is a reading. */
  partial: readonly string[];
  /** Interfaces seen up before that are now down while still admin-up. */
  linksDown: readonly string[];
}

/** True when a failed main GET means the device did not answer at all, or refused the credential (a v3 USM report). */
export function unanswered(error: unknown): boolean {
  return error instanceof SnmpTimeoutError || error instanceof SnmpSessionClosedError || error instanceof SnmpAuthError || !(error instanceof SnmpError);
}

/** The device's status after a poll, with the reasons a degraded one is degraded. */
export function judgeHealth(h: HealthInput): { status: DeviceStatus; reasons: string[] } {
  if (h.error && unanswered(h.error)) return { status: 'unreachable', reasons: [why(h.error)] };
  const reasons: string[] = [];
  if (h.error) reasons.push(`answered with an error: ${why(h.error)}`);
  if (h.rttMs !== null && h.rttMs > h.slowMs) reasons.push(`slow: answered in ${Math.round(h.rttMs)} ms`);
  for (const p of h.partial) reasons.push(`partial: ${p}`);
  for (const l of h.linksDown) reasons.push(`link down: ${l}`);
  return { status: reasons.length ? 'degraded' : 'up', reasons };
}
