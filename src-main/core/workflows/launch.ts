// What a launch is checked with before a run is written: its params against the template's
// declarations (unknown names, missing required ones, wrong types; defaults filled in) and
// its hosts (a list of known, distinct device ids; at least one when a step runs per host).
// Every problem is collected into one ValidationError naming the param or host. And whether
// the core can give a callback step its URL: without one (the desktop takes no inbound HTTP)
// a callback step with no poll check could never finish, so its launch is refused up front.
// And the role a run was launched with (wf_runs.launched_role, migration 11): recorded in the
// launch's transaction, handed to the run's tools as ctx.role, so what they audit carries it.
import type { Role } from '../../../src-shared/domain/roles';
import type { WfTemplate } from '../../../src-shared/domain/workflow';
import { FleetDeckError, NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { Db } from '../store/database';
import { describeParamType, hasParamType, wordType, wordValue } from './schema-types';
import type { TemplateIssue } from './template';
import { issuesError } from './template';
import type { Tool, ToolContext, ToolHost, ToolRegistry } from './tool';

export function resolveParams(template: WfTemplate, given: unknown): Record<string, unknown> {
  if (given === undefined || given === null) given = {};
  if (typeof given !== 'object' || Array.isArray(given)) throw new ValidationError(`params must be an object of name: value, not ${wordValue(given)}`, { field: 'params' });
  const values = given as Record<string, unknown>;
  const issues: TemplateIssue[] = [];
  const out: Record<string, unknown> = {};
  const declared = new Set(template.params.map((p) => p.name));
  for (const name of Object.keys(values)) {
    if (!declared.has(name)) issues.push({ field: `params.${name}`, message: `param ${name} is not declared by template ${template.id} (it takes: ${[...declared].join(', ') || 'none'})` });
  }
  for (const p of template.params) {
    const v = values[p.name] === undefined ? p.default : values[p.name];
    if (v === undefined) {
      if (p.required) issues.push({ field: `params.${p.name}`, message: `param ${p.name} is required` });
      continue;
    }
    if (!hasParamType(p.type, v)) {
      issues.push({ field: `params.${p.name}`, message: `param ${p.name} must be ${wordType(describeParamType(p.type))}, not ${wordValue(v)}` });
      continue;
    }
    out[p.name] = v;
  }
  if (issues.length) throw issuesError(`The launch of ${template.id}`, issues, { template: template.id });
  return out;
}

export function resolveHosts(template: WfTemplate, given: unknown, lookup: (id: string) => ToolHost | undefined): ToolHost[] {
  if (!Array.isArray(given) || !given.every((h) => typeof h === 'string')) throw new ValidationError('hosts must be a list of device ids', { field: 'hosts' });
  const ids = given as string[];
  const perHost = template.steps.some((s) => s.scope === 'host');
  if (perHost && ids.length === 0) throw new ValidationError(`Template ${template.id} has per-host steps: give at least one host`, { field: 'hosts' });
  const seen = new Set<string>();
  const twice = new Set<string>();
  const unknown: string[] = [];
  const hosts: ToolHost[] = [];
  for (const id of ids) {
    if (seen.has(id)) twice.add(id);
    seen.add(id);
    const h = lookup(id);
    if (!h) unknown.push(id);
    else if (!twice.has(id)) hosts.push({ id: h.id, hostname: h.hostname, sn: h.sn });
  }
  const issues: TemplateIssue[] = [];
  if (unknown.length) issues.push({ field: 'hosts', message: `${unknown.length} host(s) are not known devices: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', ...' : ''}` });
  if (twice.size) issues.push({ field: 'hosts', message: `host(s) given more than once: ${[...twice].slice(0, 10).join(', ')}` });
  if (issues.length) throw issuesError('The host list', issues, { template: template.id, unknown: unknown.slice(0, 100), duplicates: [...twice].slice(0, 100) });
  return hosts;
}

/** Refuses (UNAVAILABLE, naming the step) a template whose callback step only a callback URL can finish, on a core that has none. */
export function needCallbackUrl(template: WfTemplate, tools: ToolRegistry, base: string | null): void {
  if (base !== null) return;
  const stuck = template.steps.find((s) => tools.get(s.tool)?.kind === 'callback' && !s.poll);
  if (!stuck) return;
  throw new FleetDeckError(
    'UNAVAILABLE',
    `Step ${stuck.id} of template ${template.id} waits for a call to its callback URL, and this FleetDeck takes no inbound HTTP (the desktop app): launch it from serve mode (npm run serve), or give the step a poll check that can finish it`,
    { template: template.id, step: stuck.id, field: `steps.${stuck.id}.poll` },
  );
}

/** A run launched before migration 11 has no role recorded: operator, the least role workflows.launch lets in. */
export const UNRECORDED_ROLE: Role = 'operator';

/** The role each run was launched with, in the journal beside the run. */
export class LauncherRoles {
  readonly #set;
  readonly #get;

  constructor(db: Db) {
    this.#set = db.prepare<[string, string]>('UPDATE wf_runs SET launched_role = ? WHERE id = ?');
    this.#get = db.prepare<[string], { role: Role | null }>('SELECT launched_role AS role FROM wf_runs WHERE id = ?');
  }

  /** Records it (inside the launch's transaction); NOT_FOUND when the run is not in the journal. */
  record(runId: string, role: Role): void {
    if (this.#set.run(role, runId).changes !== 1) throw new NotFoundError('workflow run', runId);
  }

  /** The run's launcher's role; UNRECORDED_ROLE for an older run; null when there is no such run. */
  of(runId: string): Role | null {
    const row = this.#get.get(runId);
    return row ? (row.role ?? UNRECORDED_ROLE) : null;
  }
}

/** The tool with ctx.role set to the run's launcher's role on every call (run and onCallback). */
export function withLauncherRole(t: Tool, roles: Pick<LauncherRoles, 'of'>): Tool {
  const ctxOf = (ctx: ToolContext): ToolContext => ({ ...ctx, role: roles.of(ctx.runId) ?? UNRECORDED_ROLE });
  const onCallback = t.onCallback;
  return {
    name: t.name, title: t.title, kind: t.kind, input: t.input, output: t.output, idempotent: t.idempotent,
    run: (ctx, input) => t.run(ctxOf(ctx), input),
    ...(onCallback ? { onCallback: (ctx: ToolContext, body: unknown, input: never) => onCallback.call(t, ctxOf(ctx), body, input) } : {}),
  };
}
