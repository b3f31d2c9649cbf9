// The console's side of IPMI: reads a device's BMC (chassis, sensors, SEL, power) and
// carries out its control actions. A power action must name the host it is meant for:
// the core checks that, not only the dialog that asked.
// One RMCP+ session per BMC is kept between calls (a device page refreshing its BMC panel
// does not log in, nor re-read the SDR, every time), kept alive by the session's own
// keep-alive and closed after `idleMs` without use, on a change of address or credential, on
// dispose(), or as soon as it fails in a way that may have broken it (timeout, closed, auth).
// A read that fails that way on a reused session is tried once more on a fresh one; a
// control action is not repeated (a power cycle must not run twice).
// All held sessions share one UDP transport (one socket, not one per BMC). The sensor poller
// reads through the same sessions (readings(): sensors and power, no SEL), holding each one
// across its interval; a timeout there is not retried, so a dead BMC costs one timeout.
// targetKeys() names what each device's session depends on (address, port, credential id and
// content), so the poller can tell a changed target; release() closes a device's session
// (at once, or when its call in flight ends) after the device was removed or changed.
import { createHash } from 'node:crypto';
import type { BmcInfo, BootDevice, Device, FleetEvent, FleetEventCode, FleetEventParams, PowerAction, SensorReading } from '../../../src-shared/domain';
import type { AsyncDisposable } from '../../../src-shared/lifecycle';
import { FleetDeckError, NotFoundError, ValidationError } from '../../../src-shared/errors';
import {
  createIpmiClient, createUdpTransport, IpmiAuthError, IpmiProtocolError, IpmiSessionClosedError, IpmiTimeoutError, IpmiUnsupportedError,
  type IpmiClient, type IpmiTransport,
} from '../protocols/ipmi';
import type { SensorValue } from '../protocols/ipmi/client-records';
import { eventOffset, type SelEntry } from '../protocols/ipmi/codec/sel';
import { useOf } from '../credentials/credential-binding';
import type { CredentialResolver, Login } from '../credentials/credential-resolver';

export interface BmcService extends AsyncDisposable {
  info(deviceId: string): Promise<BmcInfo>;
  power(deviceId: string, action: PowerAction, confirmHostname: string): Promise<{ power: 'on' | 'off' }>;
  identify(deviceId: string, seconds?: number, force?: boolean): Promise<{ ok: true }>;
  bootDevice(deviceId: string, device: BootDevice, persistent?: boolean): Promise<{ ok: true }>;
  /**
   * Sensor readings and power draw, for the sensor poller: on the held session, which is then
   * kept for at least `holdMs` (so the next round finds it open). A timeout is not retried.
   */
  readings(deviceId: string, opts?: { holdMs?: number }): Promise<BmcReadings>;
  /**
   * What a session to each device's BMC depends on: address, port, IPMI credential id and a
   * hash of the login (a credential the resolver refuses gives a key naming why); null: no
   * BMC the console can reach. Equal keys mean a held session may be reused. Each credential
   * is opened once per call (a 3,000-server fleet shares a few).
   */
  targetKeys(deviceIds: readonly string[]): Map<string, string | null>;
  /** Closes the device's held session, if any: at once when idle, else when its call in flight ends. */
  release(deviceId: string): void;
  /** BMC sessions held open right now. */
  readonly openSessions: number;
}

export interface BmcServiceDeps {
  device: (id: string) => Device | null;
  /** loginFor refuses a login not bound to the BMC's address and port (CredentialUnboundError: no session, no packet). */
  credentials: Pick<CredentialResolver, 'login' | 'loginFor' | 'isBound'>;
  /** Control actions and what they did, for the event stream. */
  record: (events: Omit<FleetEvent, 'id'>[]) => void;
  timeoutMs?: number;
  /** A held session is closed after this long unused (default 60 s). */
  idleMs?: number;
}

export interface BmcReadings {
  /** ms since epoch, when the read finished. */
  at: number;
  sensors: SensorValue[];
  /** DCMI power reading, or the PSU's Watts sensor where the BMC has no DCMI; null: neither. */
  power: { watts: number; source: 'dcmi' | 'sensor' } | null;
}

const SEL_SHOWN = 200;

function sensorStatus(s: SensorValue['status']): SensorReading['status'] {
  if (s === 'ok') return 'ok';
  if (s === 'ns') return 'unavailable';
  return s === 'lnc' || s === 'unc' ? 'warning' : 'critical';
}

/**
 * The SDR name of the sensor a SEL entry is about, as ipmitool's `sel elist` finds it: the
 * record with the entry's sensor number and type, owned by the entry's generator (its low
 * byte: slave address or software id), on its LUN (generator bits 9:8) where one matches;
 * null when the SDR has no such record (or the record has no name).
 */
export function selSensorName(sensors: readonly Pick<SensorValue, 'record'>[], e: Pick<SelEntry, 'generatorId' | 'sensorNumber' | 'sensorType'>): string | null {
  const owner = e.generatorId & 0xff;
  const lun = (e.generatorId >> 8) & 0x03;
  const same = sensors.filter((s) => s.record.number === e.sensorNumber && s.record.ownerId === owner && s.record.sensorType === e.sensorType);
  const hit = same.find((s) => s.record.ownerLun === lun) ?? same[0];
  return hit?.record.name ? hit.record.name : null;
}

/** Input power from the PSU Watts sensors (summed), else any readable Watts sensor, as powerReading() picks it. */
export function sensorPower(sensors: readonly SensorValue[]): BmcReadings['power'] {
  const watts = sensors.filter((s) => s.record.kind === 'full' && s.units === 'Watts' && s.value !== null);
  const psu = watts.filter((s) => s.sensorType === SENSOR_TYPE_POWER_SUPPLY);
  if (psu.length) return { watts: psu.reduce((a, s) => a + (s.value ?? 0), 0), source: 'sensor' };
  const best = watts.find((s) => /power|pwr|psu/i.test(s.name)) ?? watts[0];
  return best?.value != null ? { watts: best.value, source: 'sensor' } : null;
}

const SENSOR_TYPE_POWER_SUPPLY = 0x08;

/** A session's identity: where it goes and with which login (the password only as a hash). */
function sessionKey(dev: Device, login: Login): string {
  const secret = createHash('sha256').update(login.password ?? '').digest('hex');
  return `${dev.ipmiCredential}|${dev.bmcAddress}:${dev.bmcPort ?? 623}|${login.username}:${secret}`;
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

  interface Held {
    key: string;
    client: IpmiClient;
    busy: number;
    idle?: ReturnType<typeof setTimeout>;
    /** Not closed for idleness before this (ms since epoch). */
    holdUntil: number;
    /** false once the BMC refused DCMI power readings on this session. */
    dcmi?: boolean;
    /** Released while busy: closed when its last call ends. */
    retired?: boolean;
  }
  const held = new Map<string, Held>();
  const closing = new Set<Promise<void>>();
  const idleMs = d.idleMs ?? 60_000;
  let disposed = false;
  let transport: IpmiTransport | null = null;

  function drop(deviceId: string, h: Held): void {
    if (h.idle) clearTimeout(h.idle);
    if (held.get(deviceId) === h) held.delete(deviceId);
    const p = h.client.dispose().catch(() => {}).finally(() => closing.delete(p));
    closing.add(p);
  }

  /** Errors after which a session is not trusted again. */
  const sessionLost = (err: unknown): boolean =>
    err instanceof IpmiTimeoutError || err instanceof IpmiSessionClosedError || err instanceof IpmiAuthError || err instanceof IpmiProtocolError;

  interface UseOptions {
    /** Try once more on a fresh session when a reused one fails (never after a timeout when `retryTimeout` is false). */
    retry: boolean;
    retryTimeout?: boolean;
    holdMs?: number;
  }

  async function withClient<T>(dev: Device, fn: (c: IpmiClient, h: Held) => Promise<T>, o: UseOptions): Promise<T> {
    if (disposed) throw new FleetDeckError('UNAVAILABLE', 'the BMC service is shut down');
    const login = d.credentials.loginFor(useOf(dev, 'ipmi')!, dev.hostname);
    const port = dev.bmcPort ?? 623;
    const key = sessionKey(dev, login);
    let h = held.get(dev.id);
    if (h && h.key !== key) {
      drop(dev.id, h);
      h = undefined;
    }
    const reused = h !== undefined;
    if (!h) {
      transport ??= createUdpTransport();
      h = {
        key,
        busy: 0,
        holdUntil: 0,
        client: createIpmiClient({
          host: dev.bmcAddress!,
          port,
          username: login.username,
          password: login.password ?? '',
          cipherSuite: 'auto',
          timeoutMs: d.timeoutMs ?? 1000,
          retries: 2,
          keepAliveMs: Math.min(30_000, Math.max(1000, Math.floor(idleMs / 2))),
          transport,
        }),
      };
      held.set(dev.id, h);
    }
    const mine = h;
    mine.busy++;
    if (mine.idle) clearTimeout(mine.idle);
    mine.idle = undefined;
    if (o.holdMs) mine.holdUntil = Math.max(mine.holdUntil, Date.now() + o.holdMs);
    try {
      return await fn(mine.client, mine);
    } catch (err) {
      if (!sessionLost(err)) throw err;
      drop(dev.id, mine);
      const again = reused && o.retry && !(err instanceof IpmiAuthError) && (o.retryTimeout !== false || !(err instanceof IpmiTimeoutError));
      if (again) return withClient(dev, fn, { ...o, retry: false });
      throw err;
    } finally {
      mine.busy--;
      if (mine.busy === 0 && mine.retired) drop(dev.id, mine);
      else if (mine.busy === 0 && held.get(dev.id) === mine) {
        mine.idle = setTimeout(() => drop(dev.id, mine), Math.max(idleMs, mine.holdUntil - Date.now()));
        mine.idle.unref?.();
      }
    }
  }

  const control = <C extends FleetEventCode>(dev: Device, code: C, params: FleetEventParams[C], message: string, details: Record<string, unknown>): void =>
    d.record([{ at: Date.now(), deviceId: dev.id, kind: 'control', severity: 'info', code, params, message: `${dev.hostname}: ${message}`, details }]);

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
          sensors: sensors.map((s) => ({ name: s.name, type: s.sensorTypeName, typeCode: s.sensorType, value: s.value, unit: s.units, unitCode: s.unitCode, status: sensorStatus(s.status) })),
          sel: sel
            .slice(-SEL_SHOWN)
            .reverse()
            .map((e) => ({ e, name: e.kind === 'system' ? selSensorName(sensors, e) : null }))
            .map(({ e, name }) => ({
              id: e.recordId,
              at: e.preInit || e.timestamp === null ? null : e.timestamp * 1000,
              sensor: name ?? `${e.sensorTypeName} #${e.sensorNumber}`,
              sensorName: name,
              sensorType: e.kind === 'system' ? e.sensorType : null,
              sensorNumber: e.kind === 'system' ? e.sensorNumber : null,
              eventType: e.kind === 'system' ? e.eventType : null,
              offset: e.kind === 'system' ? eventOffset(e.eventData[0]) : null,
              event: e.description,
              direction: e.asserted ? 'assertion' : 'deassertion',
            })),
          deviceIdInfo: id ? { manufacturerId: id.manufacturerId, productId: id.productId, firmware: id.firmwareRevision, ipmiVersion: id.ipmiVersion } : null,
        };
      }, { retry: true });
    },

    async power(deviceId, action, confirmHostname) {
      const dev = deviceWithBmc(deviceId);
      if (confirmHostname !== dev.hostname) {
        throw new ValidationError(`Power ${action} not sent: the confirmation must name the host "${dev.hostname}"`, { deviceId, expected: dev.hostname });
      }
      return withClient(dev, async (c) => {
        await c.power(action);
        const after = await c.chassisStatus();
        const power = after.powerOn ? 'on' : 'off';
        control(dev, 'control.power', { hostname: dev.hostname, action, power }, `power ${action} (now ${power})`, { action });
        return { power: after.powerOn ? 'on' : 'off' };
      }, { retry: false });
    },

    async identify(deviceId, seconds = 15, force = false) {
      const dev = deviceWithBmc(deviceId);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 255) throw new ValidationError('identify: seconds must be 0-255');
      await withClient(dev, (c) => c.identify({ seconds, force }), { retry: true });
      control(dev, 'control.identify', { hostname: dev.hostname, seconds, force }, force ? 'identify LED on until turned off' : `identify LED on for ${seconds} s`, { seconds, force });
      return { ok: true };
    },

    async bootDevice(deviceId, device, persistent = false) {
      const dev = deviceWithBmc(deviceId);
      await withClient(dev, (c) => c.setBootDevice(device, { persistent }), { retry: true });
      control(dev, 'control.bootDevice', { hostname: dev.hostname, device, persistent }, `boot device ${device}${persistent ? ' (persistent)' : ' (next boot)'}`, { device, persistent });
      return { ok: true };
    },

    async readings(deviceId, opts = {}) {
      const dev = deviceWithBmc(deviceId);
      return withClient(dev, async (c, h) => {
        const sensors = await c.sensors();
        let power: BmcReadings['power'] = null;
        if (h.dcmi !== false) {
          try {
            const r = await c.powerReading();
            // DCMI says whether its measurement is active; when it is not, the PSU sensor is the better word.
            power = r.active || r.source === 'sensor' ? { watts: r.watts, source: r.source } : (sensorPower(sensors) ?? { watts: r.watts, source: r.source });
            if (r.source === 'sensor') h.dcmi = false;
          } catch (err) {
            if (!(err instanceof IpmiUnsupportedError)) throw err;
            h.dcmi = false;
          }
        } else {
          power = sensorPower(sensors);
        }
        return { at: Date.now(), sensors, power };
      }, { retry: true, retryTimeout: false, holdMs: opts.holdMs });
    },

    targetKeys(deviceIds) {
      const logins = new Map<string, Login | string>();
      const loginOf = (id: string): Login | string => {
        let l = logins.get(id);
        if (l === undefined) {
          try {
            l = d.credentials.login(id);
          } catch (err) {
            l = `unusable: ${(err as Error).message}`;
          }
          logins.set(id, l);
        }
        return l;
      };
      return new Map(deviceIds.map((id) => {
        const dev = d.device(id);
        if (!dev?.bmcAddress || !dev.ipmiCredential) return [id, null];
        if (!d.credentials.isBound(useOf(dev, 'ipmi')!)) return [id, `${dev.ipmiCredential}|${dev.bmcAddress}:${dev.bmcPort ?? 623}|unbound`];
        const login = loginOf(dev.ipmiCredential);
        return [id, typeof login === 'string' ? `${dev.ipmiCredential}|${dev.bmcAddress}:${dev.bmcPort ?? 623}|${login}` : sessionKey(dev, login)];
      }));
    },

    release(deviceId) {
      const h = held.get(deviceId);
      if (!h) return;
      held.delete(deviceId);
      if (h.busy === 0) drop(deviceId, h);
      else h.retired = true;
    },

    get openSessions() {
      return held.size;
    },

    async dispose() {
      disposed = true;
      for (const [id, h] of [...held]) drop(id, h);
      await Promise.all([...closing]);
      await transport?.close();
      transport = null;
    },
  };
}
