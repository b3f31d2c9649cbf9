// Feed redundancy of one cabinet (seed 001's cabinet awareness): which of its devices would
// go dark if power feed A or feed B failed. Pure: the inventory facts in, counts and a word out.
//
// The rule, from what the inventory says:
//  - A cabinet's feeds are its named feedA / feedB; a cabinet naming neither is 'unknown'.
//  - Each PDU sits on one feed. A PDU whose hostname ends in an A/B marker ("...-pdu-a",
//    "...-pdub", "..._b") is on that feed (when the cabinet has it); the others take the
//    cabinet's remaining feeds in hostname order, A before B, and when there are more PDUs
//    than feeds they wrap round (PDU 3 on A again). A one-feed cabinet has every PDU on it.
//  - PSUs are cabled in turn over the PDUs' sides, A, B, A, B, ..., carrying on from one
//    device to the next in the order given (the inventory's, from the lowest U): a dual-PSU
//    server gets one cord on each side, single-corded devices alternate sides (as a room
//    balances its feeds). With PDUs on one side only, every cord is on it. Unless the caller
//    knows a device's PSU count (psus), a server has 2, a switch or gateway 1.
//  - A load goes dark on a feed when every one of its PSUs is on that feed. PDUs themselves
//    are the feed path, not loads: they are not counted.
//  - No PDU in the cabinet: 'unknown' (nothing says where its power comes from).
// feed: redundant (no load dark on either), dark-on-a / dark-on-b, dark-on-either (some dark
// on A and others on B).
import type { DeviceKind, FeedRisk } from '../../../src-shared/domain';

export type Feed = 'A' | 'B';

export interface FeedCabinet {
  readonly feedA: string | null;
  readonly feedB: string | null;
}

export interface FeedDevice {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly hostname: string;
  /** The device's PSU count when known (e.g. from BMC power-supply sensors); else the kind's default. */
  readonly psus?: number;
}

export interface FeedResult {
  readonly feed: FeedRisk;
  readonly darkOnA: number;
  readonly darkOnB: number;
  /** Each PDU's feed, by device id (for callers that show it). */
  readonly pduFeeds: ReadonlyMap<string, Feed>;
}

/** PSUs assumed when the count is not known. */
export const DEFAULT_PSUS: Readonly<Record<DeviceKind, number>> = { server: 2, switch: 1, gateway: 1, pdu: 1 };

const MARKER = /(?:pdu[-_.]?|[-_.])([ab])$/i;

/** Which feed a PDU's hostname names, if any. */
export function feedMarker(hostname: string): Feed | null {
  const m = MARKER.exec(hostname);
  return m ? (m[1].toUpperCase() as Feed) : null;
}

/** The feed of each PDU, in the order their PSU sockets are taken (see the file header). */
export function assignPduFeeds(cabinet: FeedCabinet, pdus: readonly Pick<FeedDevice, 'id' | 'hostname'>[]): { id: string; feed: Feed }[] {
  const feeds: Feed[] = [];
  if (cabinet.feedA !== null) feeds.push('A');
  if (cabinet.feedB !== null) feeds.push('B');
  if (!feeds.length) return [];
  const sorted = [...pdus].sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
  const marked = sorted.map((p) => {
    const m = feedMarker(p.hostname);
    return m && feeds.includes(m) ? m : null;
  });
  const taken = new Set(marked.filter((m): m is Feed => m !== null));
  const rest = feeds.filter((f) => !taken.has(f));
  const cycle = rest.length ? rest : feeds;
  let next = 0;
  const out = sorted.map((p, i) => ({ id: p.id, feed: marked[i] ?? cycle[next++ % cycle.length] }));
  // Sockets go A-side first: PDUs on A, then on B, each side in hostname order.
  return [...out.filter((p) => p.feed === 'A'), ...out.filter((p) => p.feed === 'B')];
}

export function feedRisk(cabinet: FeedCabinet, devices: readonly FeedDevice[]): FeedResult {
  const pdus = assignPduFeeds(cabinet, devices.filter((d) => d.kind === 'pdu'));
  const pduFeeds = new Map(pdus.map((p) => [p.id, p.feed]));
  if (!pdus.length) return { feed: 'unknown', darkOnA: 0, darkOnB: 0, pduFeeds };
  // Interleave the sides so PSU 1 and PSU 2 land on different feeds when both exist.
  const a = pdus.filter((p) => p.feed === 'A');
  const b = pdus.filter((p) => p.feed === 'B');
  const sockets: Feed[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]) sockets.push('A');
    if (b[i]) sockets.push('B');
  }
  let darkOnA = 0;
  let darkOnB = 0;
  let socket = 0;
  for (const d of devices) {
    if (d.kind === 'pdu') continue;
    const n = Math.max(1, Math.floor(d.psus ?? DEFAULT_PSUS[d.kind]));
    let onA = false;
    let onB = false;
    for (let i = 0; i < n; i++) {
      if (sockets[socket++ % sockets.length] === 'A') onA = true;
      else onB = true;
    }
    if (!onB) darkOnA++;
    if (!onA) darkOnB++;
  }
  const feed: FeedRisk = darkOnA && darkOnB ? 'dark-on-either' : darkOnA ? 'dark-on-a' : darkOnB ? 'dark-on-b' : 'redundant';
  return { feed, darkOnA, darkOnB, pduFeeds };
}
