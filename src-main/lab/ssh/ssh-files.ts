// A lab host's files: an in-memory tree of what was uploaded (files, directories, symbolic
// links), beside generated read-only files (/proc, /etc: ssh-commands.ts), with a quota per
// host (64 MiB of KEPT bytes). The SFTP server over it is ssh-sftp.ts.
// Hundreds of hosts live in one lab process, and the agent deploy ships each of them the
// console's Node runtime (~120 MB) and the agent bundles (~0.5 MB), so:
//  - A file that grows past KEEP_MAX_BYTES (2 MiB) is kept as its size, mode and sha256 only:
//    from then on its writes are hashed as they arrive (they must come in order, as an SFTP
//    upload sends them) and the bytes are dropped, never buffered. It costs the quota nothing
//    (only its first 2 MiB, while it is on its way there).
//    sha256sum answers from the kept hash; reading it back (cat, SFTP read) fails with a
//    message saying the lab keeps only its checksum.
//  - A finished file of INTERN_MIN_BYTES or more (the bundles) is interned: every file with
//    the same sha256 shares one buffer (held weakly by the store, so it goes when the last
//    file holding it does); a write to a shared file copies it first. 300 hosts holding the
//    same agent.js hold it once.
// Symbolic links (ln -sfn, readlink) are followed on every path as Linux would (at most 40),
// so agent/current -> 9.9.9 reaches the bundle.
import { createHash, type Hash } from 'node:crypto';
import { posix } from 'node:path';
import type { Attributes } from 'ssh2';

export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
/** Past this a file is kept as its checksum only. */
export const KEEP_MAX_BYTES = 2 << 20;
/** Finished files this large or larger share one buffer per content. */
export const INTERN_MIN_BYTES = 64 << 10;
const MAX_LINKS = 40;
const EMPTY = Buffer.alloc(0);

export interface LabFile {
  /** The bytes held (the first `size`): owned and growable, or an interned blob; empty when kept by checksum. */
  data: Buffer;
  size: number;
  mode: number;
  mtime: number;
  /** Kept by checksum only: the running sha256 of every byte written. */
  digest: Hash | null;
  /** data is the interned blob of this sha256, shared with other files: copied before a write. */
  blob: string | null;
}

/** A generated file: content computed when read (e.g. /proc/loadavg). */
export type GeneratedFile = () => string;

const blobs = new Map<string, WeakRef<Buffer>>();
const blobGone = new FinalizationRegistry<string>((sha) => {
  if (blobs.get(sha)?.deref() === undefined) blobs.delete(sha);
});

/** The one buffer of this content (made from a copy when it is new). */
function intern(bytes: Buffer): { sha: string; buf: Buffer } {
  const sha = createHash('sha256').update(bytes).digest('hex');
  const have = blobs.get(sha)?.deref();
  if (have) return { sha, buf: have };
  const buf = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(buf);
  blobs.set(sha, new WeakRef(buf));
  blobGone.register(buf, sha);
  return { sha, buf };
}

/** Interned blobs alive in this process, and their bytes (for memory figures). */
export function internedBlobs(): { count: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const r of blobs.values()) {
    const b = r.deref();
    if (b) {
      count++;
      bytes += b.length;
    }
  }
  return { count, bytes };
}

/** What reading a checksum-only file answers. */
export const checksumOnlyMessage = (size: number, sha256: string): string =>
  `the lab keeps only this file's checksum (sha256 ${sha256}, ${size} bytes), not its content`;

export class LabFileSystem {
  readonly #files = new Map<string, LabFile>();
  readonly #dirs = new Map<string, number>([['/', 0o755]]);
  readonly #links = new Map<string, string>();
  #used = 0;

  constructor(
    readonly home: string,
    private readonly generated: (path: string) => GeneratedFile | null,
    private readonly quotaBytes = 64 << 20,
  ) {
    for (const d of ['/tmp', '/var', '/var/tmp', '/etc', '/proc', '/opt', '/usr', '/usr/local', '/usr/local/bin', '/home', '/root', home]) this.mkdirp(d);
  }

  /** Bytes the host's files hold in memory (interned blobs counted in full per file). */
  get keptBytes(): number {
    return this.#used;
  }

  /** The absolute path with every symbolic link on it followed (the last one too, unless `followLast` is false). */
  resolve(path: string, followLast = true): string {
    let parts = posix.resolve(this.home, path).split('/').filter(Boolean);
    let hops = 0;
    let cur = '/';
    for (let i = 0; i < parts.length; i++) {
      const next = posix.join(cur, parts[i]);
      const target = this.#links.get(next);
      if (target !== undefined && (followLast || i < parts.length - 1) && hops++ < MAX_LINKS) {
        parts = [...posix.resolve(cur, target).split('/').filter(Boolean), ...parts.slice(i + 1)];
        i = -1;
        cur = '/';
        continue;
      }
      cur = next;
    }
    return cur;
  }

  /** Read-only places: generated system files cannot be changed. */
  writable(path: string): boolean {
    const p = this.resolve(path, false);
    return !(p === '/proc' || p.startsWith('/proc/') || p === '/etc' || p.startsWith('/etc/'));
  }

  /** mkdir -p; a reason when a file is in the way. */
  mkdirp(path: string, mode = 0o755): string | null {
    const p = this.resolve(path);
    const missing: string[] = [];
    for (let d = p; !this.#dirs.has(d); d = posix.dirname(d)) {
      if (this.#files.has(d) || this.generated(d)) return 'Not a directory';
      missing.push(d);
    }
    for (const d of missing) this.#dirs.set(d, mode);
    return null;
  }

  isDir(path: string): boolean {
    return this.#dirs.has(this.resolve(path));
  }

  /** A regular file (uploaded or generated). */
  isFile(path: string): boolean {
    const p = this.resolve(path);
    return this.#files.has(p) || this.generated(p) !== null;
  }

  /** The content, or null when there is none to read (missing, a directory, or kept by checksum: see checksumOnly). */
  read(path: string): Buffer | null {
    const p = this.resolve(path);
    const f = this.#files.get(p);
    if (f) return f.digest ? null : f.data.subarray(0, f.size);
    const g = this.generated(p);
    return g ? Buffer.from(g()) : null;
  }

  readText(path: string): string | null {
    return this.read(path)?.toString('utf8') ?? null;
  }

  /** Size and sha256 of a file the lab keeps by checksum only; null for any other path. */
  checksumOnly(path: string): { size: number; sha256: string } | null {
    const f = this.#files.get(this.resolve(path));
    return f?.digest ? { size: f.size, sha256: f.digest.copy().digest('hex') } : null;
  }

  /** sha256 (hex) of a file's content, kept or computed; null when it is not a file. */
  sha256(path: string): string | null {
    const p = this.resolve(path);
    const f = this.#files.get(p);
    if (f?.digest) return f.digest.copy().digest('hex');
    if (f?.blob) return f.blob;
    const data = this.read(p);
    return data ? createHash('sha256').update(data).digest('hex') : null;
  }

  stat(path: string): Attributes | null {
    return this.#stat(this.resolve(path));
  }

  /** As stat, but a symbolic link itself. */
  lstat(path: string): Attributes | null {
    const p = this.resolve(path, false);
    const target = this.#links.get(p);
    if (target === undefined) return this.#stat(p);
    const now = Math.floor(Date.now() / 1000);
    return { mode: S_IFLNK | 0o777, uid: 0, gid: 0, size: Buffer.byteLength(target), atime: now, mtime: now };
  }

  #stat(p: string): Attributes | null {
    const now = Math.floor(Date.now() / 1000);
    const dirMode = this.#dirs.get(p);
    if (dirMode !== undefined) return { mode: S_IFDIR | dirMode, uid: 0, gid: 0, size: 4096, atime: now, mtime: now };
    const f = this.#files.get(p);
    if (f) return { mode: S_IFREG | f.mode, uid: 0, gid: 0, size: f.size, atime: f.mtime, mtime: f.mtime };
    return this.generated(p) ? { mode: S_IFREG | 0o444, uid: 0, gid: 0, size: 0, atime: now, mtime: now } : null;
  }

  /** Permission bits of a file or directory; false when there is none. */
  chmod(path: string, mode: number): boolean {
    const p = this.resolve(path);
    const f = this.#files.get(p);
    if (f) f.mode = mode & 0o7777;
    else if (this.#dirs.has(p)) this.#dirs.set(p, mode & 0o7777);
    else return false;
    return true;
  }

  /** Creates or truncates; a reason when not allowed. */
  create(path: string, mode: number, exclusive: boolean): LabFile | string {
    const p = this.resolve(path);
    if (!this.#dirs.has(posix.dirname(p))) return 'No such file or directory';
    if (!this.writable(p) || this.#dirs.has(p)) return 'Permission denied';
    const existing = this.#files.get(p);
    if (existing && exclusive) return 'File exists';
    if (existing) {
      this.#drop(existing);
      return existing;
    }
    const f: LabFile = { data: EMPTY, size: 0, mode: mode & 0o7777, mtime: Math.floor(Date.now() / 1000), digest: null, blob: null };
    this.#files.set(p, f);
    return f;
  }

  existing(path: string): LabFile | null {
    return this.#files.get(this.resolve(path)) ?? null;
  }

  /**
   * Writes at offset, growing the file; a reason when it cannot (the quota is full, or a file
   * kept by checksum is written out of order). Past KEEP_MAX_BYTES the file becomes checksum-only.
   */
  write(f: LabFile, offset: number, data: Buffer): string | null {
    const end = offset + data.length;
    f.mtime = Math.floor(Date.now() / 1000);
    if (f.digest || end > KEEP_MAX_BYTES) {
      if (offset !== f.size) return `the lab keeps files over ${KEEP_MAX_BYTES >> 20} MiB as their checksum only, so it takes their writes in order (at ${f.size}, not ${offset})`;
      if (!f.digest) {
        const digest = createHash('sha256').update(f.data.subarray(0, f.size));
        this.#drop(f);
        f.digest = digest;
      }
      f.digest.update(data);
      f.size = end;
      return null;
    }
    if (f.blob) {
      const own = Buffer.allocUnsafe(f.size);
      f.data.copy(own, 0, 0, f.size);
      f.data = own;
      f.blob = null;
    }
    if (end > f.data.length) {
      const cap = Math.min(KEEP_MAX_BYTES, Math.max(end, Math.min(f.data.length * 2, end + (1 << 20))));
      if (this.#used + cap - f.data.length > this.quotaBytes) return 'No space left on device';
      const grown = Buffer.alloc(cap);
      f.data.copy(grown, 0, 0, f.size);
      this.#used += cap - f.data.length;
      f.data = grown;
    }
    data.copy(f.data, offset);
    f.size = Math.max(f.size, end);
    return null;
  }

  /** A write handle closed: a large enough file shares its buffer with every file of the same content. */
  settle(f: LabFile): void {
    if (f.digest || f.blob || f.size < INTERN_MIN_BYTES) return;
    const { sha, buf } = intern(f.data.subarray(0, f.size));
    this.#used -= f.data.length - buf.length;
    f.data = buf;
    f.blob = sha;
  }

  /** Writes a whole small file (a key, a pid file); a reason when it cannot. */
  writeFile(path: string, content: string | Buffer, mode = 0o644): string | null {
    const f = this.create(path, mode, false);
    if (typeof f === 'string') return f;
    f.mode = mode & 0o7777;
    return this.write(f, 0, Buffer.isBuffer(content) ? content : Buffer.from(content));
  }

  /** Appends to a log, made when missing; past maxBytes only its newer half (from a line start) is kept. */
  append(path: string, text: string, maxBytes: number): string | null {
    const f = this.existing(path) ?? this.create(path, 0o644, false);
    if (typeof f === 'string') return f;
    if (f.digest) return 'Not a log';
    const why = this.write(f, f.size, Buffer.from(text));
    if (why || f.size <= maxBytes) return why;
    const keep = f.data.subarray(0, f.size);
    let from = f.size - Math.floor(maxBytes / 2);
    const nl = keep.indexOf(0x0a, from);
    from = nl < 0 ? from : nl + 1;
    const tail = Buffer.from(keep.subarray(from));
    this.#drop(f);
    return this.write(f, 0, tail);
  }

  /** ln -s: a reason when it cannot (force replaces a file or link already there, never a directory). */
  symlink(target: string, path: string, force: boolean): string | null {
    let p = this.resolve(path, false);
    if (this.#dirs.has(p)) p = posix.join(p, posix.basename(target)); // ln into a directory
    if (!this.#dirs.has(posix.dirname(p))) return 'No such file or directory';
    if (!this.writable(p)) return 'Permission denied';
    if (this.#dirs.has(p)) return 'Is a directory';
    const taken = this.#files.has(p) || this.#links.has(p);
    if (taken && !force) return 'File exists';
    this.#unlink(p);
    this.#links.set(p, target);
    return null;
  }

  /** What a symbolic link points at, as it was given; null when the path is not a link. */
  readlink(path: string): string | null {
    return this.#links.get(this.resolve(path, false)) ?? null;
  }

  remove(path: string): boolean {
    const p = this.resolve(path, false);
    if (!this.writable(p) || !(this.#files.has(p) || this.#links.has(p))) return false;
    this.#unlink(p);
    return true;
  }

  /** POSIX rename: replaces an existing target in one step. */
  rename(from: string, to: string): string | null {
    const a = this.resolve(from, false);
    const b = this.resolve(to, false);
    const f = this.#files.get(a);
    const link = this.#links.get(a);
    if (!f && link === undefined) return 'No such file or directory';
    if (!this.writable(a) || !this.writable(b) || this.#dirs.has(b)) return 'Permission denied';
    if (!this.#dirs.has(posix.dirname(b))) return 'No such file or directory';
    if (a === b) return null;
    this.#unlink(b);
    this.#files.delete(a);
    this.#links.delete(a);
    if (f) this.#files.set(b, f);
    else this.#links.set(b, link!);
    return null;
  }

  list(dir: string): string[] {
    const d = this.resolve(dir);
    const names = new Set<string>();
    for (const p of [...this.#dirs.keys(), ...this.#files.keys(), ...this.#links.keys()]) if (p !== d && posix.dirname(p) === d) names.add(posix.basename(p));
    return [...names].sort();
  }

  /** Drops everything under a directory (a reboot clears /tmp). */
  clear(dir: string): void {
    const d = `${this.resolve(dir)}/`;
    for (const p of [...this.#files.keys(), ...this.#links.keys()]) if (p.startsWith(d)) this.#unlink(p);
    for (const p of this.#dirs.keys()) if (p.startsWith(d)) this.#dirs.delete(p);
  }

  #unlink(p: string): void {
    const f = this.#files.get(p);
    if (f) this.#drop(f);
    this.#files.delete(p);
    this.#links.delete(p);
  }

  /** Empties a file (its bytes, hash or blob let go). */
  #drop(f: LabFile): void {
    this.#used -= f.data.length;
    f.data = EMPTY;
    f.size = 0;
    f.digest = null;
    f.blob = null;
  }
}
