// Bindings in a step's inputs: ${params.X}, ${steps.S.outputs.F(.G...)}, ${host.id|hostname|sn}.
// Parsed here for the template check (template.ts) and resolved here when a task starts: a
// string that is exactly one binding takes the bound value itself (any type); text around
// bindings makes a string.
import type { ToolHost } from './tool';

export type BindingRef =
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'step'; readonly step: string; readonly path: readonly string[] }
  | { readonly kind: 'host'; readonly field: 'id' | 'hostname' | 'sn' }
  | { readonly kind: 'bad'; readonly text: string };

export interface BindingUse {
  /** The binding as written: ${steps.bmc_check.outputs.power}. */
  readonly text: string;
  readonly ref: BindingRef;
}

const BINDING = /\$\{([^}]*)\}/g;
const EXACT = /^\$\{([^}]*)\}$/;
const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const PARAM = new RegExp(`^params\\.(${IDENT})$`);
const STEP = new RegExp(`^steps\\.(${IDENT})\\.outputs\\.(${IDENT}(?:\\.${IDENT})*)$`);
const HOST = /^host\.(id|hostname|sn)$/;

export function parseRef(inner: string): BindingRef {
  const s = inner.trim();
  let m = PARAM.exec(s);
  if (m) return { kind: 'param', name: m[1] };
  m = STEP.exec(s);
  if (m) return { kind: 'step', step: m[1], path: m[2].split('.') };
  m = HOST.exec(s);
  if (m) return { kind: 'host', field: m[1] as 'id' | 'hostname' | 'sn' };
  return { kind: 'bad', text: inner };
}

/** The bindings in one string, in order. */
export function bindingsIn(s: string): BindingUse[] {
  return [...s.matchAll(BINDING)].map((m) => ({ text: m[0], ref: parseRef(m[1]) }));
}

/** The binding a string is exactly (nothing around it), or null. */
export function exactBinding(s: string): BindingUse | null {
  const m = EXACT.exec(s);
  return m ? { text: s, ref: parseRef(m[1]) } : null;
}

/** Every string inside a value (nested objects and arrays too), with its path below the value. */
export function stringsIn(v: unknown, path: string[] = []): { path: string[]; s: string }[] {
  if (typeof v === 'string') return [{ path, s: v }];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringsIn(x, [...path, String(i)]));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => stringsIn(x, [...path, k]));
  return [];
}

export function hasBindings(v: unknown): boolean {
  return stringsIn(v).some(({ s }) => bindingsIn(s).length > 0);
}

/** What a running task's bindings resolve against. */
export interface BindingScope {
  readonly params: Readonly<Record<string, unknown>>;
  readonly host: ToolHost | null;
  /** A step's outputs for this task (same host, or the run-scope task); null when it has none. */
  outputs(stepId: string): Readonly<Record<string, unknown>> | null;
}

/** A binding that cannot be filled in (a host binding in a run-scope step, text around a missing value). */
export class BindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BindingError';
  }
}

function lookup(ref: BindingRef, scope: BindingScope): unknown {
  switch (ref.kind) {
    case 'param':
      return scope.params[ref.name];
    case 'host':
      return scope.host ? scope.host[ref.field] : undefined;
    case 'step': {
      let v: unknown = scope.outputs(ref.step);
      for (const key of ref.path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
      return v;
    }
    case 'bad':
      throw new BindingError(`unknown binding \${${ref.text}}`);
  }
}

function resolveString(s: string, scope: BindingScope): unknown {
  const exact = exactBinding(s);
  if (exact) return lookup(exact.ref, scope);
  return s.replace(BINDING, (text, inner: string) => {
    const v = lookup(parseRef(inner), scope);
    if (v === undefined || v === null) throw new BindingError(`${text} has no value`);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** A value with its bindings filled in (nested objects and arrays too). */
export function resolveValue(v: unknown, scope: BindingScope): unknown {
  if (typeof v === 'string') return resolveString(v, scope);
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, scope));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = resolveValue(x, scope);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return v;
}

/** A task's inputs with their bindings filled in; a field that cannot be is named. */
export function resolveInputs(inputs: Readonly<Record<string, unknown>>, scope: BindingScope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(inputs)) {
    try {
      const r = resolveValue(v, scope);
      if (r !== undefined) out[field] = r;
    } catch (err) {
      if (err instanceof BindingError) throw new BindingError(`input ${field}: ${err.message}`);
      throw err;
    }
  }
  return out;
}
