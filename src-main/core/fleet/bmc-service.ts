// The console's side of IPMI: reads a device's BMC (chassis, sensors, SEL, power) and
// carries out its control actions. A power action must name the host it is meant for:
// the core checks that, not only the dialog that asked.
import type { BmcInfo, BootDevice, Device, FleetEvent, PowerAction, SensorReading } from '../../../src-shared/domain';
import { FleetDeckError, NotFoundError, ValidationError } from '../../../src-shared/errors';
import { createIpmiClient, type IpmiClient } from '../protocols/ipmi';
import type { SensorValue } from '../protocols/ipmi/client-records';
import type { CredentialRepository } from '../store/credential-repository';

export interface BmcService {
  info(deviceId: string): Promise<BmcInfo>;
  power(deviceId: string, action: PowerAction, confirmHostname: string): Promise<{ power: 'on' | 'off' }>;
  identify(deviceId: string, seconds?: number, force?: boolean): Promise<{ ok: true }>;
  bootDevice(deviceId: string, device: BootDevice, persistent?: boolean): Promise<{ ok: true }>;
}

export interface BmcServiceDeps {
  device: (id: string) => Device | null;
  credentials: CredentialRepository;
  /** Control actions and what they did, for the event stream. */
  record: (events: Omit<FleetEvent, 'id'>[]) => void;
  timeoutMs?: number;
}

const SEL_SHOWN = 200;

function sensorStatus(s: SensorValue['status']): SensorReading['status'] {
  if (s === 'ok') return 'ok';
  if (s === 'ns') return 'unavailable';
  return s === 'lnc' || s === 'unc' ? 'warning' : 'critical';
}

export function createBmcService(d: BmcServiceDeps): BmcService {
  function deviceWithBmc(deviceId: string): Device {
    const dev = d.device(deviceId);
    if (!dev) throw new NotFoundError('device', deviceId);
    if (!dev.bmcAddress || !dev.ipmiCredential) {
      throw new FleetDeckError('UNAVAILABLE', `${dev.hostname} has no BMC the console can reach (no BMC address or IPMI credential)`, { deviceId });
    }
    return dev;
  }

  async function withClient<T>(dev: Device, fn: (c: IpmiClient) => Promise<T>): Promise<T> {
    const login = d.credentials.login(dev.ipmiCredential!);
    const client = createIpmiClient({
      host: dev.bmcAddress!,
      port: dev.bmcPort,
      username: login.username,
      password: login.password ?? '',
      cipherSuite: 'auto',
      timeoutMs: d.timeoutMs ?? 1000,
      retries: 2,
    });
    try {
      return await fn(client);
    } finally {
      await client.dispose().catch(() => {});
    }
  }

  const control = (dev: Device, message: string, details: Record<string, unknown>): void =>
    d.record([{ at: Date.now(), deviceId: dev.id, kind: 'control', severity: 'info', message: `${dev.hostname}: ${message}`, details }]);

  return {
    async info(deviceId) {
      const dev = deviceWithBmc(deviceId);
      return withClient(dev, async (c) => {
        const chassis = await c.chassisStatus();
        const id = await c.deviceId().catch(() => null);
        const sensors = await c.sensors();
        const sel = await c.selList();
        const reading = await c.powerReading().catch(() => null);
        return {
          deviceId,
          fetchedAt: Date.now(),
          power: chassis.powerOn ? 'on' : 'off',
          identify: chassis.identify === 'unknown' ? null : chassis.identify !== 'off',
          powerWatts: reading?.watts ?? null,
          powerSource: reading?.source ?? null,
          sensors: sensors.map((s) => ({ name: s.name, type: s.sensorTypeName, value: s.value, unit: s.units, status: sensorStatus(s.status) })),
          sel: sel
            .slice(-SEL_SHOWN)
            .reverse()
            .map((e) => ({
              id: e.recordId,
              at: e.preInit || e.timestamp === null ? null : e.timestamp * 1000,
              sensor: `${e.sensorTypeName} #${e.sensorNumber}`,
              event: e.description,
              direction: e.asserted ? 'assertion' : 'deassertion',
            })),
          deviceIdInfo: id ? { manufacturerId: id.manufacturerId, productId: id.productId, firmware: id.firmwareRevision, ipmiVersion: id.ipmiVersion } : null,
        };
      });
    },

    async power(deviceId, action, confirmHostname) {
      const dev = deviceWithBmc(deviceId);
      if (confirmHostname !== dev.hostname) {
        throw new ValidationError(`Power ${action} not sent: the confirmation must name the host "${dev.hostname}"`, { deviceId, expected: dev.hostname });
      }
      return withClient(dev, async (c) => {
        await c.power(action);
        const after = await c.chassisStatus();
        control(dev, `power ${action} (now ${after.powerOn ? 'on' : 'off'})`, { action });
        return { power: after.powerOn ? 'on' : 'off' };
      });
    },

    async identify(deviceId, seconds = 15, force = false) {
      const dev = deviceWithBmc(deviceId);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 255) throw new ValidationError('identify: seconds must be 0-255');
      await withClient(dev, (c) => c.identify({ seconds, force }));
      control(dev, force ? 'identify LED on until turned off' : `identify LED on for ${seconds} s`, { seconds, force });
      return { ok: true };
    },

    async bootDevice(deviceId, device, persistent = false) {
      const dev = deviceWithBmc(deviceId);
      await withClient(dev, (c) => c.setBootDevice(device, { persistent }));
      control(dev, `boot device ${device}${persistent ? ' (persistent)' : ' (next boot)'}`, { device, persistent });
      return { ok: true };
    },
  };
}
