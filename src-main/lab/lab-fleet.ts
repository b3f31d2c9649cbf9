// The lab fleet: one simulated SNMP device per inventory device, all in this process, each
// on its own loopback address. Faults close and reopen real sockets, so a dead device is
// truly silent on the wire.
import type { Cabinet, Device, InventoryDocument, LabFault, LabStatus } from '../../src-shared/domain';
import type { LabCredentials, LabStartOptions } from '../../src-shared/lab-protocol';
import { hashString } from '../../src-shared/random';
import type { Mutable } from '../../src-shared/types';
import { createRng, generateLab } from './generator';
import { createSimDevice, dailyFactor, type SimDevice, type SimDeviceSpec, type SimInterface } from './snmp-device';
import { LAB_SSH_USERNAME, createLabSshHost, sshHostSpecFor, type LabSshHost } from './ssh-host';
import { createBmcFleet, type BmcSimulator, type BmcSimulatorOptions } from './bmc';
import { createLabTrapSender } from './lab-traps';

/** Credential id the lab's SSH hosts answer to (stored by the core from the ready message). */
export const LAB_SSH_CREDENTIAL = 'lab-ssh';
/** Every n-th server of the lab also answers SSH: "a sample of lab hosts". */
const SSH_EVERY = 10;
/** Credential id the lab's BMCs answer to. */
export const LAB_IPMI_CREDENTIAL = 'lab-ipmi';

/** A server's BMC sits on the BMC network: the management address with 100 added to its second octet. */
export function labBmcAddress(mgmtIp: string): string {
  const [a, b, c, d] = mgmtIp.split('.').map(Number);
  return `${a}.${(b + 100) % 256}.${c}.${d}`;
}

export interface LabFleet {
  readonly inventory: InventoryDocument;
  readonly options: LabStartOptions;
  /** Time it took to generate the inventory and bring every agent up. */
  readonly startMs: number;
  readonly agents: number;
  readonly credentials: LabCredentials;
  fault(fault: LabFault): Promise<LabStatus>;
  /** What the device's BMC does to its host: off silences its SNMP and SSH, on boots them. */
  setHostPower(deviceId: string, on: boolean): Promise<void>;
  /** Where devices send their traps (linkDown/linkUp on link faults, coldStart when a host comes up); null: nowhere. */
  setTrapTarget(target: { host: string; port: number } | null): void;
  status(): LabStatus;
  close(): Promise<void>;
}

const SYS_OBJECT_ID: Record<Device['kind'], string> = {
  server: '1.3.6.1.4.1.8072.3.2.10', // NET-SNMP-TC linux
  switch: '1.3.6.1.4.1.32473.1.1', // RFC 5612 documentation enterprise: lab ToR switch
  pdu: '1.3.6.1.4.1.32473.1.2', // ... lab metered PDU
  gateway: '1.3.6.1.4.1.32473.1.3',
};

function interfacesFor(device: Device, rnd: () => number): SimInterface[] {
  const mb = (lo: number, hi: number): number => (lo + rnd() * (hi - lo)) * 1e6 / 8; // Mbit/s -> bytes/s
  switch (device.kind) {
    case 'server': {
      const inEno1 = mb(40, 600);
      const single = rnd() < 0.08;
      return [
        { name: 'eno1', alias: 'uplink-a', speedMbps: 25_000, up: true, inBytesPerSec: inEno1, outBytesPerSec: inEno1 * (0.4 + rnd() * 1.2) },
        { name: 'eno2', alias: single ? '' : 'uplink-b', speedMbps: 25_000, up: !single, inBytesPerSec: inEno1 * 0.3, outBytesPerSec: inEno1 * 0.25 },
      ];
    }
    case 'switch': {
      const down = Array.from({ length: 4 }, (_, i) => {
        const rate = mb(200, 4000);
        return { name: `Ethernet1/${i + 1}`, alias: `server-port-${i + 1}`, speedMbps: 25_000, up: true, inBytesPerSec: rate, outBytesPerSec: rate * (0.5 + rnd()) };
      });
      const up = [49, 50].map((p) => {
        const rate = mb(5000, 30000);
        return { name: `Ethernet1/${p}`, alias: `spine-${p - 48}`, speedMbps: 100_000, up: true, inBytesPerSec: rate, outBytesPerSec: rate * (0.6 + rnd() * 0.8) };
      });
      return [...down, ...up];
    }
    default:
      return [{ name: 'mgmt0', alias: 'management', speedMbps: 100, up: true, inBytesPerSec: 300 + rnd() * 500, outBytesPerSec: 800 + rnd() * 1200 }];
  }
}

function sysDescrFor(device: Device): string {
  switch (device.kind) {
    case 'server':
      return `Linux ${device.hostname} 5.15.0-105-generic #115-Ubuntu SMP x86_64`;
    case 'switch':
      return 'FleetDeck Lab ToR switch 48x25G 8x100G, FDOS 4.2.1';
    case 'pdu':
      return 'FleetDeck Lab metered PDU 3-phase 32A, firmware 2.4.1';
    default:
      return 'FleetDeck Lab gateway';
  }
}

/** Nominal draw of a device in watts, before the daily curve. */
function nominalWatts(device: Device, rnd: () => number): number {
  if (device.kind === 'switch') return 300 + rnd() * 100;
  if (device.kind !== 'server') return 0;
  const [lo, hi] = device.uHeight >= 4 ? [900, 1500] : device.uHeight >= 2 ? [400, 700] : [250, 400];
  return lo + rnd() * (hi - lo);
}

interface Member {
  device: Device;
  sim: SimDevice;
  ssh: LabSshHost | null;
  bmc: BmcSimulator | null;
  watts: number;
}

export async function startLabFleet(options: LabStartOptions): Promise<LabFleet> {
  const t0 = performance.now();
  const inventory = generateLab(options.seed, options.size, { addressPrefix: options.addressPrefix, snmpPort: options.snmpPort });
  const cabinets = new Map<string, Cabinet>(inventory.cabinets.map((c) => [c.id, c]));
  const rowNames = new Map(inventory.rows.map((r) => [r.id, r]));
  const roomNames = new Map(inventory.rooms.map((r) => [r.id, r]));
  const members = new Map<string, Member>();
  const byCabinet = new Map<string, Member[]>();
  const dead = new Set<string>();
  const tripped = new Set<string>();
  /** Hosts their BMC has powered off. */
  const poweredOff = new Set<string>();
  const rnd0 = createRng(options.seed ^ 0x55aa);
  const credentials: LabCredentials = {
    ssh: { username: LAB_SSH_USERNAME, password: `lab-${Math.floor(rnd0() * 2 ** 48).toString(36)}` },
    // IPMI 2.0 passwords are at most 20 bytes
    ipmi: { username: 'fleetdeck', password: `bmc${Math.floor(rnd0() * 2 ** 48).toString(36)}`.slice(0, 16) },
  };
  const bmcSpecs: Omit<BmcSimulatorOptions, 'tickMs'>[] = [];
  const bmcOf = new Map<string, string>(); // device id -> "address:port"

  let serverIndex = 0;

  /** A cabinet's PDU has an outlet for each server and switch in it, in inventory order. */
  const onOutlet = (d: Device): boolean => d.kind === 'server' || d.kind === 'switch';
  const outletHosts = new Map<string, string[]>();
  for (const d of inventory.devices) {
    if (!onOutlet(d)) continue;
    const hosts = outletHosts.get(d.cabinetId) ?? [];
    hosts.push(d.hostname);
    outletHosts.set(d.cabinetId, hosts);
  }
  /** What each outlet of a cabinet's PDU delivers now: a device draws only while its host is up. */
  const outletWatts = (cabinetId: string): number[] => {
    const f = dailyFactor(Date.now());
    const out: number[] = [];
    for (const m of byCabinet.get(cabinetId) ?? []) if (onOutlet(m.device)) out.push(hostUp(m) ? m.watts * f : 0);
    return out;
  };
  /** The inlet: the PDU's own electronics (12 W) and its outlets, with meter noise. */
  const cabinetWatts = (cabinetId: string): number => {
    if (tripped.has(cabinetId)) return 0;
    const cab = cabinets.get(cabinetId)!;
    const w = outletWatts(cabinetId).reduce((a, b) => a + b, 12);
    const noisy = w * (0.98 + Math.random() * 0.04);
    return Math.min(noisy, cab.ratedPowerKw * 1000 * 0.95);
  };

  // The generated inventory is the lab's own: it fills in what only the simulators know.
  for (const device of inventory.devices as readonly Mutable<Device>[]) {
    const rnd = createRng(hashString(device.id) ^ options.seed);
    const cab = cabinets.get(device.cabinetId)!;
    const row = rowNames.get(cab.rowId)!;
    const room = roomNames.get(row.roomId)!;
    const spec: SimDeviceSpec = {
      id: device.id,
      kind: device.kind,
      hostname: device.hostname,
      address: device.mgmtIp,
      port: device.snmpPort,
      community: options.community,
      sysDescr: sysDescrFor(device),
      sysObjectID: SYS_OBJECT_ID[device.kind],
      sysLocation: `${room.name}, cabinet ${cab.name}${device.uHeight > 0 ? `, U${device.uPosition}` : ''}`,
      interfaces: interfacesFor(device, rnd),
      powerWatts: device.kind === 'pdu' ? () => cabinetWatts(device.cabinetId) : undefined,
      outlets: device.kind === 'pdu' ? outletHosts.get(device.cabinetId) ?? [] : undefined,
      outletWatts: device.kind === 'pdu' ? () => outletWatts(device.cabinetId) : undefined,
      initialUptimeSec: Math.floor((2 + rnd() * 178) * 86_400),
      phase: Math.floor(rnd() * 300),
    };
    let ssh: LabSshHost | null = null;
    if (device.kind === 'server' && serverIndex++ % SSH_EVERY === 0) {
      device.sshCredential = LAB_SSH_CREDENTIAL;
      ssh = createLabSshHost(sshHostSpecFor(device, options.seed, credentials.ssh, spec.initialUptimeSec));
    }
    const watts = nominalWatts(device, rnd);
    if (device.kind === 'server') {
      device.bmcAddress = labBmcAddress(device.mgmtIp);
      device.ipmiCredential = LAB_IPMI_CREDENTIAL;
      bmcSpecs.push({
        address: device.bmcAddress,
        port: device.bmcPort,
        username: credentials.ipmi.username,
        password: credentials.ipmi.password,
        seed: hashString(device.id) ^ options.seed,
        nominalWatts: watts,
        psuRatedWatts: device.uHeight >= 4 ? 2000 : device.uHeight >= 2 ? 1100 : 750,
      });
      bmcOf.set(device.id, `${device.bmcAddress}:${device.bmcPort}`);
    }
    const member: Member = { device, sim: createSimDevice(spec), ssh, bmc: null, watts };
    members.set(device.id, member);
    const list = byCabinet.get(device.cabinetId) ?? [];
    list.push(member);
    byCabinet.set(device.cabinetId, list);
  }

  const all = [...members.values()];
  const bmcs = createBmcFleet({ bmcs: bmcSpecs });
  for (const m of all) {
    const key = bmcOf.get(m.device.id);
    if (!key) continue;
    const [address, port] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
    m.bmc = bmcs.get(address, port) ?? null;
    // The BMC drives its host: chassis power off silences the host's SNMP and SSH.
    m.bmc?.onPowerChange((on) => void setHostPower(m.device.id, on));
  }
  const bmcStart = await bmcs.start();
  if (bmcStart.failed.length) {
    await bmcs.stop();
    throw new Error(`lab: ${bmcStart.failed.length} of ${bmcs.size} BMCs failed to start; first: ${bmcStart.failed[0].address}:${bmcStart.failed[0].port}: ${bmcStart.failed[0].error}`);
  }
  const started = await Promise.allSettled(all.flatMap((m) => [m.sim.start(), ...(m.ssh ? [m.ssh.start()] : [])]));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(all.flatMap((m) => [m.sim.stop(), ...(m.ssh ? [m.ssh.stop()] : [])]));
    await bmcs.stop();
    const n = started.filter((r) => r.status === 'rejected').length;
    throw new Error(`lab: ${n} of ${all.length} agents failed to start; first: ${String(failed.reason?.message ?? failed.reason)}`);
  }

  let closed = false;
  const traps = createLabTrapSender(options.community);
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = queue.then(op);
    queue = next.catch(() => undefined);
    return next;
  };
  /** A device's operating system runs while it is alive, its cabinet has power and its BMC has it on. */
  function hostUp(m: Member): boolean {
    if (dead.has(m.device.id)) return false;
    if (m.device.kind === 'pdu') return true; // a PDU's own management stays up when it trips
    return !tripped.has(m.device.cabinetId) && !poweredOff.has(m.device.id);
  }
  /** A BMC runs on standby power: it is dark only when the device is dead or its cabinet has no power. */
  const bmcUp = (m: Member): boolean => !dead.has(m.device.id) && !tripped.has(m.device.cabinetId);
  const reconcile = (list: Member[]): Promise<unknown> =>
    Promise.all(list.map(async (m) => {
      const up = hostUp(m);
      const wasUp = m.sim.running;
      await Promise.all([
        up ? m.sim.start() : m.sim.stop(),
        m.ssh ? m.ssh.setPower(up) : undefined,
        m.bmc ? (bmcUp(m) ? m.bmc.start() : m.bmc.stop()) : undefined,
      ]);
      // A host that boots says so, as a real agent does on start.
      if (up && !wasUp) void traps.send(m.device.mgmtIp, { kind: 'coldStart' });
    }));

  const linksDown = new Set<string>();
  const status = (): LabStatus => ({
    running: !closed,
    devices: members.size,
    deadDevices: [...dead].sort(),
    trippedCabinets: [...tripped].sort(),
    linksDown: [...linksDown].sort(),
  });

  const fault = (f: LabFault): Promise<LabStatus> => serial(async () => {
    if (closed) throw new Error('lab: closed');
    if (f.kind === 'kill-device' || f.kind === 'revive-device') {
      const m = members.get(f.deviceId);
      if (!m) throw new Error(`lab: no device "${f.deviceId}"`);
      if (f.kind === 'kill-device') dead.add(f.deviceId);
      else dead.delete(f.deviceId);
      await reconcile([m]);
    } else if (f.kind === 'link-down' || f.kind === 'link-up') {
      const m = members.get(f.deviceId);
      if (!m) throw new Error(`lab: no device "${f.deviceId}"`);
      const first = m.sim.spec.interfaces[0];
      if (!first) throw new Error(`lab: device "${f.deviceId}" has no interface`);
      // The agent reads oper status at request time: the next poll sees the link down, and
      // the device tells the console at once with a linkDown (linkUp) trap if it was up.
      const changed = first.up !== (f.kind === 'link-up');
      first.up = f.kind === 'link-up';
      if (f.kind === 'link-down') linksDown.add(f.deviceId);
      else linksDown.delete(f.deviceId);
      if (changed && hostUp(m)) void traps.send(m.device.mgmtIp, { kind: f.kind === 'link-up' ? 'linkUp' : 'linkDown', ifIndex: 1 });
    } else if (f.kind === 'trip-pdu' || f.kind === 'restore-pdu') {
      if (!cabinets.has(f.cabinetId)) throw new Error(`lab: no cabinet "${f.cabinetId}"`);
      if (f.kind === 'trip-pdu') tripped.add(f.cabinetId);
      else tripped.delete(f.cabinetId);
      await reconcile(byCabinet.get(f.cabinetId) ?? []);
    } else {
      throw new Error(`lab: unknown fault ${JSON.stringify(f)}`);
    }
    return status();
  });

  const setHostPower = (deviceId: string, on: boolean): Promise<void> => serial(async () => {
    const m = members.get(deviceId);
    if (!m || closed) return;
    if (on) poweredOff.delete(deviceId);
    else poweredOff.add(deviceId);
    await reconcile([m]);
  });

  const close = (): Promise<void> => serial(async () => {
    closed = true;
    await traps.close();
    await Promise.all(all.flatMap((m) => [m.sim.stop(), ...(m.ssh ? [m.ssh.stop()] : [])]));
    await bmcs.stop();
  });

  return { inventory, options, startMs: performance.now() - t0, agents: all.length, credentials, fault, setHostPower, setTrapTarget: (t) => traps.setTarget(t), status, close };
}
