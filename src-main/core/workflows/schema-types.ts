// The value types a template's bindings are checked with: a zod schema's field (read through
// z.toJSONSchema, zod 4's own introspection) or a launch parameter's declared type becomes a
// small type description; a binding fits an input when every type its source can have is one
// the input accepts. Worded for refusals ("a boolean", "a list of strings"), and listed field
// by field for workflows.tools (fieldsOf: "string[]", "string | null").
import { z } from 'zod';
import type { WfValueType } from '../../../src-shared/domain/workflow';
import type { WfToolField } from '../../../src-shared/domain/workflow-tools';

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

/** 'any': nothing known (z.unknown(), a transform's output), so everything fits. */
export interface TypeDesc {
  readonly types: ReadonlySet<JsonType> | 'any';
  /** An array's element type, when known. */
  readonly items?: TypeDesc;
}

type JsonSchema = Record<string, unknown>;

export const ANY: TypeDesc = { types: 'any' };
const of = (...types: JsonType[]): TypeDesc => ({ types: new Set(types) });

const cache = new WeakMap<z.ZodType, { input?: JsonSchema; output?: JsonSchema }>();

/** A schema as JSON Schema (cached per schema and direction); {} when zod cannot represent it. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  let entry = cache.get(schema);
  if (!entry) cache.set(schema, (entry = {}));
  if (!entry[io]) {
    try {
      entry[io] = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    } catch {
      entry[io] = {};
    }
  }
  return entry[io]!;
}

const JSON_TYPES = new Set<string>(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

function typeOfValue(v: unknown): JsonType | null {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : null;
}

/** A JSON Schema node as a type description. */
export function describeJsonSchema(node: unknown): TypeDesc {
  if (typeof node !== 'object' || node === null) return ANY;
  const s = node as JsonSchema;
  const alternatives = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) {
    const parts = alternatives.map(describeJsonSchema);
    if (parts.some((p) => p.types === 'any')) return ANY;
    const types = new Set<JsonType>();
    for (const p of parts) for (const t of p.types as ReadonlySet<JsonType>) types.add(t);
    const items = parts.find((p) => p.items)?.items;
    return items ? { types, items } : { types };
  }
  let types: JsonType[] = [];
  if (typeof s.type === 'string' && JSON_TYPES.has(s.type)) types = [s.type as JsonType];
  else if (Array.isArray(s.type)) types = s.type.filter((t): t is JsonType => JSON_TYPES.has(t as string));
  else if ('const' in s) types = [typeOfValue(s.const)].filter((t): t is JsonType => t !== null);
  else if (Array.isArray(s.enum)) types = [...new Set(s.enum.map(typeOfValue).filter((t): t is JsonType => t !== null))];
  if (!types.length) return ANY;
  const desc: TypeDesc = { types: new Set(types) };
  return types.includes('array') && s.items ? { ...desc, items: describeJsonSchema(s.items) } : desc;
}

/** A launch parameter's declared type. */
export function describeParamType(t: WfValueType): TypeDesc {
  switch (t) {
    case 'string':
      return of('string');
    case 'number':
      return of('number');
    case 'boolean':
      return of('boolean');
    case 'string[]':
      return { types: new Set(['array']), items: of('string') };
    case 'object':
      return of('object');
  }
}

export const STRING: TypeDesc = of('string');

function accepts(target: ReadonlySet<JsonType>, t: JsonType): boolean {
  return target.has(t) || (t === 'integer' && target.has('number'));
}

/** Whether every value the source can be is one the target accepts. */
export function fits(source: TypeDesc, target: TypeDesc): boolean {
  if (target.types === 'any' || source.types === 'any') return true;
  for (const t of source.types) if (!accepts(target.types, t)) return false;
  if (source.items && target.items && source.types.has('array')) return fits(source.items, target.items);
  return true;
}

/** Whether the source can only be a string, number or boolean (what may sit inside text). */
export function isScalar(d: TypeDesc): boolean {
  if (d.types === 'any') return true;
  for (const t of d.types) if (t === 'array' || t === 'object') return false;
  return true;
}

const WORDS: Record<JsonType, string> = { string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', array: 'a list', object: 'an object', null: 'null' };

/** "a boolean", "a string or null", "a list of strings". */
export function wordType(d: TypeDesc): string {
  if (d.types === 'any') return 'any value';
  return [...d.types]
    .map((t) => {
      if (t !== 'array' || !d.items || d.items.types === 'any') return WORDS[t];
      const inner = wordType(d.items).replace(/^(a|an) /, '');
      return `a list of ${inner.endsWith('s') || inner.includes(' or ') ? inner : `${inner}s`}`;
    })
    .join(' or ');
}

/** The JSON Schema node of a property path in an object schema, or undefined when it has none. */
export function propertyAt(schema: JsonSchema, path: readonly string[]): unknown {
  let node: unknown = schema;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    const props = (node as JsonSchema).properties as Record<string, unknown> | undefined;
    if (!props || !Object.prototype.hasOwnProperty.call(props, key)) return undefined;
    node = props[key];
  }
  return node;
}

/** Whether a value has a parameter's declared type. */
export function hasParamType(t: WfValueType, v: unknown): boolean {
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
}

/** The type a value actually has, worded ("a number", "a list"), for refusals. */
export function wordValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const t = typeOfValue(v);
  return t ? WORDS[t] : typeof v;
}

/** A type description in the short form a template's author reads: "string", "string[]", "integer | null", "any". */
export function typeName(d: TypeDesc): string {
  if (d.types === 'any') return 'any';
  return [...d.types]
    .map((t) => {
      if (t !== 'array') return t;
      if (!d.items || d.items.types === 'any') return 'any[]';
      const inner = typeName(d.items);
      return inner.includes(' | ') ? `(${inner})[]` : `${inner}[]`;
    })
    .join(' | ');
}

type Choice = string | number | boolean | null;
const isChoice = (v: unknown): v is Choice => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** The values a JSON Schema node lists (enum, const, alternatives of those), or undefined when it is open. */
function choicesOf(node: JsonSchema): Choice[] | undefined {
  if (Array.isArray(node.enum)) return node.enum.every(isChoice) ? (node.enum as Choice[]) : undefined;
  if ('const' in node) return isChoice(node.const) ? [node.const] : undefined;
  const alternatives = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (!Array.isArray(alternatives)) return undefined;
  const out: Choice[] = [];
  for (const a of alternatives) {
    const c = typeof a === 'object' && a !== null ? choicesOf(a as JsonSchema) : undefined;
    if (!c) return undefined;
    out.push(...c);
  }
  return out;
}

/**
 * An object schema's top-level fields as the bindings see them: for 'input', optional means it
 * may be left out (optional or defaulted); for 'output', that the tool's answer may lack it.
 */
export function fieldsOf(schema: z.ZodType, io: 'input' | 'output'): WfToolField[] {
  const json = jsonSchemaOf(schema, io);
  const props = (json.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(json.required) ? (json.required as string[]) : []);
  return Object.entries(props).map(([name, raw]) => {
    const node = (typeof raw === 'object' && raw !== null ? raw : {}) as JsonSchema;
    const choices = choicesOf(node);
    return {
      name,
      type: typeName(describeJsonSchema(node)),
      optional: !required.has(name),
      ...(typeof node.description === 'string' && node.description ? { description: node.description } : {}),
      ...(choices ? { choices } : {}),
      ...(io === 'input' && 'default' in node ? { default: node.default } : {}),
    };
  });
}
