// The device-control capability: a device's BMC read live, and the control actions on it
// (power, identify, boot device) over IPMI, each recorded as a control event.
import type { Capability } from '../../../src-shared/api';
import type { FleetEvent } from '../../../src-shared/domain';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { InventoryRepository } from '../store/inventory-repository';
import { createBmcService, type BmcService } from './bmc-service';

export interface DeviceControlModule extends Capability<'device.bmc' | 'device.power' | 'device.identify' | 'device.bootDevice'> {
  readonly bmc: BmcService;
}

export interface DeviceControlDeps {
  store: { inventory: InventoryRepository };
  credentials: Pick<CredentialResolver, 'login'>;
  record: (events: Omit<FleetEvent, 'id'>[]) => void;
}

export function startDeviceControl(d: DeviceControlDeps): DeviceControlModule {
  const bmc = createBmcService({ device: (id) => d.store.inventory.device(id), credentials: d.credentials, record: d.record });
  return {
    bmc,
    api: {
      'device.bmc': (a) => bmc.info(a.deviceId),
      'device.power': (a) => bmc.power(a.deviceId, a.action, a.confirmHostname),
      'device.identify': (a) => bmc.identify(a.deviceId, a.seconds, a.force === true),
      'device.bootDevice': (a) => bmc.bootDevice(a.deviceId, a.device, a.persistent === true),
    },
    dispose: () => bmc.dispose(),
  };
}
