// A lab host's files: an in-memory tree holding what was uploaded, beside generated
// read-only files (/proc, /etc), and the SFTP server subset FleetDeck's upload path uses
// (open/write/read/close, stat, setstat, rename, remove, realpath, mkdir, readdir).
import { posix } from 'node:path';
import type { Attributes, SFTPWrapper } from 'ssh2';
import { utils } from '../../core/protocols/ssh/codec/ssh2-lib';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

export interface LabFile {
  data: Buffer;
  size: number;
  mode: number;
  mtime: number;
}

/** A generated file: content computed when read (e.g. /proc/loadavg). */
export type GeneratedFile = () => string;

export class LabFileSystem {
  readonly #files = new Map<string, LabFile>();
  readonly #dirs = new Set<string>(['/']);
  #used = 0;

  constructor(
    readonly home: string,
    private readonly generated: (path: string) => GeneratedFile | null,
    private readonly quotaBytes = 64 << 20,
  ) {
    for (const d of ['/tmp', '/var', '/var/tmp', '/etc', '/proc', '/opt', '/usr', '/usr/local', '/usr/local/bin', '/home', '/root', home]) this.mkdirp(d);
  }

  resolve(path: string): string {
    return posix.resolve(this.home, path);
  }

  /** Read-only places: generated system files cannot be changed. */
  writable(path: string): boolean {
    const p = this.resolve(path);
    return !(p === '/proc' || p.startsWith('/proc/') || p === '/etc' || p.startsWith('/etc/'));
  }

  mkdirp(path: string): void {
    let p = this.resolve(path);
    while (!this.#dirs.has(p)) {
      this.#dirs.add(p);
      p = posix.dirname(p);
    }
  }

  isDir(path: string): boolean {
    return this.#dirs.has(this.resolve(path));
  }

  read(path: string): Buffer | null {
    const p = this.resolve(path);
    const f = this.#files.get(p);
    if (f) return f.data.subarray(0, f.size);
    const g = this.generated(p);
    return g ? Buffer.from(g()) : null;
  }

  stat(path: string): Attributes | null {
    const p = this.resolve(path);
    const now = Math.floor(Date.now() / 1000);
    if (this.#dirs.has(p)) return { mode: S_IFDIR | 0o755, uid: 0, gid: 0, size: 4096, atime: now, mtime: now };
    const f = this.#files.get(p);
    if (f) return { mode: S_IFREG | f.mode, uid: 0, gid: 0, size: f.size, atime: f.mtime, mtime: f.mtime };
    return this.generated(p) ? { mode: S_IFREG | 0o444, uid: 0, gid: 0, size: 0, atime: now, mtime: now } : null;
  }

  /** Creates or truncates; null with a reason when not allowed. */
  create(path: string, mode: number, exclusive: boolean): LabFile | string {
    const p = this.resolve(path);
    if (!this.#dirs.has(posix.dirname(p))) return 'No such file or directory';
    if (!this.writable(p) || this.#dirs.has(p)) return 'Permission denied';
    const existing = this.#files.get(p);
    if (existing && exclusive) return 'File exists';
    if (existing) {
      this.#used -= existing.data.length;
      existing.size = 0;
      existing.data = Buffer.alloc(0);
      return existing;
    }
    const f: LabFile = { data: Buffer.alloc(0), size: 0, mode: mode & 0o7777, mtime: Math.floor(Date.now() / 1000) };
    this.#files.set(p, f);
    return f;
  }

  existing(path: string): LabFile | null {
    return this.#files.get(this.resolve(path)) ?? null;
  }

  /** Writes at offset, growing the file; false when the host's disk (quota) is full. */
  write(f: LabFile, offset: number, data: Buffer): boolean {
    const end = offset + data.length;
    if (end > f.data.length) {
      const cap = Math.max(end, Math.min(f.data.length * 2, end + (8 << 20)));
      if (this.#used + cap - f.data.length > this.quotaBytes) return false;
      const grown = Buffer.alloc(cap);
      f.data.copy(grown, 0, 0, f.size);
      this.#used += cap - f.data.length;
      f.data = grown;
    }
    data.copy(f.data, offset);
    f.size = Math.max(f.size, end);
    f.mtime = Math.floor(Date.now() / 1000);
    return true;
  }

  remove(path: string): boolean {
    const p = this.resolve(path);
    const f = this.#files.get(p);
    if (!f || !this.writable(p)) return false;
    this.#used -= f.data.length;
    return this.#files.delete(p);
  }

  /** POSIX rename: replaces an existing target in one step. */
  rename(from: string, to: string): string | null {
    const a = this.resolve(from);
    const b = this.resolve(to);
    const f = this.#files.get(a);
    if (!f) return 'No such file or directory';
    if (!this.writable(a) || !this.writable(b) || this.#dirs.has(b)) return 'Permission denied';
    if (!this.#dirs.has(posix.dirname(b))) return 'No such file or directory';
    const old = this.#files.get(b);
    if (old && old !== f) this.#used -= old.data.length;
    this.#files.delete(a);
    this.#files.set(b, f);
    return null;
  }

  list(dir: string): string[] {
    const d = this.resolve(dir);
    const names = new Set<string>();
    for (const p of [...this.#dirs, ...this.#files.keys()]) if (p !== d && posix.dirname(p) === d) names.add(posix.basename(p));
    return [...names].sort();
  }

  /** Drops everything under a directory (a reboot clears /tmp). */
  clear(dir: string): void {
    const d = this.resolve(dir);
    for (const [p, f] of this.#files) {
      if (p.startsWith(`${d}/`)) {
        this.#used -= f.data.length;
        this.#files.delete(p);
      }
    }
  }
}

interface OpenHandle {
  path: string;
  file: LabFile | null;
  writable: boolean;
  dir?: string[];
}

/** Serves one SFTP session over the host's file system. */
export function serveSftp(sftp: SFTPWrapper, fs: LabFileSystem): void {
  const handles = new Map<number, OpenHandle>();
  let nextHandle = 1;
  const handleOf = (buf: Buffer): OpenHandle | undefined => (buf.length === 4 ? handles.get(buf.readUInt32BE(0)) : undefined);
  const newHandle = (h: OpenHandle): Buffer => {
    const id = nextHandle++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const fail = (id: number, why: string): void => {
    const code = why === 'No such file or directory' ? STATUS_CODE.NO_SUCH_FILE : why === 'Permission denied' ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE;
    return sftp.status(id, code, why);
  };

  sftp.on('OPEN', (id, filename, flags, attrs) => {
    if (flags & OPEN_MODE.WRITE) {
      const creating = (flags & OPEN_MODE.CREAT) !== 0;
      let file = fs.existing(filename);
      if (!file || (flags & OPEN_MODE.TRUNC) || (flags & OPEN_MODE.EXCL)) {
        if (!file && !creating) return fail(id, 'No such file or directory');
        const made = fs.create(filename, attrs.mode ?? 0o644, (flags & OPEN_MODE.EXCL) !== 0);
        if (typeof made === 'string') return fail(id, made);
        file = made;
      }
      return sftp.handle(id, newHandle({ path: fs.resolve(filename), file, writable: true }));
    }
    if (fs.read(filename) === null) return fail(id, 'No such file or directory');
    sftp.handle(id, newHandle({ path: fs.resolve(filename), file: fs.existing(filename), writable: false }));
  });
  sftp.on('WRITE', (id, handle, offset, data) => {
    const h = handleOf(handle);
    if (!h?.file || !h.writable) return fail(id, 'Bad file handle');
    if (!fs.write(h.file, offset, data)) return fail(id, 'No space left on device');
    sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('READ', (id, handle, offset, length) => {
    const h = handleOf(handle);
    if (!h || h.dir) return fail(id, 'Bad file handle');
    const data = h.file ? h.file.data.subarray(0, h.file.size) : fs.read(h.path);
    if (!data || offset >= data.length) return sftp.status(id, STATUS_CODE.EOF);
    sftp.data(id, data.subarray(offset, Math.min(data.length, offset + length)));
  });
  sftp.on('CLOSE', (id, handle) => {
    const h = handleOf(handle);
    if (!h) return fail(id, 'Bad file handle');
    handles.delete(handle.readUInt32BE(0));
    sftp.status(id, STATUS_CODE.OK);
  });
  const statReply = (id: number, path: string): void => {
    const a = fs.stat(path);
    return a ? sftp.attrs(id, a) : fail(id, 'No such file or directory');
  };
  sftp.on('STAT', statReply);
  sftp.on('LSTAT', statReply);
  sftp.on('FSTAT', (id, handle) => {
    const h = handleOf(handle);
    return h ? statReply(id, h.path) : fail(id, 'Bad file handle');
  });
  const setMode = (id: number, path: string, attrs: Attributes): void => {
    const f = fs.existing(path);
    if (!f) return fail(id, fs.stat(path) ? 'Permission denied' : 'No such file or directory');
    if (typeof attrs.mode === 'number') f.mode = attrs.mode & 0o7777;
    if (typeof attrs.mtime === 'number') f.mtime = attrs.mtime;
    return sftp.status(id, STATUS_CODE.OK);
  };
  sftp.on('SETSTAT', setMode);
  sftp.on('FSETSTAT', (id, handle, attrs) => {
    const h = handleOf(handle);
    return h ? setMode(id, h.path, attrs) : fail(id, 'Bad file handle');
  });
  sftp.on('REMOVE', (id, path) => (fs.remove(path) ? sftp.status(id, STATUS_CODE.OK) : fail(id, 'No such file or directory')));
  sftp.on('RENAME', (id, from, to) => {
    const why = fs.rename(from, to);
    return why ? fail(id, why) : sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('REALPATH', (id, path) => sftp.name(id, [{ filename: fs.resolve(path), longname: fs.resolve(path), attrs: {} as Attributes }]));
  sftp.on('MKDIR', (id, path) => {
    if (!fs.writable(path) || fs.stat(path)) return fail(id, 'Failure');
    fs.mkdirp(path);
    return sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('OPENDIR', (id, path) => {
    if (!fs.isDir(path)) return fail(id, 'No such file or directory');
    sftp.handle(id, newHandle({ path: fs.resolve(path), file: null, writable: false, dir: fs.list(path) }));
  });
  sftp.on('READDIR', (id, handle) => {
    const h = handleOf(handle);
    if (!h?.dir) return fail(id, 'Bad file handle');
    if (h.dir.length === 0) return sftp.status(id, STATUS_CODE.EOF);
    const names = h.dir.splice(0).map((filename) => {
      const attrs = fs.stat(posix.join(h.path, filename)) ?? ({} as Attributes);
      return { filename, longname: `${(attrs.mode ?? 0) & S_IFDIR ? 'd' : '-'}rw-r--r-- 1 root root ${attrs.size ?? 0} Jan  1 00:00 ${filename}`, attrs };
    });
    sftp.name(id, names);
  });
}
