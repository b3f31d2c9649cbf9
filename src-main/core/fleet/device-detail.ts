// One device, in full, for the detail panel: where it is, what the poller last saw (and why
// it is not polled, or its last protocol error), its interfaces read live over SNMP (rates
// from two samples of the interface table spaced past the agent's cache: detail-rates.ts), its
// power draw over the last hour from the time series: a PDU's from its own meter, a server's
// from its BMC (the sensor poller's bmc.power_w), each with where and when it was read; who
// last moved its lifecycle (CMDB status), and when.
import type { DeviceDetail, DeviceStatus, InterfaceInfo, InterfacesProblem } from '../../../src-shared/domain';
import { NotFoundError, serializeError, type SerializedError } from '../../../src-shared/errors';
import { createSnmpSession, type SnmpCredentials } from '../protocols/snmp';
import { CredentialUnboundError, useOf } from '../credentials/credential-binding';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { InventoryRepository } from '../store/inventory-repository';
import type { MetricsRepository } from '../store/metrics-repository';
import { createSampleHistory, ratePair } from './detail-rates';
import { monitoringOf, type MonitoringSource } from './monitoring';
import type { PolledCounters } from './poller/types';

export interface PollView {
  status: DeviceStatus;
  sysName: string | null;
  uptimeSeconds: number | null;
  powerWatts: number | null;
  lastPollAt: number | null;
  rttMs: number | null;
  lastError?: SerializedError | null;
}

export interface DeviceDetailDeps {
  inventory: InventoryRepository;
  credentials: Pick<CredentialResolver, 'snmpFor'>;
  metrics: MetricsRepository;
  pollState: (deviceId: string) => PollView | undefined;
  /** The poller's last interface counters of a device: the first of the page's first rate pair. */
  polledCounters?: (deviceId: string) => PolledCounters | null;
  /** Who is polled and why not, which addresses are shared (absent: from the SNMP credential alone). */
  monitoring?: () => MonitoringSource;
}

const HOUR = 3_600_000;
/** The series a device's power comes from (names as the PDU profiles and the BMC sensor poller write them). */
const PDU_POWER = 'pdu.power_w';
const BMC_POWER = 'bmc.power_w';

/** The English wording of an interfaces problem, kept for logs and older clients. */
export function interfacesErrorText(p: InterfacesProblem | null): string | null {
  if (!p) return null;
  if (p.code === 'no-credential') return 'no SNMP credential for this device';
  if (p.code === 'not-read') return `not read: the device is ${p.status}`;
  return `${p.error.name}: ${p.error.message}`;
}

export function createDeviceDetail(d: DeviceDetailDeps): { detail(deviceId: string): Promise<DeviceDetail> } {
  const samples = new Map<string, ReturnType<typeof createSampleHistory>>();

  async function interfaces(deviceId: string, host: string, port: number, creds: SnmpCredentials): Promise<InterfaceInfo[]> {
    const session = createSnmpSession({ host, port, credentials: creds, timeoutMs: 1500, retries: 1 });
    try {
      let history = samples.get(deviceId);
      if (!history) samples.set(deviceId, (history = createSampleHistory()));
      const polled = d.polledCounters?.(deviceId);
      if (polled) history.add({ at: polled.at, poller: polled });
      const pair = await ratePair(session, history.list(Date.now()));
      const cur = pair.cur;
      history.add({ at: cur.at, page: cur });
      const rates = new Map(pair.rates.map((r) => [r.ifIndex, r]));
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
    let creds: SnmpCredentials | null = null;
    let unbound: CredentialUnboundError | null = null;
    const use = useOf(device, 'snmp');
    try {
      creds = use && d.credentials.snmpFor(use);
    } catch (err) {
      // Not bound to this address: the interfaces are not read (nothing is sent); a secret that cannot be used: monitoring says so.
      if (err instanceof CredentialUnboundError) unbound = err;
      creds = null;
    }
    const src = d.monitoring?.();
    const reason = src ? src.notMonitored.get(deviceId) : creds ? undefined : unbound ? 'credential-unbound' : 'no-credential';
    const monitoring = monitoringOf(reason, poll && { health: poll.status, lastError: poll.lastError });
    let ifs: InterfaceInfo[] = [];
    let interfacesProblem: InterfacesProblem | null = null;
    if (unbound) interfacesProblem = { code: 'read-failed', error: serializeError(unbound) };
    else if (!creds) interfacesProblem = { code: 'no-credential' };
    else if (status !== 'up' && status !== 'degraded') interfacesProblem = { code: 'not-read', status };
    else {
      try {
        ifs = await interfaces(deviceId, device.mgmtIp, device.snmpPort, creds);
      } catch (err) {
        samples.delete(deviceId); // it stopped answering between the poll and now
        interfacesProblem = { code: 'read-failed', error: serializeError(err) };
      }
    }
    const now = Date.now();
    const series = (metric: string) => d.metrics.query(deviceId, metric, now - HOUR, now + 1, now).points;
    // A server's power is what its BMC last said (the sensor poller's series); a PDU's is its own meter, as polled.
    const bmc = device.kind === 'pdu' ? [] : series(BMC_POWER);
    const history = bmc.length ? bmc : series(PDU_POWER);
    const latest = history.at(-1);
    const powerWatts = bmc.length ? latest!.avg : (poll?.powerWatts ?? null);
    const powerSource = bmc.length ? 'bmc' : powerWatts === null ? null : 'pdu';
    const powerAt = bmc.length ? latest!.ts : powerWatts === null ? null : (poll?.lastPollAt ?? latest?.ts ?? null);
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
      interfacesError: interfacesErrorText(interfacesProblem),
      interfacesProblem,
      powerWatts,
      powerSource,
      powerAt,
      powerHistory: history.map((p) => ({ ts: p.ts, watts: p.avg })),
      capabilities: { bmc: Boolean(device.bmcAddress && device.ipmiCredential), ssh: Boolean(device.sshCredential) },
      monitoring,
      sharedAddress: src ? src.sharedAddresses.has(device.mgmtIp) : d.inventory.pollTargets().some((t) => t.deviceId !== deviceId && t.mgmtIp === device.mgmtIp),
      lifecycleChange: d.inventory.lifecycle.change(deviceId),
    };
  }

  return { detail };
}
