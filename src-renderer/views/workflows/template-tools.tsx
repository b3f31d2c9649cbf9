// The tools beside the template editor, for reference: every registered tool (workflows.tools)
// by name, with its title, what kind of step it makes and whether an interrupted attempt may
// run again, and, unfolded, its input fields (type, required or optional, default, the values
// it takes, notes) and its output fields (what ${steps.<id>.outputs.<field>} can bind). A find
// box narrows them by tool or field name.
import { useState } from 'react';
import type { WfToolField, WfToolInfo } from '../../../src-shared/domain/workflow-tools';
import { ErrorBanner } from '../../components/error-banner';
import type { MessageKey } from '../../i18n/i18n';
import { useI18n } from '../../i18n/use-i18n';
import { useAppStore } from '../../stores/store';
import { loadTools } from '../../stores/workflows/template-actions';
import { selectWfEditor } from '../../stores/workflows/template-slice';

const json = (v: unknown): string => {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

function matches(tool: WfToolInfo, q: string): boolean {
  if (!q) return true;
  const has = (s: string) => s.toLowerCase().includes(q);
  return has(tool.name) || has(tool.title) || tool.inputs.some((f) => has(f.name)) || tool.outputs.some((f) => has(f.name));
}

export function TemplateTools() {
  const { t, num } = useI18n();
  const editor = useAppStore(selectWfEditor);
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = (editor.tools ?? []).filter((tool) => matches(tool, q));
  return (
    <section className="card wf-tools" data-testid="wf-tools" aria-labelledby="wf-tools-title">
      <div className="card-head">
        <h2 id="wf-tools-title">{t('wf.tools.title')}</h2>
        {editor.tools && <span className="muted small">{t('wf.tools.count', { n: num(editor.tools.length) })}</span>}
      </div>
      <label className="inline-field">
        <span>{t('wf.tools.find')}</span>
        <input type="search" value={query} data-testid="wf-tools-find" onChange={(e) => setQuery(e.currentTarget.value)} />
      </label>
      {editor.toolsError && <ErrorBanner error={editor.toolsError} action="wf.action.tools" onRetry={() => void loadTools(true)} testId="wf-tools-error" />}
      {!editor.tools && !editor.toolsError && <p className="loading">{t('wf.loading')}</p>}
      {editor.tools && shown.length === 0 && (
        <p className="muted" data-testid="wf-tools-none">
          {t('wf.tools.none')}
        </p>
      )}
      <div className="wf-tools-list scroll-box">
        {shown.map((tool) => (
          <ToolEntry key={tool.name} tool={tool} open={q !== '' && shown.length <= 3} />
        ))}
      </div>
    </section>
  );
}

function ToolEntry({ tool, open }: { tool: WfToolInfo; open: boolean }) {
  const { t } = useI18n();
  return (
    <details className="wf-tool" data-testid="wf-tool" data-tool={tool.name} open={open || undefined}>
      <summary>
        <code className="wf-data">{tool.name}</code> <span className="wf-data">{tool.title}</span>
        <span className="muted small">
          {' · '}
          {t(`wf.kind.${tool.kind}` as MessageKey)}
          {' · '}
          {t(tool.idempotent ? 'wf.tools.idempotent' : 'wf.tools.notIdempotent')}
        </span>
      </summary>
      <h3>{t('wf.tools.inputs')}</h3>
      <Fields fields={tool.inputs} io="input" />
      <h3>{t('wf.tools.outputs')}</h3>
      <Fields fields={tool.outputs} io="output" />
    </details>
  );
}

function Fields({ fields, io }: { fields: readonly WfToolField[]; io: 'input' | 'output' }) {
  const { t } = useI18n();
  if (!fields.length) return <p className="muted small">{t('wf.tools.noFields')}</p>;
  return (
    <table className="data-table wf-fields" data-testid={`wf-tool-${io}s`}>
      <thead>
        <tr>
          <th>{t('wf.tools.field')}</th>
          <th>{t('wf.tools.type')}</th>
          <th />
          <th>{t('wf.tools.notes')}</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr key={f.name} data-testid="wf-tool-field" data-field={f.name} data-type={f.type} data-optional={String(f.optional)}>
            <td>
              <code className="wf-data">{f.name}</code>
            </td>
            <td>
              <code className="wf-data">{f.type}</code>
            </td>
            <td className={io === 'input' && !f.optional ? 'tone-text-warn' : 'muted'}>
              {t(io === 'input' ? (f.optional ? 'wf.tools.optional' : 'wf.tools.required') : f.optional ? 'wf.tools.mayBeAbsent' : 'wf.tools.always')}
            </td>
            <td className="small">
              {f.choices && (
                <div>
                  {t('wf.tools.oneOf')} <code className="wf-data">{f.choices.map(json).join(' | ')}</code>
                </div>
              )}
              {'default' in f && (
                <div>
                  {t('wf.tools.default')} <code className="wf-data">{json(f.default)}</code>
                </div>
              )}
              {f.description && <div className="wf-data">{f.description}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
