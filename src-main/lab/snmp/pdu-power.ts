// What a lab cabinet's PDU meters: an outlet for each server and switch in the cabinet, in
// inventory order, each drawing only while its host is up; the inlet adds the PDU's own 12 W.
import type { Device } from '../../../src-shared/domain';
import type { LabDevice } from '../lab-device';
import type { LabState } from '../lab-state';
import { dailyFactor } from './snmp-device';

export interface PduPower {
  /** Hostnames of the devices on the cabinet PDU's outlets, outlet 1 first. */
  outletHosts(cabinetId: string): string[];
  /** What each outlet delivers now, in outletHosts order. */
  outletWatts(cabinetId: string): number[];
  /** The inlet: the outlets and the PDU's electronics, with meter noise; 0 while tripped. */
  inletWatts(cabinetId: string): number;
}

const onOutlet = (d: Device): boolean => d.kind === 'server' || d.kind === 'switch';

export function createPduPower(byCabinet: ReadonlyMap<string, readonly LabDevice[]>, state: LabState): PduPower {
  const fed = (cabinetId: string): readonly LabDevice[] => (byCabinet.get(cabinetId) ?? []).filter((d) => onOutlet(d.device));
  const outletWatts = (cabinetId: string): number[] => {
    const f = dailyFactor(Date.now());
    return fed(cabinetId).map((d) => (state.hostUp(d.device) ? d.watts * f : 0));
  };
  return {
    outletHosts: (cabinetId) => fed(cabinetId).map((d) => d.device.hostname),
    outletWatts,
    inletWatts(cabinetId) {
      const members = byCabinet.get(cabinetId);
      if (state.tripped.has(cabinetId) || !members?.length) return 0;
      const w = outletWatts(cabinetId).reduce((a, b) => a + b, 12);
      const noisy = w * (0.98 + Math.random() * 0.04);
      return Math.min(noisy, members[0].cabinet.ratedPowerKw * 1000 * 0.95);
    },
  };
}
