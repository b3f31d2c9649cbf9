// The shape every kind of lab peer (SNMP agents, BMCs, SSH hosts; agents and gateways
// later) has, the context they start in, and the start of a list of kinds: all or none.
// A kind that keeps state across restarts (the BMCs' chassis state) restores it from
// ctx.memory.saved, registers a snapshot with ctx.memory.source, calls ctx.memory.changed()
// when it moves, and carries on what was under way in resume().
import { DisposableStore, type AsyncDisposable } from '../../src-shared/lifecycle';
import type { InventoryDocument } from '../../src-shared/domain';
import type { LabCredentials, LabStartOptions } from '../../src-shared/lab-protocol';
import type { LabNetwork } from './probes/lab-network';
import type { BootTarget } from './bmc/bmc-state';
import type { LabDevice } from './lab-device';
import type { LabState } from './lab-state';
import type { LabMemory } from './memory/lab-memory';

/** Where the lab's devices send notifications: the core's trap receiver. */
export interface TrapTarget {
  host: string;
  port: number;
}

/** What a peer kind starts with. */
export interface LabContext {
  readonly options: LabStartOptions;
  /** Where the devices listen, auto already resolved: own aliases, or 127.0.0.1 with ports of their own. */
  readonly loopback: 'aliases' | 'single';
  readonly credentials: LabCredentials;
  /** The lab's generated inventory. */
  readonly inventory: InventoryDocument;
  /** The network model between the lab's hosts: lab agents probe through it, net-fault changes it. */
  readonly network: LabNetwork;
  /** Every device of the inventory, in inventory order. */
  readonly devices: readonly LabDevice[];
  /** The devices of each cabinet, in inventory order. */
  readonly byCabinet: ReadonlyMap<string, readonly LabDevice[]>;
  readonly state: LabState;
  /** The lab's state file: what each kind saved before the last restart, and where it saves now. */
  readonly memory: Pick<LabMemory, 'saved' | 'source' | 'changed'>;
  /**
   * A BMC turned its host off or on (booting from `boot`: the boot flags' override, or null
   * for the disk): the lab brings the host's peers in line (queued with the faults).
   */
  setHostPower(deviceId: string, on: boolean, boot?: BootTarget): void;
  /** A BMC reset its running host: it boots again from `boot`. */
  resetHost(deviceId: string, boot: BootTarget): void;
}

/** The running peers of one kind. Disposing stops every one of them. */
export interface LabPeers extends AsyncDisposable {
  /** Brings this kind's peer of the device (if it has one) in line with the lab state. */
  reconcile(d: LabDevice): Promise<void>;
  /** The device's first link went down or up (its interface already says so). */
  linkChanged?(d: LabDevice, up: boolean): void;
  /** Where notifications go from now on; null: nowhere. */
  setTrapTarget?(target: TrapTarget | null): void;
  /** Once every kind has started: carry on what was under way when the lab last stopped (a restored power cycle). */
  resume?(): void;
}

/** One kind of lab peer: a folder under lab/ and a line in peer-kinds.ts. */
export interface LabPeerKind {
  readonly kind: string;
  /** Starts every peer of this kind, or none: a kind that fails cleans up after itself, then throws. */
  start(ctx: LabContext): Promise<LabPeers>;
}

export interface StartedPeers extends AsyncDisposable {
  /** In start order. */
  readonly peers: readonly LabPeers[];
}

/**
 * Starts the kinds one after another. If one fails, the kinds already started are disposed
 * in reverse order and its error is thrown; disposing the result stops them likewise, once.
 */
export async function startPeerKinds(kinds: readonly LabPeerKind[], ctx: LabContext): Promise<StartedPeers> {
  const store = new DisposableStore();
  const peers: LabPeers[] = [];
  for (const kind of kinds) {
    try {
      peers.push(store.add(await kind.start(ctx)));
    } catch (err) {
      // The start error is the one worth reporting; a failing stop cannot add to it.
      await store.dispose().catch(() => undefined);
      throw err;
    }
  }
  return { peers, dispose: () => store.dispose() };
}

/** Starts every peer, or none: on any failure every peer is stopped and one error says how many failed. */
export async function startAllOrNone(peers: readonly { start(): Promise<void>; stop(): Promise<void> }[], what: string): Promise<void> {
  const started = await Promise.allSettled(peers.map((p) => p.start()));
  const failed = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed.length) return;
  await Promise.all(peers.map((p) => p.stop()));
  const first = failed[0].reason as { message?: unknown } | undefined;
  throw new Error(`lab: ${failed.length} of ${peers.length} ${what} failed to start; first: ${String(first?.message ?? first)}`);
}
