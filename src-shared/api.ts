// The one contract: every request and event stream, with argument and result types.
// The core implements it (src-main/core/api); Electron IPC and the serve-mode WebSocket
// carry it; the renderer consumes it through one CoreClient.
import type {
  AuditEntry,
  CabinetElevation,
  CabinetSummary,
  CredentialInfo,
  CredentialKind,
  DeviceStatusChange,
  FleetOverview,
  ImportResult,
  LabFault,
  LabStatus,
  PollerStats,
  DeviceDetail,
  BmcInfo,
  PowerAction,
  BootDevice,
  RunStarted,
  RunHostResult,
  RunFinished,
  FleetEvent,
  Role,
} from './domain';
import type { SerializedError } from './errors';
import type { Disposable } from './lifecycle';

export type { Disposable } from './lifecycle';

export interface ApiRequests {
  'session.whoami': { args: void; result: { actor: string; role: Role } };
  'fleet.overview': { args: void; result: FleetOverview };
  'fleet.pollerStats': { args: void; result: PollerStats };
  'inventory.cabinets': { args: { roomId: string }; result: CabinetSummary[] };
  'inventory.elevation': { args: { cabinetId: string }; result: CabinetElevation };
  'inventory.export': { args: { format: 'csv' | 'json' }; result: { format: 'csv' | 'json'; text: string } };
  'inventory.import': { args: { format: 'csv' | 'json'; text: string }; result: ImportResult };
  'credentials.list': { args: void; result: CredentialInfo[] };
  'credentials.put': {
    args: { id: string; kind: CredentialKind; name: string; secret: string };
    result: CredentialInfo;
  };
  'audit.list': { args: { limit?: number }; result: AuditEntry[] };
  'lab.status': { args: void; result: LabStatus };
  'lab.fault': { args: LabFault; result: LabStatus };
  'device.detail': { args: { deviceId: string }; result: DeviceDetail };
  /** Live IPMI: chassis status, sensors, SEL and power of the device's BMC. */
  'device.bmc': { args: { deviceId: string }; result: BmcInfo };
  /** confirmHostname must equal the device's hostname: the core refuses anything else. */
  'device.power': { args: { deviceId: string; action: PowerAction; confirmHostname: string }; result: { power: 'on' | 'off' } };
  'device.identify': { args: { deviceId: string; seconds?: number; force?: boolean }; result: { ok: true } };
  'device.bootDevice': { args: { deviceId: string; device: BootDevice; persistent?: boolean }; result: { ok: true } };
  /** The SSH host-key fingerprint pinned for the device (null: none yet). */
  'device.hostKey': { args: { deviceId: string }; result: { host: string; port: number; fingerprint: string | null } };
  /** Admin: forget the pinned key after a reinstall; confirmHostname must equal the device's hostname. */
  'device.forgetHostKey': { args: { deviceId: string; confirmHostname: string }; result: { forgotten: string | null } };
  /** Runs one command line on many hosts over SSH; results stream as onDidReceiveRunResult. */
  'fleet.run': { args: { deviceIds: string[]; command: string; timeoutMs?: number }; result: RunStarted };
  'fleet.cancelRun': { args: { runId: string }; result: { cancelled: boolean } };
  'events.recent': { args: { limit?: number; deviceId?: string }; result: FleetEvent[] };
}

export interface ApiEvents {
  onDidChangeDeviceStatus: DeviceStatusChange[];
  onDidChangeOverview: FleetOverview;
  onDidReceiveFleetEvent: FleetEvent[];
  onDidReceiveRunResult: RunHostResult;
  onDidFinishRun: RunFinished;
}

export type Method = keyof ApiRequests;
export type EventName = keyof ApiEvents;
export type ArgsOf<M extends Method> = ApiRequests[M]['args'];
export type ResultOf<M extends Method> = ApiRequests[M]['result'];

/** The least role each request needs. Everything not read-only is at least operator. */
export const METHOD_ROLES: { readonly [M in Method]: Role } = {
  'session.whoami': 'viewer',
  'fleet.overview': 'viewer',
  'fleet.pollerStats': 'viewer',
  'inventory.cabinets': 'viewer',
  'inventory.elevation': 'viewer',
  'inventory.export': 'viewer',
  'inventory.import': 'operator',
  'credentials.list': 'operator',
  'credentials.put': 'admin',
  'audit.list': 'admin',
  'lab.status': 'viewer',
  'lab.fault': 'operator',
  'device.detail': 'viewer',
  'device.bmc': 'viewer',
  'device.power': 'operator',
  'device.identify': 'operator',
  'device.bootDevice': 'operator',
  'device.hostKey': 'viewer',
  'device.forgetHostKey': 'admin',
  'fleet.run': 'operator',
  'fleet.cancelRun': 'operator',
  'events.recent': 'viewer',
};

/** The least role that receives each event stream: command output is not for wall screens. */
export const EVENT_ROLES: { readonly [E in EventName]: Role } = {
  onDidChangeDeviceStatus: 'viewer',
  onDidChangeOverview: 'viewer',
  onDidReceiveFleetEvent: 'viewer',
  onDidReceiveRunResult: 'operator',
  onDidFinishRun: 'operator',
};

export const METHODS = Object.keys(METHOD_ROLES) as Method[];
export const EVENTS = Object.keys(EVENT_ROLES) as EventName[];

export function isMethod(v: unknown): v is Method {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(METHOD_ROLES, v);
}

export function isEventName(v: unknown): v is EventName {
  return typeof v === 'string' && (EVENTS as readonly string[]).includes(v);
}

/** Who is calling: the transport establishes it, the core checks it. */
export interface CallContext {
  actor: string;
  role: Role;
}


/** What a transport hands the renderer, and what the core exposes to transports. */
export interface CoreClient {
  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): Disposable;
}

// ---- wire messages (WebSocket and Electron IPC carry the same shapes) ----
export interface WireRequest {
  type: 'call';
  id: number;
  method: Method;
  args: unknown;
}
export type WireResponse =
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError };
export interface WireEvent {
  type: 'event';
  event: EventName;
  payload: unknown;
}
export interface WireAuth {
  type: 'auth';
  token: string;
}
export type WireAuthReply =
  | { type: 'auth'; ok: true; actor: string; role: Role }
  | { type: 'auth'; ok: false; error: SerializedError };

/** The name the preload exposes on window. */
export const PRELOAD_GLOBAL = 'fleetdeck';
export const IPC_CALL = 'fleetdeck:call';
export const IPC_EVENT = 'fleetdeck:event';
