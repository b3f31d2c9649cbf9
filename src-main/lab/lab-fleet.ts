// The lab fleet: a generated inventory whose devices come alive as peers of every registered
// kind (SNMP agents, BMCs, SSH hosts), each on its own loopback address (or, in single mode,
// on 127.0.0.1 with ports of its own), in this process.
// Faults close and reopen real sockets, so a dead device is truly silent on the wire. A PDU
// trip takes the whole cabinet's power, or with a feed (A or B) that feed's PDU only: then
// only loads with every PSU on it go dark (lab-state.ts, by the cabling of lab-cabling.ts).
// A server its BMC boots from PXE installs what the install profile the core handed over says
// (install/lab-installer.ts); the install faults make it hang or fail.
// With a state file (options.stateFile) the lab remembers what happened to its hosts over a
// restart, as a real fleet does while its console is down (memory/): installed identities, the
// installer's profiles, faults, installs in flight and callbacks, and the BMCs' power, boot flags
// and power cycles. Lab faults (kill-device, trip-pdu, link-down) are test fixtures and are not kept.
import { installProfileProblems, type InventoryDocument, type LabFault, type LabInstallProfile, type LabStatus } from '../../src-shared/domain';
import type { LabCredentials, LabStartOptions } from '../../src-shared/lab-protocol';
import { createRng } from '../../src-shared/random';
import { generateLab, labAddress } from './generator';
import { cableLab } from './lab-cabling';
import { labDevices, type LabDevice } from './lab-device';
import { LabState, type LabHostIdentity } from './lab-state';
import { templateOs } from './host-os';
import { openLabMemory, type LabMemory } from './memory/lab-memory';
import type { LabStateParts, SavedIdentity } from './memory/state-file';
import { describeSinglePlan, probeBind, resolveLoopback, SINGLE_ADDRESS, type BindProbe } from './loopback';
import { labBmcAddress } from './bmc/bmc-peers';
import type { BootTarget } from './bmc/bmc-state';
import { createLabInstaller, type LabInstaller } from './install/lab-installer';
import { startPeerKinds, type LabContext, type LabPeerKind, type LabPeers, type TrapTarget } from './peer-kind';
import { LAB_PEER_KINDS } from './peer-kinds';
import { LAB_SSH_USERNAME } from './ssh/ssh-host';
import { createLabNetwork, type LabNetwork } from './probes/lab-network';
import { labProbeTargets } from '../../src-shared/probe/lab-targets';

export interface LabFleet {
  readonly inventory: InventoryDocument;
  /** As given, with loopback resolved ('auto' became 'aliases' or 'single'). */
  readonly options: LabStartOptions & { loopback: 'aliases' | 'single' };
  /** Time it took to generate the inventory and bring every agent up. */
  readonly startMs: number;
  readonly agents: number;
  readonly credentials: LabCredentials;
  fault(fault: LabFault): Promise<LabStatus>;
  /** What the device's BMC does to its host: off silences its SNMP and SSH, on boots them (from `boot`: PXE installs). */
  setHostPower(deviceId: string, on: boolean, boot?: BootTarget): Promise<void>;
  /** What the lab's PXE server holds for a server (null: nothing): its next PXE boot installs it. */
  setInstallProfile(deviceId: string, profile: LabInstallProfile | null): Promise<LabStatus>;
  /** Where devices send their traps (linkDown/linkUp on link faults, coldStart when a host comes up); null: nowhere. */
  setTrapTarget(target: TrapTarget | null): void;
  status(): LabStatus;
  close(): Promise<void>;
}

/** The logins the lab's hosts and BMCs accept, drawn from the lab's seed. */
function labCredentials(seed: number): LabCredentials {
  const rnd = createRng(seed ^ 0x55aa);
  return {
    ssh: { username: LAB_SSH_USERNAME, password: `lab-${Math.floor(rnd() * 2 ** 48).toString(36)}` },
    // IPMI 2.0 passwords are at most 20 bytes
    ipmi: { username: 'fleetdeck', password: `bmc${Math.floor(rnd() * 2 ** 48).toString(36)}`.slice(0, 16) },
  };
}

/** Runs state changes one at a time, in arrival order; a failed one does not block the next. */
function serialQueue(): <T>(op: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return (op) => {
    const next = queue.then(op);
    queue = next.catch(() => undefined);
    return next;
  };
}

/** The lab's devices, indexed, and what has been done to them: what faults act on. */
interface LabWorld {
  readonly devices: readonly LabDevice[];
  readonly byId: ReadonlyMap<string, LabDevice>;
  readonly cabinets: ReadonlySet<string>;
  /** The devices of each cabinet, in inventory order. */
  readonly byCabinet: ReadonlyMap<string, readonly LabDevice[]>;
  readonly state: LabState;
}

function createWorld(inventory: InventoryDocument, seed: number): LabWorld {
  const devices = labDevices(inventory, seed);
  const byCabinet = new Map<string, LabDevice[]>();
  for (const d of devices) {
    const list = byCabinet.get(d.device.cabinetId) ?? [];
    list.push(d);
    byCabinet.set(d.device.cabinetId, list);
  }
  return {
    devices,
    byId: new Map(devices.map((d) => [d.device.id, d])),
    cabinets: new Set(inventory.cabinets.map((c) => c.id)),
    byCabinet,
    state: new LabState(cableLab(byCabinet)),
  };
}

/** Puts back the identities PXE installs gave the world's servers before the last restart. */
function restoreIdentities(w: LabWorld, saved: LabStateParts['identities']): void {
  for (const [id, s] of Object.entries(saved)) {
    if (w.byId.get(id)?.device.kind === 'server') w.state.setIdentity(id, { hostname: s.hostname, os: templateOs(s.template), template: s.template, generation: s.generation });
  }
}

/** The identities to save: every installed host's. */
function savedIdentities(installed: ReadonlyMap<string, LabHostIdentity>): LabStateParts['identities'] {
  const out: Record<string, SavedIdentity> = {};
  for (const [id, i] of installed) if (i.template !== null) out[id] = { hostname: i.hostname, template: i.template, generation: i.generation };
  return out;
}

/** Brings every kind's peers of these devices in line with the lab state. */
function reconcile(peers: readonly LabPeers[], list: readonly LabDevice[]): Promise<unknown> {
  return Promise.all(list.map((d) => Promise.all(peers.map((p) => p.reconcile(d)))));
}

/** A device of the world, or an error naming the id. */
function deviceOf(w: LabWorld, id: string): LabDevice {
  const d = w.byId.get(id);
  if (!d) throw new Error(`lab: no device "${id}"`);
  return d;
}

/** A server (only servers boot, install and carry install faults), or an error saying what the device is. */
function serverOf(w: LabWorld, id: string, what: string): LabDevice {
  const d = deviceOf(w, id);
  if (d.device.kind !== 'server') throw new Error(`lab: ${what} is for servers; "${id}" is a ${d.device.kind}`);
  return d;
}

/** Ends the installs of the hosts that have lost their power, then reconciles them. */
function settle(w: LabWorld, installer: LabInstaller, peers: readonly LabPeers[], list: readonly LabDevice[]): Promise<unknown> {
  for (const d of list) if (!w.state.hostUp(d.device)) installer.halted(d);
  return reconcile(peers, list);
}

/** A fault in the network model between lab hosts (the probe matrix sees it); loss and delay 0 clear it. */
function applyNetFault(network: LabNetwork, f: Extract<LabFault, { kind: 'net-fault' }>): void {
  const loss = f.loss ?? 0;
  const delayMs = f.delayMs ?? 0;
  if (!(loss >= 0 && loss <= 1) || !(delayMs >= 0 && delayMs <= 10_000)) throw new Error(`lab: a net-fault's loss must be 0..1 and its delay 0..10000 ms, got ${loss} and ${delayMs}`);
  try {
    network.setFault(f.component, loss === 0 && delayMs === 0 ? null : { loss, extraDelayUs: delayMs * 1000 });
  } catch (err) {
    throw new Error(`lab: no network component "${f.component}" (${(err as Error).message})`);
  }
}

/** Changes the lab state as the fault says, then tells the kinds: they act on real sockets. */
async function applyFault(w: LabWorld, installer: LabInstaller, peers: readonly LabPeers[], f: LabFault): Promise<void> {
  const device = (id: string): LabDevice => deviceOf(w, id);
  if (f.kind === 'kill-device' || f.kind === 'revive-device') {
    const d = device(f.deviceId);
    if (f.kind === 'kill-device') w.state.dead.add(f.deviceId);
    else w.state.dead.delete(f.deviceId);
    await settle(w, installer, peers, [d]);
  } else if (f.kind === 'install-hang' || f.kind === 'install-fail' || f.kind === 'install-normal') {
    installer.setFault(serverOf(w, f.deviceId, f.kind), f.kind === 'install-normal' ? null : f.kind);
  } else if (f.kind === 'link-down' || f.kind === 'link-up') {
    const d = device(f.deviceId);
    const first = d.interfaces[0];
    if (!first) throw new Error(`lab: device "${f.deviceId}" has no interface`);
    const up = f.kind === 'link-up';
    const changed = first.up !== up;
    first.up = up;
    if (up) w.state.linksDown.delete(f.deviceId);
    else w.state.linksDown.add(f.deviceId);
    if (changed) for (const p of peers) p.linkChanged?.(d, up);
  } else if (f.kind === 'trip-pdu' || f.kind === 'restore-pdu') {
    if (!w.cabinets.has(f.cabinetId)) throw new Error(`lab: no cabinet "${f.cabinetId}"`);
    const feed = f.feed;
    if (feed === undefined) {
      if (f.kind === 'trip-pdu') w.state.tripped.add(f.cabinetId);
      else w.state.restoreCabinet(f.cabinetId);
    } else {
      if (feed !== 'A' && feed !== 'B') throw new Error(`lab: feed must be "A" or "B", got ${JSON.stringify(feed)}`);
      const has = w.state.cabling.feeds(f.cabinetId);
      if (!has.includes(feed)) throw new Error(`lab: cabinet "${f.cabinetId}" has no feed ${feed} (its feeds: ${has.join(', ') || 'none'})`);
      if (f.kind === 'trip-pdu') w.state.tripFeed(f.cabinetId, feed);
      else w.state.restoreFeed(f.cabinetId, feed);
    }
    await settle(w, installer, peers, w.byCabinet.get(f.cabinetId) ?? []);
  } else {
    throw new Error(`lab: unknown fault ${JSON.stringify(f)}`);
  }
}

export interface LabFleetHooks {
  /** Says how auto resolved when it fell back, and where the devices listen (default: nowhere). */
  log?: (line: string) => void;
  /** The bind test behind 'auto' (tests inject one). */
  probe?: BindProbe;
  /** How long a PXE boot without an install profile waits before booting from disk (default PXE_TIMEOUT_MS). */
  pxeTimeoutMs?: number;
  /** Waits between install callback attempts (default CALLBACK_BACKOFF_MS). */
  callbackBackoffMs?: readonly number[];
}

/** Starts the lab; `kinds` defaults to every registered peer kind. */
export async function startLabFleet(given: LabStartOptions, kinds: readonly LabPeerKind[] = LAB_PEER_KINDS, hooks: LabFleetHooks = {}): Promise<LabFleet> {
  const t0 = performance.now();
  const log = hooks.log ?? (() => {});
  const first = labAddress(given.addressPrefix, 0);
  const loopback = await resolveLoopback(given.loopback ?? 'auto', [first, labBmcAddress(first)], log, hooks.probe ?? probeBind);
  const options = { ...given, loopback };
  const inventory = generateLab(options.seed, options.size, {
    addressPrefix: options.addressPrefix, snmpPort: options.snmpPort, loopback, singlePortBase: options.singlePortBase,
  });
  if (loopback === 'single') log(`single-address mode: ${inventory.devices.length} devices on ${SINGLE_ADDRESS}, ${describeSinglePlan(inventory.devices.length, options.singlePortBase)}`);
  const world = createWorld(inventory, options.seed);
  const memory: LabMemory = openLabMemory({
    path: options.stateFile, log, owner: { seed: options.seed, devices: world.devices.length, has: (id) => world.byId.has(id) },
  });
  restoreIdentities(world, memory.saved.identities);
  memory.source('identities', () => savedIdentities(world.state.installedIdentities()));
  const serial = serialQueue();
  let closed = false;
  // Empty until every kind has started: a power change before then only updates the state.
  let peers: readonly LabPeers[] = [];

  const servers = Object.fromEntries(Object.entries(memory.saved.installer).filter(([id]) => world.byId.get(id)?.device.kind === 'server'));
  const installer = createLabInstaller({
    state: world.state,
    queue: serial,
    reconcile: (d) => reconcile(peers, [d]).then(() => undefined),
    pxeTimeoutMs: hooks.pxeTimeoutMs,
    callbackBackoffMs: hooks.callbackBackoffMs,
    log,
    saved: servers,
    device: (id) => world.byId.get(id),
    changed: memory.changed,
  });
  memory.source('installer', () => installer.snapshot());

  const setHostPower = (deviceId: string, on: boolean, boot?: BootTarget): Promise<void> => serial(async () => {
    const d = world.byId.get(deviceId);
    if (!d || closed) return;
    if (on) world.state.poweredOff.delete(deviceId);
    else world.state.poweredOff.add(deviceId);
    if (on && boot !== undefined && world.state.hostUp(d.device)) installer.booted(d, boot);
    await settle(world, installer, peers, [d]);
  });

  // A reset reboots a running host: its SNMP and SSH go down and come up again (from PXE: the installer).
  const resetHost = (deviceId: string, boot: BootTarget): Promise<void> => serial(async () => {
    const d = world.byId.get(deviceId);
    if (!d || closed || !world.state.hostUp(d.device)) return;
    world.state.quiet.add(deviceId);
    await reconcile(peers, [d]);
    world.state.quiet.delete(deviceId);
    installer.booted(d, boot); // quiet again while it installs or waits for a PXE entry
    await reconcile(peers, [d]);
  });

  const targets = loopback === 'aliases' ? labProbeTargets(options.addressPrefix) : null;
  const network = createLabNetwork(inventory, options.seed, targets ? { addr: targets.resolvers[0].addr, instances: targets.resolverInstances.map((i) => i.addr) } : null);
  const ctx: LabContext = {
    options,
    loopback,
    credentials: labCredentials(options.seed),
    inventory,
    network,
    devices: world.devices,
    byCabinet: world.byCabinet,
    state: world.state,
    memory,
    setHostPower: (deviceId, on, boot) => void setHostPower(deviceId, on, boot),
    resetHost: (deviceId, boot) => void resetHost(deviceId, boot),
  };
  const started = await startPeerKinds(kinds, ctx);
  peers = started.peers;
  // Restored hosts that are off or not up (installing, hung) go quiet; then what was under way goes on.
  await serial(async () => {
    await reconcile(peers, world.devices.filter((d) => world.state.poweredOff.has(d.device.id) || world.state.quiet.has(d.device.id)));
    for (const p of peers) p.resume?.();
    installer.resume();
  });
  const status = (): LabStatus => {
    const base = world.state.status(!closed, world.devices.length);
    const installs = installer.status();
    const net = network.faults().map((x) => ({ component: x.componentId, loss: x.loss, delayMs: x.extraDelayUs / 1000 }));
    return { ...base, ...(installs.length ? { installs } : {}), ...(net.length ? { netFaults: net } : {}) };
  };

  return {
    inventory,
    options,
    startMs: performance.now() - t0,
    agents: world.devices.length,
    credentials: ctx.credentials,
    fault: (f) => serial(async () => {
      if (closed) throw new Error('lab: closed');
      if (f.kind === 'net-fault') applyNetFault(network, f);
      else await applyFault(world, installer, peers, f);
      memory.flush(); // on disk before the core hears of it
      return status();
    }),
    setHostPower,
    setInstallProfile: (deviceId, profile) => serial(async () => {
      if (closed) throw new Error('lab: closed');
      const d = serverOf(world, deviceId, 'an install profile');
      const problems = profile ? installProfileProblems(profile) : [];
      if (problems.length) throw new Error(`lab: install profile for "${deviceId}" refused: ${problems.join('; ')}`);
      installer.setProfile(d, profile ? structuredClone(profile) : null);
      memory.flush();
      return status();
    }),
    setTrapTarget: (target) => {
      for (const p of peers) p.setTrapTarget?.(target);
    },
    status,
    close: () => serial(async () => {
      closed = true;
      memory.close(); // what closing tears down (installs, timers, callbacks) is not the hosts' fate
      await installer.close();
      await started.dispose();
    }),
  };
}
