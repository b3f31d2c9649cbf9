// One SSH connection (ssh2 Client): the handshake, host-key pinning, authentication from
// the credential store, keepalives, and ssh2's errors mapped to FleetDeck's named ones.
// The byte stream is injectable (`dial`), so tests and the lab can swap the transport.
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { Client } from './codec/ssh2-lib';
import type { Duplex } from 'node:stream';
import { SshAuthError, SshCancelledError, SshConnectError, SshHostKeyMismatchError, SshTimeoutError } from './errors';
import { checkHostKey, type HostKeyStore } from './known-hosts';

export interface SshTarget {
  /** Address or name the connection dials; also the key the host key is pinned under. */
  host: string;
  port?: number;
  /** Id in the credential store; resolved through SshConnectOptions.credentials. */
  credentialId: string;
}

export interface SshCredential {
  username: string;
  password?: string;
  /** OpenSSH or PEM private key. */
  privateKey?: string | Buffer;
  passphrase?: string;
}

export type SshCredentialResolver = (credentialId: string) => SshCredential | Promise<SshCredential>;

export interface SshConnectOptions {
  hostKeys: HostKeyStore;
  credentials: SshCredentialResolver;
  /** Handshake and authentication deadline. Default 10 s. */
  connectTimeoutMs?: number;
  /** SSH-level keepalive; a peer that misses `keepaliveCountMax` in a row is dropped. Default 15 s x 3. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Opens the byte stream to host:port. Default: a TCP socket from ssh2. */
  dial?: (host: string, port: number) => Duplex;
}

export interface SshConnection {
  readonly host: string;
  readonly port: number;
  /** "SHA256:..." of the key the host presented (and that matched its pin). */
  readonly hostKeyFingerprint: string;
  readonly closed: boolean;
  /** Opens an exec channel. Rejects with SshConnectError when the connection is gone. */
  exec(command: string): Promise<ClientChannel>;
  sftp(): Promise<SFTPWrapper>;
  /** Called once when the connection closes, with the error that closed it, if any. */
  onClose(listener: (err: Error | null) => void): void;
  /** Ends the connection; resolves when the socket is closed. */
  close(): Promise<void>;
}

export const DEFAULT_SSH_PORT = 22;

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

export async function connectSsh(target: SshTarget, opts: SshConnectOptions, signal?: AbortSignal): Promise<SshConnection> {
  const host = target.host;
  const port = target.port ?? DEFAULT_SSH_PORT;
  if (signal?.aborted) throw new SshCancelledError(host, port, 'SSH connect');
  const cred = await opts.credentials(target.credentialId);
  if (!cred.password && !cred.privateKey) throw new SshAuthError(host, port, cred.username, target.credentialId, new Error('credential has neither a password nor a private key'));
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const client = new Client();
  let mismatch: { expected: string; actual: string } | null = null;
  let fingerprint = '';

  return new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    let closed = false;
    let lastError: Error | null = null;
    const closeListeners: Array<(err: Error | null) => void> = [];
    let closedPromise: Promise<void> | null = null;

    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      client.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(new SshCancelledError(host, port, 'SSH connect'));
    signal?.addEventListener('abort', onAbort, { once: true });

    client.on('error', (err: Ssh2Error) => {
      lastError = err;
      if (settled) return;
      if (mismatch) return fail(new SshHostKeyMismatchError(host, port, mismatch.expected, mismatch.actual));
      if (err.level === 'client-authentication') return fail(new SshAuthError(host, port, cred.username, target.credentialId, err));
      if (err.level === 'client-timeout') return fail(new SshTimeoutError(host, port, null, timeoutMs, err));
      fail(new SshConnectError(host, port, err.code ? `${err.code} (${err.message})` : err.message, err));
    });
    client.on('close', () => {
      closed = true;
      if (!settled) {
        if (mismatch) return fail(new SshHostKeyMismatchError(host, port, mismatch.expected, mismatch.actual));
        return fail(new SshConnectError(host, port, 'the host closed the connection during the handshake', lastError ?? undefined));
      }
      for (const l of closeListeners.splice(0)) l(lastError);
    });
    client.on('ready', () => {
      if (settled) return void client.end();
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      const gone = (): SshConnectError => new SshConnectError(host, port, 'the connection is closed', lastError ?? undefined);
      resolve({
        host,
        port,
        hostKeyFingerprint: fingerprint,
        get closed() {
          return closed;
        },
        exec: (command) => new Promise<ClientChannel>((res, rej) => {
          if (closed) return rej(gone());
          try {
            client.exec(command, (err, channel) => (err ? rej(closed ? gone() : err) : res(channel)));
          } catch (err) {
            rej(closed ? gone() : err);
          }
        }),
        sftp: () => new Promise<SFTPWrapper>((res, rej) => {
          if (closed) return rej(gone());
          try {
            client.sftp((err, sftp) => (err ? rej(closed ? gone() : err) : res(sftp)));
          } catch (err) {
            rej(closed ? gone() : err);
          }
        }),
        onClose: (listener) => {
          if (closed) queueMicrotask(() => listener(lastError));
          else closeListeners.push(listener);
        },
        close: () => {
          closedPromise ??= closed ? Promise.resolve() : new Promise<void>((res) => {
            // A peer that never answers our disconnect must not hold the socket open.
            const force = setTimeout(() => client.destroy(), 2000);
            client.once('close', () => {
              clearTimeout(force);
              res();
            });
            client.end();
          });
          return closedPromise;
        },
      });
    });

    try {
      client.connect({
        host,
        port,
        sock: opts.dial?.(host, port),
        username: cred.username,
        password: cred.password,
        privateKey: cred.privateKey,
        passphrase: cred.passphrase,
        readyTimeout: timeoutMs,
        keepaliveInterval: opts.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: opts.keepaliveCountMax ?? 3,
        hostVerifier: (key: Buffer): boolean => {
          const verdict = checkHostKey(opts.hostKeys, host, port, key);
          if (verdict.ok) {
            fingerprint = verdict.fingerprint;
            return true;
          }
          mismatch = { expected: verdict.expected, actual: verdict.actual };
          return false;
        },
      });
      // Requests and replies are small packets: without this, Nagle's algorithm meets the
      // peer's delayed ACK and every exec waits ~40 ms.
      client.setNoDelay(true);
    } catch (err) {
      // ssh2 validates the config synchronously (e.g. an unparsable private key).
      fail(err instanceof Error && /privateKey/i.test(err.message)
        ? new SshAuthError(host, port, cred.username, target.credentialId, err)
        : new SshConnectError(host, port, err instanceof Error ? err.message : String(err), err));
    }
  });
}
