import {
  METHOD_ROLES,
  isMethod,
  type ApiEvents,
  type ArgsOf,
  type CallContext,
  type Disposable,
  type EventName,
  type Method,
  type ResultOf,
} from '../../../src-shared/api';
import { ROLE_RANK, type LabFault } from '../../../src-shared/domain';
import { FleetDeckError, ForbiddenError } from '../../../src-shared/errors';
import type { AuditRepository } from '../store/audit-repository';
import type { EventHub } from './event-hub';

export interface CoreApi {
  /** Checks the caller's role, audits control actions before they run, then dispatches. */
  call<M extends Method>(ctx: CallContext, method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): Disposable;
}

export type Handlers = { [M in Method]: (args: unknown, ctx: CallContext) => ResultOf<M> | Promise<ResultOf<M>> };

/** What the audit trail names as the target of a call. */
function auditTarget(method: Method, args: unknown): string {
  const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  switch (method) {
    case 'lab.fault': {
      const f = a as Partial<LabFault> & Record<string, unknown>;
      return `${String(f.kind)} ${String((f as Record<string, unknown>).deviceId ?? (f as Record<string, unknown>).cabinetId ?? '?')}`;
    }
    case 'inventory.import':
      return `${String(a.format)} file, ${typeof a.text === 'string' ? a.text.length : 0} characters`;
    case 'credentials.put':
      return `credential ${String(a.id)}`;
    case 'device.power':
      return `${String(a.action)} ${String(a.deviceId)} (confirmed as "${String(a.confirmHostname)}")`;
    case 'device.forgetHostKey':
      return `SSH host key of ${String(a.deviceId)} (confirmed as "${String(a.confirmHostname)}")`;
    case 'device.identify':
    case 'device.bootDevice':
      return `${String(a.deviceId)}${a.device ? ` ${String(a.device)}` : ''}${a.seconds !== undefined ? ` ${String(a.seconds)} s` : ''}`;
    case 'fleet.run':
      return `${Array.isArray(a.deviceIds) ? a.deviceIds.length : 0} hosts: ${String(a.command).slice(0, 200)}`;
    case 'fleet.cancelRun':
      return `run ${String(a.runId)}`;
    default:
      return '';
  }
}

function isControl(method: Method): boolean {
  return ROLE_RANK[METHOD_ROLES[method]] > ROLE_RANK.viewer;
}

export function createCoreApi(handlers: Handlers, hub: EventHub, audit: AuditRepository): CoreApi {
  return {
    async call(ctx, method, args) {
      if (!isMethod(method)) throw new FleetDeckError('BAD_REQUEST', `Unknown method "${String(method)}"`);
      if (!ctx || !(ctx.role in ROLE_RANK)) throw new FleetDeckError('UNAUTHENTICATED', 'No valid caller for this request');
      const needed = METHOD_ROLES[method];
      if (ROLE_RANK[ctx.role] < ROLE_RANK[needed]) {
        const err = new ForbiddenError(method, needed, ctx.role);
        audit.record({ actor: ctx.actor, role: ctx.role, action: method, target: auditTarget(method, args), outcome: 'refused', detail: err.message });
        throw err;
      }
      const handler = handlers[method] as (a: unknown, c: CallContext) => ResultOf<typeof method> | Promise<ResultOf<typeof method>>;
      if (!isControl(method)) return (await handler(args, ctx)) as ResultOf<typeof method>;
      // Control actions: written to the audit table before they run, completed after.
      const entry = audit.record({ actor: ctx.actor, role: ctx.role, action: method, target: auditTarget(method, args), outcome: 'allowed' });
      try {
        const result = await handler(args, ctx);
        audit.finish(entry, 'succeeded');
        return result as ResultOf<typeof method>;
      } catch (err) {
        audit.finish(entry, 'failed', err instanceof Error ? err.message.slice(0, 2000) : String(err));
        throw err;
      }
    },
    on(event, listener) {
      return hub.on(event, listener);
    },
  };
}
