// Domain types shared by the core, the transports and the renderer. Pure TS.

export type DeviceKind = 'server' | 'switch' | 'pdu' | 'gateway';
export const DEVICE_KINDS: readonly DeviceKind[] = ['server', 'switch', 'pdu', 'gateway'];

export type Role = 'viewer' | 'operator' | 'admin';
export const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Site {
  id: string;
  name: string;
  city: string;
}

export interface Room {
  id: string;
  siteId: string;
  name: string;
}

export interface Row {
  id: string;
  roomId: string;
  name: string;
}

export interface Cabinet {
  id: string;
  rowId: string;
  name: string;
  /** Position of the cabinet within its row, 1-based. */
  position: number;
  /** Usable height in rack units. */
  uHeight: number;
  ratedPowerKw: number;
  /** Power feed names, e.g. "A-PDB-03"; null when the cabinet has no such feed. */
  feedA: string | null;
  feedB: string | null;
}

export interface ServiceTreePath {
  company: string;
  department: string;
  product: string;
  cluster: string;
  service: string;
}

export interface Device {
  id: string;
  cabinetId: string;
  kind: DeviceKind;
  hostname: string;
  sn: string;
  /** Lowest U occupied, 1-based from the bottom. 0 for zero-U devices (vertical PDUs). */
  uPosition: number;
  /** Height in U; 0 for zero-U devices. */
  uHeight: number;
  mgmtIp: string;
  snmpPort: number;
  bmcAddress: string | null;
  /** RMCP+ (IPMI over LAN) port of the BMC; 623 on real hardware. */
  bmcPort: number;
  /** SSH port of the host's OS; 22 on real hardware. */
  sshPort: number;
  /** Credential references (ids in the credential store), never secrets. */
  snmpCredential: string | null;
  sshCredential: string | null;
  ipmiCredential: string | null;
  serviceTree: ServiceTreePath | null;
}

/** The whole inventory as one document: the JSON import/export format. */
export interface InventoryDocument {
  format: 'fleetdeck-inventory';
  version: 1;
  sites: Site[];
  rooms: Room[];
  rows: Row[];
  cabinets: Cabinet[];
  devices: Device[];
}

/**
 * up: answered its last poll. degraded: answered, but slowly, partly, or with interfaces
 * down. unreachable: did not answer (after retries). unknown: not polled yet.
 */
export type DeviceStatus = 'up' | 'degraded' | 'unreachable' | 'unknown';

export interface DeviceStatusChange {
  deviceId: string;
  status: DeviceStatus;
  previous: DeviceStatus;
  at: number;
}

export interface RoomOverview {
  id: string;
  siteId: string;
  name: string;
  cabinets: number;
  devices: number;
  answering: number;
  /** Devices polled at least once: until the first sweep ends, answering is out of these. */
  polled: number;
  /** Of the answering, those degraded (slow, partial, links down). */
  degraded: number;
}

export interface SiteOverview {
  id: string;
  name: string;
  city: string;
  devices: number;
  answering: number;
  polled: number;
  rooms: RoomOverview[];
}

export interface FleetOverview {
  generatedAt: number;
  fleet: 'lab' | 'configured';
  /** pollable: devices the console can poll (those with an SNMP credential); polled: of those, polled at least once. */
  totals: { sites: number; rooms: number; cabinets: number; devices: number; answering: number; polled: number; pollable: number };
  sites: SiteOverview[];
}

export interface CabinetSummary {
  id: string;
  rowId: string;
  rowName: string;
  name: string;
  position: number;
  devices: number;
  answering: number;
  polled: number;
  degraded: number;
}

export interface ElevationDevice {
  id: string;
  kind: DeviceKind;
  hostname: string;
  sn: string;
  uPosition: number;
  uHeight: number;
  mgmtIp: string;
  status: DeviceStatus;
  /** Last polled values, when the device answered. */
  sysName: string | null;
  uptimeSeconds: number | null;
  powerWatts: number | null;
  /** What the console can do with it: a BMC to talk IPMI to, an OS to reach over SSH. */
  capabilities: { bmc: boolean; ssh: boolean };
}

export interface CabinetElevation {
  cabinet: Cabinet;
  site: Site;
  room: Room;
  row: Row;
  devices: ElevationDevice[];
}

export interface ImportIssue {
  /** 1-based line in the source file (the CSV line or the JSON line). */
  line: number;
  /** 1-based column (CSV field index, or JSON character column); 0 when not known. */
  column: number;
  field: string;
  message: string;
}

export interface ImportResult {
  imported: { sites: number; rooms: number; rows: number; cabinets: number; devices: number };
}

export type CredentialKind = 'snmp-community' | 'snmp-v3' | 'ssh-password' | 'ssh-key' | 'ipmi';

/** What the renderer may see of a credential: never the secret. */
export interface CredentialInfo {
  id: string;
  kind: CredentialKind;
  name: string;
  createdAt: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  role: Role;
  action: string;
  target: string;
  outcome: 'allowed' | 'refused' | 'failed' | 'succeeded';
  detail: string;
}

export type LabFault =
  | { kind: 'kill-device'; deviceId: string }
  | { kind: 'revive-device'; deviceId: string }
  | { kind: 'trip-pdu'; cabinetId: string }
  | { kind: 'restore-pdu'; cabinetId: string }
  /** The device's first link goes down (oper down, admin up): the device answers but is degraded. */
  | { kind: 'link-down'; deviceId: string }
  | { kind: 'link-up'; deviceId: string };

export interface LabStatus {
  running: boolean;
  devices: number;
  deadDevices: string[];
  trippedCabinets: string[];
  /** Devices whose first link the lab has taken down. */
  linksDown: string[];
}

export interface PollerStats {
  startedAt: number;
  /** Polls that got an answer, and polls that timed out after their retries. */
  pollsCompleted: number;
  pollsFailed: number;
  targets: number;
  intervalMs: number;
}

// ---- device detail, BMC, control actions, fleet-wide run, events (issue 3) ----

/** Rates in bits per second. */
export interface InterfaceInfo {
  index: number;
  name: string;
  operStatus: 'up' | 'down' | 'testing' | 'unknown' | 'dormant' | 'notPresent' | 'lowerLayerDown';
  speedBps: number | null;
  inBps: number | null;
  outBps: number | null;
}

export interface DeviceDetail {
  device: Device;
  site: Site;
  room: Room;
  row: Row;
  cabinet: Cabinet;
  status: DeviceStatus;
  lastPollAt: number | null;
  rttMs: number | null;
  sysName: string | null;
  uptimeSeconds: number | null;
  interfaces: InterfaceInfo[];
  /** Why interfaces is empty when the device did not answer the live read; null otherwise. */
  interfacesError: string | null;
  powerWatts: number | null;
  /** Power draw over the last hour, from the stored time series (PDUs). */
  powerHistory: { ts: number; watts: number }[];
  /** What the console can do with it: a BMC to talk IPMI to, an OS to reach over SSH. */
  capabilities: { bmc: boolean; ssh: boolean };
}

export interface SensorReading {
  name: string;
  type: string;
  value: number | null;
  unit: string;
  status: 'ok' | 'warning' | 'critical' | 'unavailable';
}

export interface SelEntry {
  id: number;
  /** ms since epoch, or null when the BMC's clock stamp is pre-init. */
  at: number | null;
  sensor: string;
  event: string;
  direction: 'assertion' | 'deassertion';
}

export interface BmcInfo {
  deviceId: string;
  fetchedAt: number;
  power: 'on' | 'off';
  identify: boolean | null;
  powerWatts: number | null;
  powerSource: 'dcmi' | 'sensor' | null;
  sensors: SensorReading[];
  sel: SelEntry[];
  deviceIdInfo: { manufacturerId: number; productId: number; firmware: string; ipmiVersion: string } | null;
}

export type PowerAction = 'on' | 'off' | 'cycle' | 'reset' | 'soft';
export const POWER_ACTIONS: readonly PowerAction[] = ['on', 'off', 'cycle', 'reset', 'soft'];
export type BootDevice = 'pxe' | 'disk' | 'bios' | 'cdrom';
export const BOOT_DEVICES: readonly BootDevice[] = ['pxe', 'disk', 'bios', 'cdrom'];

export interface RunStarted {
  runId: string;
  hosts: number;
  /** Devices asked for but not run on, with the reason (no SSH, unknown device...). */
  skipped: { deviceId: string; reason: string }[];
}

export interface RunHostResult {
  runId: string;
  deviceId: string;
  hostname: string;
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Output past the cap was dropped. */
  truncated: boolean;
  error: string | null;
  ms: number;
}

export interface RunFinished {
  runId: string;
  succeeded: number;
  failed: number;
  cancelled: boolean;
  ms: number;
}

export interface FleetEvent {
  id: number;
  at: number;
  deviceId: string | null;
  kind: 'status' | 'interface' | 'trap' | 'sel' | 'control';
  severity: 'info' | 'warning' | 'critical';
  message: string;
  details?: Record<string, unknown>;
}
