// The embedded lab fleet: the faults an operator can inject, the install profiles its PXE
// server holds (what a real fleet's PXE/kickstart server would), and what the lab reports back.
import type { Feed } from '../power-feeds';

/** Faults aimed at one device, and faults aimed at a whole cabinet. */
export const DEVICE_FAULTS = ['kill-device', 'revive-device', 'link-down', 'link-up', 'install-hang', 'install-fail', 'install-normal'] as const;
export const CABINET_FAULTS = ['trip-pdu', 'restore-pdu'] as const;

export type DeviceFaultKind = (typeof DEVICE_FAULTS)[number];
export type CabinetFaultKind = (typeof CABINET_FAULTS)[number];

/** The install faults a server can carry (install-normal clears them). */
export type LabInstallFault = 'install-hang' | 'install-fail';

/**
 * link-down takes the device's first link down (oper down, admin up): it answers but is degraded.
 * trip-pdu without a feed trips the whole cabinet (every PDU: all its devices lose power);
 * with one, only that feed's PDU, and only the loads whose every PSU is on it go dark (the
 * cabinet must have that feed). restore-pdu with a feed restores that feed; without one, the
 * whole cabinet (its trip and any feed tripped on its own).
 * install-hang / install-fail (servers only) stay on the server until install-normal: each
 * install that ends while one is on hangs (the host stays quiet until its power is cycled,
 * reset or cut) or fails (callback status 'failed', the host comes back with its old OS).
 */
export type LabFault =
  | { readonly kind: DeviceFaultKind; readonly deviceId: string }
  | { readonly kind: CabinetFaultKind; readonly cabinetId: string; readonly feed?: Feed }
  | LabNetFault;

/**
 * A fault in the lab's network model, between the lab hosts' agents (the probe matrix sees it):
 * on a component of the topology, by its id ('host-link:<device>', 'tor:<switch>',
 * 'tor-uplink:<switch>', 'spine:<room>', 'wan:<site>'), a loss share and/or an added one-way
 * delay. Both 0 (or absent) clears it.
 */
export interface LabNetFault {
  readonly kind: 'net-fault';
  readonly component: string;
  readonly loss?: number;
  readonly delayMs?: number;
}

/** The OS images the lab's PXE server can install, by template name. */
export const LAB_OS_TEMPLATES = ['ubuntu-22.04', 'ubuntu-24.04', 'debian-12', 'rocky-9'] as const;
export type LabOsTemplate = (typeof LAB_OS_TEMPLATES)[number];

export const INSTALL_CALLBACK_METHODS = ['POST', 'PUT', 'PATCH'] as const;
export type InstallCallbackMethod = (typeof INSTALL_CALLBACK_METHODS)[number];

/** Longest install a profile may ask for: 6 h. */
export const MAX_INSTALL_MS = 6 * 3_600_000;

/**
 * What the lab's PXE server holds for one server: the image to install, the hostname it gets,
 * how long the install takes, and where the installer reports when it is done (JSON body
 * {sn, hostname, os, status: 'installed' | 'failed'}; absent: no callback).
 */
export interface LabInstallProfile {
  readonly os: LabOsTemplate;
  readonly hostname: string;
  readonly durationMs: number;
  readonly callback?: { readonly url: string; readonly method?: InstallCallbackMethod };
}

/** The body the installer sends to the callback URL. */
export interface LabInstallCallbackBody {
  readonly sn: string;
  readonly hostname: string;
  readonly os: LabOsTemplate;
  readonly status: 'installed' | 'failed';
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Why a callback URL is refused (null: fine). Network hygiene: plain http to a 127.0.0.0/8 or [::1] literal only. */
export function installCallbackProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `callback url "${url}" is not a URL`;
  }
  if (u.protocol !== 'http:') return `callback url "${url}" must be http:// (the lab's installer speaks plain HTTP to a loopback receiver)`;
  const host = u.hostname;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!(host === '[::1]' || (v4 && v4.slice(1).every((o) => Number(o) <= 255)))) {
    return `callback url "${url}": the lab only calls receivers on 127.0.0.0/8 or [::1], not "${host}"`;
  }
  return null;
}

/** Everything wrong with a profile, one line each (empty: fine); for callers that did not go through the API's schema. */
export function installProfileProblems(p: LabInstallProfile): string[] {
  const problems: string[] = [];
  if (!(LAB_OS_TEMPLATES as readonly string[]).includes(p.os)) problems.push(`os "${String(p.os)}" is not one of ${LAB_OS_TEMPLATES.join(', ')}`);
  if (typeof p.hostname !== 'string' || !HOSTNAME.test(p.hostname)) problems.push(`hostname ${JSON.stringify(p.hostname)} is not a valid host name`);
  if (!Number.isInteger(p.durationMs) || p.durationMs < 0 || p.durationMs > MAX_INSTALL_MS) problems.push(`durationMs must be an integer from 0 to ${MAX_INSTALL_MS}, got ${JSON.stringify(p.durationMs)}`);
  if (p.callback !== undefined) {
    const why = typeof p.callback?.url === 'string' ? installCallbackProblem(p.callback.url) : 'callback url is missing';
    if (why) problems.push(why);
    const m = p.callback?.method;
    if (m !== undefined && !(INSTALL_CALLBACK_METHODS as readonly string[]).includes(m)) problems.push(`callback method "${String(m)}" is not one of ${INSTALL_CALLBACK_METHODS.join(', ')}`);
  }
  return problems;
}

/**
 * Where a server's install stands. idle: running whatever it has; installing: the installer
 * runs (SSH and SNMP quiet); hung: an install that will never end (install-hang); pxe-no-entry:
 * it PXE booted without a profile and waits for the PXE timeout before booting from disk.
 */
export type LabInstallPhase = 'idle' | 'installing' | 'hung' | 'pxe-no-entry';

export interface LabInstallStatus {
  readonly deviceId: string;
  readonly phase: LabInstallPhase;
  /** The profile waiting for the server's next PXE boot (used up by a successful install). */
  readonly profile: LabInstallProfile | null;
  readonly fault: LabInstallFault | null;
  /** Installs completed: the OS, hostname and SSH host key follow the latest. */
  readonly installs: number;
  /** What the host runs now: the template last installed (null: the lab's own OS) and its hostname. */
  readonly os: LabOsTemplate | null;
  readonly hostname: string;
  /** The last install that ended (installed or failed) and its callback. */
  readonly last: {
    readonly status: 'installed' | 'failed';
    readonly endedAt: number;
    readonly callback: 'none' | 'sending' | 'delivered' | 'gave-up';
    readonly attempts: number;
    readonly error: string | null;
  } | null;
}

export interface LabStatus {
  readonly running: boolean;
  readonly devices: number;
  readonly deadDevices: readonly string[];
  /** Cabinets tripped whole (trip-pdu without a feed). */
  readonly trippedCabinets: readonly string[];
  /** Feeds tripped on their own (trip-pdu with a feed); absent from a lab that is not running. */
  readonly trippedFeeds?: readonly { readonly cabinetId: string; readonly feed: Feed }[];
  /** Devices whose first link the lab has taken down. */
  readonly linksDown: readonly string[];
  /** Faults in the network model between the lab's hosts (net-fault); absent when none. */
  readonly netFaults?: readonly { readonly component: string; readonly loss: number; readonly delayMs: number }[];
  /** Servers with an install profile, an install fault or an install behind them; absent when there are none. */
  readonly installs?: readonly LabInstallStatus[];
}

/**
 * A status as the API shows it: an install profile's callback URL is a one-time credential
 * (a workflow step's /wf/callback/<token>: whoever holds it can finish or fail the install),
 * so only its origin and the path without its last segment are shown.
 */
export function withHiddenCallbackUrls(status: LabStatus): LabStatus {
  if (!status.installs?.some((i) => i.profile?.callback)) return status;
  const hide = (url: string): string => {
    try {
      const u = new URL(url);
      return `${u.origin}${u.pathname.replace(/[^/]*$/, '')}\u2026`;
    } catch {
      return '\u2026';
    }
  };
  return {
    ...status,
    installs: status.installs.map((i) => (i.profile?.callback ? { ...i, profile: { ...i.profile, callback: { ...i.profile.callback, url: hide(i.profile.callback.url) } } } : i)),
  };
}
