// Feed redundancy of one cabinet (seed 001's cabinet awareness): which of its devices would
// go dark if power feed A or feed B failed. Pure: the inventory facts (and, where measured,
// each device's PSU count) in, counts and a word out.
//
// The cabling is src-shared/power-feeds.ts's rule (shared with the lab, whose PDUs and feed
// faults follow it): PDUs on feeds by hostname marker or order, PSUs cabled over the PDUs'
// sides in turn. A device's PSU count is its `psus` when the caller knows it (room-readings.ts
// passes what the BMC sensor poller counted, bmc.psus), else the kind's default (a server 2, a
// switch or gateway 1).
//  - A load goes dark on a feed when every one of its PSUs is on that feed. PDUs themselves
//    are the feed path, not loads: they are not counted.
//  - A cabinet naming neither feed, or with no PDU: 'unknown' (nothing says where its power comes from).
// feed: redundant (no load dark on either), dark-on-a / dark-on-b, dark-on-either (some dark
// on A and others on B).
import type { FeedRisk } from '../../../src-shared/domain';
import { cableCabinet, type CabledDevice, type Feed, type FeedCabinet } from '../../../src-shared/power-feeds';

export { assignPduFeeds, DEFAULT_PSUS, feedMarker, type Feed, type FeedCabinet } from '../../../src-shared/power-feeds';

export type FeedDevice = CabledDevice;

export interface FeedResult {
  readonly feed: FeedRisk;
  readonly darkOnA: number;
  readonly darkOnB: number;
  /** Each PDU's feed, by device id (for callers that show it). */
  readonly pduFeeds: ReadonlyMap<string, Feed>;
}

export function feedRisk(cabinet: FeedCabinet, devices: readonly FeedDevice[]): FeedResult {
  const cabling = cableCabinet(cabinet, devices);
  const pduFeeds = new Map(cabling.pdus.map((p) => [p.id, p.feed]));
  if (!cabling.pdus.length) return { feed: 'unknown', darkOnA: 0, darkOnB: 0, pduFeeds };
  let darkOnA = 0;
  let darkOnB = 0;
  for (const psus of cabling.loads.values()) {
    const onA = psus.some((p) => p.feed === 'A');
    const onB = psus.some((p) => p.feed === 'B');
    if (!onB) darkOnA++;
    if (!onA) darkOnB++;
  }
  const feed: FeedRisk = darkOnA && darkOnB ? 'dark-on-either' : darkOnA ? 'dark-on-a' : darkOnB ? 'dark-on-b' : 'redundant';
  return { feed, darkOnA, darkOnB, pduFeeds };
}
