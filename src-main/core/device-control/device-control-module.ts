// The device-control capability: a device's BMC read live, the control actions on it
// (power, identify, boot device) over IPMI, each recorded as a control event and announced
// (onControlled) so its status can be re-polled at once; and the BMC sensor poller, which
// reads every server's BMC on a slow schedule into the time series. refresh() tells the
// sensor poller the inventory or credentials changed (new and changed BMCs read at once).
// identifying() lists the devices whose identify LED the console turned on and whose interval
// has not run out (a forced one until an identify of 0 s turns it off), for the room view.
import type { Capability } from '../../../src-shared/api';
import type { FleetEvent } from '../../../src-shared/domain';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { InventoryRepository } from '../store/inventory-repository';
import type { MetricsRepository } from '../store/metrics-repository';
import { createBmcService, type BmcService } from './bmc-service';
import { startSensorPoller, type SensorPoller, type SensorPollerOptions } from './sensor-poller';

export interface DeviceControlModule extends Capability<'device.bmc' | 'device.power' | 'device.identify' | 'device.bootDevice'> {
  readonly bmc: BmcService;
  /** null when the sensor poller is switched off. */
  readonly sensors: SensorPoller | null;
  /** After an inventory or credential change: the sensor poller re-reads its targets (a no-op without one). */
  refresh(): void;
  /** Devices whose identify the console started and that has not expired (in this process's memory). */
  identifying(): ReadonlySet<string>;
}

export interface DeviceControlDeps {
  store: { inventory: InventoryRepository; metrics: Pick<MetricsRepository, 'append'> };
  credentials: Pick<CredentialResolver, 'login' | 'loginFor' | 'isBound'>;
  record: (events: Omit<FleetEvent, 'id'>[]) => void;
  /** BMC sensor poller settings; false: no poller. */
  bmcSensors?: SensorPollerOptions | false;
  /** After a power, identify or boot-device action succeeded (e.g. to re-poll the device at once); action: 'power.<on|off|cycle|reset|soft>', 'identify' or 'bootDevice'. */
  onControlled?: (deviceId: string, action: string) => void;
  log?: (line: string) => void;
}

export function startDeviceControl(d: DeviceControlDeps): DeviceControlModule {
  const log = d.log ?? (() => {});
  // Sessions the poller uses are held across its rounds (readings() holdMs); others close after a minute idle.
  const bmc = createBmcService({ device: (id) => d.store.inventory.device(id), credentials: d.credentials, record: d.record });
  const sensors = d.bmcSensors === false ? null : startSensorPoller({
    ...d.bmcSensors,
    bmc,
    // Servers the console can read a BMC of (a narrow read: at 100 k devices the whole inventory is not re-read every round).
    targets: () => d.store.inventory.bmcDeviceIds(),
    metrics: d.store.metrics,
    log,
  });
  // deviceId -> until (ms since the epoch; Infinity: forced on).
  const identifyUntil = new Map<string, number>();
  const identified = (deviceId: string, seconds = 15, force = false): void => {
    if (force) identifyUntil.set(deviceId, Infinity);
    else if (seconds > 0) identifyUntil.set(deviceId, Date.now() + seconds * 1000);
    else identifyUntil.delete(deviceId);
  };
  const controlled = <T>(deviceId: string, action: string, result: T): T => {
    try {
      d.onControlled?.(deviceId, action);
    } catch (err) {
      log(`device-control: onControlled threw: ${(err as Error).message}`);
    }
    return result;
  };
  return {
    bmc,
    sensors,
    identifying: () => {
      const now = Date.now();
      for (const [id, until] of identifyUntil) if (until <= now) identifyUntil.delete(id);
      return new Set(identifyUntil.keys());
    },
    refresh: () => {
      const r = sensors?.refresh();
      if (r && r.added.length + r.changed.length + r.removed.length) log(`bmc sensors: ${r.added.length} added, ${r.changed.length} changed, ${r.removed.length} removed`);
    },
    api: {
      'device.bmc': (a) => bmc.info(a.deviceId),
      'device.power': async (a) => controlled(a.deviceId, `power.${a.action}`, await bmc.power(a.deviceId, a.action, a.confirmHostname)),
      'device.identify': async (a) => {
        const r = await bmc.identify(a.deviceId, a.seconds, a.force === true);
        identified(a.deviceId, a.seconds, a.force === true);
        return controlled(a.deviceId, 'identify', r);
      },
      'device.bootDevice': async (a) => controlled(a.deviceId, 'bootDevice', await bmc.bootDevice(a.deviceId, a.device, a.persistent === true)),
    },
    dispose: async () => {
      await sensors?.dispose();
      await bmc.dispose();
    },
  };
}
