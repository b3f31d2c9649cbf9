// The sensor poller's SEL side: which critical SEL entries each BMC gained, kept as the times
// they were first seen, so the poller can store `bmc.sel_critical` = the critical entries seen
// in the last `windowMs` (default 15 min) - a rule "SEL critical events in the last 15 min" is
// bmc.sel_critical > 0, and it resolves by itself a window after the last one.
// Critical is provisioning/sel-severity.ts's word (the BMC status check and the burn-in use it):
// an asserted critical / non-recoverable threshold crossing, or a sensor-specific or generic
// failure offset (uncorrectable ECC, processor IERR, PSU failure...); deassertions never count.
// Incremental: an entry is known by its record id, BMC timestamp and content (sensor, event,
// direction: a pre-init stamp has no date to tell two entries by). The first read of a BMC is
// its baseline: only its entries with a real clock stamp inside the window count (at their own
// time, at most now); pre-init stamps are not dates, so those entries are taken as old. Later
// reads count the critical entries not known before, at the read's time. A cleared SEL (ids
// start again, with new stamps) or a wrapped one (old records overwritten) needs no special
// case: what replaced the known entries is new, what is still there stays known.
// The SEL comes from the BMC service's info() (its newest 200 entries, as the device page shows
// them): more than 200 new entries between two reads count as 200.
import type { SelEntry } from '../../../src-shared/domain';
import { selSeverity } from '../provisioning/sel-severity';

export const SEL_WINDOW_MS = 15 * 60_000;

export interface SelCriticalTracker {
  /** Takes a BMC's SEL as read at `now` (ms). */
  update(deviceId: string, entries: readonly SelEntry[], now: number): void;
  /** Critical entries seen in the window ending at `now`; null: the BMC's SEL was never read. */
  count(deviceId: string, now: number): number | null;
  /** Whether the BMC's SEL was read (a baseline exists). */
  has(deviceId: string): boolean;
  forget(deviceId: string): void;
}

const keyOf = (e: SelEntry): string => [e.id, e.at ?? 'pre', e.sensorType, e.sensorNumber, e.eventType, e.offset, e.direction, e.event].join('|');

export function createSelCriticalTracker(windowMs = SEL_WINDOW_MS): SelCriticalTracker {
  const bmcs = new Map<string, { known: Set<string>; seen: number[] }>();
  const prune = (seen: number[], now: number): number[] => seen.filter((t) => now - t < windowMs);
  return {
    update(deviceId, entries, now) {
      const before = bmcs.get(deviceId);
      const seen = before ? [...before.seen] : [];
      for (const e of entries) {
        if (selSeverity(e) !== 'critical') continue;
        if (before) {
          if (!before.known.has(keyOf(e))) seen.push(now);
        } else if (e.at !== null && now - e.at < windowMs) {
          seen.push(Math.min(now, e.at));
        }
      }
      bmcs.set(deviceId, { known: new Set(entries.map(keyOf)), seen: prune(seen, now) });
    },
    count(deviceId, now) {
      const b = bmcs.get(deviceId);
      if (!b) return null;
      b.seen = prune(b.seen, now);
      return b.seen.length;
    },
    has: (deviceId) => bmcs.has(deviceId),
    forget(deviceId) {
      bmcs.delete(deviceId);
    },
  };
}
