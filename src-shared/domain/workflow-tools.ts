// The workflow tools as a template's author needs to see them (workflows.tools): each
// registered tool's name, title, kind and idempotency, and the fields of its input and output
// as the core's zod schemas declare them (the same types a template's bindings are checked
// against when it is saved). Plain data; the template editor lists them beside the JSON. And
// the skeleton a new template starts from in the editor: the smallest template the core accepts.
import type { WfStepKind, WfTemplate } from './workflow';

export interface WfToolField {
  readonly name: string;
  /** The JSON type: 'string', 'integer', 'number', 'boolean', 'object', 'null', a list as 'string[]', alternatives as 'string | null', 'any' when unknown. */
  readonly type: string;
  /** Inputs: may be left out (optional or with a default). Outputs: may be absent from the tool's answer. */
  readonly optional: boolean;
  /** The schema's own description, when it has one. */
  readonly description?: string;
  /** The values it may take, when the schema lists them (an enum or literals). */
  readonly choices?: readonly (string | number | boolean | null)[];
  /** The value an input left out takes. */
  readonly default?: unknown;
}

export interface WfToolInfo {
  /** What a template step's `tool` names. */
  readonly name: string;
  readonly title: string;
  readonly kind: WfStepKind;
  /** Re-running an interrupted attempt does no harm. */
  readonly idempotent: boolean;
  readonly inputs: readonly WfToolField[];
  readonly outputs: readonly WfToolField[];
}

/** A new template's starting point: valid as it stands (one approval step, built-in tools only). */
export const WF_TEMPLATE_SKELETON: WfTemplate = {
  id: 'new-flow',
  name: 'New flow',
  params: [],
  steps: [{ id: 'approve', title: 'Approval', tool: 'wf.approval', scope: 'run', inputs: { message: 'Go ahead?' } }],
};
