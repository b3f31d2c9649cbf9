// The launch form's model, generated from a template's declared params: one draft value per
// param (text for string, number, string[] (one per line) and object (JSON); a tick for
// boolean), prefilled from the defaults; turned into the launch's params with what is wrong
// per field found before sending (required, not a number, not JSON, not an object); and the
// core's refusal mapped back onto the fields (params.issues[].field "params.<name>" or
// "hosts", else params.field). Host lists pasted as text are split here too. Pure.
import type { WfParamSpec, WfTemplate } from '../../../src-shared/domain/workflow';
import type { ShownError } from '../shown-error';

export type ParamDraft = Readonly<Record<string, string | boolean>>;
export type ParamProblem = 'required' | 'notNumber' | 'notJson' | 'notObject';

function draftOf(p: WfParamSpec): string | boolean {
  const d = p.default;
  switch (p.type) {
    case 'boolean':
      return d === true;
    case 'number':
      return typeof d === 'number' ? String(d) : '';
    case 'string[]':
      return Array.isArray(d) ? d.map(String).join('\n') : '';
    case 'object':
      return d !== undefined && d !== null ? JSON.stringify(d, null, 2) : '';
    default:
      return typeof d === 'string' ? d : '';
  }
}

/** Every param's starting value: its default, else empty (a boolean: its default, else unticked). */
export function initialDraft(template: WfTemplate): Record<string, string | boolean> {
  return Object.fromEntries(template.params.map((p) => [p.name, draftOf(p)]));
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string[] param's text: one item a line, blank lines dropped, each trimmed. */
export function listItems(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The params a launch sends. An empty field is left out (the core fills its default) or, when
 * required with no default, a 'required' problem; booleans are always sent.
 */
export function paramsFromDraft(template: WfTemplate, draft: ParamDraft): { params: Record<string, unknown>; problems: Record<string, ParamProblem> } {
  const params: Record<string, unknown> = {};
  const problems: Record<string, ParamProblem> = {};
  for (const p of template.params) {
    const raw = draft[p.name] ?? draftOf(p);
    if (p.type === 'boolean') {
      params[p.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    const empty = p.type === 'string[]' ? listItems(text).length === 0 : text.trim() === '';
    if (empty) {
      if (p.required && p.default === undefined) problems[p.name] = 'required';
      continue;
    }
    if (p.type === 'number') {
      const n = Number(text.trim());
      if (!Number.isFinite(n)) problems[p.name] = 'notNumber';
      else params[p.name] = n;
    } else if (p.type === 'string[]') {
      params[p.name] = listItems(text);
    } else if (p.type === 'object') {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        problems[p.name] = 'notJson';
        continue;
      }
      if (!isPlainObject(v)) problems[p.name] = 'notObject';
      else params[p.name] = v;
    } else {
      params[p.name] = text;
    }
  }
  return { params, problems };
}

/** The core's refusal of a launch, by form field: params by name, the host list, and the rest. */
export interface LaunchRefusal {
  params: Record<string, string[]>;
  hosts: string[];
  other: string[];
}

/** Maps a VALIDATION error's issues (or its one field) onto the form; null for any other error. */
export function launchRefusal(error: ShownError): LaunchRefusal | null {
  if (error.code !== 'VALIDATION' || !isPlainObject(error.params)) return null;
  const p = error.params;
  const out: LaunchRefusal = { params: {}, hosts: [], other: [] };
  const put = (field: unknown, message: string): void => {
    const f = typeof field === 'string' ? field : '';
    const param = /^params\.(.+)$/.exec(f);
    if (param) (out.params[param[1]] ??= []).push(message);
    else if (f === 'hosts' || f === 'deviceIds' || f.startsWith('deviceIds.')) out.hosts.push(message);
    else out.other.push(message);
  };
  if (Array.isArray(p.issues) && p.issues.length > 0) {
    for (const i of p.issues as unknown[]) if (isPlainObject(i) && typeof i.message === 'string') put(i.field, i.message);
  } else if (Array.isArray(p.fields) && p.fields.length > 0) {
    // A contract VALIDATION: { field, problem } per field.
    for (const f of p.fields as unknown[]) if (isPlainObject(f) && typeof f.problem === 'string') put(f.field, `${String(f.field)} ${f.problem}`);
  } else {
    put(p.field, error.message);
  }
  return out;
}

/** Hostnames or SNs pasted in any layout (lines, commas, spaces, tabs), each once, in order. */
export function splitNames(text: string, max = 1000): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const name = raw.trim();
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    out.push(name);
    if (out.length >= max) break;
  }
  return out;
}
