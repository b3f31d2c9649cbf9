// The lab's power cabling: every cabinet cabled by the shared rule (src-shared/power-feeds.ts,
// the one the console's feed redundancy uses) with the lab's own PSU counts (lab-device.ts):
// which feed each PDU is on, and which PDU (so which feed) each PSU of each load is plugged
// into. The PDUs meter these cords (snmp/pdu-power.ts) and the feed faults follow them (lab-state.ts).
// A cabinet's devices are cabled in the order the console's inventory gives them (U position,
// then id: the store's devicesInCabinet), so the console's feed risk sees the lab's cabling.
import { cableCabinet, cabinetFeeds, type Feed } from '../../src-shared/power-feeds';
import type { LabDevice } from './lab-device';

/** One cord on a PDU's outlet: a load's PSU (0-based index among its PSUs). */
export interface LabOutlet {
  readonly load: LabDevice;
  readonly psu: number;
}

export interface LabCabling {
  /** The feeds of a load's PSUs, PSU 1 first; empty for a PDU or a load in a cabinet without PDUs. */
  psuFeeds(deviceId: string): readonly Feed[];
  /** A PDU's feed; null for anything that is not a PDU on a named feed. */
  pduFeed(deviceId: string): Feed | null;
  /** The cords on a PDU's outlets, outlet 1 first (loads from the lowest U). */
  outlets(pduId: string): readonly LabOutlet[];
  /** The PDUs of a cabinet, A-side first. */
  pdus(cabinetId: string): readonly string[];
  /** The feeds a cabinet names, A before B. */
  feeds(cabinetId: string): readonly Feed[];
}

export function cableLab(byCabinet: ReadonlyMap<string, readonly LabDevice[]>): LabCabling {
  const psuFeeds = new Map<string, Feed[]>();
  const pduFeed = new Map<string, Feed>();
  const outlets = new Map<string, LabOutlet[]>();
  const pdus = new Map<string, string[]>();
  const feeds = new Map<string, Feed[]>();
  for (const [cabinetId, members] of byCabinet) {
    if (!members.length) continue;
    const byId = new Map(members.map((m) => [m.device.id, m]));
    const ordered = [...members].sort((a, b) => a.device.uPosition - b.device.uPosition || (a.device.id < b.device.id ? -1 : a.device.id > b.device.id ? 1 : 0));
    const cabling = cableCabinet(members[0].cabinet, ordered.map(({ device: d, psus }) => ({ id: d.id, kind: d.kind, hostname: d.hostname, psus })));
    feeds.set(cabinetId, cabinetFeeds(members[0].cabinet));
    pdus.set(cabinetId, cabling.pdus.map((p) => p.id));
    for (const p of cabling.pdus) {
      pduFeed.set(p.id, p.feed);
      outlets.set(p.id, []);
    }
    for (const [id, cords] of cabling.loads) {
      psuFeeds.set(id, cords.map((c) => c.feed));
      cords.forEach((c, psu) => outlets.get(c.id)!.push({ load: byId.get(id)!, psu }));
    }
  }
  return {
    psuFeeds: (id) => psuFeeds.get(id) ?? [],
    pduFeed: (id) => pduFeed.get(id) ?? null,
    outlets: (id) => outlets.get(id) ?? [],
    pdus: (id) => pdus.get(id) ?? [],
    feeds: (id) => feeds.get(id) ?? [],
  };
}
