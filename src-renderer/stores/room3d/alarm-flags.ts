// The room's alarm colours from the alarms capability: each firing alarm's object (a device of
// the room, or a cabinet) folded into its cabinet's flags as 'alarm:<severity>', or
// 'alarm:masked' when a maintenance window masks it (the alarms colour mode draws the worst).
// Pure: readings in, readings out (the same object when no cabinet gains a flag).
import type { Alarm } from '../../../src-shared/domain/alarm';
import type { RoomReadings } from '../../../src-shared/domain/fleet';
import type { RoomLayout } from '../../../src-shared/domain/inventory';

export function alarmFlagsByCabinet(layout: RoomLayout, firing: readonly Alarm[]): Map<string, string[]> {
  const cabinetOf = new Map(layout.devices.map((d) => [d.id, d.cabinetId]));
  const cabinets = new Set(layout.cabinets.map((c) => c.id));
  const out = new Map<string, string[]>();
  for (const a of firing) {
    if (a.state !== 'firing') continue;
    const cab = cabinetOf.get(a.objectId) ?? (cabinets.has(a.objectId) ? a.objectId : null);
    if (!cab) continue;
    const flag = a.masked ? 'alarm:masked' : `alarm:${a.severity}`;
    const list = out.get(cab) ?? [];
    if (!list.includes(flag)) list.push(flag);
    out.set(cab, list);
  }
  return out;
}

export function withAlarmFlags(readings: RoomReadings, layout: RoomLayout | null, firing: readonly Alarm[] | null): RoomReadings {
  if (!layout || !firing || firing.length === 0) return readings;
  const flags = alarmFlagsByCabinet(layout, firing);
  if (flags.size === 0) return readings;
  return {
    ...readings,
    cabinets: readings.cabinets.map((c) => {
      const more = flags.get(c.cabinetId);
      return more ? { ...c, flags: [...c.flags.filter((f) => !f.startsWith('alarm:')), ...more] } : c;
    }),
  };
}
