// The template editor's actions: open a template (its latest version as JSON text) or a new one
// (the skeleton), read the tools list once (workflows.tools), edit, put the text back, and save
// (workflows.saveTemplate, admins): text that is not a JSON object is not sent; a refusal is
// kept for the view to list under the editor (each issue naming its step and field); a save
// shows the version it made, takes the core's copy of the template as the new text (unless the
// admin typed on meanwhile) and follows a new id to its own page. Answers for an older request
// are dropped.
import type { WfTemplateInfo } from '../../../src-shared/domain/workflow';
import { getClient } from '../client';
import { navigate } from '../fleet/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { loadTemplates } from './actions';
import type { WorkflowsState } from './slice';
import { parseTemplateText, TEMPLATE_SKELETON, templateText } from './template-model';
import { initialEditor, type WfEditorState } from './template-slice';

const ed = () => useAppStore.getState().workflows.editor;
const patchEditor = (p: Partial<WfEditorState> | ((e: WfEditorState) => Partial<WfEditorState>)) =>
  patch('workflows', (s: WorkflowsState) => ({ editor: { ...s.editor, ...(typeof p === 'function' ? p(s.editor) : p) } }));

let openSeq = 0;
let toolsSeq = 0;

/** The registered tools, once per session (again after a failure). */
export async function loadTools(force = false): Promise<void> {
  if (!force && ed().tools) return;
  const mine = ++toolsSeq;
  try {
    const tools = await getClient().call('workflows.tools', {});
    if (mine === toolsSeq) patchEditor({ tools: [...tools].sort((a, b) => a.name.localeCompare(b.name)), toolsError: null });
  } catch (err) {
    if (mine === toolsSeq) patchEditor({ toolsError: toShownError(err) });
  }
}

/**
 * Opens a template in the editor (null: a new one from the skeleton). The same template again
 * keeps what is there: unsaved edits, and the version a save just made.
 */
export async function openTemplateEditor(templateId: string | null): Promise<void> {
  void loadTools();
  const cur = ed();
  const mine = ++openSeq;
  if (templateId === null) {
    if (cur.templateId === null && cur.text) return;
    patchEditor((e) => ({ ...initialEditor, tools: e.tools, toolsError: e.toolsError, text: templateText(TEMPLATE_SKELETON) }));
    return;
  }
  const same = cur.templateId === templateId && cur.info !== null;
  if (same && cur.dirty) return;
  if (!same) patchEditor((e) => ({ ...initialEditor, tools: e.tools, toolsError: e.toolsError, templateId }));
  try {
    const info = await getClient().call('workflows.template', { id: templateId });
    if (mine !== openSeq || ed().templateId !== templateId || ed().dirty) return;
    patchEditor({ info, text: templateText(info.template), loadError: null });
  } catch (err) {
    if (mine === openSeq && ed().templateId === templateId) patchEditor({ loadError: toShownError(err) });
  }
}

export function setTemplateText(text: string): void {
  patchEditor({ text, dirty: true, savedVersion: null });
}

/** Puts the text back to the stored version (or the skeleton, for a new template). */
export function revertTemplateText(): void {
  patchEditor((e) => ({ text: templateText(e.info ? e.info.template : TEMPLATE_SKELETON), dirty: false, textProblem: null, saveError: null }));
}

/** Saves the text as the template's next version; the saved info, or null when it was not sent or was refused. */
export async function saveEditedTemplate(): Promise<WfTemplateInfo | null> {
  const start = ed();
  if (start.saving) return null;
  const parsed = parseTemplateText(start.text);
  if (!parsed.ok) {
    patchEditor({ textProblem: parsed.problem, saveError: null, savedVersion: null });
    return null;
  }
  const sentText = start.text;
  const from = start.templateId;
  patchEditor({ saving: true, textProblem: null, saveError: null, savedVersion: null });
  let info: WfTemplateInfo;
  try {
    info = await getClient().call('workflows.saveTemplate', { template: parsed.value });
  } catch (err) {
    patchEditor({ saving: false, saveError: toShownError(err) });
    return null;
  }
  patchEditor((e) => ({
    saving: false, info, templateId: info.id, savedVersion: info.version, loadError: null,
    ...(e.text === sentText ? { text: templateText(info.template), dirty: false } : {}),
  }));
  void loadTemplates();
  if (info.id !== from) navigate({ view: 'wf-template', templateId: info.id });
  return info;
}
