// One device, in full, for the detail panel: where it is, what the poller last saw, its
// interfaces read live over SNMP (rates from two samples of the interface table), and its
// power draw over the last hour from the time series.
import type { DeviceDetail, DeviceStatus, InterfaceInfo } from '../../../src-shared/domain';
import { NotFoundError } from '../../../src-shared/errors';
import { createSnmpSession, interfaceRates, readInterfaces, type InterfaceSample, type SnmpCredentials } from '../protocols/snmp';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { InventoryRepository } from '../store/inventory-repository';
import type { MetricsRepository } from '../store/metrics-repository';

export interface PollView {
  status: DeviceStatus;
  sysName: string | null;
  uptimeSeconds: number | null;
  powerWatts: number | null;
  lastPollAt: number | null;
  rttMs: number | null;
}

export interface DeviceDetailDeps {
  inventory: InventoryRepository;
  credentials: Pick<CredentialResolver, 'snmp'>;
  metrics: MetricsRepository;
  pollState: (deviceId: string) => PollView | undefined;
}

/** A sample older than this is not used as the first of a rate pair. */
const SAMPLE_MAX_AGE_MS = 5 * 60_000;
const SECOND_SAMPLE_AFTER_MS = 1000;

export function createDeviceDetail(d: DeviceDetailDeps): { detail(deviceId: string): Promise<DeviceDetail> } {
  const samples = new Map<string, InterfaceSample>();

  async function interfaces(deviceId: string, host: string, port: number, creds: SnmpCredentials): Promise<InterfaceInfo[]> {
    const session = createSnmpSession({ host, port, credentials: creds, timeoutMs: 1500, retries: 1 });
    try {
      let prev = samples.get(deviceId);
      if (!prev || Date.now() - prev.at > SAMPLE_MAX_AGE_MS) {
        prev = await readInterfaces(session);
        await new Promise((r) => setTimeout(r, SECOND_SAMPLE_AFTER_MS));
      }
      const cur = await readInterfaces(session);
      samples.set(deviceId, cur);
      const rates = new Map(interfaceRates(prev, cur).map((r) => [r.ifIndex, r]));
      return [...cur.interfaces.values()]
        .sort((a, b) => a.ifIndex - b.ifIndex)
        .map((row) => ({
          index: row.ifIndex,
          name: row.name,
          operStatus: row.operStatus,
          speedBps: row.speedBps,
          inBps: rates.get(row.ifIndex)?.inBps ?? null,
          outBps: rates.get(row.ifIndex)?.outBps ?? null,
        }));
    } finally {
      await session.close();
    }
  }

  async function detail(deviceId: string): Promise<DeviceDetail> {
    const device = d.inventory.device(deviceId);
    if (!device) throw new NotFoundError('device', deviceId);
    const cabinet = d.inventory.cabinet(device.cabinetId)!;
    const row = d.inventory.rows().find((r) => r.id === cabinet.rowId)!;
    const room = d.inventory.rooms().find((r) => r.id === row.roomId)!;
    const site = d.inventory.sites().find((s) => s.id === room.siteId)!;
    const poll = d.pollState(deviceId);
    const status = poll?.status ?? 'unknown';
    const creds = d.credentials.snmp(device.snmpCredential);
    let ifs: InterfaceInfo[] = [];
    let interfacesError: string | null = null;
    if (!creds) interfacesError = 'no SNMP credential for this device';
    else if (status !== 'up' && status !== 'degraded') interfacesError = `not read: the device is ${status}`;
    else {
      try {
        ifs = await interfaces(deviceId, device.mgmtIp, device.snmpPort, creds);
      } catch (err) {
        samples.delete(deviceId); // it stopped answering between the poll and now
        interfacesError = `${(err as Error).name}: ${(err as Error).message}`;
      }
    }
    const now = Date.now();
    const power = d.metrics.query(deviceId, 'pdu.power_w', now - 3_600_000, now + 1, now).points;
    return {
      device,
      site,
      room,
      row,
      cabinet,
      status,
      lastPollAt: poll?.lastPollAt ?? null,
      rttMs: poll?.rttMs ?? null,
      sysName: poll?.sysName ?? null,
      uptimeSeconds: poll?.uptimeSeconds ?? null,
      interfaces: ifs,
      interfacesError,
      powerWatts: poll?.powerWatts ?? null,
      powerHistory: power.map((p) => ({ ts: p.ts, watts: p.avg })),
      capabilities: { bmc: Boolean(device.bmcAddress && device.ipmiCredential), ssh: Boolean(device.sshCredential) },
    };
  }

  return { detail };
}
