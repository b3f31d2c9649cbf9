// The template editor's state (#/workflows/templates/<id>, #/workflows/new-template), kept in
// the workflows slice as `editor`: the template open (or a new one), its JSON text as edited,
// what stops it being sent (text that is not a JSON object), the save in flight, the core's
// refusal or the version the last save made, and the registered tools shown beside it
// (workflows.tools, read once). Its actions are template-actions.ts.
import type { WfTemplateInfo } from '../../../src-shared/domain/workflow';
import type { WfToolInfo } from '../../../src-shared/domain/workflow-tools';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';
import type { TextProblem } from './template-model';

export interface WfEditorState {
  /** The template open: its id; null for a new template (not saved yet). */
  templateId: string | null;
  /** The stored version the text started from; null for a new template or before it loads. */
  info: WfTemplateInfo | null;
  loadError: ShownError | null;
  text: string;
  /** Changed since it was loaded or saved. */
  dirty: boolean;
  saving: boolean;
  /** Why the text was not sent: not JSON, or not an object. */
  textProblem: TextProblem | null;
  /** The core's refusal (or another failure) of the last save. */
  saveError: ShownError | null;
  /** The version the last save made, until the text changes again. */
  savedVersion: number | null;
  tools: readonly WfToolInfo[] | null;
  toolsError: ShownError | null;
}

export const initialEditor: WfEditorState = {
  templateId: null, info: null, loadError: null, text: '', dirty: false, saving: false, textProblem: null, saveError: null, savedVersion: null, tools: null, toolsError: null,
};

export const selectWfEditor = (s: AppState) => s.workflows.editor;
