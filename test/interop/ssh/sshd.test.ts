// FleetDeck's SSH against OpenSSH's sshd (a child process on 127.60.0.1:19122): exec with
// exit codes, stderr, signals, caps and a deadline; SFTP upload with checksum and atomic
// rename; and a host whose key changed is refused, naming the host and both fingerprints.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSshPool, ed25519KeyPair, fleetExec, MemoryHostKeyStore, sftpUpload, sshExec,
  SshAuthError, SshCancelledError, SshChecksumMismatchError, SshHostKeyMismatchError, SshTimeoutError,
  type SshPool, type SshTarget,
} from '../../../src-main/core/protocols/ssh';
import { leftOver, resources, until } from '../../support/handles';
import { sshdCheck, startSshd, type SshdPeer } from './sshd-peer';

const check = sshdCheck();
const ADDRESS = '127.60.0.1';
const PORT = 19122;

let before: string[];
let sshd: SshdPeer;
let pins: MemoryHostKeyStore;
let pool: SshPool;
let target: SshTarget;
let uploads: string;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const leftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.includes('.fleetdeck-'));

describe.skipIf(check.skip)(`FleetDeck SSH against OpenSSH sshd${check.skip ? ` (skipped: ${check.reason})` : ''}`, () => {
  beforeAll(async () => {
    if (check.missing.length) throw new Error(`CI needs the SSH peer: ${check.reason}`);
    before = resources();
    sshd = await startSshd({ address: ADDRESS, port: PORT });
    pins = new MemoryHostKeyStore();
    pool = createSshPool({
      hostKeys: pins,
      credentials: (id) => ({
        username: sshd.username,
        privateKey: id === 'stranger' ? ed25519KeyPair(undefined).privateKey : sshd.clientKey.privateKey,
      }),
      connectTimeoutMs: 10_000,
    });
    target = { host: ADDRESS, port: PORT, credentialId: 'interop-key' };
    uploads = join(sshd.dir, 'uploads');
    mkdirSync(uploads);
  });

  afterAll(async () => {
    await pool?.dispose();
    await sshd?.stop();
    await until('no handle left', () => leftOver(before, resources()).length === 0 || undefined, 5000).catch(() => {
      throw new Error(`handles left open: ${leftOver(before, resources()).join(', ')}`);
    });
  });

  it('runs commands with their exit codes and stderr, and pins the host key ssh-keygen reports', async () => {
    expect(await sshExec(pool, target, 'true')).toMatchObject({ exitCode: 0, signal: null, stdout: '', stderr: '' });
    expect(await sshExec(pool, target, 'echo out; echo err >&2; exit 3')).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(pins.get(ADDRESS, PORT)).toBe(sshd.hostFingerprint);
    await expect(sshExec(pool, target, 'exit 3', { check: true })).rejects.toMatchObject({ name: 'SshExecError', exitCode: 3, host: ADDRESS });
    expect(await sshExec(pool, target, 'kill -TERM $$')).toMatchObject({ exitCode: null, signal: 'TERM' });
    expect(await sshExec(pool, target, 'cat', { stdin: 'over stdin\n' })).toMatchObject({ exitCode: 0, stdout: 'over stdin\n' });
  }, 30_000);

  it('passes argv through the login shell verbatim', async () => {
    const nasty = ["it's", '$(touch /tmp/pwned)', '`id`', '  two  spaces ', 'tab\t', 'new\nline', '"', '\\', '*', '?', '[a]', '#', ';', '&&', '|', '>x', '~', 'a=b', '-n', '中文', ''];
    const r = await sshExec(pool, target, ['printf', '%s\\0', ...nasty], { check: true });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(nasty);
  });

  it('caps output (truncated flag, exit status kept) and gives up on a command past its deadline', async () => {
    const big = await sshExec(pool, target, 'head -c 100000 /dev/zero; echo tail >&2; exit 4', { maxStdoutBytes: 1000, maxStderrBytes: 2 });
    expect(big).toMatchObject({ exitCode: 4, stdoutTruncated: true, stdoutBytes: 100_000, stderr: 'ta', stderrTruncated: true });
    expect(big.stdout).toHaveLength(1000);
    const err = await sshExec(pool, target, ['sleep', '30'], { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshTimeoutError);
    expect(err).toMatchObject({ host: ADDRESS, port: PORT, command: 'sleep 30', timeoutMs: 500 });
    expect(await sshExec(pool, target, 'echo alive')).toMatchObject({ exitCode: 0, stdout: 'alive\n' });
  }, 30_000);

  it('refuses a key the host does not authorize with SshAuthError', async () => {
    const err = await sshExec(pool, { ...target, credentialId: 'stranger' }, 'true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshAuthError);
    expect(err).toMatchObject({ host: ADDRESS, username: sshd.username, credentialId: 'stranger' });
  });

  it('uploads over SFTP: exact bytes and mode, checked by sha256sum, renamed over the old file in one step', async () => {
    const path = join(uploads, 'agent.bin');
    writeFileSync(path, 'old version\n');
    const data = randomBytes(1_500_000);
    let seenDuring: string | null = null;
    let tempDuring: string[] = [];
    const r = await sftpUpload(pool, target, {
      source: data, remotePath: path, mode: 0o750,
      onProgress: () => {
        if (seenDuring !== null) return;
        seenDuring = readFileSync(path, 'utf8');
        tempDuring = leftovers(uploads);
      },
    });
    // Mid-upload the target still held the old file, and the bytes went to a temp name beside it.
    expect(seenDuring).toBe('old version\n');
    expect(tempDuring).toHaveLength(1);
    expect(r).toMatchObject({ host: ADDRESS, remotePath: path, bytes: data.length, sha256: sha(data), verifiedBy: 'sha256sum' });
    expect(readFileSync(path).equals(data)).toBe(true);
    expect(statSync(path).mode & 0o7777).toBe(0o750);
    expect(leftovers(uploads)).toEqual([]);

    const local = join(sshd.dir, 'local-source');
    writeFileSync(local, randomBytes(70_000));
    const r2 = await sftpUpload(pool, target, { source: { path: local }, remotePath: path, verify: 'readback' });
    expect(r2).toMatchObject({ verifiedBy: 'readback', sha256: sha(readFileSync(local)) });
    expect(readFileSync(path).equals(readFileSync(local))).toBe(true);
    expect(statSync(path).mode & 0o7777).toBe(0o644);
  }, 30_000);

  it('leaves the target untouched and no temp file when the checksum is wrong or the upload is cancelled', async () => {
    const path = join(uploads, 'config.yaml');
    writeFileSync(path, 'keep: me\n');
    const bad = await sftpUpload(pool, target, { source: Buffer.from('new: one\n'), remotePath: path, sha256: 'ab'.repeat(32) }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(SshChecksumMismatchError);
    expect(bad).toMatchObject({ host: ADDRESS, remotePath: path, expected: 'ab'.repeat(32), actual: sha(Buffer.from('new: one\n')) });

    const ac = new AbortController();
    const cancelled = await sftpUpload(pool, target, { source: randomBytes(4_000_000), remotePath: path, signal: ac.signal, onProgress: () => ac.abort() })
      .catch((e: unknown) => e);
    expect(cancelled).toBeInstanceOf(SshCancelledError);
    expect(readFileSync(path, 'utf8')).toBe('keep: me\n');
    await until('the temp file removed', () => leftovers(uploads).length === 0, 5000);

    await expect(sftpUpload(pool, target, { source: Buffer.from('x'), remotePath: join(uploads, 'missing-dir', 'x') }))
      .rejects.toMatchObject({ name: 'SshUploadError', step: 'open', host: ADDRESS });
    expect(existsSync(join(uploads, 'missing-dir'))).toBe(false);
  }, 30_000);

  it('runs one command across many targets within sshd session limits, each result streamed', async () => {
    const targets = Array.from({ length: 24 }, (_, i) => ({ ...target, id: `t${i}` }));
    const results = [];
    for await (const r of fleetExec(pool, targets, ['sh', '-c', 'echo "$0"', 'hello'], { concurrency: 12 })) results.push(r);
    expect(results).toHaveLength(24);
    for (const r of results) expect(r).toMatchObject({ exitCode: 0, stdout: 'hello\n', error: null });
    expect(pool.stats().connections).toBeLessThanOrEqual(2);
  }, 30_000);

  it('refuses the host once its key changed, naming the host and both fingerprints; forgetting the pin lets it in', async () => {
    const oldFp = sshd.hostFingerprint;
    expect(pins.get(ADDRESS, PORT)).toBe(oldFp);
    await pool.closeHost(ADDRESS, PORT);
    await sshd.regenerateHostKey();
    const newFp = sshd.hostFingerprint;
    expect(newFp).not.toBe(oldFp);

    const logMark = sshd.output().length;
    const err = await sshExec(pool, target, 'true').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshHostKeyMismatchError);
    expect(err).toMatchObject({ name: 'SshHostKeyMismatchError', code: 'CONFLICT', host: ADDRESS, port: PORT, expected: oldFp, actual: newFp });
    const message = (err as Error).message;
    expect(message).toContain(ADDRESS);
    expect(message).toContain(oldFp);
    expect(message).toContain(newFp);
    expect(pins.get(ADDRESS, PORT)).toBe(oldFp); // the refused key did not replace the pin
    expect(sshd.output().slice(logMark)).not.toContain('Accepted publickey'); // refused before authenticating

    pins.forget(ADDRESS, PORT);
    expect(await sshExec(pool, target, 'echo re-pinned')).toMatchObject({ exitCode: 0, stdout: 're-pinned\n' });
    expect(pins.get(ADDRESS, PORT)).toBe(newFp);
  }, 30_000);
});
