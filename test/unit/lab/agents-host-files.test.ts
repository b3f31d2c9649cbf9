// A lab host's files under the agent deploy's uploads (ssh-files.ts): a file past 2 MiB is
// kept as its size and sha256, hashed as in-order writes arrive, never buffered and free of the
// quota; identical finished files share one buffer, copied on write; symbolic links are
// followed (loops end); a log keeps its newer half.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { INTERN_MIN_BYTES, KEEP_MAX_BYTES, LabFileSystem, type LabFile } from '../../../src-main/lab/ssh/ssh-files';

const fsOf = (quota?: number) => new LabFileSystem('/home/fleetdeck', () => null, quota);
const bytes = (n: number, salt = 1): Buffer => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + salt * 7 + (i >> 9)) & 255;
  return b;
};
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function upload(fs: LabFileSystem, path: string, data: Buffer, chunk = 32 * 1024): { file: LabFile; peak: number } {
  const file = fs.create(path, 0o755, true);
  if (typeof file === 'string') throw new Error(file);
  let peak = 0;
  for (let off = 0; off < data.length; off += chunk) {
    const why = fs.write(file, off, data.subarray(off, off + chunk));
    if (why) throw new Error(why);
    peak = Math.max(peak, fs.keptBytes);
  }
  fs.settle(file);
  return { file, peak };
}

describe('a lab host\'s files', () => {
  it('keep a file past 2 MiB as its checksum only: bounded while it arrives, nothing after, sha256 right', () => {
    const fs = fsOf();
    const data = bytes(3 << 20);
    const { file, peak } = upload(fs, '/opt/node', data);
    expect(peak).toBeLessThanOrEqual(KEEP_MAX_BYTES);
    expect(fs.keptBytes).toBe(0);
    expect(file.data.length).toBe(0);
    expect(fs.sha256('/opt/node')).toBe(sha(data));
    expect(fs.checksumOnly('/opt/node')).toEqual({ size: 3 << 20, sha256: sha(data) });
    expect(fs.stat('/opt/node')).toMatchObject({ size: 3 << 20, mode: 0o100755 });
    expect(fs.read('/opt/node')).toBeNull();
    expect(fs.isFile('/opt/node')).toBe(true);
    // Writes out of order cannot be hashed: refused, saying why.
    expect(fs.write(file, 0, Buffer.from('x'))).toMatch(/takes their writes in order \(at 3145728, not 0\)/);
    // Truncated (a new upload over it), it is an ordinary file again.
    const again = fs.create('/opt/node', 0o644, false) as LabFile;
    expect(fs.write(again, 0, Buffer.from('small'))).toBeNull();
    expect(fs.read('/opt/node')?.toString()).toBe('small');
    expect(fs.checksumOnly('/opt/node')).toBeNull();
  });

  it('count only kept bytes against the quota: files kept by checksum cost nothing once past 2 MiB', () => {
    const fs = fsOf(2.5 * (1 << 20));
    for (let i = 0; i < 4; i++) upload(fs, `/opt/big-${i}`, bytes(3 << 20, i));
    expect(fs.keptBytes).toBe(0);
    upload(fs, '/opt/kept-1', bytes(1.5 * (1 << 20)));
    expect(() => upload(fs, '/opt/kept-2', bytes(1.5 * (1 << 20)))).toThrow('No space left on device');
  });

  it('share one buffer between identical finished files, and copy it before a write', () => {
    const a = fsOf();
    const b = fsOf();
    const data = bytes(INTERN_MIN_BYTES * 2, 3);
    const fa = upload(a, '/opt/agent.js', data).file;
    const fb = upload(b, '/opt/agent.js', data).file;
    expect(fa.data).toBe(fb.data);
    expect(fa.blob).toBe(sha(data));
    expect(a.keptBytes).toBe(data.length);
    expect(a.write(fa, 0, Buffer.from('Z'))).toBeNull();
    expect(fa.data).not.toBe(fb.data);
    expect(b.read('/opt/agent.js')?.equals(data)).toBe(true);
    expect(a.sha256('/opt/agent.js')).toBe(sha(Buffer.concat([Buffer.from('Z'), data.subarray(1)])));
    const small = upload(a, '/opt/small', bytes(100)).file;
    expect(small.blob).toBeNull();
  });

  it('follow symbolic links on every path, end a loop, and move or remove a link itself', () => {
    const fs = fsOf();
    fs.mkdirp('/opt/fd/agent/1.0.0');
    fs.writeFile('/opt/fd/agent/1.0.0/agent.js', 'one');
    expect(fs.symlink('1.0.0', '/opt/fd/agent/current', false)).toBeNull();
    expect(fs.read('/opt/fd/agent/current/agent.js')?.toString()).toBe('one');
    expect(fs.resolve('/opt/fd/agent/current/agent.js')).toBe('/opt/fd/agent/1.0.0/agent.js');
    expect(fs.lstat('/opt/fd/agent/current')?.mode).toBe(0o120777);
    expect(fs.stat('/opt/fd/agent/current')?.mode).toBe(0o040755);
    expect(fs.symlink('/opt/loop-b', '/opt/loop-a', false)).toBeNull();
    expect(fs.symlink('/opt/loop-a', '/opt/loop-b', false)).toBeNull();
    expect(fs.isFile('/opt/loop-a')).toBe(false);
    expect(fs.rename('/opt/fd/agent/current', '/opt/fd/agent/previous')).toBeNull();
    expect(fs.readlink('/opt/fd/agent/previous')).toBe('1.0.0');
    expect(fs.remove('/opt/fd/agent/previous')).toBe(true);
    expect(fs.isDir('/opt/fd/agent/1.0.0')).toBe(true);
  });

  it('keep a log to its newer half, from a line start, past its limit', () => {
    const fs = fsOf();
    for (let i = 0; i < 200; i++) expect(fs.append('/tmp/agent.log', `line ${String(i).padStart(3, '0')}\n`, 1000)).toBeNull();
    const text = fs.readText('/tmp/agent.log')!;
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text.endsWith('line 199\n')).toBe(true);
    expect(text.startsWith('line ')).toBe(true);
    fs.clear('/tmp');
    expect(fs.readText('/tmp/agent.log')).toBeNull();
  });
});
