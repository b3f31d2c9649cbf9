import type { Handlers } from './core-api';
import { BOOT_DEVICES, POWER_ACTIONS, type LabFault } from '../../../src-shared/domain';
import { FleetDeckError, ValidationError } from '../../../src-shared/errors';
import type { BmcService } from '../fleet/bmc-service';
import type { FleetService } from '../fleet/fleet-service';
import type { SshService } from '../fleet/ssh-service';
import type { DeviceDetail } from '../../../src-shared/domain';
import type { EventRepository } from '../store/event-repository';
import type { LabLink } from '../fleet/lab-link';
import { exportInventory, importInventory } from '../inventory/import-export';
import type { Db } from '../store/database';
import type { AuditRepository } from '../store/audit-repository';
import type { CredentialRepository } from '../store/credential-repository';
import { obj, oneOf, optInt, str } from './args';

export interface HandlerDeps {
  db: Db;
  fleet: FleetService;
  credentials: CredentialRepository;
  audit: AuditRepository;
  lab: LabLink | null;
  ssh: SshService;
  bmc: BmcService;
  detail: (deviceId: string) => Promise<DeviceDetail>;
  events: EventRepository;
}

const FORMATS = ['csv', 'json'] as const;
const FAULTS = ['kill-device', 'revive-device', 'trip-pdu', 'restore-pdu', 'link-down', 'link-up'] as const;
const CREDENTIAL_KINDS = ['snmp-community', 'snmp-v3', 'ssh-password', 'ssh-key', 'ipmi'] as const;

function labFault(args: unknown): LabFault {
  const a = obj(args, 'lab.fault');
  const kind = oneOf(a, 'kind', FAULTS, 'lab.fault');
  if (kind === 'kill-device' || kind === 'revive-device' || kind === 'link-down' || kind === 'link-up') return { kind, deviceId: str(a, 'deviceId', 'lab.fault', 200) };
  return { kind, cabinetId: str(a, 'cabinetId', 'lab.fault', 200) };
}

export function createHandlers(d: HandlerDeps): Handlers {
  const requireLab = (): LabLink => {
    if (!d.lab) throw new FleetDeckError('UNAVAILABLE', 'No lab fleet is running: this console is connected to a configured fleet');
    return d.lab;
  };
  return {
    'session.whoami': (_args, ctx) => ({ actor: ctx.actor, role: ctx.role }),
    'fleet.overview': () => d.fleet.overview(),
    'fleet.pollerStats': () => d.fleet.pollerStats(),
    'inventory.cabinets': (args) => d.fleet.cabinets(str(obj(args, 'inventory.cabinets'), 'roomId', 'inventory.cabinets', 200)),
    'inventory.elevation': (args) => d.fleet.elevation(str(obj(args, 'inventory.elevation'), 'cabinetId', 'inventory.elevation', 200)),
    'inventory.export': (args) => {
      const format = oneOf(obj(args, 'inventory.export'), 'format', FORMATS, 'inventory.export');
      return { format, text: exportInventory(d.db, format) };
    },
    'inventory.import': (args) => {
      const a = obj(args, 'inventory.import');
      const result = importInventory(d.db, oneOf(a, 'format', FORMATS, 'inventory.import'), str(a, 'text', 'inventory.import'));
      d.fleet.reload();
      return result;
    },
    'credentials.list': () => d.credentials.list(),
    'credentials.put': (args) => {
      const a = obj(args, 'credentials.put');
      return d.credentials.put(
        str(a, 'id', 'credentials.put', 64),
        oneOf(a, 'kind', CREDENTIAL_KINDS, 'credentials.put'),
        str(a, 'name', 'credentials.put', 200),
        str(a, 'secret', 'credentials.put', 16_384),
      );
    },
    'audit.list': (args) => d.audit.list(optInt(obj(args ?? {}, 'audit.list'), 'limit', 'audit.list', 1, 10_000) ?? 100),
    'lab.status': async () => (d.lab ? d.lab.status() : { running: false, devices: 0, deadDevices: [], trippedCabinets: [], linksDown: [] }),
    'lab.fault': (args) => requireLab().fault(labFault(args)),
    'device.detail': (args) => d.detail(str(obj(args, 'device.detail'), 'deviceId', 'device.detail', 200)),
    'device.bmc': (args) => d.bmc.info(str(obj(args, 'device.bmc'), 'deviceId', 'device.bmc', 200)),
    'device.power': (args) => {
      const a = obj(args, 'device.power');
      return d.bmc.power(str(a, 'deviceId', 'device.power', 200), oneOf(a, 'action', POWER_ACTIONS, 'device.power'), str(a, 'confirmHostname', 'device.power', 255));
    },
    'device.hostKey': (args) => d.ssh.hostKey(str(obj(args, 'device.hostKey'), 'deviceId', 'device.hostKey', 200)),
    'device.forgetHostKey': (args) => {
      const a = obj(args, 'device.forgetHostKey');
      return d.ssh.forgetHostKey(str(a, 'deviceId', 'device.forgetHostKey', 200), str(a, 'confirmHostname', 'device.forgetHostKey', 255));
    },
    'device.identify': (args) => {
      const a = obj(args, 'device.identify');
      return d.bmc.identify(str(a, 'deviceId', 'device.identify', 200), optInt(a, 'seconds', 'device.identify', 0, 255), a.force === true);
    },
    'device.bootDevice': (args) => {
      const a = obj(args, 'device.bootDevice');
      return d.bmc.bootDevice(str(a, 'deviceId', 'device.bootDevice', 200), oneOf(a, 'device', BOOT_DEVICES, 'device.bootDevice'), a.persistent === true);
    },
    'fleet.run': (args) => {
      const a = obj(args, 'fleet.run');
      const ids = a.deviceIds;
      if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw new ValidationError('fleet.run: "deviceIds" must be a list of device ids');
      return d.ssh.run(ids as string[], str(a, 'command', 'fleet.run', 4096), optInt(a, 'timeoutMs', 'fleet.run', 1000, 3_600_000));
    },
    'fleet.cancelRun': (args) => ({ cancelled: d.ssh.cancel(str(obj(args, 'fleet.cancelRun'), 'runId', 'fleet.cancelRun', 100)) }),
    'events.recent': (args) => {
      const a = obj(args ?? {}, 'events.recent');
      const deviceId = a.deviceId === undefined ? undefined : str(a, 'deviceId', 'events.recent', 200);
      return d.events.recent(optInt(a, 'limit', 'events.recent', 1, 5000) ?? 100, deviceId);
    },
  };
}
