// A cabinet's power cabling, as far as the inventory tells it: which feed (A or B) each PDU is
// on and which PDU each PSU of each load is plugged into. Pure. One rule for everyone who needs
// it: the console's feed redundancy (core/fleet/feed-risk.ts) and the lab's PDUs and feed faults.
//
// The rule:
//  - A cabinet's feeds are its named feedA / feedB; naming neither, it has none (no cabling).
//  - Each PDU sits on one feed. A PDU whose hostname ends in an A/B marker ("...-pdu-a",
//    "...-pdub", "..._b") is on that feed (when the cabinet has it); the others take the
//    cabinet's remaining feeds in hostname order, A before B, and when there are more PDUs
//    than feeds they wrap round (PDU 3 on A again). A one-feed cabinet has every PDU on it.
//  - PSUs are cabled in turn over the PDUs, sides interleaved (A1, B1, A2, B2, ...), carrying on
//    from one device to the next in the order given (the inventory's, from the lowest U): a
//    dual-PSU server gets one cord on each side, single-corded devices alternate sides (as a
//    room balances its feeds). With PDUs on one side only, every cord is on it. A device's PSU
//    count is its `psus` when known, else DEFAULT_PSUS for its kind (a server 2, others 1).
//  - PDUs are the feed path, not loads: they take no socket.
import type { DeviceKind } from './domain';

export type Feed = 'A' | 'B';
export const FEEDS = ['A', 'B'] as const satisfies readonly Feed[];

export interface FeedCabinet {
  readonly feedA: string | null;
  readonly feedB: string | null;
}

export interface CabledDevice {
  readonly id: string;
  readonly kind: DeviceKind;
  readonly hostname: string;
  /** The device's PSU count when known (e.g. from BMC power-supply sensors); else the kind's default. */
  readonly psus?: number;
}

export interface PduFeed {
  readonly id: string;
  readonly feed: Feed;
}

export interface Cabling {
  /** Each PDU's feed, A-side first, each side in hostname order. */
  readonly pdus: readonly PduFeed[];
  /** Each load's PSUs (PSU 1 first): the PDU and feed it is plugged into. Empty without a PDU. */
  readonly loads: ReadonlyMap<string, readonly PduFeed[]>;
}

/** PSUs assumed when the count is not known. */
export const DEFAULT_PSUS: Readonly<Record<DeviceKind, number>> = { server: 2, switch: 1, gateway: 1, pdu: 1 };

const MARKER = /(?:pdu[-_.]?|[-_.])([ab])$/i;

/** Which feed a PDU's hostname names, if any. */
export function feedMarker(hostname: string): Feed | null {
  const m = MARKER.exec(hostname);
  return m ? (m[1].toUpperCase() as Feed) : null;
}

/** The feeds a cabinet has, A before B. */
export function cabinetFeeds(cabinet: FeedCabinet): Feed[] {
  return FEEDS.filter((f) => (f === 'A' ? cabinet.feedA : cabinet.feedB) !== null);
}

/** The feed of each PDU, in the order their PSU sockets are taken (see the file header). */
export function assignPduFeeds(cabinet: FeedCabinet, pdus: readonly Pick<CabledDevice, 'id' | 'hostname'>[]): PduFeed[] {
  const feeds = cabinetFeeds(cabinet);
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

/** A device's PSU count: `psus` when given (at least 1, whole), else its kind's default. */
export function psuCount(d: Pick<CabledDevice, 'kind' | 'psus'>): number {
  return Math.max(1, Math.floor(d.psus ?? DEFAULT_PSUS[d.kind]));
}

/** The cabinet's cabling: its PDUs' feeds and where each load's PSUs are plugged in. */
export function cableCabinet(cabinet: FeedCabinet, devices: readonly CabledDevice[]): Cabling {
  const pdus = assignPduFeeds(cabinet, devices.filter((d) => d.kind === 'pdu'));
  const loads = new Map<string, PduFeed[]>();
  if (!pdus.length) return { pdus, loads };
  // Interleave the sides so PSU 1 and PSU 2 land on different feeds when both exist.
  const a = pdus.filter((p) => p.feed === 'A');
  const b = pdus.filter((p) => p.feed === 'B');
  const sockets: PduFeed[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i]) sockets.push(a[i]);
    if (b[i]) sockets.push(b[i]);
  }
  let socket = 0;
  for (const d of devices) {
    if (d.kind === 'pdu') continue;
    loads.set(d.id, Array.from({ length: psuCount(d) }, () => sockets[socket++ % sockets.length]));
  }
  return { pdus, loads };
}
