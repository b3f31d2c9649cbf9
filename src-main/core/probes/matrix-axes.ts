// The matrix's axes from the topology: the members of a level in the topology's order (site ->
// room -> ToR -> server, which deriveTopology already sorts by), their labels, the runs of
// members that share a site, room or ToR (the bands the view draws along the axes), and which
// members no live agent stands for (a white cross, not red: a down agent is missing data, not
// a bad network). A ToR, room or site is down when none of its hosts' agents is connected.
import type { MatrixAxis, MatrixLevel, ProbeHost, ProbeTopology } from '../../../src-shared/domain/probe';

export interface AxisMember {
  readonly id: string;
  readonly label: string;
  readonly siteId: string;
  readonly roomId: string;
  readonly torId: string;
  /** The hosts it stands for (itself at server level). */
  readonly hosts: readonly ProbeHost[];
}

/** The members of a level, in axis order; at server level optionally only the hosts of the given ToRs. */
export function levelMembers(t: ProbeTopology, level: MatrixLevel, tors?: readonly string[]): AxisMember[] {
  const torName = new Map(t.tors.map((x) => [x.id, x.name]));
  const roomName = new Map(t.rooms.map((x) => [x.id, x.name]));
  const siteName = new Map(t.sites.map((x) => [x.id, x.name]));
  if (level === 'server') {
    const only = tors ? new Set(tors) : null;
    return t.hosts.filter((h) => !only || only.has(h.torId)).map((h) => ({ id: h.deviceId, label: h.hostname, siteId: h.siteId, roomId: h.roomId, torId: h.torId, hosts: [h] }));
  }
  const key = (h: ProbeHost): string => (level === 'tor' ? h.torId : level === 'room' ? h.roomId : h.siteId);
  const out = new Map<string, { id: string; label: string; siteId: string; roomId: string; torId: string; hosts: ProbeHost[] }>();
  for (const h of t.hosts) {
    const id = key(h);
    let m = out.get(id);
    if (!m) {
      const label = (level === 'tor' ? torName.get(id) : level === 'room' ? roomName.get(id) : siteName.get(id)) ?? id;
      out.set(id, (m = { id, label, siteId: h.siteId, roomId: level === 'site' ? '' : h.roomId, torId: level === 'tor' ? h.torId : '', hosts: [] }));
    }
    m.hosts.push(h);
  }
  return [...out.values()];
}

/** An axis over members: groups for every level above the members' own, and the down ones. */
export function axisOf(t: ProbeTopology, level: MatrixLevel, members: readonly AxisMember[], live: (h: ProbeHost) => boolean): MatrixAxis {
  const names = new Map<string, string>([...t.sites.map((s) => [s.id, s.name] as const), ...t.rooms.map((r) => [r.id, r.name] as const), ...t.tors.map((x) => [x.id, x.name] as const)]);
  const levels = (['site', 'room', 'tor'] as const).slice(0, level === 'server' ? 3 : level === 'tor' ? 2 : level === 'room' ? 1 : 0);
  const groups: { level: 'site' | 'room' | 'tor'; id: string; name: string; start: number; end: number }[] = [];
  for (const g of levels) {
    const of = (m: AxisMember): string => (g === 'site' ? m.siteId : g === 'room' ? m.roomId : m.torId);
    let start = 0;
    for (let i = 1; i <= members.length; i++) {
      if (i === members.length || of(members[i]) !== of(members[start])) {
        const id = of(members[start]);
        groups.push({ level: g, id, name: names.get(id) ?? id, start, end: i });
        start = i;
      }
    }
  }
  const down: number[] = [];
  members.forEach((m, i) => {
    if (!m.hosts.some(live)) down.push(i);
  });
  return { ids: members.map((m) => m.id), labels: members.map((m) => m.label), groups, down };
}
