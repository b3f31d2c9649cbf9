// The workflow steps "mask alarms" and "unmask alarms" (seed 002's scale-out flow has both):
// tools for the workflow engine over the alarms capability's maintenance windows.
//
//   alarms.mask    a window over the step's selection from now for `minutes` (default 120):
//                  the given scope, else the step's host (a per-host step); a run-scope step
//                  without a scope is refused (a workflow does not mask everything). Its id is
//                  wf:<run>:<step>[:<host>] unless given, so re-running the attempt replaces
//                  the same window (idempotent). Output: windowId, from, to.
//   alarms.unmask  ends a window now (windowId, usually ${steps.<mask>.outputs.windowId}, or
//                  maskStep: the id alarms.mask gave on this run and host); one already over
//                  stays as it is. A window nobody made is NOT_FOUND. Output: windowId, ended.
// Both act as the run's launcher with the role it launched with (ToolContext.role; absent:
// operator, the least role that launches): below operator, the role alarms.setWindow and
// alarms.endWindow need, the step is refused (FORBIDDEN). Every outcome is audited under the
// launcher (action alarms.mask / alarms.unmask, the window id as target, run and step named).
import { z } from 'zod';
import type { CallContext } from '../../../src-shared/api';
import { inventorySelectionSchema, type InventorySelection } from '../../../src-shared/domain/alarm';
import { ROLE_RANK, type Role } from '../../../src-shared/domain/roles';
import { FleetDeckError, ValidationError } from '../../../src-shared/errors';
import type { AuditRecord } from '../store/audit-repository';
import { tool, type Tool, type ToolContext } from '../workflows/tool';
import type { AlarmsCapability } from './alarms-capability';

export interface AlarmToolsDeps {
  readonly alarms: Pick<AlarmsCapability, 'api'>;
  readonly audit: (r: AuditRecord) => void;
  readonly now?: () => number;
}

const MINUTE = 60_000;

const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const where = (ctx: ToolContext): string => `workflow run ${ctx.runId}, step ${ctx.stepId}${ctx.host ? `, host ${ctx.host.hostname}` : ''}`;

/** The id alarms.mask gives a window of this run, step and host. */
export const maskWindowId = (runId: string, stepId: string, hostId: string | null): string => `wf:${runId}:${stepId}${hostId !== null ? `:${hostId}` : ''}`;

const empty = (s: InventorySelection): boolean => !s.sites.length && !s.rooms.length && !s.rows.length && !s.cabinets.length && !s.devices.length && !s.kinds.length;

const words = (s: InventorySelection): string =>
  (['sites', 'rooms', 'rows', 'cabinets', 'devices', 'kinds'] as const).filter((k) => s[k].length).map((k) => `${k} ${s[k].join(', ')}`).join('; ');

export function alarmTools(deps: AlarmToolsDeps): Tool[] {
  const now = deps.now ?? Date.now;

  /** The launcher as a caller, or a FORBIDDEN (audited) when its role may not change windows. */
  const caller = (ctx: ToolContext, action: string, target: string): CallContext => {
    const role: Role = ctx.role ?? 'operator';
    if (ROLE_RANK[role] < ROLE_RANK.operator) {
      deps.audit({ actor: ctx.actor, role, action, target, outcome: 'refused', detail: `needs operator (${where(ctx)})` });
      throw new FleetDeckError('FORBIDDEN', `${action} needs the operator role; the run was launched as ${role}`, { action, role });
    }
    return { actor: ctx.actor, role };
  };

  const mask = tool({
    name: 'alarms.mask',
    title: 'Mask alarms',
    kind: 'sync',
    idempotent: true,
    input: z.object({
      scope: inventorySelectionSchema.optional().describe('what to mask (default: the step\'s host)'),
      minutes: z.number().int().min(1).max(7 * 24 * 60).default(120).describe('how long the window lasts'),
      reason: z.string().max(500).default('').describe('shown with the window (default: the run and step)'),
      windowId: z.string().min(1).max(200).optional(),
    }),
    output: z.object({ windowId: z.string(), from: z.number(), to: z.number() }),
    async run(ctx, a) {
      const scope: InventorySelection | null = a.scope !== undefined && !empty(a.scope) ? a.scope : ctx.host ? inventorySelectionSchema.parse({ devices: [ctx.host.id] }) : null;
      const id = a.windowId ?? maskWindowId(ctx.runId, ctx.stepId, ctx.host?.id ?? null);
      const as = caller(ctx, 'alarms.mask', id);
      const role = as.role;
      if (scope === null) {
        deps.audit({ actor: ctx.actor, role, action: 'alarms.mask', target: id, outcome: 'failed', detail: `no scope (${where(ctx)})` });
        throw new ValidationError('alarms.mask: a run-scope step needs a scope (a workflow does not mask every alarm)', { field: 'scope', problem: 'is required on a run-scope step' });
      }
      const from = now();
      const w = { id, scope, from, to: from + a.minutes * MINUTE, reason: a.reason.trim() || `workflow run ${ctx.runId}, step ${ctx.stepId}` };
      try {
        await deps.alarms.api['alarms.setWindow'](w, as);
      } catch (err) {
        deps.audit({ actor: ctx.actor, role, action: 'alarms.mask', target: id, outcome: 'failed', detail: `${words(scope)}: ${why(err)} (${where(ctx)})` });
        throw err;
      }
      deps.audit({ actor: ctx.actor, role, action: 'alarms.mask', target: id, outcome: 'succeeded', detail: `${words(scope)} until ${new Date(w.to).toISOString()}: ${w.reason} (${where(ctx)})` });
      ctx.log(`alarms masked (${words(scope)}) for ${a.minutes} min: window ${id}`);
      return { status: 'done' as const, output: { windowId: id, from: w.from, to: w.to } };
    },
  });

  const unmask = tool({
    name: 'alarms.unmask',
    title: 'Unmask alarms',
    kind: 'sync',
    idempotent: true,
    input: z.object({
      windowId: z.string().min(1).max(200).optional().describe('the window to end (the mask step\'s output)'),
      maskStep: z.string().min(1).max(200).optional().describe('or: the mask step of this run (and host)'),
    }),
    output: z.object({ windowId: z.string(), ended: z.boolean() }),
    async run(ctx, a) {
      const id = a.windowId ?? (a.maskStep !== undefined ? maskWindowId(ctx.runId, a.maskStep, ctx.host?.id ?? null) : null);
      if (id === null) throw new ValidationError('alarms.unmask: give windowId or maskStep', { field: 'windowId', problem: 'is required (or maskStep)' });
      const as = caller(ctx, 'alarms.unmask', id);
      try {
        await deps.alarms.api['alarms.endWindow']({ id }, as);
      } catch (err) {
        deps.audit({ actor: ctx.actor, role: as.role, action: 'alarms.unmask', target: id, outcome: 'failed', detail: `${why(err)} (${where(ctx)})` });
        throw err;
      }
      deps.audit({ actor: ctx.actor, role: as.role, action: 'alarms.unmask', target: id, outcome: 'succeeded', detail: `window ended (${where(ctx)})` });
      ctx.log(`alarms unmasked: window ${id} ended`);
      return { status: 'done' as const, output: { windowId: id, ended: true } };
    },
  });

  return [mask, unmask] as unknown as Tool[];
}
