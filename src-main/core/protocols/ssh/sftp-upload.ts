// SFTP upload that never leaves a half-written file where the target should be: the bytes
// go to a temporary name beside the target (same directory, so same filesystem), their
// sha256 is checked on the host (`sha256sum` over exec, or reading the file back), and only
// then is the file renamed over the target in one step (posix-rename@openssh.com; plain
// SFTP rename or `mv -f` where the server lacks it). Any failure removes the temporary file.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { SshCancelledError, SshChecksumMismatchError, SshError, SshTimeoutError, SshUploadError } from './errors';
import type { SshConnection, SshTarget } from './connection';
import { execOn, leavesChannelOpen } from './exec';
import type { SshPool } from './pool';

export interface UploadOptions {
  /** The bytes, or a local file streamed from disk. */
  source: Uint8Array | { path: string };
  remotePath: string;
  /** Permission bits of the result, set exactly (no umask). Default 0o644. */
  mode?: number;
  /** How the host's copy is hashed. 'auto': sha256sum, else reading it back. Default 'auto'. */
  verify?: 'auto' | 'sha256sum' | 'readback';
  /** Expected sha256 (hex) of the source, e.g. from a release manifest; checked too. */
  sha256?: string;
  /** Whole upload, rename included. Default 5 min. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (bytesWritten: number) => void;
}

export interface UploadResult {
  host: string;
  port: number;
  remotePath: string;
  bytes: number;
  sha256: string;
  verifiedBy: 'sha256sum' | 'readback';
  ms: number;
}

const CHUNK = 32 * 1024;
const WINDOW = 16;
const CLEANUP_MS = 5000;

const cb2p = <T = void>(fn: (cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))));

function* slices(data: Uint8Array): Generator<Buffer> {
  for (let off = 0; off < data.length; off += CHUNK) yield Buffer.from(data.buffer, data.byteOffset + off, Math.min(CHUNK, data.length - off));
}

/** Uploads over an open connection; uses one SFTP channel and, to verify, one exec channel. */
export async function uploadOn(conn: SshConnection, opts: UploadOptions): Promise<UploadResult> {
  const { host, port } = conn;
  const target = opts.remotePath;
  const t0 = performance.now();
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const dir = posix.dirname(target);
  const tmp = posix.join(dir, `.${posix.basename(target)}.fleetdeck-${randomBytes(6).toString('hex')}.part`);
  const fail = (step: SshUploadError['step'], err: unknown): SshError =>
    err instanceof SshError ? err : new SshUploadError(host, port, target, step, err instanceof Error ? err.message : String(err), err);

  // One deadline and the caller's signal, both ending in `gaveUp`, which every await races.
  const stopper = new AbortController();
  let gaveUp: SshError | null = null;
  const giveUp = (e: SshError): void => {
    gaveUp ??= e;
    stopper.abort();
  };
  const timer = setTimeout(() => giveUp(new SshTimeoutError(host, port, `upload ${target}`, timeoutMs)), timeoutMs);
  const onAbort = (): void => giveUp(new SshCancelledError(host, port, `Upload of ${target}`));
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const race = <T>(p: Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
    if (gaveUp) return reject(gaveUp);
    const onStop = (): void => reject(gaveUp);
    stopper.signal.addEventListener('abort', onStop, { once: true });
    p.then(resolve, reject).finally(() => stopper.signal.removeEventListener('abort', onStop));
  });

  const step = <T>(name: SshUploadError['step'], p: Promise<T>): Promise<T> => race(p).catch((e: unknown) => {
    throw fail(name, e);
  });

  let sftp: SFTPWrapper | null = null;
  let handle: Buffer | null = null;
  let created = false;
  try {
    const opening = conn.sftp();
    // Given up while the channel was opening: close it when it does open.
    opening.then((late) => void (gaveUp && late.end()), () => undefined);
    sftp = await step('open', opening);
    const s = sftp;
    const mode = opts.mode ?? 0o644;
    // From here the temp file may exist (even if we stop waiting for the reply): remove it on failure.
    created = true;
    handle = await step('open', cb2p<Buffer>((cb) => s.open(tmp, 'wx', { mode }, cb)));
    const h = handle;

    // Write with a window of requests in flight; hash what is sent as it goes.
    const local = createHash('sha256');
    let pos = 0;
    let written = 0;
    let writeErr: unknown = null;
    const inflight = new Set<Promise<void>>();
    const source = opts.source instanceof Uint8Array ? slices(opts.source) : createReadStream(opts.source.path, { highWaterMark: CHUNK });
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        if (writeErr || gaveUp) break;
        local.update(chunk);
        const p = cb2p((cb) => s.write(h, chunk, 0, chunk.length, pos, cb)).then(() => {
          written += chunk.length;
          opts.onProgress?.(written);
        }, (e) => void (writeErr ??= e)).finally(() => inflight.delete(p));
        inflight.add(p);
        pos += chunk.length;
        if (inflight.size >= WINDOW) await race(Promise.race(inflight));
      }
    } catch (e) {
      throw fail('write', e);
    }
    await race(Promise.all(inflight));
    if (gaveUp) throw gaveUp;
    if (writeErr) throw fail('write', writeErr);
    await step('write', cb2p((cb) => s.fchmod(h, mode, cb)));
    handle = null;
    await step('write', cb2p((cb) => s.close(h, cb)));
    const sha256 = local.digest('hex');
    if (opts.sha256 && opts.sha256.toLowerCase() !== sha256) throw new SshChecksumMismatchError(host, port, target, opts.sha256.toLowerCase(), sha256);

    // The host's own view of the bytes.
    let remote: string | null = null;
    let verifiedBy: UploadResult['verifiedBy'] = 'sha256sum';
    const how = opts.verify ?? 'auto';
    if (how !== 'readback') {
      // 'auto' falls back to reading back on a host without sha256sum or without exec (SFTP-only).
      const r = await step('verify', execOn(conn, ['sha256sum', '--', tmp], { timeoutMs: 60_000, maxStdoutBytes: 4096, signal: stopper.signal }))
        .catch((e: unknown) => {
          if (how === 'sha256sum' || gaveUp) throw e;
          return null;
        });
      remote = r?.exitCode === 0 ? (/^\\?([0-9a-f]{64})\s/.exec(r.stdout)?.[1] ?? null) : null;
      if (remote === null && how === 'sha256sum') {
        throw new SshUploadError(host, port, target, 'verify', `sha256sum exited ${r?.exitCode ?? `on SIG${r?.signal}`}: ${r?.stderr.trim().slice(0, 200)}`);
      }
    }
    if (remote === null) {
      verifiedBy = 'readback';
      const back = createHash('sha256');
      await step('verify', (async () => {
        for await (const chunk of s.createReadStream(tmp, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) back.update(chunk);
      })());
      remote = back.digest('hex');
    }
    if (remote !== sha256) throw new SshChecksumMismatchError(host, port, target, sha256, remote);

    await step('rename', renameOver(conn, s, tmp, target));
    created = false;
    return { host, port, remotePath: target, bytes: pos, sha256, verifiedBy, ms: performance.now() - t0 };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    if (sftp) await cleanup(sftp, handle, created ? tmp : null);
  }
}

/** Atomic replace: the OpenSSH extension, else plain rename (fails over an existing file on OpenSSH), else mv. */
async function renameOver(conn: SshConnection, sftp: SFTPWrapper, from: string, to: string): Promise<void> {
  try {
    await cb2p((cb) => sftp.ext_openssh_rename(from, to, cb));
    return;
  } catch (e) {
    if (!/does not support/i.test((e as Error).message)) throw e;
  }
  try {
    await cb2p((cb) => sftp.rename(from, to, cb));
  } catch (renameErr) {
    const r = await execOn(conn, ['mv', '-f', '--', from, to], { timeoutMs: 30_000 });
    if (r.exitCode !== 0) throw new Error(`${(renameErr as Error).message}; mv -f: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }
}

/** Best effort and bounded: close the handle, remove the temporary file, end the channel. */
async function cleanup(sftp: SFTPWrapper, handle: Buffer | null, tmp: string | null): Promise<void> {
  const steps = (async () => {
    if (handle) await cb2p((cb) => sftp.close(handle, cb)).catch(() => undefined);
    if (tmp) await cb2p((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
  })();
  let t: NodeJS.Timeout | undefined;
  await Promise.race([steps, new Promise((r) => (t = setTimeout(r, CLEANUP_MS)))]);
  clearTimeout(t);
  sftp.end();
}

/** Uploads over a pooled connection to the target (two sessions: SFTP, and exec to verify). */
export function sftpUpload(pool: SshPool, target: SshTarget, opts: UploadOptions): Promise<UploadResult> {
  return pool.use(target, (conn) => uploadOn(conn, opts), { signal: opts.signal, sessions: 2, brokenOn: leavesChannelOpen });
}
