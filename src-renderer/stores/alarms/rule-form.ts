// The rule form's pure model: a rule as the form's text fields, the form read back into the
// rule alarms.setRule takes (with the checks the form can make itself: a name, numbers where
// numbers go), a new rule's id from its name, and which form field a refusal's path names.
import { ALARM_SEVERITIES, COMPARATORS, type AlarmRule, type AlarmSeverity, type Comparator, type InventorySelection } from '../../../src-shared/domain/alarm';

export interface RuleForm {
  /** '' for a new rule (an id is made from the name). */
  id: string;
  name: string;
  kind: 'state' | 'metric';
  state: string;
  equals: string;
  metric: string;
  op: Comparator;
  value: string;
  /** For how long, in seconds. */
  forSec: string;
  severity: AlarmSeverity;
  /** Comma- or space-separated ids. */
  cabinets: string;
  rooms: string;
  webhook: string;
}

export const RULE_FIELDS = ['name', 'condition', 'forMs', 'severity', 'scope', 'webhook'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export type RuleProblem = 'required' | 'number' | 'nonNegative';

const EMPTY_SCOPE: InventorySelection = { sites: [], rooms: [], rows: [], cabinets: [], devices: [], kinds: [] };

export function formOf(rule: AlarmRule | null): RuleForm {
  const c = rule?.condition;
  return {
    id: rule?.id ?? '',
    name: rule?.name ?? '',
    kind: c?.kind ?? 'state',
    state: c?.kind === 'state' ? c.state : 'device.status',
    equals: c?.kind === 'state' ? c.equals : 'unreachable',
    metric: c?.kind === 'metric' ? c.metric : 'pdu.power_w',
    op: c?.kind === 'metric' ? c.op : '>',
    value: c?.kind === 'metric' ? String(c.value) : '',
    forSec: rule ? String(rule.forMs / 1000) : '120',
    severity: rule?.severity ?? 'major',
    cabinets: rule?.scope.cabinets.join(', ') ?? '',
    rooms: rule?.scope.rooms.join(', ') ?? '',
    webhook: rule?.webhook ?? '',
  };
}

const idList = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);

/** A new rule's id: its name as a slug, made unique among the rules there are. */
export function newRuleId(name: string, taken: readonly string[]): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'rule';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

export type RuleCheck = { ok: true; rule: AlarmRule } | { ok: false; field: RuleField; problem: RuleProblem };

export function ruleArgs(f: RuleForm, taken: readonly string[]): RuleCheck {
  const name = f.name.trim();
  if (name === '') return { ok: false, field: 'name', problem: 'required' };
  const forSec = Number(f.forSec.trim());
  if (f.forSec.trim() === '' || !Number.isFinite(forSec)) return { ok: false, field: 'forMs', problem: 'number' };
  if (forSec < 0) return { ok: false, field: 'forMs', problem: 'nonNegative' };
  let condition: AlarmRule['condition'];
  if (f.kind === 'metric') {
    const value = Number(f.value.trim());
    if (f.value.trim() === '' || !Number.isFinite(value)) return { ok: false, field: 'condition', problem: 'number' };
    condition = { kind: 'metric', metric: f.metric.trim(), op: COMPARATORS.includes(f.op) ? f.op : '>', value };
  } else {
    condition = { kind: 'state', state: f.state.trim(), equals: f.equals.trim() };
  }
  const webhook = f.webhook.trim();
  return {
    ok: true,
    rule: {
      id: f.id || newRuleId(name, taken),
      name,
      severity: ALARM_SEVERITIES.includes(f.severity) ? f.severity : 'major',
      condition,
      forMs: Math.round(forSec * 1000),
      scope: { ...EMPTY_SCOPE, cabinets: idList(f.cabinets), rooms: idList(f.rooms) },
      ...(webhook ? { webhook } : {}),
    },
  };
}

/** The form field a refusal's path ("condition.state", "webhook", "scope.cabinets") names. */
export function ruleFieldOf(path: string): RuleField | null {
  const head = path.split('.')[0] ?? '';
  if (head === 'name' || head === 'severity' || head === 'webhook' || head === 'forMs' || head === 'scope' || head === 'condition') return head;
  return null;
}
