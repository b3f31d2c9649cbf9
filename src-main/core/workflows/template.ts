// The check a template passes when it is saved: its shape (template-schema.ts), unique step
// ids, known tools, `after` naming known steps with no cycle, every input known to its tool and
// every required one given, each binding naming a declared param, an earlier (ancestor) step's
// declared output or a host field in a per-host step, and its type fitting the input. Every
// problem is collected; the refusal is one ValidationError naming each step and field.
import type { z } from 'zod';
import type { WfTemplate, WfTemplateStep } from '../../../src-shared/domain/workflow';
import { ValidationError } from '../../../src-shared/errors';
import { bindingsIn, exactBinding, stringsIn, type BindingRef, type BindingUse } from './bindings';
import { compilePlan, type Plan, type StepPlan } from './plan';
import { describeJsonSchema, describeParamType, fits, hasParamType, isScalar, jsonSchemaOf, propertyAt, STRING, wordType, wordValue, type TypeDesc } from './schema-types';
import { templateSchema } from './template-schema';
import type { ToolRegistry } from './tool';

export interface TemplateIssue {
  readonly step?: string;
  readonly field?: string;
  readonly message: string;
}

/** Zod's issues in one line: "url: Invalid URL; method: Invalid option". */
export function zodText(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

export function issuesError(what: string, issues: readonly TemplateIssue[], params: Record<string, unknown>): ValidationError {
  const message = issues.length === 1 ? issues[0].message : `${what} has ${issues.length} problems: ${issues.map((i) => i.message).join('; ')}`;
  return new ValidationError(message, { ...params, step: issues[0].step, field: issues[0].field, issues });
}

function shapeIssues(raw: unknown, error: z.ZodError): TemplateIssue[] {
  const steps = (raw as { steps?: unknown })?.steps;
  const params = (raw as { params?: unknown })?.params;
  return error.issues.map((i) => {
    const [head, index, ...rest] = i.path.map(String);
    if ((head === 'steps' || head === 'params') && index !== undefined && /^\d+$/.test(index)) {
      const list = (head === 'steps' ? steps : params) as { id?: unknown; name?: unknown }[] | undefined;
      const item = Array.isArray(list) ? list[Number(index)] : undefined;
      const label = typeof (head === 'steps' ? item?.id : item?.name) === 'string' ? String(head === 'steps' ? item?.id : item?.name) : `#${Number(index) + 1}`;
      const field = rest.join('.') || undefined;
      const where = `${head === 'steps' ? 'step' : 'param'} ${label}${field ? `, ${field}` : ''}`;
      return head === 'steps' ? { step: label, field, message: `${where}: ${i.message}` } : { field: `params.${label}`, message: `${where}: ${i.message}` };
    }
    const field = i.path.join('.') || undefined;
    return { field, message: `${field ? `${field}: ` : ''}${i.message}` };
  });
}

/** Steps named in `after` that close a loop, as "a -> b -> a"; null when there is none. */
function findCycle(plan: Plan): string | null {
  const color = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (id: string): string | null => {
    color.set(id, 1);
    stack.push(id);
    for (const d of plan.byId.get(id)?.deps ?? []) {
      if (!plan.byId.has(d)) continue;
      if (color.get(d) === 1) return [...stack.slice(stack.indexOf(d)), d].join(' -> ');
      if (!color.has(d)) {
        const found = visit(d);
        if (found) return found;
      }
    }
    stack.pop();
    color.set(id, 2);
    return null;
  };
  for (const s of plan.steps) {
    if (color.has(s.id)) continue;
    const found = visit(s.id);
    if (found) return found;
  }
  return null;
}

/** Each step's ancestors (the steps it waits for, transitively); the plan has no cycle. */
function ancestorsOf(plan: Plan): Map<string, Set<string>> {
  const memo = new Map<string, Set<string>>();
  const get = (id: string): Set<string> => {
    let set = memo.get(id);
    if (set) return set;
    set = new Set();
    memo.set(id, set);
    for (const d of plan.byId.get(id)?.deps ?? []) {
      if (!plan.byId.has(d)) continue;
      set.add(d);
      for (const a of get(d)) set.add(a);
    }
    return set;
  };
  for (const s of plan.steps) get(s.id);
  return memo;
}

/** What a step's input checks need to know about the template around it. */
export interface InputContext {
  readonly template: WfTemplate;
  readonly plan: Plan;
  /** The step's ancestors; null when the DAG has a cycle (step bindings are then not checked). */
  readonly ancestors: ReadonlySet<string> | null;
}

function refType(ctx: InputContext, step: WfTemplateStep, use: BindingUse, say: (m: string) => void): TypeDesc | null {
  const ref: BindingRef = use.ref;
  switch (ref.kind) {
    case 'bad':
      say(`unknown binding ${use.text}: use \${params.<name>}, \${steps.<id>.outputs.<field>} or \${host.id|hostname|sn}`);
      return null;
    case 'param': {
      const p = ctx.template.params.find((x) => x.name === ref.name);
      if (!p) say(`${use.text}: the template declares no param ${ref.name}`);
      return p ? describeParamType(p.type) : null;
    }
    case 'host':
      if (step.scope !== 'host') say(`${use.text} is only known in a per-host step (scope 'host')`);
      return step.scope === 'host' ? STRING : null;
    case 'step': {
      const no = (m: string): null => {
        say(m);
        return null;
      };
      const src = ctx.plan.byId.get(ref.step);
      if (!src) return no(`${use.text}: there is no step ${ref.step}`);
      if (src.id === step.id) return no(`${use.text}: a step cannot bind its own outputs`);
      if (ctx.ancestors && !ctx.ancestors.has(src.id)) return no(`${use.text}: step ${ref.step} does not come before this step (name it, or a step after it, in after)`);
      if (src.def.scope === 'host' && step.scope === 'run') return no(`${use.text} is a per-host output; a run-scope step cannot bind it`);
      if (!src.tool) return null;
      const node = propertyAt(jsonSchemaOf(src.tool.output, 'output'), ref.path);
      if (node === undefined) {
        const known = Object.keys(src.tool.output.shape).join(', ') || 'none';
        return no(`${use.text}: step ${ref.step}'s tool ${src.tool.name} has no output ${ref.path.join('.')} (it gives: ${known})`);
      }
      return describeJsonSchema(node);
    }
  }
}

/** Every problem with one step's inputs (known fields, required ones, bindings and their types). */
export function checkStepInputs(ctx: InputContext, step: StepPlan, inputs: Readonly<Record<string, unknown>>, issues: TemplateIssue[]): void {
  const tool = step.tool;
  if (!tool) return;
  const shape = tool.input.shape as Record<string, z.ZodType>;
  const inputJson = jsonSchemaOf(tool.input, 'input');
  for (const [field, value] of Object.entries(inputs)) {
    const say = (m: string) => issues.push({ step: step.id, field, message: `step ${step.id}, input ${field}: ${m}` });
    if (!Object.prototype.hasOwnProperty.call(shape, field)) {
      say(`the tool ${tool.name} has no input ${field} (it takes: ${Object.keys(shape).join(', ') || 'none'})`);
      continue;
    }
    const target = describeJsonSchema(propertyAt(inputJson, [field]));
    const strings = stringsIn(value).filter(({ s }) => bindingsIn(s).length > 0);
    if (!strings.length) {
      const r = shape[field].safeParse(value);
      if (!r.success) say(`${JSON.stringify(value)} is refused by the tool: ${zodText(r.error)}`);
      continue;
    }
    for (const { path, s } of strings) {
      const exact = exactBinding(s);
      if (exact) {
        const source = refType(ctx, step.def, exact, say);
        if (source && path.length === 0 && !fits(source, target)) say(`${exact.text} is ${wordType(source)}, the tool wants ${wordType(target)}`);
        continue;
      }
      for (const use of bindingsIn(s)) {
        const source = refType(ctx, step.def, use, say);
        if (source && !isScalar(source)) say(`${use.text} is ${wordType(source)}; only a string, number or boolean can sit inside text`);
      }
      if (path.length === 0 && !fits(STRING, target)) say(`"${s}" is a string (text around bindings), the tool wants ${wordType(target)}`);
    }
  }
  for (const [field, schema] of Object.entries(shape)) {
    if (!(field in inputs) && !schema.safeParse(undefined).success) {
      issues.push({ step: step.id, field, message: `step ${step.id}, input ${field}: required by the tool ${tool.name}, not given` });
    }
  }
}

/** Checks ids, tools, options and after; false when step ids repeat (the DAG is then not judged). */
function checkSteps(template: WfTemplate, plan: Plan, tools: ToolRegistry, issues: TemplateIssue[]): boolean {
  let unique = true;
  const seen = new Set<string>();
  for (const s of template.steps) {
    const say = (field: string | undefined, m: string) => issues.push({ step: s.id, field, message: `step ${s.id}${field ? `, ${field}` : ''}: ${m}` });
    if (seen.has(s.id)) {
      say('id', `the id ${s.id} is used by more than one step`);
      unique = false;
    }
    seen.add(s.id);
    const tool = tools.get(s.tool);
    if (!tool) say('tool', `no tool is registered as ${s.tool}`);
    if (tool?.kind === 'poll' && !s.poll) say('poll', `the tool ${s.tool} polls: give poll.intervalMs and poll.deadlineMs`);
    if (s.poll && tool && tool.kind !== 'poll' && tool.kind !== 'callback') say('poll', `the tool ${s.tool} is a ${tool.kind} tool; poll applies to poll and callback tools`);
    if (s.fanOut && s.scope !== 'host') say('fanOut', `fanOut applies to per-host steps (scope 'host')`);
    if (s.onTimeout && !s.timeoutMs && !s.poll) say('onTimeout', 'onTimeout is given but the step has no timeoutMs or poll deadline');
    for (const d of s.after ?? []) {
      if (d === s.id) say('after', 'a step cannot wait for itself');
      else if (!plan.byId.has(d)) say('after', `there is no step ${d}`);
    }
  }
  return unique;
}

function checkParams(template: WfTemplate, issues: TemplateIssue[]): void {
  const seen = new Set<string>();
  for (const p of template.params) {
    if (seen.has(p.name)) issues.push({ field: `params.${p.name}`, message: `param ${p.name} is declared more than once` });
    seen.add(p.name);
    if (p.default !== undefined && !hasParamType(p.type, p.default)) {
      issues.push({ field: `params.${p.name}`, message: `param ${p.name}: the default is ${wordValue(p.default)}, the param is ${wordType(describeParamType(p.type))}` });
    }
  }
}

/**
 * Checks a template against the registered tools and returns it parsed, with its compiled
 * plan. Throws one ValidationError listing every problem (params.issues: step, field,
 * message each; params.step and params.field name the first).
 */
export function validateTemplate(raw: unknown, tools: ToolRegistry): { template: WfTemplate; plan: Plan } {
  const shaped = templateSchema.safeParse(raw);
  const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : '(no id)';
  if (!shaped.success) throw issuesError(`Template ${id}`, shapeIssues(raw, shaped.error), { template: id });
  const template = shaped.data as WfTemplate;
  const plan = compilePlan(template, tools);
  const issues: TemplateIssue[] = [];
  checkParams(template, issues);
  const unique = checkSteps(template, plan, tools, issues);
  const cycle = unique ? findCycle(plan) : null;
  if (cycle) issues.push({ step: cycle.split(' -> ')[0], field: 'after', message: `steps ${cycle} wait for each other (a cycle)` });
  const ancestors = cycle || !unique ? null : ancestorsOf(plan);
  for (const step of plan.steps) checkStepInputs({ template, plan, ancestors: ancestors?.get(step.id) ?? null }, step, step.def.inputs, issues);
  if (issues.length) throw issuesError(`Template ${template.id}`, issues, { template: template.id });
  return { template, plan };
}

/** The ancestors of one step of a valid plan (for checking an operator's edited inputs). */
export function stepAncestors(plan: Plan, stepId: string): ReadonlySet<string> {
  return ancestorsOf(plan).get(stepId) ?? new Set();
}
