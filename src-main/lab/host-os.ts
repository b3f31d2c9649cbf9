// One operating system per lab server, shared by every peer that talks about it: the SNMP
// agent's sysDescr, SSH's `uname`, /etc/os-release, /proc/version and the SSH banner all
// come from this identity, drawn from the device id, so one host never tells two stories.
// A PXE install (install/) replaces it with one of the lab's OS templates.
import type { LabOsTemplate } from '../../src-shared/domain';
import { createRng, hashString } from '../../src-shared/random';

export type LabDistro = 'ubuntu' | 'debian' | 'rocky';

export interface LabHostOs {
  distro: LabDistro;
  prettyName: string;
  versionId: string;
  /** `uname -r` */
  kernel: string;
  /** `uname -v` */
  kernelBuild: string;
  /** `uname -m` */
  machine: 'x86_64';
  /** The SSH identification string's software version (OpenSSH as that distribution ships it). */
  sshIdent: string;
  /**
   * Whether `uname -p` / `-i` name the machine: Ubuntu's and RHEL's coreutils are patched to;
   * Debian's say "unknown", and `uname -a` leaves them out.
   */
  unameHardware: boolean;
}

type DistroOs = Omit<LabHostOs, 'distro' | 'machine'>;

const DISTROS: Record<LabDistro, DistroOs> = {
  ubuntu: {
    prettyName: 'Ubuntu 22.04.4 LTS', versionId: '22.04', kernel: '5.15.0-105-generic',
    kernelBuild: '#115-Ubuntu SMP Mon Apr 15 09:52:04 UTC 2024', sshIdent: 'OpenSSH_8.9p1 Ubuntu-3ubuntu0.7', unameHardware: true,
  },
  debian: {
    prettyName: 'Debian GNU/Linux 12 (bookworm)', versionId: '12', kernel: '6.1.0-21-amd64',
    kernelBuild: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.90-1 (2024-05-03)', sshIdent: 'OpenSSH_9.2p1 Debian-2+deb12u2', unameHardware: false,
  },
  rocky: {
    prettyName: 'Rocky Linux 9.3 (Blue Onyx)', versionId: '9.3', kernel: '5.14.0-362.24.1.el9_3.x86_64',
    kernelBuild: '#1 SMP PREEMPT_DYNAMIC Wed Mar 20 14:23:43 UTC 2024', sshIdent: 'OpenSSH_8.7', unameHardware: true,
  },
};

/** What the lab's PXE server installs for each template. */
const TEMPLATES: Record<LabOsTemplate, LabHostOs> = {
  'ubuntu-22.04': { distro: 'ubuntu', machine: 'x86_64', ...DISTROS.ubuntu },
  'ubuntu-24.04': {
    distro: 'ubuntu', machine: 'x86_64', prettyName: 'Ubuntu 24.04.1 LTS', versionId: '24.04', kernel: '6.8.0-45-generic',
    kernelBuild: '#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024', sshIdent: 'OpenSSH_9.6p1 Ubuntu-3ubuntu13.5', unameHardware: true,
  },
  'debian-12': { distro: 'debian', machine: 'x86_64', ...DISTROS.debian },
  'rocky-9': { distro: 'rocky', machine: 'x86_64', ...DISTROS.rocky },
};

/** The OS an install of this template leaves on a server. */
export function templateOs(template: LabOsTemplate): LabHostOs {
  const os = TEMPLATES[template];
  if (!os) throw new Error(`lab: no OS template "${String(template)}" (templates: ${Object.keys(TEMPLATES).join(', ')})`);
  return os;
}

/** The OS a lab server runs: 60 % Ubuntu, 20 % Debian, 20 % Rocky; the same id, the same OS. */
export function hostOsFor(deviceId: string): LabHostOs {
  const roll = createRng(hashString(`host-os/${deviceId}`))();
  const distro: LabDistro = roll < 0.6 ? 'ubuntu' : roll < 0.8 ? 'debian' : 'rocky';
  return { distro, machine: 'x86_64', ...DISTROS[distro] };
}

/**
 * sysDescr as net-snmp's snmpd builds it on Linux: uname's sysname, nodename, release,
 * version and machine, separated by spaces.
 */
export function linuxSysDescr(hostname: string, os: LabHostOs): string {
  return `Linux ${hostname} ${os.kernel} ${os.kernelBuild} ${os.machine}`;
}

/** `uname -a` as the distribution's coreutils prints it: sysDescr's fields, then -p -i (if known) and -o. */
export function unameAll(hostname: string, os: LabHostOs): string {
  const hardware = os.unameHardware ? ` ${os.machine} ${os.machine}` : '';
  return `${linuxSysDescr(hostname, os)}${hardware} GNU/Linux`;
}
