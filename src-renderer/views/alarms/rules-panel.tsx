// The alarm rules: each with its condition, duration, severity, scope and webhook; admins add,
// edit and delete them with a small form (name, condition kind state or metric, for how long,
// severity, scope cabinets and rooms, webhook URL), the core's VALIDATION shown by its field.
import { useState, type ReactNode } from 'react';
import { ALARM_SEVERITIES, COMPARATORS, METRIC_CONDITIONS, type AlarmRule } from '../../../src-shared/domain/alarm';
import { ErrorBanner } from '../../components/error-banner';
import { isMessageKey, type MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { refusalByField } from '../../stores/field-refusal';
import { closeRuleForm, deleteRule, editRule, saveRule } from '../../stores/alarms/rule-actions';
import { formOf, ruleArgs, ruleFieldOf, type RuleField, type RuleForm } from '../../stores/alarms/rule-form';
import { selectAlarmRules, selectAlarmRulesError, selectRuleEdit, selectRuleForm } from '../../stores/alarms/selectors';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { Severity } from './alarm-bits';

/** A rule's condition in words: the states and metrics the core knows by name, other names as they are. */
export function conditionText(t: (k: MessageKey, v?: Record<string, string | number>) => string, r: AlarmRule): string {
  const c = r.condition;
  const word = (key: string, fallback: string) => (isMessageKey(key) ? t(key) : fallback);
  return c.kind === 'state'
    ? t('alarms.rule.stateCond', { state: word(`alarms.cond.${c.state}`, c.state), value: valueWord(t, c.state, c.equals) })
    : t('alarms.rule.metricCond', { metric: word(`alarms.cond.${c.metric}`, c.metric), op: c.op, value: c.value });
}

/** A state's value in words: device status, agent health, probe suspect; else as it is. */
function valueWord(t: (k: MessageKey) => string, state: string, v: string): string {
  const key = state === 'device.status' ? `status.${v}` : state === 'agent.health' ? `agents.health.${v}` : `alarms.value.${v}`;
  return isMessageKey(key) ? t(key) : v;
}

/** The states and metrics the core evaluates (the contract's list, src-shared/domain/alarm.ts), offered as the form's suggestions. */
const KNOWN_STATES = ['device.status', 'agent.health', 'probe.suspect'];

export function RulesPanel() {
  const { t } = useI18n();
  const rules = useAppStore(selectAlarmRules);
  const error = useAppStore(selectAlarmRulesError);
  const edit = useAppStore(selectRuleEdit);
  const role = useAppStore(selectRole);
  const admin = mayCall(role, 'alarms.setRule');
  return (
    <section data-testid="alarm-rules">
      <h2>{t('alarms.rules')}</h2>
      {error && <ErrorBanner error={error} action="alarms.action.rules" />}
      {admin && !edit && (
        <button type="button" data-testid="alarm-rule-add" onClick={() => editRule(null)}>
          {t('alarms.rule.add')}
        </button>
      )}
      {edit && <RuleFormView key={edit.id || 'new'} rule={edit.id ? edit : null} />}
      {rules?.length === 0 && <p className="muted">{t('alarms.rule.none')}</p>}
      {rules && rules.length > 0 && (
        <table className="alarm-table">
          <thead>
            <tr>
              <th>{t('alarms.rule.name')}</th>
              <th>{t('alarms.rule.condition')}</th>
              <th>{t('alarms.rule.for')}</th>
              <th>{t('alarms.col.severity')}</th>
              <th>{t('alarms.rule.scope')}</th>
              <th>{t('alarms.rule.webhook')}</th>
              {admin && <th>{t('alarms.col.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-testid="alarm-rule" data-rule-id={r.id}>
                <td>{r.name}</td>
                <td>{conditionText(t, r)}</td>
                <td>{t('alarms.rule.seconds', { n: r.forMs / 1000 })}</td>
                <td><Severity severity={r.severity} /></td>
                <td className="small">{scopeText(t, r)}</td>
                <td className="small">{r.webhook ?? '–'}</td>
                {admin && (
                  <td>
                    <div className="alarm-actions">
                      <button type="button" data-testid="alarm-rule-edit" onClick={() => editRule(r)}>{t('alarms.rule.edit')}</button>
                      <button type="button" className="danger" data-testid="alarm-rule-delete" onClick={() => void deleteRule(r.id)}>{t('alarms.rule.delete')}</button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function scopeText(t: (k: MessageKey, v?: Record<string, string | number>) => string, r: AlarmRule): string {
  const parts = [...r.scope.sites, ...r.scope.rooms, ...r.scope.rows, ...r.scope.cabinets, ...r.scope.devices, ...r.scope.kinds.map((k) => t(`kind.${k}` as MessageKey))];
  return parts.length === 0 ? t('alarms.rule.everything') : parts.join(', ');
}

function RuleFormView({ rule }: { rule: AlarmRule | null }) {
  const { t } = useI18n();
  const state = useAppStore(selectRuleForm);
  const rules = useAppStore(selectAlarmRules);
  const [f, setF] = useState<RuleForm>(() => formOf(rule));
  const [tried, setTried] = useState(false);
  const set = (p: Partial<RuleForm>) => setF((x) => ({ ...x, ...p }));
  const local = ruleArgs(f, (rules ?? []).map((r) => r.id));
  const refusal = state.error ? refusalByField<RuleField>(state.error, ruleFieldOf) : null;
  const problem = (field: RuleField): string | null => {
    const mine = tried && !local.ok && local.field === field ? t(`alarms.rule.problem.${local.problem}` as MessageKey) : null;
    const core = refusal?.problems[field]?.join('; ') ?? null;
    return mine ?? core;
  };
  const field = (name: RuleField, label: MessageKey, input: ReactNode) => {
    const p = problem(name);
    return (
      <label className={`inv-field ${p ? 'is-invalid' : ''}`} data-field={name}>
        <span>{t(label)}</span>
        {input}
        {p && <span className="field-error tone-text-bad small" role="alert" data-testid={`alarm-rule-error-${name}`}>{p}</span>}
      </label>
    );
  };
  return (
    <form
      className="alarm-rule-form"
      data-testid="alarm-rule-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (local.ok) void saveRule(f);
      }}
    >
      <h3>{rule ? t('alarms.rule.editTitle', { name: rule.name }) : t('alarms.rule.addTitle')}</h3>
      <datalist id="alarm-known-states">{KNOWN_STATES.map((k) => <option key={k} value={k} />)}</datalist>
      <datalist id="alarm-known-metrics">{METRIC_CONDITIONS.map((k) => <option key={k} value={k} />)}</datalist>
      {field('name', 'alarms.rule.name', <input data-testid="rule-name" value={f.name} onChange={(e) => set({ name: e.target.value })} />)}
      {field(
        'condition',
        'alarms.rule.condition',
        <div className="row2">
          <select data-testid="rule-kind" value={f.kind} onChange={(e) => set({ kind: e.target.value as RuleForm['kind'] })}>
            <option value="state">{t('alarms.rule.kind.state')}</option>
            <option value="metric">{t('alarms.rule.kind.metric')}</option>
          </select>
          {f.kind === 'state' ? (
            <>
              <input data-testid="rule-state" list="alarm-known-states" aria-label={t('alarms.rule.state')} value={f.state} onChange={(e) => set({ state: e.target.value })} />
              <span>=</span>
              <input data-testid="rule-equals" aria-label={t('alarms.rule.equals')} value={f.equals} onChange={(e) => set({ equals: e.target.value })} />
            </>
          ) : (
            <>
              <input data-testid="rule-metric" list="alarm-known-metrics" aria-label={t('alarms.rule.metric')} value={f.metric} onChange={(e) => set({ metric: e.target.value })} />
              <select data-testid="rule-op" value={f.op} onChange={(e) => set({ op: e.target.value as RuleForm['op'] })}>
                {COMPARATORS.map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
              <input data-testid="rule-value" aria-label={t('alarms.rule.value')} value={f.value} inputMode="decimal" onChange={(e) => set({ value: e.target.value })} />
            </>
          )}
        </div>,
      )}
      {field('forMs', 'alarms.rule.forSec', <input data-testid="rule-for" value={f.forSec} inputMode="decimal" onChange={(e) => set({ forSec: e.target.value })} />)}
      {field(
        'severity',
        'alarms.col.severity',
        <select data-testid="rule-severity" value={f.severity} onChange={(e) => set({ severity: e.target.value as RuleForm['severity'] })}>
          {ALARM_SEVERITIES.map((s) => <option key={s} value={s}>{t(`alarms.sev.${s}` as MessageKey)}</option>)}
        </select>,
      )}
      {field(
        'scope',
        'alarms.rule.scope',
        <div className="row2">
          <input data-testid="rule-cabinets" placeholder={t('alarms.rule.cabinets')} aria-label={t('alarms.rule.cabinets')} value={f.cabinets} onChange={(e) => set({ cabinets: e.target.value })} />
          <input data-testid="rule-rooms" placeholder={t('alarms.rule.rooms')} aria-label={t('alarms.rule.rooms')} value={f.rooms} onChange={(e) => set({ rooms: e.target.value })} />
        </div>,
      )}
      {field('webhook', 'alarms.rule.webhook', <input data-testid="rule-webhook" value={f.webhook} placeholder="https://" onChange={(e) => set({ webhook: e.target.value })} />)}
      {state.error && (!refusal || refusal.other.length > 0) && <ErrorBanner error={state.error} action="alarms.action.saveRule" testId="alarm-rule-refused" />}
      <div className="alarm-actions">
        <button type="submit" data-testid="rule-save" disabled={state.busy}>{state.busy ? t('alarms.sending') : t('alarms.rule.save')}</button>
        <button type="button" className="ghost" onClick={closeRuleForm}>{t('alarms.cancel')}</button>
      </div>
    </form>
  );
}
