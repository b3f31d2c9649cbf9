// What a lab server says about itself over SSH: distribution, kernel, CPUs, memory, load,
// installed packages. Derived from the host's id, so the same lab always tells the same
// story; values that move (uptime, load, free memory) are computed from the clock. The
// distribution and kernel are the host's one OS identity (host-os.ts), which its SNMP
// agent reports too; a reinstalled host keeps its hardware and gets the new OS's packages.
import { createRng, hashString } from '../../../src-shared/random';
import { hostOsFor, type LabDistro, type LabHostOs } from '../host-os';

export type { LabDistro };

export interface LabHostFacts extends LabHostOs {
  cpus: number;
  cpuModel: string;
  memKb: number;
  /** [name, version, architecture, description] */
  packages: ReadonlyArray<readonly [string, string, string, string]>;
  /** Mean 1-minute load per CPU, 0..1, and a phase so hosts do not move in step. */
  loadShare: number;
  phase: number;
}

const CPU_MODELS = [
  { model: 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', mhz: 2000, cpus: [64, 128] },
  { model: 'Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz', mhz: 2400, cpus: [32, 64] },
  { model: 'AMD EPYC 7543 32-Core Processor', mhz: 2800, cpus: [64, 128] },
  { model: 'AMD EPYC 9354 32-Core Processor', mhz: 3250, cpus: [64, 128] },
];

const DEB: ReadonlyArray<readonly [string, string, string]> = [
  ['adduser', 'all', 'add and remove users and groups'], ['apt', 'amd64', 'commandline package manager'],
  ['base-files', 'amd64', 'Debian base system miscellaneous files'], ['bash', 'amd64', 'GNU Bourne Again SHell'],
  ['chrony', 'amd64', 'Versatile implementation of the Network Time Protocol'], ['coreutils', 'amd64', 'GNU core utilities'],
  ['curl', 'amd64', 'command line tool for transferring data with URL syntax'], ['dmidecode', 'amd64', 'SMBIOS/DMI table decoder'],
  ['ethtool', 'amd64', 'display or change Ethernet device settings'], ['ipmitool', 'amd64', 'utility for IPMI control with kernel driver or LAN interface'],
  ['iproute2', 'amd64', 'networking and traffic control tools'], ['libc6', 'amd64', 'GNU C Library: Shared libraries'],
  ['libssl3', 'amd64', 'Secure Sockets Layer toolkit - shared libraries'], ['lldpd', 'amd64', 'implementation of IEEE 802.1ab (LLDP)'],
  ['lvm2', 'amd64', 'Linux Logical Volume Manager'], ['mdadm', 'amd64', 'tool to administer Linux MD arrays (software RAID)'],
  ['nvme-cli', 'amd64', 'NVMe management command line interface'], ['openssh-server', 'amd64', 'secure shell (SSH) server, for secure access from remote machines'],
  ['prometheus-node-exporter', 'amd64', 'Prometheus exporter for machine metrics'], ['python3', 'amd64', 'interactive high-level object-oriented language (default python3 version)'],
  ['rsyslog', 'amd64', 'reliable system and kernel logging daemon'], ['smartmontools', 'amd64', 'control and monitor storage systems using S.M.A.R.T.'],
  ['snmpd', 'amd64', 'SNMP (Simple Network Management Protocol) agents'], ['sudo', 'amd64', 'Provide limited super user privileges to specific users'],
  ['systemd', 'amd64', 'system and service manager'], ['tcpdump', 'amd64', 'command-line network traffic analyzer'],
  ['tzdata', 'all', 'time zone and daylight-saving time data'], ['vim-tiny', 'amd64', 'Vi IMproved - enhanced vi editor - compact version'],
];

const DEB_VERSIONS: Record<'ubuntu' | 'debian', Record<string, string>> = {
  ubuntu: { adduser: '3.118ubuntu5', apt: '2.4.12', 'base-files': '12ubuntu4.6', bash: '5.1-6ubuntu1.1', chrony: '4.2-2ubuntu2', coreutils: '8.32-4.1ubuntu1.2',
    curl: '7.81.0-1ubuntu1.16', dmidecode: '3.3-3ubuntu0.1', ethtool: '1:5.16-1ubuntu0.1', ipmitool: '1.8.18-11ubuntu2.1', iproute2: '5.15.0-1ubuntu2',
    libc6: '2.35-0ubuntu3.7', libssl3: '3.0.2-0ubuntu1.15', lldpd: '1.0.13-1', lvm2: '2.03.11-2.1ubuntu4', mdadm: '4.2-0ubuntu2', 'nvme-cli': '1.16-3ubuntu0.1',
    'openssh-server': '1:8.9p1-3ubuntu0.7', 'prometheus-node-exporter': '1.3.1-1ubuntu0.22.04.2', python3: '3.10.6-1~22.04', rsyslog: '8.2112.0-2ubuntu2.2',
    smartmontools: '7.2-1ubuntu0.1', snmpd: '5.9.1+dfsg-1ubuntu2.6', sudo: '1.9.9-1ubuntu2.4', systemd: '249.11-0ubuntu3.12', tcpdump: '4.99.1-3ubuntu0.2',
    tzdata: '2024a-0ubuntu0.22.04', 'vim-tiny': '2:8.2.3995-1ubuntu2.16' },
  debian: { adduser: '3.134', apt: '2.6.1', 'base-files': '12.4+deb12u5', bash: '5.2.15-2+b2', chrony: '4.3-2+deb12u1', coreutils: '9.1-1',
    curl: '7.88.1-10+deb12u5', dmidecode: '3.4-1', ethtool: '1:6.1-1', ipmitool: '1.8.19-4+deb12u1', iproute2: '6.1.0-3', libc6: '2.36-9+deb12u7',
    libssl3: '3.0.11-1~deb12u2', lldpd: '1.0.16-1+deb12u1', lvm2: '2.03.16-2', mdadm: '4.2-5', 'nvme-cli': '2.4+really2.3-3', 'openssh-server': '1:9.2p1-2+deb12u2',
    'prometheus-node-exporter': '1.5.0-1+b6', python3: '3.11.2-1+b1', rsyslog: '8.2302.0-1', smartmontools: '7.3-pre1-1', snmpd: '5.9.3+dfsg-2',
    sudo: '1.9.13p3-1+deb12u1', systemd: '252.22-1~deb12u1', tcpdump: '4.99.3-1', tzdata: '2024a-0+deb12u1', 'vim-tiny': '2:9.0.1378-2' },
};

const RPM: ReadonlyArray<readonly [string, string, string, string]> = [
  ['bash', '5.1.8-6.el9_1', 'x86_64', 'The GNU Bourne Again shell'], ['chrony', '4.3-1.el9', 'x86_64', 'An NTP client/server'],
  ['coreutils', '8.32-34.el9', 'x86_64', 'A set of basic GNU tools commonly used in shell scripts'], ['curl', '7.76.1-26.el9_3.3', 'x86_64', 'A utility for getting files from remote servers'],
  ['dmidecode', '3.5-1.el9', 'x86_64', 'Tool to analyse BIOS DMI data'], ['dnf', '4.14.0-8.el9', 'noarch', 'Package manager'],
  ['ethtool', '6.2-1.el9', 'x86_64', 'Settings tool for Ethernet NICs'], ['glibc', '2.34-83.el9.12', 'x86_64', 'The GNU libc libraries'],
  ['ipmitool', '1.8.18-25.el9', 'x86_64', 'Utility for IPMI control'], ['iproute', '6.2.0-5.el9', 'x86_64', 'Advanced IP routing and network device configuration tools'],
  ['kernel', '5.14.0-362.24.1.el9_3', 'x86_64', 'The Linux kernel'], ['lvm2', '2.03.21-3.el9', 'x86_64', 'Userland logical volume management tools'],
  ['mdadm', '4.2-8.el9', 'x86_64', 'The mdadm program controls Linux md devices (software RAID arrays)'], ['nvme-cli', '2.4-10.el9', 'x86_64', 'NVMe management command line interface'],
  ['openssh-server', '8.7p1-34.el9_3.3', 'x86_64', 'An open source SSH server daemon'], ['openssl-libs', '3.0.7-25.el9_3', 'x86_64', 'A general purpose cryptography library with TLS implementation'],
  ['python3', '3.9.18-1.el9_3.1', 'x86_64', 'Python 3.9 interpreter'], ['rocky-release', '9.3-1.2.el9', 'noarch', 'Rocky Linux release files'],
  ['rsyslog', '8.2102.0-117.el9', 'x86_64', 'Enhanced system logging and kernel message trapping daemon'], ['smartmontools', '7.2-7.el9', 'x86_64', 'Tools for monitoring SMART capable hard disks'],
  ['net-snmp', '5.9.1-11.el9_3.1', 'x86_64', 'A collection of SNMP protocol tools and libraries'], ['sudo', '1.9.5p2-9.el9', 'x86_64', 'Allows restricted root access for specified users'],
  ['systemd', '252-18.el9', 'x86_64', 'System and Service Manager'], ['tcpdump', '4.99.0-7.el9', 'x86_64', 'A network traffic monitoring tool'],
  ['tzdata', '2024a-1.el9', 'noarch', 'Timezone data'], ['vim-minimal', '8.2.2637-20.el9_1', 'x86_64', 'A minimal version of the VIM editor'],
];

/** The host's facts; `os` defaults to the one the lab gives the host (a PXE install passes its own). */
export function factsFor(hostId: string, os: LabHostOs = hostOsFor(hostId)): LabHostFacts {
  const rnd = createRng(hashString(`ssh-facts/${hostId}`));
  const { distro } = os;
  const cpu = CPU_MODELS[Math.floor(rnd() * CPU_MODELS.length)];
  const packages = distro === 'rocky' ? RPM : DEB.map(([n, arch, desc]) => [n, DEB_VERSIONS[distro][n], arch, desc] as const);
  return {
    ...os,
    cpus: cpu.cpus[Math.floor(rnd() * cpu.cpus.length)],
    cpuModel: cpu.model,
    memKb: [128, 256, 384, 512][Math.floor(rnd() * 4)] * 1024 * 1024 - 2_000_000 - Math.floor(rnd() * 400_000),
    packages,
    loadShare: 0.05 + rnd() * 0.6,
    phase: rnd() * 3600,
  };
}

/** 1, 5 and 15 minute load averages at epochMs: slow waves around the host's mean. */
export function loadAverages(f: LabHostFacts, epochMs: number): [number, number, number] {
  const t = epochMs / 1000 + f.phase;
  const mean = f.loadShare * f.cpus;
  const at = (period: number, amp: number): number => Math.max(0, mean * (1 + amp * Math.sin((2 * Math.PI * t) / period)));
  return [at(600, 0.25), at(1800, 0.15), at(5400, 0.08)];
}

export function formatUptime(uptimeSec: number, epochMs: number, users: number, load: readonly number[]): string {
  const now = new Date(epochMs);
  const clock = [now.getHours(), now.getMinutes(), now.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
  const days = Math.floor(uptimeSec / 86_400);
  const h = Math.floor((uptimeSec % 86_400) / 3600);
  const m = Math.floor((uptimeSec % 3600) / 60);
  const hm = h > 0 ? `${h}:${String(m).padStart(2, '0')}` : `${m} min`;
  const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hm.padStart(5)}` : hm;
  return ` ${clock} up ${up},  ${users} user${users === 1 ? '' : 's'},  load average: ${load.map((l) => l.toFixed(2)).join(', ')}`;
}

export function meminfo(f: LabHostFacts, epochMs: number): string {
  const used = Math.floor(f.memKb * (0.35 + 0.1 * Math.sin(epochMs / 3_600_000 + f.phase)));
  const cached = Math.floor(f.memKb * 0.3);
  const free = f.memKb - used - cached;
  const rows: Array<[string, number]> = [
    ['MemTotal', f.memKb], ['MemFree', free], ['MemAvailable', free + Math.floor(cached * 0.9)], ['Buffers', Math.floor(f.memKb * 0.01)],
    ['Cached', cached], ['SwapCached', 0], ['Active', Math.floor(used * 0.7)], ['Inactive', Math.floor(cached * 0.6)],
    ['SwapTotal', 8_388_604], ['SwapFree', 8_388_604], ['Dirty', 1_204], ['Shmem', 52_000],
    ['Slab', Math.floor(f.memKb * 0.015)], ['PageTables', Math.floor(used * 0.004)], ['HugePages_Total', 0],
  ];
  return rows.map(([k, v]) => `${`${k}:`.padEnd(16)}${String(v).padStart(8)}${k.startsWith('HugePages') ? '' : ' kB'}\n`).join('');
}

export function cpuinfo(f: LabHostFacts): string {
  const cores = f.cpus / 2;
  const blocks: string[] = [];
  for (let p = 0; p < f.cpus; p++) {
    blocks.push([
      `processor\t: ${p}`, `vendor_id\t: ${f.cpuModel.startsWith('AMD') ? 'AuthenticAMD' : 'GenuineIntel'}`,
      `model name\t: ${f.cpuModel}`, `physical id\t: ${Math.floor(p / cores) % 2}`, `siblings\t: ${cores}`,
      `core id\t\t: ${p % (cores / 2)}`, `cpu cores\t: ${cores / 2}`, 'flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc nopl xtopology nonstop_tsc cpuid pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm abm avx2 bmi1 bmi2',
      'bogomips\t: 4000.00', '',
    ].join('\n'));
  }
  return `${blocks.join('\n')}\n`;
}

export function osRelease(f: LabHostFacts): string {
  const id = f.distro;
  const like = id === 'ubuntu' ? 'ID_LIKE=debian\n' : id === 'rocky' ? 'ID_LIKE="rhel centos fedora"\n' : '';
  return `PRETTY_NAME="${f.prettyName}"\nNAME="${f.prettyName.replace(/ \d.*$/, '')}"\nVERSION_ID="${f.versionId}"\nID=${id}\n${like}`;
}

export function dpkgList(f: LabHostFacts): string {
  const w = Math.max(...f.packages.map((p) => p[0].length), 4);
  const v = Math.max(...f.packages.map((p) => p[1].length), 7);
  const head = 'Desired=Unknown/Install/Remove/Purge/Hold\n' +
    '| Status=Not/Inst/Conf-files/Unpacked/halF-conf/Half-inst/trig-aWait/Trig-pend\n' +
    '|/ Err?=(none)/Reinst-required (Status,Err: uppercase=bad)\n' +
    `||/ ${'Name'.padEnd(w)} ${'Version'.padEnd(v)} Architecture Description\n` +
    `+++-${'='.repeat(w)}-${'='.repeat(v)}-============-${'='.repeat(40)}\n`;
  return head + f.packages.map(([n, ver, arch, desc]) => `ii  ${n.padEnd(w)} ${ver.padEnd(v)} ${arch.padEnd(12)} ${desc}\n`).join('');
}

export function rpmList(f: LabHostFacts): string {
  return f.packages.map(([n, ver, arch]) => `${n}-${ver}.${arch}\n`).join('');
}
