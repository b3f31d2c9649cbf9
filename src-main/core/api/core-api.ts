// The one choke point between transports and capabilities: every call is parsed against the
// contract's schema, checked against the caller's role, audited before it runs when it is a
// control action, then dispatched; every event stream is delivered only to roles that may see it.
import {
  API_METHODS,
  EVENTS,
  eventRole,
  isEventName,
  isMethod,
  type ApiEvents,
  type ArgsOf,
  type CallContext,
  type EventName,
  type Handlers,
  type Method,
  type ParsedArgsOf,
  type ResultOf,
} from '../../../src-shared/api';
import type { MethodSpec } from '../../../src-shared/api/contract';
import { ROLE_RANK } from '../../../src-shared/domain';
import { FleetDeckError, ForbiddenError } from '../../../src-shared/errors';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import type { AuditRepository } from '../store/audit-repository';
import type { EventHub } from '../events/event-hub';
import { createCallScheduler, type CallBudgetOptions, type CallScheduler } from './call-budget';
import { parseArgs } from './parse-args';

/** Receives every event stream the subscriber's role may see. */
export type EventSink = <E extends EventName>(event: E, payload: ApiEvents[E]) => void;

export interface CoreApi {
  /** Parses the arguments, checks the caller's role, audits control actions before they run, then dispatches. */
  call<M extends Method>(ctx: CallContext, method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  /**
   * The same role check, audit and dispatch as call(), for arguments a transport has already
   * decoded and that no schema can carry (a streamed HTTP body, a sink for a streamed export):
   * the bulk routes of serve mode.
   */
  callDecoded<M extends Method>(ctx: CallContext, method: M, args: ParsedArgsOf<M>): Promise<ResultOf<M>>;
  /**
   * A connection's calls as a transport should make them: each one admitted against the
   * connection's budget (RATE_LIMITED past it) and started in turn with every other
   * connection's, so one client cannot starve the rest. dispose() drops its queued calls.
   */
  connect(ctx: CallContext, budget?: Partial<CallBudgetOptions>): CoreConnection;
  /** One stream; FORBIDDEN when the caller's role may not receive it. */
  on<E extends EventName>(ctx: CallContext, event: E, listener: (payload: ApiEvents[E]) => void): Disposable;
  /** Every stream the caller's role may receive (what a transport forwards to its peer). */
  subscribe(ctx: CallContext, sink: EventSink): Disposable;
}

export type { Handlers } from '../../../src-shared/api';

export interface CoreConnection extends Disposable {
  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  /** A decoded (bulk) call under the same budget. */
  callDecoded<M extends Method>(method: M, args: ParsedArgsOf<M>): Promise<ResultOf<M>>;
}

const mayReceive = (ctx: CallContext, event: EventName): boolean => ROLE_RANK[ctx.role] >= ROLE_RANK[eventRole(event)];

function checkCaller(ctx: CallContext): void {
  if (!ctx || !Object.prototype.hasOwnProperty.call(ROLE_RANK, ctx.role)) throw new FleetDeckError('UNAUTHENTICATED', 'No valid caller for this request');
}

/** The audit target of a call whose arguments may not have parsed: best effort, never throws. */
function targetOf(spec: MethodSpec, args: unknown): string {
  try {
    return spec.audit ? spec.audit(args as never) : '';
  } catch {
    return '';
  }
}

export function createCoreApi(handlers: Handlers, hub: EventHub, audit: AuditRepository, scheduler: CallScheduler = createCallScheduler()): CoreApi {
  /** Role check, audit before a control action runs, dispatch; `parse` turns the arguments into the handler's. */
  async function run(ctx: CallContext, method: Method, args: unknown, parse: (spec: MethodSpec) => unknown): Promise<unknown> {
    if (!isMethod(method)) throw new FleetDeckError('BAD_REQUEST', `Unknown method "${String(method).slice(0, 80)}"`, { method: String(method).slice(0, 80) });
    checkCaller(ctx);
    const spec = API_METHODS[method] as MethodSpec;
    const control = ROLE_RANK[spec.role] > ROLE_RANK.viewer;
    if (ROLE_RANK[ctx.role] < ROLE_RANK[spec.role]) {
      const err = new ForbiddenError(method, spec.role, ctx.role);
      audit.record({ actor: ctx.actor, role: ctx.role, action: method, target: targetOf(spec, args), outcome: 'refused', detail: err.message });
      throw err;
    }
    const parsed = parse(spec);
    const handler = handlers[method] as (a: unknown, c: CallContext) => unknown;
    if (!control) return await handler(parsed, ctx);
    // Control actions: written to the audit table before they run, completed after.
    const entry = audit.record({ actor: ctx.actor, role: ctx.role, action: method, target: targetOf(spec, parsed), outcome: 'allowed' });
    try {
      const result = await handler(parsed, ctx);
      audit.finish(entry, 'succeeded');
      return result;
    } catch (err) {
      audit.finish(entry, 'failed', err instanceof Error ? err.message.slice(0, 2000) : String(err));
      throw err;
    }
  }
  const call: CoreApi['call'] = (ctx, method, args) => run(ctx, method, args, (spec) => parseArgs(method, spec, args)) as Promise<ResultOf<typeof method>>;
  const callDecoded: CoreApi['callDecoded'] = (ctx, method, args) => run(ctx, method, args, () => args) as Promise<ResultOf<typeof method>>;
  return {
    call,
    callDecoded,
    connect(ctx, budget) {
      checkCaller(ctx);
      const lane = scheduler.connection(budget);
      return {
        call: (method, args) => lane.run(() => call(ctx, method, args)),
        callDecoded: (method, args) => lane.run(() => callDecoded(ctx, method, args)),
        dispose: () => lane.dispose(),
      };
    },
    on(ctx, event, listener) {
      checkCaller(ctx);
      if (!isEventName(event)) throw new FleetDeckError('BAD_REQUEST', `Unknown event "${String(event).slice(0, 80)}"`);
      if (!mayReceive(ctx, event)) throw new ForbiddenError(event, eventRole(event), ctx.role);
      return hub.on(event, listener);
    },
    subscribe(ctx, sink) {
      checkCaller(ctx);
      const subs = EVENTS.filter((e) => mayReceive(ctx, e)).map((e) => hub.on(e, (payload) => sink(e, payload)));
      return toDisposable(() => subs.forEach((s) => s.dispose()));
    },
  };
}
