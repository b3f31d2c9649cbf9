// The one contract, merged from its capabilities: every request with its argument schema,
// result type, least role and audit target, and every event stream with its least role.
// The core parses each call against it (src-main/core/api); Electron IPC and the serve-mode
// WebSocket carry it (wire.ts); the renderer consumes it through one CoreClient.
import type { z } from 'zod';
import type { AsyncDisposable, Disposable } from '../lifecycle';
import type { Role } from '../domain/roles';
import type { EventSpec, MethodSpec } from './contract';
import { agentEvents, agentMethods } from './agents';
import { alarmEvents, alarmMethods } from './alarms';
import { credentialMethods } from './credentials';
import { deviceMethods } from './device';
import { eventEvents, eventMethods } from './events';
import { fleetEvents, fleetMethods } from './fleet';
import { gatewayEvents, gatewayMethods } from './gateways';
import { inventoryMethods } from './inventory';
import { labMethods } from './lab';
import { probeEvents, probeMethods } from './probes';
import { reportEvents, reportMethods } from './reports';
import { runEvents, runMethods } from './run';
import { searchMethods } from './search';
import { sessionMethods } from './session';
import { wallEvents, wallMethods } from './wall';
import { workflowEvents, workflowMethods } from './workflows';

export const API_METHODS = {
  ...sessionMethods,
  ...fleetMethods,
  ...inventoryMethods,
  ...credentialMethods,
  ...labMethods,
  ...deviceMethods,
  ...runMethods,
  ...eventMethods,
  ...searchMethods,
  ...workflowMethods,
  ...agentMethods,
  ...probeMethods,
  ...alarmMethods,
  ...wallMethods,
  ...reportMethods,
  ...gatewayMethods,
} satisfies Record<string, MethodSpec>;

export const API_EVENTS = {
  ...fleetEvents,
  ...eventEvents,
  ...runEvents,
  ...workflowEvents,
  ...agentEvents,
  ...probeEvents,
  ...alarmEvents,
  ...wallEvents,
  ...reportEvents,
  ...gatewayEvents,
} satisfies Record<string, EventSpec>;

type Methods = typeof API_METHODS;
type Events = typeof API_EVENTS;
export type Method = keyof Methods;
export type EventName = keyof Events;

/** What a caller passes (the schema's input). */
export type ArgsOf<M extends Method> = z.input<Methods[M]['args']>;
/** What the handler receives (the schema's parsed output). */
export type ParsedArgsOf<M extends Method> = z.output<Methods[M]['args']>;
export type ResultOf<M extends Method> = z.output<Methods[M]['result']>;
export type ApiRequests = { [M in Method]: { args: ArgsOf<M>; result: ResultOf<M> } };
export type ApiEvents = { [E in EventName]: z.output<Events[E]['payload']> };

export const METHODS = Object.keys(API_METHODS) as Method[];
export const EVENTS = Object.keys(API_EVENTS) as EventName[];

export function isMethod(v: unknown): v is Method {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(API_METHODS, v);
}

export function isEventName(v: unknown): v is EventName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(API_EVENTS, v);
}

/** The least role a request needs. */
export function methodRole(m: Method): Role {
  return API_METHODS[m].role;
}

/** The least role that receives an event stream. */
export function eventRole(e: EventName): Role {
  return API_EVENTS[e].role;
}

/** Who is calling: the transport establishes it, the core checks it. */
export interface CallContext {
  readonly actor: string;
  readonly role: Role;
}

/** One method's implementation: the parsed arguments and the caller in, the result out. */
export type Handler<M extends Method> = (args: ParsedArgsOf<M>, ctx: CallContext) => ResultOf<M> | Promise<ResultOf<M>>;
export type Handlers = { [M in Method]: Handler<M> };

/** A capability module as the core starts it: the slice of the contract it serves, and its lifetime. */
export interface Capability<M extends Method> extends AsyncDisposable {
  readonly api: { readonly [K in M]: Handler<K> };
}

/** What a transport hands the renderer. */
export interface CoreClient {
  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): Disposable;
}

export type { Disposable } from '../lifecycle';
export * from './wire';
export { INVENTORY_FORMATS, type InventoryFormat } from './inventory';
export type { DnsCatchment, PublicQuality } from './probes';
export type { AlarmsChange } from './alarms';
export type { PlaylistsChange } from './wall';
export type { ReportDownload, ReportFile, ReportJob, ReportSchedule } from './reports';

