// Alarm rules and maintenance windows: the lists (refetched on every alarms change), the rule
// form (admin: add or edit, the core's VALIDATION kept for the form to show by field), delete,
// and windows (operator: add on cabinets or rooms for a number of minutes with a reason, end now).
import type { AlarmRule } from '../../../src-shared/domain/alarm';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { useAppStore } from '../store';
import { patchAlarms } from './actions';
import { ruleArgs, type RuleForm } from './rule-form';

const al = () => useAppStore.getState().alarms;

export async function loadRules(): Promise<void> {
  try {
    const rules = await getClient().call('alarms.rules', undefined);
    patchAlarms({ rules, rulesError: null });
  } catch (err) {
    patchAlarms({ rulesError: toShownError(err) });
  }
}

export async function loadWindows(): Promise<void> {
  try {
    const windows = await getClient().call('alarms.windows', undefined);
    patchAlarms({ windows, windowsError: null });
  } catch (err) {
    patchAlarms({ windowsError: toShownError(err) });
  }
}

/** Opens the rule form on a rule, or on a new one (null). */
export function editRule(rule: AlarmRule | null): void {
  patchAlarms({ ruleEdit: rule ?? { id: '', name: '', severity: 'major', forMs: 120_000, scope: { sites: [], rooms: [], rows: [], cabinets: [], devices: [], kinds: [] }, condition: { kind: 'state', state: 'device.status', equals: 'unreachable' } }, ruleForm: { busy: false, error: null } });
}

export function closeRuleForm(): void {
  patchAlarms({ ruleEdit: null, ruleForm: { busy: false, error: null } });
}

/** Sends the checked form; the core's refusal stays in the form. */
export async function saveRule(form: RuleForm): Promise<boolean> {
  if (al().ruleForm.busy) return false;
  const checked = ruleArgs(form, (al().rules ?? []).map((r) => r.id));
  if (!checked.ok) return false;
  patchAlarms({ ruleForm: { busy: true, error: null } });
  try {
    await getClient().call('alarms.setRule', checked.rule);
    patchAlarms({ ruleEdit: null, ruleForm: { busy: false, error: null } });
    void loadRules();
    return true;
  } catch (err) {
    patchAlarms({ ruleForm: { busy: false, error: toShownError(err) } });
    return false;
  }
}

export async function deleteRule(id: string): Promise<void> {
  try {
    await getClient().call('alarms.deleteRule', { id });
    patchAlarms({ rulesError: null });
  } catch (err) {
    patchAlarms({ rulesError: toShownError(err) });
  }
  void loadRules();
}

export function openWindowForm(): void {
  patchAlarms({ windowForm: { busy: false, error: null } });
}

export function closeWindowForm(): void {
  patchAlarms({ windowForm: null });
}

export interface WindowForm {
  cabinets: string;
  rooms: string;
  minutes: string;
  reason: string;
}

/** A window from now for the minutes given; the core refuses an empty reason (VALIDATION on reason). */
export async function saveWindow(f: WindowForm): Promise<boolean> {
  const w = al().windowForm;
  if (!w || w.busy) return false;
  const minutes = Number(f.minutes);
  const from = Date.now();
  const ids = (s: string) => s.split(/[\s,]+/).filter(Boolean);
  patchAlarms({ windowForm: { busy: true, error: null } });
  try {
    await getClient().call('alarms.setWindow', {
      id: `w-${from.toString(36)}`,
      scope: { sites: [], rooms: ids(f.rooms), rows: [], cabinets: ids(f.cabinets), devices: [], kinds: [] },
      from,
      to: from + Math.max(1, Number.isFinite(minutes) ? minutes : 60) * 60_000,
      reason: f.reason.trim(),
    });
    patchAlarms({ windowForm: null });
    void loadWindows();
    return true;
  } catch (err) {
    patchAlarms({ windowForm: { busy: false, error: toShownError(err) } });
    return false;
  }
}

export async function endWindow(id: string): Promise<void> {
  try {
    await getClient().call('alarms.endWindow', { id });
    patchAlarms({ windowsError: null });
  } catch (err) {
    patchAlarms({ windowsError: toShownError(err) });
  }
  void loadWindows();
}
