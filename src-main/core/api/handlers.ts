// The contract's handlers: each method's parsed arguments handed to the capability that
// serves it. Arguments arrive already checked against the schema (core-api parses them).
import type { Handlers } from './core-api';
import { FleetDeckError } from '../../../src-shared/errors';
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

export function createHandlers(d: HandlerDeps): Handlers {
  const requireLab = (): LabLink => {
    if (!d.lab) throw new FleetDeckError('UNAVAILABLE', 'No lab fleet is running: this console is connected to a configured fleet');
    return d.lab;
  };
  return {
    'session.whoami': (_args, ctx) => ({ actor: ctx.actor, role: ctx.role }),
    'fleet.overview': () => d.fleet.overview(),
    'fleet.pollerStats': () => d.fleet.pollerStats(),
    'inventory.cabinets': (a) => d.fleet.cabinets(a.roomId),
    'inventory.elevation': (a) => d.fleet.elevation(a.cabinetId),
    'inventory.export': (a) => ({ format: a.format, text: exportInventory(d.db, a.format) }),
    'inventory.import': (a) => {
      const result = importInventory(d.db, a.format, a.text);
      d.fleet.reload();
      return result;
    },
    'credentials.list': () => d.credentials.list(),
    'credentials.put': (a) => d.credentials.put(a.id, a.kind, a.name, a.secret),
    'audit.list': (a) => d.audit.list(a.limit ?? 100),
    'lab.status': async () => (d.lab ? d.lab.status() : { running: false, devices: 0, deadDevices: [], trippedCabinets: [], linksDown: [] }),
    'lab.fault': (f) => requireLab().fault(f),
    'device.detail': (a) => d.detail(a.deviceId),
    'device.bmc': (a) => d.bmc.info(a.deviceId),
    'device.power': (a) => d.bmc.power(a.deviceId, a.action, a.confirmHostname),
    'device.hostKey': (a) => d.ssh.hostKey(a.deviceId),
    'device.forgetHostKey': (a) => d.ssh.forgetHostKey(a.deviceId, a.confirmHostname),
    'device.identify': (a) => d.bmc.identify(a.deviceId, a.seconds, a.force === true),
    'device.bootDevice': (a) => d.bmc.bootDevice(a.deviceId, a.device, a.persistent === true),
    'fleet.run': (a) => d.ssh.run(a.deviceIds, a.command, a.timeoutMs),
    'fleet.cancelRun': (a) => ({ cancelled: d.ssh.cancel(a.runId) }),
    'events.recent': (a) => d.events.recent(a.limit ?? 100, a.deviceId),
  };
}
