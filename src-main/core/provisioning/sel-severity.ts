// How bad a SEL entry is, for the BMC status check and the burn-in: an assertion of an upper
// or lower critical / non-recoverable threshold, or of a sensor-specific failure (processor
// IERR or thermal trip, uncorrectable ECC, power supply failure, power unit failure, critical
// interrupt...) is critical; a non-critical threshold, a correctable error, a predictive
// failure or a lost redundancy is a warning; everything else (power on/off, presence, log
// cleared, deassertions) is information. IPMI v2.0 tables 42-2 (generic) and 42-3 (sensor-specific).
import type { SelEntry } from '../../../src-shared/domain';

export type SelSeverity = 'critical' | 'warning' | 'info';

/** Sensor-specific offsets (event type 0x6f) by sensor type: [critical offsets, warning offsets]. */
const SPECIFIC: Readonly<Record<number, readonly [readonly number[], readonly number[]]>> = {
  0x05: [[], [0, 1, 2, 3, 4, 5, 6]], // physical security (intrusion)
  0x07: [[0, 1, 2, 3, 4, 6, 11], [5, 10, 12]], // processor: IERR, thermal trip, FRB1-3, uncorrectable; config error, throttled, correctable MCE
  0x08: [[1, 3, 4], [2, 5, 6]], // power supply: failure, AC lost; predictive, out of range, config error
  0x09: [[4, 5, 6], [7]], // power unit: AC lost, soft-power control failure, failure; predictive failure
  0x0c: [[1, 2, 10], [0, 3, 4, 5, 7, 9]], // memory: uncorrectable ECC, parity, critical overtemperature; correctable, scrub, disabled...
  0x0d: [[1, 2], [3, 4, 5, 6]], // drive slot: fault, predictive failure
  0x10: [[], [4, 5]], // event logging: log full, almost full
  0x13: [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], []], // critical interrupt: NMI, bus errors...
  0x19: [[], [0]], // chipset: soft power control failure
  0x20: [[0, 1, 2], []], // OS stop / shutdown: critical stop, run-time critical stop
  0x23: [[1, 2, 3], []], // watchdog 2: hard reset, power down, power cycle
};

/** Generic event types: [critical offsets, warning offsets]. */
const GENERIC: Readonly<Record<number, readonly [readonly number[], readonly number[]]>> = {
  0x04: [[], [1]], // predictive failure asserted
  0x05: [[], [1]], // limit exceeded
  0x07: [[2, 3, 5, 6], [1, 4]], // severity: to critical / non-recoverable; to non-critical
  0x0a: [[8], [6]], // device state: install error; degraded
  0x0b: [[5], [1, 2, 6, 7]], // redundancy: insufficient resources; lost or degraded
};

export function selSeverity(e: Pick<SelEntry, 'sensorType' | 'eventType' | 'offset' | 'direction'>): SelSeverity {
  if (e.direction !== 'assertion' || e.eventType === null || e.offset === null || e.sensorType === null) return 'info';
  const o = e.offset;
  if (e.eventType === 0x01) {
    // 0-1 lower non-critical, 2-5 lower critical / non-recoverable, 6-7 upper non-critical, 8-11 upper critical / non-recoverable.
    if ((o >= 2 && o <= 5) || (o >= 8 && o <= 11)) return 'critical';
    return o <= 1 || o === 6 || o === 7 ? 'warning' : 'info';
  }
  const table = e.eventType === 0x6f ? SPECIFIC[e.sensorType] : GENERIC[e.eventType];
  if (!table) return 'info';
  if (table[0].includes(o)) return 'critical';
  return table[1].includes(o) ? 'warning' : 'info';
}

export interface SelSummary {
  /** Entries that are warnings or critical. */
  readonly errors: number;
  readonly critical: number;
  /** The critical entries, newest first (at most `keep`), as a line each: "#12 CPU Temp: Upper Critical going high". */
  readonly criticalEntries: { id: number; at: number | null; sensor: string; event: string }[];
}

export function summarizeSel(entries: readonly SelEntry[], keep = 20, after?: (e: SelEntry) => boolean): SelSummary {
  let errors = 0;
  const critical: SelEntry[] = [];
  for (const e of entries) {
    if (after && !after(e)) continue;
    const s = selSeverity(e);
    if (s === 'info') continue;
    errors++;
    if (s === 'critical') critical.push(e);
  }
  critical.sort((a, b) => b.id - a.id);
  return {
    errors,
    critical: critical.length,
    criticalEntries: critical.slice(0, keep).map((e) => ({ id: e.id, at: e.at, sensor: e.sensorName ?? e.sensor, event: e.event })),
  };
}

export const selLine = (e: { id: number; sensor: string; event: string }): string => `#${e.id} ${e.sensor}: ${e.event}`;
