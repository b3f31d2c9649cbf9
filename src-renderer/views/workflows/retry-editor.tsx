// "Retry with edited inputs": the last attempt's inputs, one field each (a string as text,
// anything else as JSON) or all of them as one JSON object; only what changed is sent as the
// retry's edits (nothing changed: a plain retry). A field that does not parse is named
// before sending; the core's refusal (params.field / params.issues) is shown under the
// field it names, the rest under the form. For a waiting task it says the waiting attempt is
// cancelled when the retry is sent.
import { useState } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import type { ShownError } from '../../stores/shown-error';
import { editsOf, fieldsOf, parseFields, parseInputsJson, type EditProblem, type InputField } from '../../stores/workflows/edit-inputs';

/** The core's refusal of the edits by input name (a path "notifyUrl", "inputs.notifyUrl" or "steps.x.inputs.notifyUrl" names its last part); null when it names none. */
function refusalByInput(error: ShownError | null, names: readonly string[]): { byName: Record<string, string[]>; other: string[] } | null {
  if (!error || error.code !== 'VALIDATION' || typeof error.params !== 'object' || error.params === null) return null;
  const p = error.params as { field?: unknown; issues?: unknown };
  const list: { field: string; message: string }[] = Array.isArray(p.issues)
    ? (p.issues as { field?: unknown; message?: unknown }[]).filter((i) => typeof i?.message === 'string').map((i) => ({ field: typeof i.field === 'string' ? i.field : '', message: String(i.message) }))
    : [{ field: typeof p.field === 'string' ? p.field : '', message: error.message }];
  const out = { byName: {} as Record<string, string[]>, other: [] as string[] };
  for (const i of list) {
    const parts = i.field.split('.');
    const name = names.find((n) => parts.includes(n));
    if (name) (out.byName[name] ??= []).push(i.message);
    else out.other.push(i.message);
  }
  return Object.keys(out.byName).length ? out : null;
}

export function RetryEditor(props: {
  lastInputs: Readonly<Record<string, unknown>>;
  /** The task waits: retrying cuts its attempt (said above the buttons). */
  cutsWaiting?: boolean;
  busy: boolean;
  error: ShownError | null;
  onCancel: () => void;
  onRetry: (edits: Record<string, unknown> | null) => void;
}) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'fields' | 'json'>('fields');
  const [fields, setFields] = useState<InputField[]>(() => fieldsOf(props.lastInputs));
  const [jsonText, setJsonText] = useState(() => JSON.stringify(props.lastInputs, null, 2));
  const [problems, setProblems] = useState<Record<string, EditProblem>>({});
  const [jsonProblem, setJsonProblem] = useState<EditProblem | null>(null);
  const refusal = refusalByInput(props.error, fields.map((f) => f.name));
  const problemText = (p: EditProblem) => t(`wf.problem.${p}` as MessageKey);
  const submit = () => {
    if (mode === 'json') {
      const r = parseInputsJson(jsonText);
      if ('problem' in r) return setJsonProblem(r.problem);
      setJsonProblem(null);
      return props.onRetry(editsOf(props.lastInputs, r.values));
    }
    const { values, problems: found } = parseFields(fields);
    setProblems(found);
    if (Object.keys(found).length) return;
    props.onRetry(editsOf(props.lastInputs, values));
  };
  const switchTo = (next: 'fields' | 'json') => {
    if (next === mode) return;
    if (next === 'json') {
      const { values, problems: found } = parseFields(fields);
      setProblems(found);
      if (Object.keys(found).length) return;
      setJsonText(JSON.stringify(values, null, 2));
    } else {
      const r = parseInputsJson(jsonText);
      if ('problem' in r) return setJsonProblem(r.problem);
      setJsonProblem(null);
      setFields(fieldsOf(r.values));
    }
    setMode(next);
  };
  return (
    <form
      className="wf-retry-editor"
      data-testid="wf-retry-editor"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <div className="card-head">
        <strong>{t('wf.edit.title')}</strong>
        <span className="inv-buttons" role="group" aria-label={t('wf.edit.mode')}>
          <button type="button" className="small" aria-pressed={mode === 'fields'} data-testid="wf-edit-mode-fields" onClick={() => switchTo('fields')}>
            {t('wf.edit.fields')}
          </button>
          <button type="button" className="small" aria-pressed={mode === 'json'} data-testid="wf-edit-mode-json" onClick={() => switchTo('json')}>
            {t('wf.edit.json')}
          </button>
        </span>
      </div>
      <p className="muted small">{t('wf.edit.hint')}</p>
      {mode === 'fields' &&
        fields.map((f, i) => {
          const msgs = [...(problems[f.name] ? [problemText(problems[f.name])] : []), ...(refusal?.byName[f.name] ?? []).map((m) => t('wf.launch.coreSays', { message: m }))];
          const id = `wf-edit-field-${f.name}`;
          return (
            <div key={f.name} className={`inv-field ${msgs.length ? 'is-invalid' : ''}`} data-field={f.name}>
              <label htmlFor={id}>
                <code className="wf-data">{f.name}</code> {f.kind === 'json' && <span className="muted small">{t('wf.edit.asJson')}</span>}
              </label>
              <input
                id={id}
                data-testid={id}
                className={f.kind === 'json' ? 'mono' : ''}
                value={f.value}
                spellCheck={false}
                aria-invalid={msgs.length > 0 || undefined}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setFields((list) => list.map((x, j) => (j === i ? { ...x, value } : x)));
                }}
              />
              {msgs.length > 0 && (
                <span className="field-error tone-text-bad small" role="alert" data-testid={`wf-edit-error-${f.name}`}>
                  {msgs.join(' ')}
                </span>
              )}
            </div>
          );
        })}
      {mode === 'json' && (
        <div className={`inv-field ${jsonProblem ? 'is-invalid' : ''}`}>
          <label htmlFor="wf-edit-json">{t('wf.edit.json')}</label>
          <textarea id="wf-edit-json" data-testid="wf-edit-json" className="mono" rows={8} value={jsonText} spellCheck={false} onChange={(e) => setJsonText(e.currentTarget.value)} />
          {jsonProblem && (
            <span className="field-error tone-text-bad small" role="alert" data-testid="wf-edit-error-json">
              {problemText(jsonProblem)}
            </span>
          )}
        </div>
      )}
      {props.error && !refusal && <ErrorBanner error={props.error} action="wf.action.retry" testId="wf-retry-error" />}
      {refusal && refusal.other.length > 0 && (
        <ul className="inv-issues small tone-text-bad" role="alert">
          {refusal.other.map((m, i) => (
            <li key={i}>{t('wf.launch.coreSays', { message: m })}</li>
          ))}
        </ul>
      )}
      {props.cutsWaiting && (
        <p className="tone-text-warn small" data-testid="wf-retry-cuts">
          {t('wf.edit.cutsWaiting')}
        </p>
      )}
      <div className="inv-buttons">
        <button type="submit" className="primary" data-testid="wf-retry-submit" disabled={props.busy}>
          {props.busy ? t('wf.act.retrying') : t('wf.act.retryWith')}
        </button>
        <button type="button" data-testid="wf-retry-cancel" onClick={props.onCancel}>
          {t('wf.act.cancel')}
        </button>
      </div>
    </form>
  );
}
