// What system.check asks a host over SSH and how it reads the answer: one command line of
// sections (os-release, kernel, hostname, disks, NICs), each opened by a marker line so one
// missing program (the lab's hosts have no lsblk or ip, a minimal image may lack either)
// costs only its own section. Disks: `lsblk -J` (util-linux >= 2.27), else `lsblk -P` pairs;
// NICs: `ip -j link` (iproute2 >= 4.14), else `ip -o link`, else the names under
// /sys/class/net. Parsers are pure and take real Linux output as it comes.

export const SECTIONS = ['os', 'kernel', 'hostname', 'disks', 'nics', 'sysnet'] as const;
export type Section = (typeof SECTIONS)[number];

const MARK = '@@fleetdeck:';

/** The command line: ';' between sections (a failing one does not stop the rest), '||' for each fallback. */
export function systemCheckCommand(): string {
  const part = (s: Section, cmd: string): string => `echo ${MARK}${s}; ${cmd}`;
  return [
    part('os', 'cat /etc/os-release'),
    part('kernel', 'uname -r'),
    part('hostname', 'hostname'),
    part('disks', 'lsblk -J -b -d -o NAME,SIZE,TYPE,MODEL,ROTA || lsblk -P -b -d -o NAME,SIZE,TYPE,MODEL,ROTA'),
    part('nics', 'ip -j link show || ip -o link show'),
    part('sysnet', 'ls /sys/class/net'),
    `echo ${MARK}end`,
  ].join('; ');
}

/** stdout split at the markers; a section whose command printed nothing is ''. */
export function splitSections(stdout: string): Partial<Record<Section, string>> {
  const out: Partial<Record<Section, string>> = {};
  let current: Section | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (current) out[current] = lines.join('\n').trim();
  };
  for (const line of stdout.split('\n')) {
    const m = line.startsWith(MARK) ? line.slice(MARK.length).trim() : null;
    if (m !== null) {
      flush();
      current = (SECTIONS as readonly string[]).includes(m) ? (m as Section) : null;
      lines = [];
    } else if (current) lines.push(line);
  }
  flush();
  return out;
}

export interface OsRelease {
  /** ID= ("ubuntu", "rocky", "debian"). */
  readonly id: string;
  readonly versionId: string | null;
  readonly prettyName: string | null;
}

/** /etc/os-release (os-release(5)): KEY=value lines, values optionally quoted with shell escapes. */
export function parseOsRelease(text: string): OsRelease | null {
  const kv = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2].trim();
    const q = v[0];
    if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) v = v.slice(1, -1);
    if (q === '"') v = v.replace(/\\(["\\`$])/g, '$1');
    kv.set(m[1], v);
  }
  const id = kv.get('ID');
  if (!id) return null;
  return { id: id.toLowerCase(), versionId: kv.get('VERSION_ID') ?? null, prettyName: kv.get('PRETTY_NAME') ?? kv.get('NAME') ?? null };
}

export interface Disk {
  readonly name: string;
  readonly sizeBytes: number | null;
  readonly type: string;
  readonly model: string | null;
  readonly rotational: boolean | null;
}

const toNumber = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return null;
};

const toBool = (v: unknown): boolean | null => {
  if (typeof v === 'boolean') return v;
  if (v === '1' || v === 1) return true;
  if (v === '0' || v === 0) return false;
  return null;
};

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** lsblk -J (blockdevices[]) or -P (KEY="value" pairs per line); null when it is neither. */
export function parseLsblk(out: string): Disk[] | null {
  const s = out.trim();
  if (!s) return null;
  if (s.startsWith('{')) {
    try {
      const doc = JSON.parse(s) as { blockdevices?: unknown };
      if (!Array.isArray(doc.blockdevices)) return null;
      return (doc.blockdevices as Record<string, unknown>[]).map((d) => ({
        name: String(d.name ?? ''), sizeBytes: toNumber(d.size), type: String(d.type ?? 'unknown'), model: text(d.model), rotational: toBool(d.rota),
      })).filter((d) => d.name);
    } catch {
      return null;
    }
  }
  const disks: Disk[] = [];
  for (const line of s.split('\n')) {
    const pairs = new Map<string, string>();
    for (const m of line.matchAll(/([A-Z:-]+)="((?:[^"\\]|\\.)*)"/g)) pairs.set(m[1], m[2].replace(/\\x([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))));
    const name = pairs.get('NAME');
    if (!name) continue;
    disks.push({ name, sizeBytes: toNumber(pairs.get('SIZE')), type: pairs.get('TYPE') ?? 'unknown', model: text(pairs.get('MODEL')), rotational: toBool(pairs.get('ROTA')) });
  }
  return disks.length ? disks : null;
}

/** A disk that is hardware (or a VM's disk): not a RAM disk, loop device or network block device. */
export const isPhysicalDisk = (d: Disk): boolean => d.type === 'disk' && !/^(zram|ram|loop|nbd)\d+$/.test(d.name);

export interface Nic {
  readonly name: string;
  readonly mac: string | null;
  /** operstate as the kernel says it (UP, DOWN, UNKNOWN...), lower case; null when not given. */
  readonly state: string | null;
  readonly mtu: number | null;
  readonly loopback: boolean;
}

/** `ip -j link show` (a JSON array) or `ip -o link show` (one line per link); null when it is neither. */
export function parseIpLink(out: string): Nic[] | null {
  const s = out.trim();
  if (!s) return null;
  if (s.startsWith('[')) {
    try {
      const list = JSON.parse(s) as Record<string, unknown>[];
      if (!Array.isArray(list)) return null;
      return list.filter((l) => typeof l.ifname === 'string').map((l) => ({
        name: l.ifname as string,
        mac: text(l.address),
        state: text(l.operstate)?.toLowerCase() ?? null,
        mtu: toNumber(l.mtu),
        loopback: l.link_type === 'loopback' || (Array.isArray(l.flags) && l.flags.includes('LOOPBACK')),
      }));
    } catch {
      return null;
    }
  }
  const nics: Nic[] = [];
  // "2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0"
  for (const line of s.split('\n')) {
    const m = /^\d+:\s+([^:\s]+):\s+<([^>]*)>(.*)$/.exec(line.trim());
    if (!m) continue;
    const rest = m[3];
    const link = /link\/(\S+)(?:\s+([0-9a-f:]{11,}))?/i.exec(rest);
    nics.push({
      name: m[1].replace(/@.*$/, ''),
      mac: link?.[2] ?? null,
      state: /\bstate\s+(\S+)/.exec(rest)?.[1].toLowerCase() ?? null,
      mtu: toNumber(/\bmtu\s+(\d+)/.exec(rest)?.[1]),
      loopback: link?.[1] === 'loopback' || m[2].split(',').includes('LOOPBACK'),
    });
  }
  return nics.length ? nics : null;
}

/** `ls /sys/class/net`: interface names only. */
export function parseSysNet(out: string): Nic[] | null {
  const names = out.split(/\s+/).map((n) => n.trim()).filter((n) => /^[\w.:@-]+$/.test(n));
  return names.length ? names.map((name) => ({ name, mac: null, state: null, mtu: null, loopback: name === 'lo' })) : null;
}

export interface SystemFacts {
  readonly os: OsRelease | null;
  readonly kernel: string | null;
  readonly hostname: string | null;
  readonly disks: Disk[] | null;
  readonly nics: Nic[] | null;
  /** What could not be read, one line each ("disks: lsblk gave nothing"). */
  readonly missing: string[];
}

const firstLine = (s: string | undefined): string | null => s?.split('\n').map((l) => l.trim()).find((l) => l) ?? null;

/** Everything the sections say; what is absent or unreadable is listed in `missing`. */
export function readSystemFacts(stdout: string): SystemFacts {
  const sec = splitSections(stdout);
  const missing: string[] = [];
  const os = sec.os ? parseOsRelease(sec.os) : null;
  if (!os) missing.push('os: /etc/os-release is missing or has no ID');
  const kernel = firstLine(sec.kernel);
  if (!kernel) missing.push('kernel: uname -r printed nothing');
  const hostname = firstLine(sec.hostname);
  if (!hostname) missing.push('hostname: hostname printed nothing');
  const disks = sec.disks ? parseLsblk(sec.disks) : null;
  if (!disks) missing.push('disks: lsblk is not available or printed nothing readable');
  let nics = sec.nics ? parseIpLink(sec.nics) : null;
  if (!nics && sec.sysnet) nics = parseSysNet(sec.sysnet);
  if (!nics) missing.push('nics: neither ip link nor /sys/class/net answered');
  return { os, kernel, hostname, disks, nics, missing };
}

/**
 * What an OS template name says /etc/os-release will report: "ubuntu-24.04" -> ubuntu 24.04,
 * "rocky-9" -> rocky 9 (9.x matches); null for a name in no such form ("Beijing CentOS 6").
 */
export function expectedRelease(template: string): { id: string; version: string } | null {
  const m = /^([a-z][a-z0-9]*)-(\d+(?:\.\d+)*)$/i.exec(template.trim());
  return m ? { id: m[1].toLowerCase(), version: m[2] } : null;
}

/** Whether os-release is the release a template names (VERSION_ID equal, or a point release of it). */
export function releaseMatches(os: OsRelease | null, want: { id: string; version: string }): boolean {
  if (!os || os.id !== want.id || os.versionId === null) return false;
  return os.versionId === want.version || os.versionId.startsWith(`${want.version}.`);
}
