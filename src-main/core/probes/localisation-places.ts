// The names and rooms a localisation's suspects and evidence pairs stand for (ProbeLocalisation
// .places), from the probe topology the console already holds: a host's hostname and room, a
// ToR's name and room (a switch device, or its row where the row has no switch), a room's name,
// a site's name and its first room. The views word a suspect and open its room from these,
// instead of asking for each device (device.detail reads the device live).
import type { ProbeLocalisation, ProbePlace, ProbeTopology } from '../../../src-shared/domain/probe';

export function placesOf(t: ProbeTopology, loc: Pick<ProbeLocalisation, 'suspects'>): Record<string, ProbePlace> {
  const wanted = new Set<string>();
  for (const s of loc.suspects) {
    wanted.add(s.component.objectId);
    for (const p of s.pairs) {
      wanted.add(p.src);
      wanted.add(p.dst);
    }
  }
  const out: Record<string, ProbePlace> = {};
  if (wanted.size === 0) return out;
  const put = (id: string, name: string, roomId: string | null): void => {
    if (wanted.has(id) && !(id in out)) out[id] = { name, roomId };
  };
  for (const h of t.hosts) put(h.deviceId, h.hostname, h.roomId);
  for (const tor of t.tors) {
    put(tor.id, tor.name, tor.roomId);
    put(tor.rowId, tor.name, tor.roomId);
  }
  for (const r of t.rooms) put(r.id, r.name, r.id);
  for (const s of t.sites) put(s.id, s.name, t.rooms.find((r) => r.siteId === s.id)?.id ?? null);
  return out;
}
