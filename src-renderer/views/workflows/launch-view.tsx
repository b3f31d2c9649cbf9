// The launch form (#/workflows/launch/<templateId>), generated from the template's params:
// text for string, a number field, a tick for boolean, one item a line for string[], JSON for
// object; required ones marked, defaults prefilled. Problems found before sending are shown
// under their field; so is the core's refusal (its issues name "params.<name>" or "hosts").
// Operators only: anyone else reads the template and a note.
import { useEffect, useState } from 'react';
import type { WfParamSpec, WfTemplate } from '../../../src-shared/domain/workflow';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { launchRun, openLaunch } from '../../stores/workflows/actions';
import { initialDraft, launchRefusal, paramsFromDraft, type ParamProblem } from '../../stores/workflows/launch-form';
import { selectWfLaunch } from '../../stores/workflows/selectors';
import { HostPicker } from './host-picker';
import './workflows.css';

export function LaunchView({ templateId }: { templateId: string }) {
  const { t } = useI18n();
  const role = useAppStore(selectRole);
  const launch = useAppStore(selectWfLaunch);
  useEffect(() => {
    void openLaunch(templateId);
  }, [templateId]);
  const info = launch.templateId === templateId ? launch.info : null;
  const may = mayCall(role, 'workflows.launch');
  return (
    <main className="wf-view" data-testid="wf-launch-view" data-template-id={templateId}>
      <div className="view-head">
        <h1>{info ? t('wf.launch.title', { name: info.name }) : t('wf.launch.titleBare')}</h1>
        <a href="#/workflows/templates" data-testid="wf-back-templates">
          {t('wf.launch.back')}
        </a>
      </div>
      {launch.loadError && <ErrorBanner error={launch.loadError} action="wf.action.template" onRetry={() => void openLaunch(templateId)} testId="wf-launch-load-error" />}
      {!info && !launch.loadError && <p className="loading">{t('wf.loading')}</p>}
      {info && !may && role && (
        <p className="inv-role-note" data-testid="wf-launch-role-note">
          {t('wf.launch.roleNote', { role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      {info && may && <LaunchForm key={`${info.id}@${info.version}`} template={info.template} />}
    </main>
  );
}

function LaunchForm({ template }: { template: WfTemplate }) {
  const { t, num } = useI18n();
  const launch = useAppStore(selectWfLaunch);
  const [draft, setDraft] = useState(() => initialDraft(template));
  const [tried, setTried] = useState(false);
  const perHost = template.steps.some((s) => s.scope === 'host');
  const { params, problems } = paramsFromDraft(template, draft);
  const noHosts = perHost && launch.hosts.length === 0;
  const refusal = launch.error ? launchRefusal(launch.error) : null;
  const problemText = (p: ParamProblem) => t(`wf.problem.${p}` as MessageKey);
  const hostProblems = [...(tried && noHosts ? [t('wf.problem.noHosts')] : []), ...(refusal?.hosts ?? []).map((m) => t('wf.launch.coreSays', { message: m }))];
  const submit = () => {
    setTried(true);
    if (Object.keys(problems).length > 0 || noHosts) return;
    void launchRun(params);
  };
  return (
    <form
      className="card wf-launch-form"
      data-testid="wf-launch-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {template.description && <p className="muted wf-data">{template.description}</p>}
      <div className="wf-steps-line small muted" data-testid="wf-launch-steps">
        {t('wf.launch.steps', { n: num(template.steps.length) })}{' '}
        <span className="wf-data">{template.steps.map((s) => s.title ?? s.id).join(' › ')}</span>
      </div>
      {template.params.length > 0 && (
        <fieldset className="wf-params">
          <legend>{t('wf.launch.params')}</legend>
          {template.params.map((p) => (
            <ParamField
              key={p.name}
              spec={p}
              value={draft[p.name]}
              onChange={(v) => setDraft((d) => ({ ...d, [p.name]: v }))}
              problems={[...(tried && problems[p.name] ? [problemText(problems[p.name])] : []), ...(refusal?.params[p.name] ?? []).map((m) => t('wf.launch.coreSays', { message: m }))]}
            />
          ))}
        </fieldset>
      )}
      <HostPicker launch={launch} problems={hostProblems} />
      {launch.error && !refusal && <ErrorBanner error={launch.error} action="wf.action.launch" testId="wf-launch-error" />}
      {refusal && refusal.other.length > 0 && (
        <ul className="inv-issues small tone-text-bad" role="alert" data-testid="wf-launch-other-issues">
          {refusal.other.map((m, i) => (
            <li key={i}>{t('wf.launch.coreSays', { message: m })}</li>
          ))}
        </ul>
      )}
      <div className="inv-buttons">
        <button type="submit" className="primary" data-testid="wf-launch-submit" disabled={launch.submitting}>
          {launch.submitting ? t('wf.launch.submitting') : perHost ? t('wf.launch.submitHosts', { n: num(launch.hosts.length) }) : t('wf.launch.submit')}
        </button>
      </div>
    </form>
  );
}

function ParamField({ spec, value, onChange, problems }: { spec: WfParamSpec; value: string | boolean | undefined; onChange: (v: string | boolean) => void; problems: string[] }) {
  const { t } = useI18n();
  const id = `wf-param-${spec.name}`;
  const bad = problems.length > 0;
  const common = { id, 'data-testid': id, 'aria-invalid': bad || undefined, 'aria-describedby': bad ? `${id}-error` : undefined, spellCheck: false };
  const text = typeof value === 'string' ? value : '';
  let control;
  if (spec.type === 'boolean') control = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
  else if (spec.type === 'string[]' || spec.type === 'object') {
    control = <textarea {...common} rows={spec.type === 'object' ? 4 : 3} value={text} className={spec.type === 'object' ? 'mono' : ''} onChange={(e) => onChange(e.currentTarget.value)} />;
  } else control = <input {...common} type="text" inputMode={spec.type === 'number' ? 'decimal' : undefined} value={text} onChange={(e) => onChange(e.currentTarget.value)} />;
  return (
    <div className={`inv-field wf-param ${bad ? 'is-invalid' : ''}`} data-field={spec.name} data-type={spec.type}>
      <label htmlFor={id}>
        <span className="wf-data">{spec.title ?? spec.name}</span>
        {spec.required && <span className="tone-text-warn"> *</span>} <span className="muted small">{t(`wf.type.${spec.type}` as MessageKey)}</span>
        {spec.type === 'string[]' && <span className="muted small"> · {t('wf.param.onePerLine')}</span>}
      </label>
      {control}
      {bad && (
        <span id={`${id}-error`} className="field-error tone-text-bad small" role="alert" data-testid={`wf-launch-error-${spec.name}`}>
          {problems.join(' ')}
        </span>
      )}
    </div>
  );
}
