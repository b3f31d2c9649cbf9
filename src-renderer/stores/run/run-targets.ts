// Which hosts of a room or cabinet a command can run on, from the cabinets' elevations:
// each elevation device says whether the console holds an SSH credential for it
// (capabilities.ssh), so the targets are exact without asking per device. Pure.
import type { CabinetElevation, DeviceKind } from '../../../src-shared/domain';

export interface RunCandidate {
  deviceId: string;
  hostname: string;
  kind: DeviceKind;
  cabinetName: string;
}

export interface ScopeHosts {
  /** The SSH-capable devices, cabinet by cabinet (natural name order), top of the rack first. */
  candidates: RunCandidate[];
  /** Devices of the scope the console cannot reach over SSH: not offered. */
  noSsh: number;
}

export function hostsOf(elevations: readonly CabinetElevation[]): ScopeHosts {
  const sorted = [...elevations].sort((a, b) => a.cabinet.name.localeCompare(b.cabinet.name, undefined, { numeric: true }));
  const candidates: RunCandidate[] = [];
  let noSsh = 0;
  for (const e of sorted) {
    const devices = [...e.devices].sort((a, b) => b.uPosition - a.uPosition);
    for (const d of devices) {
      if (d.capabilities.ssh) candidates.push({ deviceId: d.id, hostname: d.hostname, kind: d.kind, cabinetName: e.cabinet.name });
      else noSsh += 1;
    }
  }
  return { candidates, noSsh };
}

/**
 * The hosts a run goes to: every candidate unless unticked (`picked[id] === false`).
 * Picks for devices no longer offered are ignored.
 */
export function chosenIds(candidates: readonly RunCandidate[], picked: Readonly<Record<string, boolean>>): string[] {
  return candidates.filter((c) => picked[c.deviceId] ?? true).map((c) => c.deviceId);
}
