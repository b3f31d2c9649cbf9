// A template compiled for running: each step with its tool, the steps it waits for (an absent
// `after` is the step before it in the list), the steps waiting for it, and its fan-out. Used
// by the template check (template.ts) and by the engine for every run, including runs of an
// older template version reloaded after a restart (a tool gone since is left undefined: the
// task fails when it would start, naming the tool).
import type { WfTemplate, WfTemplateStep } from '../../../src-shared/domain/workflow';
import type { Tool, ToolRegistry } from './tool';

export interface StepPlan {
  readonly id: string;
  readonly index: number;
  readonly def: WfTemplateStep;
  readonly tool: Tool | undefined;
  readonly deps: readonly string[];
  readonly children: string[];
}

export interface Plan {
  readonly template: WfTemplate;
  readonly steps: readonly StepPlan[];
  readonly byId: ReadonlyMap<string, StepPlan>;
}

export function depsOf(template: WfTemplate, index: number): readonly string[] {
  const s = template.steps[index];
  if (s.after) return s.after;
  return index > 0 ? [template.steps[index - 1].id] : [];
}

export function compilePlan(template: WfTemplate, tools: ToolRegistry): Plan {
  const steps: StepPlan[] = template.steps.map((def, index) => ({ id: def.id, index, def, tool: tools.get(def.tool), deps: depsOf(template, index), children: [] }));
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) for (const d of s.deps) byId.get(d)?.children.push(s.id);
  return { template, steps, byId };
}
