// What the provisioning tools (issue 12: server online, offline, arrival stress test,
// inspection) need from the rest of the core, as narrow interfaces create-core fills in from
// the store and the capabilities: the inventory's device records, the BMC service (IPMI
// reads and control actions), the SSH pool with the host-key repository and the credential
// binding check, the CMDB (device lifecycle and hostname), the audit trail, and the PXE
// server an install is staged on (the lab's, or a hook for a real fleet's: FleetDeck runs no
// PXE/kickstart server itself). Also small helpers every tool shares.
import type { Device, Role } from '../../../src-shared/domain';
import { FleetDeckError, NotFoundError } from '../../../src-shared/errors';
import type { BmcService } from '../device-control/bmc-service';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { HostKeyStore, SshPool } from '../protocols/ssh';

/** The lifecycle states as the CMDB names them (src-shared/domain/device-lifecycle.ts). */
export const CMDB_STATES = ['racked', 'provisioning', 'online', 'offline', 'maintenance', 'retired'] as const;
export type CmdbState = (typeof CMDB_STATES)[number];

/**
 * The "CMDB status" the seed's steps check and change: the inventory's device lifecycle.
 * storeCmdb (cmdb-store.ts) backs it with the store's lifecycle repository.
 */
export interface ProvisioningCmdb {
  /** The device's lifecycle now; null when there is no such device. */
  lifecycle(deviceId: string): CmdbState | null;
  /**
   * Moves the device to `to` (compare-and-set on expectedFrom when given) and, with a
   * hostname, renames it in the same transaction; throws the repository's CONFLICT naming
   * the state it found. changed: 0 when it already was in `to` (and had that hostname).
   */
  move(req: { deviceId: string; to: CmdbState; expectedFrom?: CmdbState; hostname?: string; actor: string }): { changed: boolean; from: CmdbState; hostnameBefore: string };
}

/** An audit entry a tool writes under the run's actor (create-core: store.audit.record with the role). */
export interface ProvisioningAuditEntry {
  readonly actor: string;
  /** The role the run was launched with (ToolContext.role); absent when the engine did not say. */
  readonly role?: Role;
  readonly action: string;
  readonly target: string;
  readonly outcome: 'succeeded' | 'failed' | 'refused';
  readonly detail: string;
}

/** What an install asks of the PXE server: the image, the hostname, where the installer reports. */
export interface InstallRequest {
  readonly deviceId: string;
  readonly sn: string;
  readonly os: string;
  readonly hostname: string;
  /** The lab's simulated install time; a real PXE server ignores it. */
  readonly durationMs: number;
  /** Where the installer POSTs {sn, hostname, os, status} when it ends; null: no inbound HTTP (the step's SSH check finishes it). */
  readonly callbackUrl: string | null;
}

/**
 * The PXE server an install is staged on before the server is booted from the network.
 * The lab's (labPxe, lab-pxe.ts) hands the lab an install profile; a real fleet's PXE or
 * kickstart server is outside FleetDeck, so create-core takes a hook from its config.
 */
export interface PxeServer {
  /** Stages the install for the device's next PXE boot; throws (a clear reason) when refused. */
  stage(req: InstallRequest): Promise<void>;
  /** Takes a staged install back (the attempt failed before the boot); optional. */
  unstage?(deviceId: string): Promise<void>;
}

export interface ProvisioningDeps {
  /** The inventory's device record (store.inventory.device). */
  device(id: string): Device | null;
  /** IPMI through the console's BMC service (device-control: sessions, binding check, control events). */
  bmc: Pick<BmcService, 'info' | 'power' | 'bootDevice'>;
  /** The console's SSH pool (run.ssh.pool), pinning host keys in `hostKeys`. */
  ssh: { readonly pool: SshPool };
  /** The store's host-key repository the pool pins in (store.hostKeys). */
  hostKeys: HostKeyStore;
  /** The binding check before any SSH dial (credentials.resolver). */
  credentials: Pick<CredentialResolver, 'requireBound'>;
  cmdb: ProvisioningCmdb;
  audit(entry: ProvisioningAuditEntry): void;
  /** Where installs are staged; null: none configured (os.install refuses, naming why). */
  pxe: PxeServer | null;
  /** fping's path; undefined: looked up on PATH; null: never use ICMP. */
  fpingPath?: string | null;
  /** Time source for durations and report ages (tests pass a fixed one); default Date.now. */
  now?: () => number;
}

/** The device, or NOT_FOUND naming the id. */
export function deviceOf(deps: Pick<ProvisioningDeps, 'device'>, id: string): Device {
  const dev = deps.device(id);
  if (!dev) throw new NotFoundError('device', id);
  return dev;
}

/** A device's name for log lines: "hostname (id)". */
export const named = (dev: Pick<Device, 'id' | 'hostname'>): string => (dev.hostname === dev.id ? dev.id : `${dev.hostname} (${dev.id})`);

/** Rejects with the signal's reason once it aborts; the promise itself runs on (its result is dropped). */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return new FleetDeckError('UNAVAILABLE', `stopped: ${r instanceof Error ? r.message : 'the step was cancelled'}`);
}

/** Waits ms, or rejects when the signal aborts (the timer cleared). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The message of anything thrown. */
export const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));
