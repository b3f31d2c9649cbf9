// The template editor's model (#/workflows/templates/<id>): a template as the JSON text an
// admin edits, the skeleton a new one starts from (the smallest template the core accepts: one
// approval step), the text read back into an object before it is sent (invalid JSON named by
// line and column, a non-object refused), and the core's refusal turned into the list shown
// under the editor: each issue with the step and field it names (params.issues; else
// params.step / params.field with the message). Pure.
import type { WfTemplate } from '../../../src-shared/domain/workflow';
import { WF_TEMPLATE_SKELETON } from '../../../src-shared/domain/workflow-tools';
import type { ShownError } from '../shown-error';

/** A new template's starting point: valid as it stands (saving it as is makes version 1 of "new-flow"). */
export const TEMPLATE_SKELETON: WfTemplate = WF_TEMPLATE_SKELETON;

export function templateText(t: WfTemplate | Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

/** Why the text cannot be sent: not JSON (at line/column when the parser says where), or JSON that is not an object. */
export type TextProblem = { kind: 'json'; line: number | null; column: number | null; detail: string } | { kind: 'notObject' };

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/**
 * Where JSON text first goes wrong, as a character offset (JSON.parse's message does not always
 * say: V8 names the token only). A small scanner of RFC 8259's grammar; null when it finds nothing.
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail();
          string();
          ws();
          if (text[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return void literal('true');
    if (c === 'f') return void literal('false');
    if (c === 'n') return void literal('null');
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    return i < text.length ? i : null;
  } catch (at) {
    return typeof at === 'number' ? at : null;
  }
}

export function parseTemplateText(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; problem: TextProblem } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const at = jsonErrorOffset(text);
    return { ok: false, problem: { kind: 'json', ...(at === null ? { line: null, column: null } : lineColumn(text, at)), detail } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: { kind: 'notObject' } };
  return { ok: true, value: value as Record<string, unknown> };
}

export interface RefusalIssue {
  readonly step: string | null;
  readonly field: string | null;
  readonly message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/**
 * The core's refusal of a save as issues naming their step and field; null when the error is
 * no refusal of the template (a dropped connection, a role): the view shows those as errors.
 */
export function templateRefusal(error: ShownError): RefusalIssue[] | null {
  if (error.code !== 'VALIDATION') return null;
  const p = isObject(error.params) ? error.params : {};
  if (Array.isArray(p.issues) && p.issues.length > 0) {
    const out: RefusalIssue[] = [];
    for (const i of p.issues as unknown[]) if (isObject(i) && typeof i.message === 'string') out.push({ step: str(i.step), field: str(i.field), message: i.message });
    if (out.length) return out;
  }
  if (Array.isArray(p.fields) && p.fields.length > 0) {
    // The contract's own refusal (the arguments' shape): { field, problem } per field.
    const out: RefusalIssue[] = [];
    for (const f of p.fields as unknown[]) if (isObject(f) && typeof f.problem === 'string') out.push({ step: null, field: str(f.field), message: `${String(f.field)} ${f.problem}` });
    if (out.length) return out;
  }
  return [{ step: str(p.step), field: str(p.field), message: error.message }];
}

/** The template id the text holds, if it holds one (the page follows a new template to its own address). */
export function idInText(value: Record<string, unknown>): string | null {
  return typeof value.id === 'string' && value.id ? value.id : null;
}
