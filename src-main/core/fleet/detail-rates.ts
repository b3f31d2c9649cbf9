// The device page's interface rates: a pair of interface-table samples far enough apart to
// span the agent's counter cache (net-snmp's snmpd refreshes its interface counters about
// every 3 s: two reads 1 s apart mostly see the same values and say 0 b/s).
//
// The first of the pair: of the page's own earlier samples and the poller's last counters
// (it reads them every cycle), the newest that is at least MIN_SPACING_MS old and at most
// MAX_AGE_MS; when all are younger, the oldest, after waiting out the rest of the spacing. With neither, two reads MIN_SPACING_MS apart, then (when no counter moved at all:
// an agent with a longer cache) a read every RETRY_MS until one moves, at most SETTLE_MAX_MS.
import { interfaceRates, readInterfaces, type InterfaceRate, type InterfaceSample, type SnmpSession } from '../protocols/snmp';
import type { PolledCounters } from './poller/types';

/** Past snmpd's ~3 s cache. */
export const MIN_SPACING_MS = 3500;
/** A sample older than this is not used as the first of a rate pair. */
export const MAX_AGE_MS = 5 * 60_000;
const RETRY_MS = 1500;
const SETTLE_MAX_MS = 8000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The poller's counters as a sample beside `cur` (rows it did not read are left out). */
export function sampleFromCounters(p: PolledCounters, cur: InterfaceSample): InterfaceSample {
  const interfaces: InterfaceSample['interfaces'] = new Map();
  for (const row of cur.interfaces.values()) {
    const c = p.counters.get(row.ifIndex);
    if (!c || c.inOctets === null || c.outOctets === null) continue;
    interfaces.set(row.ifIndex, {
      ...row, inOctets: c.inOctets, outOctets: c.outOctets, counterBits: c.counterBits,
      // The poller's GET does not read ifCounterDiscontinuityTime: sysUpTime still guards a restart.
      discontinuity: c.discontinuity === undefined ? row.discontinuity : c.discontinuity,
    });
  }
  return { at: p.at, uptimeTicks: p.uptimeTicks, interfaces };
}

const moved = (a: InterfaceSample, b: InterfaceSample): boolean =>
  [...b.interfaces.values()].some((r) => {
    const p = a.interfaces.get(r.ifIndex);
    return p !== undefined && (p.inOctets !== r.inOctets || p.outOctets !== r.outOctets);
  });

/** An earlier sample of a device: one the page read, or the poller's counters (paired with the next read's rows). */
export type EarlierSample = { at: number; page: InterfaceSample } | { at: number; poller: PolledCounters };

/** Earlier samples within this of each other are not both kept. */
const KEEP_EVERY_MS = 1000;

/**
 * A device's earlier samples, thinned: the newest one at least MIN_SPACING_MS old (the next
 * pair's first) and the younger ones at least KEEP_EVERY_MS apart, so a page refreshed every
 * second never waits and keeps at most a handful.
 */
export function createSampleHistory(): { add(s: EarlierSample): void; list(now: number): EarlierSample[] } {
  let kept: EarlierSample[] = [];
  const prune = (now: number): void => {
    kept = kept.filter((s) => now - s.at <= MAX_AGE_MS).sort((a, b) => a.at - b.at);
    const spaced = kept.filter((s) => now - s.at >= MIN_SPACING_MS).at(-1);
    if (spaced) kept = kept.filter((s) => s.at >= spaced.at);
  };
  return {
    add(s) {
      if (kept.some((k) => k.at === s.at || Math.abs(k.at - s.at) < KEEP_EVERY_MS)) return;
      kept.push(s);
    },
    list(now) {
      prune(now);
      return [...kept];
    },
  };
}

export interface RatePair {
  cur: InterfaceSample;
  rates: InterfaceRate[];
  /** Where the first sample came from. */
  from: 'page' | 'poller' | 'fresh';
}

const asSample = (e: EarlierSample, cur: InterfaceSample): InterfaceSample => ('page' in e ? e.page : sampleFromCounters(e.poller, cur));

/** Reads the table now and pairs it with the best earlier sample (see the file header). */
export async function ratePair(session: SnmpSession, earlier: readonly EarlierSample[], now: () => number = Date.now): Promise<RatePair> {
  const t = now();
  const usable = earlier.filter((e) => t - e.at <= MAX_AGE_MS && ('page' in e || e.poller.counters.size > 0));
  const spaced = usable.filter((e) => t - e.at >= MIN_SPACING_MS).sort((a, b) => b.at - a.at)[0];
  const pick = spaced ?? [...usable].sort((a, b) => a.at - b.at)[0];
  if (pick) {
    if (!spaced) await sleep(MIN_SPACING_MS - (t - pick.at));
    const cur = await readInterfaces(session, { now });
    // Interfaces the poller did not read (past ifIndex 1..n) get no rate from its sample.
    return { cur, rates: interfaceRates(asSample(pick, cur), cur), from: 'page' in pick ? 'page' : 'poller' };
  }
  const first = await readInterfaces(session, { now });
  await sleep(MIN_SPACING_MS);
  let cur = await readInterfaces(session, { now });
  while (!moved(first, cur) && now() - first.at + RETRY_MS <= SETTLE_MAX_MS) {
    await sleep(RETRY_MS);
    cur = await readInterfaces(session, { now });
  }
  return { cur, rates: interfaceRates(first, cur), from: 'fresh' };
}
