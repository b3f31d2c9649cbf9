// The retry's "edit inputs" editor, prefilled with the last attempt's inputs: one field per
// input (a string as text, anything else as JSON) or the whole object as JSON; what is typed
// is parsed back, and only the inputs that differ from the last attempt are sent as the
// retry's edits (the audit then names exactly what the operator changed). Pure.

export interface InputField {
  readonly name: string;
  /** text: the value is the string itself; json: the value is JSON text. */
  readonly kind: 'text' | 'json';
  readonly value: string;
}

export type EditProblem = 'notJson' | 'notObject';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function fieldsOf(inputs: Readonly<Record<string, unknown>>): InputField[] {
  return Object.entries(inputs).map(([name, v]) => (typeof v === 'string' ? { name, kind: 'text', value: v } : { name, kind: 'json', value: JSON.stringify(v) ?? 'null' }));
}

/** The fields' values, or the problem of each field that does not parse. */
export function parseFields(fields: readonly InputField[]): { values: Record<string, unknown>; problems: Record<string, EditProblem> } {
  const values: Record<string, unknown> = {};
  const problems: Record<string, EditProblem> = {};
  for (const f of fields) {
    if (f.kind === 'text') {
      values[f.name] = f.value;
      continue;
    }
    try {
      values[f.name] = JSON.parse(f.value);
    } catch {
      problems[f.name] = 'notJson';
    }
  }
  return { values, problems };
}

/** The whole inputs object typed as JSON. */
export function parseInputsJson(text: string): { values: Record<string, unknown> } | { problem: EditProblem } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { problem: 'notJson' };
  }
  return isPlainObject(v) ? { values: v } : { problem: 'notObject' };
}

/** Structural equality of JSON values (object key order does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

/** The inputs that changed from the last attempt's (new ones included); null when none did. */
export function editsOf(last: Readonly<Record<string, unknown>>, values: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
  const edits: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (!Object.prototype.hasOwnProperty.call(last, k) || !sameJson(last[k], v)) edits[k] = v;
  return Object.keys(edits).length ? edits : null;
}
