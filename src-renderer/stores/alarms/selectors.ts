// Alarms selectors at module scope (each returns a value already in the state), and the pure
// helpers the views share: the badge's count (firing, unmasked, roots), roots first with the alarms
// grouped under each, and the worst severity.
import type { Alarm, AlarmSeverity } from '../../../src-shared/domain/alarm';
import type { AppState } from '../store';

export const selectAlarmsSeq = (s: AppState) => s.alarms.seq;
export const selectFiringAlarms = (s: AppState) => s.alarms.firing;
export const selectFreshAlarms = (s: AppState) => s.alarms.fresh;
export const selectAlarmList = (s: AppState) => s.alarms.list;
export const selectAlarmListError = (s: AppState) => s.alarms.listError;
export const selectAlarmRules = (s: AppState) => s.alarms.rules;
export const selectAlarmRulesError = (s: AppState) => s.alarms.rulesError;
export const selectAlarmWindows = (s: AppState) => s.alarms.windows;
export const selectAlarmWindowsError = (s: AppState) => s.alarms.windowsError;
export const selectAlarmHistory = (s: AppState) => s.alarms.history;
export const selectAlarmAck = (s: AppState) => s.alarms.ack;
export const selectRuleEdit = (s: AppState) => s.alarms.ruleEdit;
export const selectRuleForm = (s: AppState) => s.alarms.ruleForm;
export const selectWindowForm = (s: AppState) => s.alarms.windowForm;
export const selectDeviceAlarms = (s: AppState) => s.alarms.device;

/**
 * The badge's number: firing alarms not masked by a window, a tripped PDU counted once: an
 * alarm grouped under another firing unmasked alarm is in its root's count (a number, so the
 * selector is stable).
 */
export const selectBadgeCount = (s: AppState): number => {
  const shown = (s.alarms.firing ?? []).filter((a) => !a.masked);
  const ids = new Set(shown.map((a) => a.id));
  return shown.filter((a) => !a.rootId || !ids.has(a.rootId)).length;
};
/** Every firing unmasked alarm, the grouped ones too (the badge's title). */
export const selectFiringUnmasked = (s: AppState): number => (s.alarms.firing ?? []).filter((a) => !a.masked).length;

export const SEVERITY_RANK: Readonly<Record<AlarmSeverity, number>> = { critical: 4, major: 3, minor: 2, warning: 1 };

export interface AlarmGroup {
  root: Alarm;
  /** The alarms grouped under this root (their rootId is its id). */
  members: Alarm[];
}

/**
 * Roots first: each alarm without a rootId (or whose root is not in the list) heads a group,
 * the alarms naming it as root under it; groups by state (firing, pending), worst severity,
 * newest first.
 */
export function groupAlarms(list: readonly Alarm[]): AlarmGroup[] {
  const byId = new Map(list.map((a) => [a.id, a]));
  /** The topmost root in the list (a chain of roots folds into its top one). */
  const topOf = (a: Alarm): Alarm => {
    let at = a;
    for (let n = 0; n < 16 && at.rootId && byId.has(at.rootId); n++) at = byId.get(at.rootId) as Alarm;
    return at;
  };
  const groups = new Map<string, AlarmGroup>();
  for (const a of list) {
    const top = topOf(a);
    const g = groups.get(top.id) ?? { root: top, members: [] };
    groups.set(top.id, g);
    if (top.id !== a.id) g.members.push(a);
  }
  const order = (a: Alarm) => (a.state === 'firing' ? 0 : a.state === 'pending' ? 1 : 2);
  return [...groups.values()].sort(
    (x, y) => order(x.root) - order(y.root) || SEVERITY_RANK[y.root.severity] - SEVERITY_RANK[x.root.severity] || y.root.lastSeen - x.root.lastSeen,
  );
}
