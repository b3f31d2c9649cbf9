// The agent's inventory of its host (the resource-consistency work compares these across a
// fleet): the OS release (PRETTY_NAME of os-release), the kernel, the installed packages and
// the sha256 of each file the console declares.
//  - os-release: <etcRoot>/os-release, else <etcRoot>/../usr/lib/os-release (the standard
//    fallback); PRETTY_NAME, else NAME VERSION, else ''.
//  - kernel: <procRoot>/sys/kernel/osrelease when procRoot is given, else os.release().
//  - packages: dpkg's status file parsed in place (no exec): stanzas whose Status ends in
//    "installed", named as dpkg-query's ${binary:Package} does (name:arch for Multi-Arch:
//    same). With no dpkg status file, `rpm -qa --qf` through execFile (30 s, 32 MiB of
//    output), version [epoch:]version-release; multi-arch rpms appear once per arch under
//    the same name. Neither: an empty list. Sorted by name, at most the protocol's 20,000.
//  - files: each path streamed through sha256 one after another (the disk is not hammered).
//    A path that cannot be hashed gives sha256 null and the reason: the errno code
//    (ENOENT, EACCES, ...), 'not-absolute', 'not-a-file' (directories, devices, FIFOs: the
//    file is opened O_NONBLOCK so a FIFO cannot hang the agent) or 'too-large' (over
//    maxFileBytes, default 256 MiB, checked before and while reading).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cut, readText, type ReadText } from './read';
import { LIMITS, type InventoryData } from './types';

export interface InventoryCollectorOptions {
  /** Where os-release lives (default /etc). */
  readonly etcRoot?: string;
  /** When given, the kernel release is read from <procRoot>/sys/kernel/osrelease. */
  readonly procRoot?: string;
  /** dpkg's status file (default /var/lib/dpkg/status). */
  readonly dpkgStatus?: string;
  /** The rpm program asked when there is no dpkg status (default 'rpm' on PATH; null: never). */
  readonly rpmCommand?: string | null;
  readonly rpmTimeoutMs?: number;
  /** Larger declared files are not hashed: error 'too-large' (default 256 MiB). */
  readonly maxFileBytes?: number;
  /** Reads os-release and the kernel release (default: the real files; the lab: its host's). */
  readonly readText?: ReadText;
}

export interface InventoryCollector {
  sample(files: readonly string[]): Promise<InventoryData>;
}

type Package = InventoryData['packages'][number];
type FileSum = InventoryData['files'][number];

const RPM_FORMAT = '%{NAME}\\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\\n';

export function createInventoryCollector(opts: InventoryCollectorOptions = {}): InventoryCollector {
  const etcRoot = opts.etcRoot ?? '/etc';
  const dpkgStatus = opts.dpkgStatus ?? '/var/lib/dpkg/status';
  const rpmCommand = opts.rpmCommand === undefined ? 'rpm' : opts.rpmCommand;
  const maxFileBytes = opts.maxFileBytes ?? 256 * 1024 * 1024;
  const read = opts.readText ?? readText;

  return {
    async sample(files) {
      const [osRelease, kernel, packages] = await Promise.all([
        readOsRelease(etcRoot, read),
        opts.procRoot ? read(path.join(opts.procRoot, 'sys', 'kernel', 'osrelease')).then((t) => t?.trim() ?? '') : Promise.resolve(os.release()),
        installedPackages(dpkgStatus, rpmCommand, opts.rpmTimeoutMs ?? 30_000),
      ]);
      const sums: FileSum[] = [];
      for (const file of files.slice(0, LIMITS.files)) sums.push(await sha256File(file, maxFileBytes));
      return { kind: 'inventory', osRelease: cut(osRelease, LIMITS.text), kernel: cut(kernel, LIMITS.text), packages, files: sums };
    },
  };
}

async function readOsRelease(etcRoot: string, read: ReadText): Promise<string> {
  const text = (await read(path.join(etcRoot, 'os-release'))) ?? (await read(path.resolve(etcRoot, '..', 'usr', 'lib', 'os-release')));
  if (text === null) return '';
  const vars = parseOsRelease(text);
  return vars.get('PRETTY_NAME') ?? [vars.get('NAME'), vars.get('VERSION')].filter(Boolean).join(' ');
}

/** os-release's KEY=value lines, values unquoted as a shell would ("..." with \ escapes, '...', or bare). */
export function parseOsRelease(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    const raw = m[2].trim();
    let value: string;
    if (raw.startsWith('"')) {
      value = '';
      for (let i = 1; i < raw.length && raw[i] !== '"'; i++) value += raw[i] === '\\' && i + 1 < raw.length ? raw[++i] : raw[i];
    } else if (raw.startsWith("'")) {
      const end = raw.indexOf("'", 1);
      value = raw.slice(1, end > 0 ? end : undefined);
    } else {
      value = raw;
    }
    vars.set(m[1], value);
  }
  return vars;
}

async function installedPackages(dpkgStatus: string, rpmCommand: string | null, rpmTimeoutMs: number): Promise<Package[]> {
  let list: Package[] | null = await readDpkgStatus(dpkgStatus);
  if (list === null && rpmCommand) list = await queryRpm(rpmCommand, rpmTimeoutMs);
  return (list ?? []).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, LIMITS.packages);
}

/** The installed packages in a dpkg status file, or null when the file cannot be opened. */
export async function readDpkgStatus(file: string): Promise<Package[] | null> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return null;
  }
  const out: Package[] = [];
  let fields = new Map<string, string>();
  const flush = () => {
    const name = fields.get('Package');
    const status = fields.get('Status')?.trim().split(/\s+/);
    const version = fields.get('Version') ?? '';
    if (name && status?.[2] === 'installed') {
      const arch = fields.get('Architecture');
      const full = fields.get('Multi-Arch') === 'same' && arch ? `${name}:${arch}` : name;
      if (full.length <= LIMITS.name) out.push({ name: full, version: cut(version, LIMITS.text) });
    }
    fields = new Map();
  };
  try {
    const lines = createInterface({ input: handle.createReadStream({ encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') flush();
      else if (!/^\s/.test(line)) {
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
      }
    }
    flush();
  } catch {
    // A read error mid-file: what was parsed so far stands.
  } finally {
    await handle.close().catch(() => undefined);
  }
  return out;
}

export function queryRpm(command: string, timeoutMs: number): Promise<Package[] | null> {
  return new Promise((resolve) => {
    execFile(command, ['-qa', '--qf', RPM_FORMAT], { timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (err, stdout) => {
      if (err) return resolve(null);
      const out: Package[] = [];
      for (const line of stdout.split('\n')) {
        const [name, version] = line.split('\t');
        if (name && version !== undefined && name.length <= LIMITS.name) out.push({ name, version: cut(version, LIMITS.text) });
      }
      resolve(out);
    });
  });
}

/** sha256 of one declared file, streamed, or the reason it could not be read. */
export async function sha256File(file: string, maxBytes: number): Promise<FileSum> {
  const fail = (error: string): FileSum => ({ path: cut(file, 4096), sha256: null, error: cut(error, LIMITS.text) });
  if (!path.isAbsolute(file)) return fail('not-absolute');
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return fail(errorCode(err));
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return fail('not-a-file');
    if (st.size > maxBytes) return fail('too-large');
    const hash = createHash('sha256');
    let seen = 0;
    const stream = handle.createReadStream({ autoClose: false, highWaterMark: 256 * 1024 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > maxBytes) {
        stream.destroy();
        return fail('too-large'); // it grew while being read
      }
      hash.update(chunk);
    }
    return { path: cut(file, 4096), sha256: hash.digest('hex'), error: null };
  } catch (err) {
    return fail(errorCode(err));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code ? code : 'read-failed';
}
