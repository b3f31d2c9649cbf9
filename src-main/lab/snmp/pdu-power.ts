// What a lab PDU meters: an outlet for each PSU cord plugged into it (lab-cabling.ts: a
// dual-fed cabinet's dual-PSU servers have a cord on each of its two PDUs, single-corded loads
// one), loads in inventory order. A load draws only while its host is up, shared evenly by its
// PSUs that have input power: half on each PDU of a pair, all of it on the one left when a
// feed trips. The inlet adds the PDU's electronics, 12 W per cabinet shared by its PDUs, so a
// cabinet's PDUs sum to what one PDU metered when a cabinet had one. 0 while its feed is down.
import type { LabCabling, LabOutlet } from '../lab-cabling';
import type { LabDevice } from '../lab-device';
import type { LabState } from '../lab-state';
import { dailyFactor } from './snmp-device';

export interface PduPower {
  /** Hostnames of the devices on the PDU's outlets, outlet 1 first. */
  outletHosts(pduId: string): string[];
  /** What each outlet delivers now, in outletHosts order. */
  outletWatts(pduId: string): number[];
  /** The inlet: the outlets and the PDU's electronics, with meter noise; 0 while its feed is down. */
  inletWatts(pduId: string): number;
}

/** A cabinet's PDU electronics, shared by its PDUs. */
const ELECTRONICS_W = 12;

const onOutlet = (d: LabDevice): boolean => d.device.kind === 'server' || d.device.kind === 'switch';

export function createPduPower(byId: ReadonlyMap<string, LabDevice>, state: LabState): PduPower {
  const cabling: LabCabling = state.cabling;
  const cords = (pduId: string): readonly LabOutlet[] => cabling.outlets(pduId).filter((o) => onOutlet(o.load));
  /** The share of its load one PSU carries now: 0 without input, else 1 over the PSUs with input. */
  const share = (o: LabOutlet): number => {
    const inputs = state.psuInputs(o.load.device);
    if (!inputs[o.psu]) return 0;
    return 1 / inputs.filter(Boolean).length;
  };
  const outletWatts = (pduId: string): number[] => {
    const f = dailyFactor(Date.now());
    return cords(pduId).map((o) => (state.hostUp(o.load.device) ? o.load.watts * f * share(o) : 0));
  };
  return {
    outletHosts: (pduId) => cords(pduId).map((o) => o.load.device.hostname),
    outletWatts,
    inletWatts(pduId) {
      const pdu = byId.get(pduId);
      const feed = cabling.pduFeed(pduId);
      if (!pdu || feed === null || !state.feedLive(pdu.device.cabinetId, feed)) return 0;
      const w = outletWatts(pduId).reduce((a, b) => a + b, ELECTRONICS_W / cabling.pdus(pdu.device.cabinetId).length);
      const noisy = w * (0.98 + Math.random() * 0.04);
      // Each PDU of a pair is rated to carry the whole cabinet alone.
      return Math.min(noisy, pdu.cabinet.ratedPowerKw * 1000 * 0.95);
    },
  };
}
