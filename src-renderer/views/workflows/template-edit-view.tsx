// The template editor (#/workflows/templates/<id>, a new one at #/workflows/new-template): the
// template's latest version as JSON in a textarea, with the registered tools beside it for
// reference (template-tools.tsx). Admins save it (workflows.saveTemplate; Ctrl+S too): text
// that is not a JSON object is named before anything is sent; the core's refusal is listed
// under the editor, each problem with the step and field it names; a save shows the version it
// made. Viewers and operators read the same page with the text read-only and no Save.
import { useEffect } from 'react';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { mayCall } from '../../stores/session/roles';
import { selectRole } from '../../stores/session/selectors';
import { useAppStore } from '../../stores/store';
import { openTemplateEditor, revertTemplateText, saveEditedTemplate, setTemplateText } from '../../stores/workflows/template-actions';
import { templateRefusal, type TextProblem } from '../../stores/workflows/template-model';
import { selectWfEditor, type WfEditorState } from '../../stores/workflows/template-slice';
import { TemplateTools } from './template-tools';
import { useWfFormat } from './wf-bits';
import './workflows.css';
import './template-editor.css';

export function TemplateEditView({ templateId }: { templateId: string | null }) {
  const { t } = useI18n();
  const { stamp } = useWfFormat();
  const role = useAppStore(selectRole);
  const editor = useAppStore(selectWfEditor);
  useEffect(() => {
    void openTemplateEditor(templateId);
  }, [templateId]);
  const mine = editor.templateId === templateId;
  const info = mine ? editor.info : null;
  const mayEdit = mayCall(role, 'workflows.saveTemplate');
  const ready = mine && (templateId === null || info !== null);
  return (
    <main className="wf-view" data-testid="wf-template-view" data-template-id={templateId ?? ''} data-editable={String(mayEdit)}>
      <div className="view-head">
        <h1>{templateId === null ? t('wf.tpl.titleNew') : info ? t('wf.tpl.title', { name: info.name }) : t('wf.tab.templates')}</h1>
        <a href="#/workflows/templates" data-testid="wf-back-templates">
          {t('wf.tpl.back')}
        </a>
      </div>
      {info && (
        <p className="muted" data-testid="wf-tpl-meta" data-version={info.version}>
          <code className="wf-data">{info.id}</code> · {t('wf.tpl.metaVersion', { version: info.version })} · {t('wf.tpl.metaSaved', { at: stamp(info.savedAt) })} · {t('wf.tpl.metaBy')}{' '}
          <span className="wf-data">{info.savedBy}</span>
        </p>
      )}
      {templateId === null && <p className="muted">{t('wf.tpl.newHint')}</p>}
      {!mayEdit && role && (
        <p className="inv-role-note" data-testid="wf-tpl-role-note">
          {t('wf.tpl.readOnly', { role: t(`role.${role}` as MessageKey) })}
        </p>
      )}
      {mine && editor.loadError && (
        <ErrorBanner error={editor.loadError} action="wf.action.template" onRetry={() => void openTemplateEditor(templateId)} testId="wf-tpl-load-error" />
      )}
      {!ready && !(mine && editor.loadError) && <p className="loading">{t('wf.loading')}</p>}
      <div className="wf-tpl-grid">
        {ready && <Editor editor={editor} mayEdit={mayEdit} isNew={templateId === null} />}
        <TemplateTools />
      </div>
    </main>
  );
}

function Editor({ editor, mayEdit, isNew }: { editor: WfEditorState; mayEdit: boolean; isNew: boolean }) {
  const { t } = useI18n();
  const save = () => void saveEditedTemplate();
  return (
    <section className="card wf-tpl-editor" data-testid="wf-tpl-editor" aria-labelledby="wf-tpl-json">
      <div className="card-head">
        <h2 id="wf-tpl-json">{t('wf.tpl.json')}</h2>
        {editor.dirty && (
          <span className="tone-text-warn small" data-testid="wf-tpl-dirty">
            {t('wf.tpl.unsaved')}
          </span>
        )}
      </div>
      <p className="muted small">{t('wf.tpl.hint')}</p>
      <textarea
        className="mono wf-tpl-text"
        data-testid="wf-tpl-text"
        aria-labelledby="wf-tpl-json"
        spellCheck={false}
        rows={28}
        readOnly={!mayEdit}
        value={editor.text}
        onChange={(e) => setTemplateText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (mayEdit && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
            e.preventDefault();
            save();
          }
        }}
      />
      {mayEdit && (
        <div className="inv-form">
          <button type="button" className="primary" data-testid="wf-tpl-save" disabled={editor.saving} onClick={save}>
            {editor.saving ? t('wf.tpl.saving') : t(isNew && !editor.info ? 'wf.tpl.saveNew' : 'wf.tpl.save')}
          </button>
          <button type="button" data-testid="wf-tpl-revert" disabled={editor.saving || !editor.dirty} onClick={revertTemplateText}>
            {t('wf.tpl.revert')}
          </button>
        </div>
      )}
      {editor.savedVersion !== null && (
        <p className="tone-text-good" role="status" data-testid="wf-tpl-saved" data-version={editor.savedVersion}>
          {t('wf.tpl.saved', { version: editor.savedVersion })}
        </p>
      )}
      {editor.textProblem && <TextProblemNote problem={editor.textProblem} />}
      {editor.saveError && <SaveRefusal editor={editor} />}
    </section>
  );
}

function TextProblemNote({ problem }: { problem: TextProblem }) {
  const { t } = useI18n();
  const text =
    problem.kind === 'notObject'
      ? t('wf.tpl.notObject')
      : problem.line !== null && problem.column !== null
        ? t('wf.tpl.notJson', { line: problem.line, column: problem.column })
        : t('wf.tpl.notJsonAnywhere');
  return (
    <p className="tone-text-bad" role="alert" data-testid="wf-tpl-problem" data-kind={problem.kind}>
      {text}
    </p>
  );
}

/** The core's refusal, each problem with the step and field it names; any other failure as an error banner. */
function SaveRefusal({ editor }: { editor: WfEditorState }) {
  const { t, num } = useI18n();
  const error = editor.saveError!;
  const issues = templateRefusal(error);
  if (!issues) return <ErrorBanner error={error} action="wf.action.saveTemplate" onRetry={() => void saveEditedTemplate()} testId="wf-tpl-save-error" />;
  return (
    <div className="banner banner-error" role="alert" data-testid="wf-tpl-refusal" data-count={issues.length}>
      <strong>{t('wf.tpl.refused', { n: num(issues.length) })}</strong>
      <ul className="wf-tpl-issues">
        {issues.map((i, k) => (
          <li key={k} data-testid="wf-tpl-issue" data-step={i.step ?? ''} data-field={i.field ?? ''}>
            <strong>
              {i.step ? (
                <>
                  {t('wf.tpl.issueStep')} <code className="wf-data">{i.step}</code>
                </>
              ) : (
                t('wf.tpl.issueTemplate')
              )}
            </strong>
            {i.field && (
              <span className="muted">
                {' · '}
                {t('wf.tpl.issueField')} <code className="wf-data">{i.field}</code>
              </span>
            )}
            {': '}
            <span className="wf-data wf-error-text">{i.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
