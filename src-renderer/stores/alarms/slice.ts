// The alarms as the console shows them (key alarms): the firing alarms every view's badge and
// the room's alarm colours read, the new ones the shell announces (kept live by onDidChangeAlarms while signed in; seq bumps on
// every change so open views refetch), the alarms view's list, rules and maintenance windows,
// the open history panel, the acknowledgement and the rule and window forms in progress, and
// the open device page's alarms.
import type { StateCreator } from 'zustand';
import type { Alarm, AlarmEvent, AlarmRule, MaintenanceWindow } from '../../../src-shared/domain/alarm';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export interface AlarmHistoryState {
  alarmId: string;
  rows: AlarmEvent[] | null;
  error: ShownError | null;
}

export interface AlarmAckState {
  alarmId: string;
  busy: boolean;
  error: ShownError | null;
}

/** A form sent to the core: busy while it is, the core's refusal after. */
export interface AlarmFormState {
  busy: boolean;
  error: ShownError | null;
}

export interface AlarmsState {
  /** Bumped on each onDidChangeAlarms (and after a reconnect): views watching alarms refetch. */
  seq: number;
  /** The firing alarms (badge, room colours); null before the first answer. */
  firing: Alarm[] | null;
  /** Root alarms that started firing since the session began and nobody has looked at yet (the shell's notice). */
  fresh: Alarm[];
  /** The alarms view: every alarm not resolved. */
  list: Alarm[] | null;
  listError: ShownError | null;
  rules: AlarmRule[] | null;
  rulesError: ShownError | null;
  windows: MaintenanceWindow[] | null;
  windowsError: ShownError | null;
  history: AlarmHistoryState | null;
  ack: AlarmAckState | null;
  /** The rule being edited (null: none; a rule with id '' is a new one). */
  ruleEdit: AlarmRule | null;
  ruleForm: AlarmFormState;
  windowForm: AlarmFormState | null;
  /** The open device page's alarms. */
  device: { deviceId: string; list: Alarm[] | null; error: ShownError | null } | null;
}

export interface AlarmsSlice {
  alarms: AlarmsState;
}

export const initialAlarms: AlarmsState = {
  seq: 0,
  firing: null,
  fresh: [],
  list: null,
  listError: null,
  rules: null,
  rulesError: null,
  windows: null,
  windowsError: null,
  history: null,
  ack: null,
  ruleEdit: null,
  ruleForm: { busy: false, error: null },
  windowForm: null,
  device: null,
};

export const createAlarmsSlice: StateCreator<AppState, [], [], AlarmsSlice> = () => ({ alarms: initialAlarms });
