// Messages between the core and the lab fleet process (a forked child). The core never
// imports lab code: it forks the lab, sends it these messages, and reaches the simulated
// devices only through the real protocols (SNMP and IPMI on loopback UDP, SSH on TCP).
import type { InventoryDocument, LabFault, LabInstallProfile, LabStatus } from './domain';

export interface LabSize {
  sites: number;
  roomsPerSite: number;
  rowsPerRoom: number;
  cabinetsPerRow: number;
  /** Total devices, PDUs and row switches included. */
  devices: number;
}

/**
 * Credential ids the lab's devices reference (Device.snmpCredential, sshCredential,
 * ipmiCredential). The lab sets them on its inventory; the core stores the lab's secrets
 * (the community it chose, the logins of the ready message) under the same ids.
 */
export const LAB_SNMP_CREDENTIAL = 'lab-snmp';
export const LAB_SSH_CREDENTIAL = 'lab-ssh';
export const LAB_IPMI_CREDENTIAL = 'lab-ipmi';

export const DEFAULT_LAB_SIZE: LabSize = { sites: 2, roomsPerSite: 3, rowsPerRoom: 5, cabinetsPerRow: 10, devices: 3000 };

/** Where lab devices listen: own loopback aliases, all on 127.0.0.1 with own ports, or aliases when they can be bound. */
export type LabLoopback = 'aliases' | 'single' | 'auto';

export interface LabStartOptions {
  seed: number;
  size: LabSize;
  /** SNMP v2c community the lab agents answer to. */
  community: string;
  /** UDP port every lab agent listens on, each on its own loopback address. */
  snmpPort: number;
  /** First octets of the loopback range the lab places devices in, e.g. "127.16". */
  addressPrefix: string;
  /** Absent: 'auto'. In single mode snmpPort and addressPrefix are not used: the lab's port plan is. */
  loopback?: LabLoopback;
  /** Single mode: first port of the lab's port plan (default 20000; tests move it). */
  singlePortBase?: number;
  /** Where the lab keeps its hosts' state over restarts (installs, BMC power and boot flags); absent: nowhere. */
  stateFile?: string;
}

export type CoreToLab =
  | { type: 'start'; options: LabStartOptions }
  | { type: 'fault'; id: number; fault: LabFault }
  | { type: 'status'; id: number }
  /** What the lab's PXE server holds for a server (null: nothing); answered with a status. */
  | { type: 'install-profile'; id: number; deviceId: string; profile: LabInstallProfile | null }
  /** Where the lab's devices send traps (the core's receiver); null: nowhere. */
  | { type: 'traps'; target: { host: string; port: number } | null }
  | { type: 'stop' };

/** Logins the lab's hosts and BMCs accept: the core stores them in its credential store. */
export interface LabCredentials {
  ssh: { username: string; password: string };
  ipmi: { username: string; password: string };
}

export type LabToCore =
  | { type: 'ready'; inventory: InventoryDocument; agents: number; startMs: number; credentials: LabCredentials }
  | { type: 'status'; id: number; status: LabStatus }
  | { type: 'error'; id?: number; message: string };
