// The SFTP server of a lab host, over its LabFileSystem (ssh-files.ts): the subset FleetDeck's
// upload path uses (open/write/read/close, stat, setstat, rename, remove, realpath, mkdir,
// readdir, readlink). Writes go straight into the file system, which hashes a large file as
// they arrive instead of keeping it; closing a write handle lets a finished file share its
// buffer with identical ones. Reading a file kept by checksum only fails, saying so.
import { posix } from 'node:path';
import type { Attributes, SFTPWrapper } from 'ssh2';
import { utils } from '../../core/protocols/ssh/codec/ssh2-lib';
import { checksumOnlyMessage, S_IFDIR, type LabFile, type LabFileSystem } from './ssh-files';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;

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
    if (!fs.isFile(filename)) return fail(id, 'No such file or directory');
    sftp.handle(id, newHandle({ path: fs.resolve(filename), file: fs.existing(filename), writable: false }));
  });
  sftp.on('WRITE', (id, handle, offset, data) => {
    const h = handleOf(handle);
    if (!h?.file || !h.writable) return fail(id, 'Bad file handle');
    const why = fs.write(h.file, offset, data);
    return why ? fail(id, why) : sftp.status(id, STATUS_CODE.OK);
  });
  sftp.on('READ', (id, handle, offset, length) => {
    const h = handleOf(handle);
    if (!h || h.dir) return fail(id, 'Bad file handle');
    if (h.file?.digest) return fail(id, checksumOnlyMessage(h.file.size, h.file.digest.copy().digest('hex')));
    const data = h.file ? h.file.data.subarray(0, h.file.size) : fs.read(h.path);
    if (!data || offset >= data.length) return sftp.status(id, STATUS_CODE.EOF);
    sftp.data(id, data.subarray(offset, Math.min(data.length, offset + length)));
  });
  sftp.on('CLOSE', (id, handle) => {
    const h = handleOf(handle);
    if (!h) return fail(id, 'Bad file handle');
    handles.delete(handle.readUInt32BE(0));
    if (h.file && h.writable) fs.settle(h.file);
    sftp.status(id, STATUS_CODE.OK);
  });
  const attrsReply = (id: number, a: Attributes | null): void => (a ? sftp.attrs(id, a) : fail(id, 'No such file or directory'));
  sftp.on('STAT', (id, path) => attrsReply(id, fs.stat(path)));
  sftp.on('LSTAT', (id, path) => attrsReply(id, fs.lstat(path)));
  sftp.on('FSTAT', (id, handle) => {
    const h = handleOf(handle);
    return h ? attrsReply(id, fs.stat(h.path)) : fail(id, 'Bad file handle');
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
  sftp.on('READLINK', (id, path) => {
    const target = fs.readlink(path);
    return target === null ? fail(id, 'No such file or directory') : sftp.name(id, [{ filename: target, longname: target, attrs: {} as Attributes }]);
  });
  sftp.on('MKDIR', (id, path) => {
    if (!fs.writable(path) || fs.lstat(path)) return fail(id, 'Failure');
    const why = fs.mkdirp(path);
    return why ? fail(id, why) : sftp.status(id, STATUS_CODE.OK);
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
      const attrs = fs.lstat(posix.join(h.path, filename)) ?? ({} as Attributes);
      return { filename, longname: `${(attrs.mode ?? 0) & S_IFDIR ? 'd' : '-'}rw-r--r-- 1 root root ${attrs.size ?? 0} Jan  1 00:00 ${filename}`, attrs };
    });
    sftp.name(id, names);
  });
}
