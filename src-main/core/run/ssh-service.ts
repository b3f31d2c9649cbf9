// "Run this on 500 hosts" for the console: resolves devices to SSH targets, runs one
// command line on all of them over the shared pool with bounded concurrency, and streams
// each host's result as an event. The command line is the operator's own and is run as
// given; nothing is pasted into it. A host's SSH credential is checked against its binding
// when the host's turn comes, before the pool dials: unbound, the host's result is a
// CredentialUnboundError and no connection is made.
import { randomUUID } from 'node:crypto';
import type { Device, FleetEvent, RunFinished, RunHostResult, RunStarted } from '../../../src-shared/domain';
import { FleetDeckError, NotFoundError, ValidationError, serializeError } from '../../../src-shared/errors';
import type { Mutable } from '../../../src-shared/types';
import type { EventHub } from '../events/event-hub';
import { createSshPool, runOnHosts, sshExec, toCommand, type FleetRun, type FleetTarget, type HostKeyStore, type SshPool } from '../protocols/ssh';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { AsyncDisposable } from '../../../src-shared/lifecycle';

export interface SshService extends AsyncDisposable {
  run(deviceIds: readonly string[], command: string, timeoutMs?: number): RunStarted;
  cancel(runId: string): boolean;
  /** The pinned host-key fingerprint of a device's SSH endpoint, or null. */
  hostKey(deviceId: string): { host: string; port: number; fingerprint: string | null };
  /**
   * Forgets the pinned host key of a device (after a reinstall, when the console refuses the
   * new key): the next connection pins whatever key the host presents. confirmHostname must
   * name the device; pooled connections to it are closed.
   */
  forgetHostKey(deviceId: string, confirmHostname: string): Promise<{ forgotten: string | null }>;
  readonly pool: SshPool;
}

export interface SshServiceDeps {
  device: (id: string) => Device | null;
  credentials: Pick<CredentialResolver, 'login' | 'requireBound'>;
  hostKeys: HostKeyStore;
  hub: EventHub;
  concurrency?: number;
  log?: (line: string) => void;
  /** Control actions, for the event stream. */
  record?: (events: Omit<FleetEvent, 'id'>[]) => void;
}

const MAX_HOSTS = 5000;
const MAX_COMMAND = 4096;
/** Per host, what streams back to the console (the rest is counted as truncated). */
const OUTPUT_CAP = 64 * 1024;

export function createSshService(d: SshServiceDeps): SshService {
  const pool = createSshPool({ hostKeys: d.hostKeys, credentials: (id) => d.credentials.login(id) });
  const runs = new Map<string, FleetRun>();

  function run(deviceIds: readonly string[], command: string, timeoutMs = 60_000): RunStarted {
    if (!Array.isArray(deviceIds) || deviceIds.length === 0) throw new ValidationError('fleet.run: choose at least one device');
    if (deviceIds.length > MAX_HOSTS) throw new ValidationError(`fleet.run: at most ${MAX_HOSTS} devices in one run`);
    if (typeof command !== 'string' || !command.trim()) throw new ValidationError('fleet.run: the command is empty');
    if (command.length > MAX_COMMAND || command.includes('\0')) throw new ValidationError(`fleet.run: the command must be under ${MAX_COMMAND} characters, with no NUL`);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1000 || timeoutMs > 3_600_000) throw new ValidationError('fleet.run: timeoutMs must be 1,000 to 3,600,000');

    const skipped: Mutable<RunStarted['skipped'][number]>[] = [];
    const targets = [];
    const hostnames = new Map<string, string>();
    for (const id of new Set(deviceIds)) {
      const dev = typeof id === 'string' ? d.device(id) : null;
      if (!dev) skipped.push({ deviceId: String(id), reason: 'no such device', code: 'no-device' });
      else if (!dev.sshCredential) skipped.push({ deviceId: id, reason: 'no SSH credential', code: 'no-ssh-credential' });
      else {
        targets.push({ id, host: dev.mgmtIp, port: dev.sshPort, credentialId: dev.sshCredential });
        hostnames.set(id, dev.hostname);
      }
    }
    if (targets.length === 0) throw new FleetDeckError('VALIDATION', 'fleet.run: none of the chosen devices can be reached over SSH', { skipped });

    const runId = randomUUID();
    const t0 = Date.now();
    let succeeded = 0;
    let failed = 0;
    const cmd = toCommand(command);
    const exec = { timeoutMs, maxStdoutBytes: OUTPUT_CAP, maxStderrBytes: OUTPUT_CAP };
    const task = async (t: FleetTarget, signal: AbortSignal) => {
      // The device's SSH credential only where it is bound: checked here, before the pool dials.
      d.credentials.requireBound({ deviceId: t.id!, role: 'ssh', credentialId: t.credentialId, host: t.host, port: t.port! }, { hostname: hostnames.get(t.id!) });
      return sshExec(pool, t, cmd, { ...exec, signal });
    };
    const handle = runOnHosts(targets, task, {
      concurrency: d.concurrency ?? 32,
      onResult: (r) => {
        const ok = r.error === null && r.exitCode === 0;
        if (ok) succeeded++;
        else failed++;
        const result: RunHostResult = {
          runId,
          deviceId: r.id!,
          hostname: hostnames.get(r.id!) ?? r.host,
          ok,
          exitCode: r.exitCode,
          signal: r.signal,
          stdout: r.stdout,
          stderr: r.stderr,
          truncated: r.stdoutTruncated || r.stderrTruncated,
          error: r.error ? `${r.error.name}: ${r.error.message}` : null,
          failure: r.error ? serializeError(r.error) : null,
          ms: Math.round(r.ms),
        };
        d.hub.emit('onDidReceiveRunResult', result);
      },
    });
    runs.set(runId, handle);
    void handle.done.then(
      (summary) => {
        runs.delete(runId);
        const finished: RunFinished = { runId, succeeded, failed, cancelled: summary.cancelled, ms: Date.now() - t0 };
        d.hub.emit('onDidFinishRun', finished);
      },
      (err: unknown) => d.log?.(`fleet.run ${runId} ended with an error: ${String(err)}`),
    );
    return { runId, hosts: targets.length, skipped };
  }

  function endpoint(deviceId: string): { dev: Device; host: string; port: number } {
    const dev = d.device(deviceId);
    if (!dev) throw new NotFoundError('device', deviceId);
    return { dev, host: dev.mgmtIp, port: dev.sshPort };
  }

  return {
    run,
    hostKey(deviceId) {
      const { host, port } = endpoint(deviceId);
      return { host, port, fingerprint: d.hostKeys.get(host, port) };
    },
    async forgetHostKey(deviceId, confirmHostname) {
      const { dev, host, port } = endpoint(deviceId);
      if (confirmHostname !== dev.hostname) {
        throw new ValidationError(`Host key not forgotten: the confirmation must name the host "${dev.hostname}"`, { deviceId, expected: dev.hostname });
      }
      const was = d.hostKeys.get(host, port);
      d.hostKeys.forget(host, port);
      await pool.closeHost(host, port);
      d.record?.([{ at: Date.now(), deviceId: dev.id, kind: 'control', severity: 'warning', code: 'control.hostKeyForgotten', params: { hostname: dev.hostname, fingerprint: was ?? '' }, message: `${dev.hostname}: SSH host key ${was ?? '(none pinned)'} forgotten; the next key it presents will be pinned`, details: { host, port, fingerprint: was } }]);
      return { forgotten: was };
    },
    cancel(runId) {
      const r = runs.get(runId);
      if (!r) throw new NotFoundError('run', runId);
      r.cancel();
      return true;
    },
    pool,
    async dispose() {
      for (const r of runs.values()) r.cancel();
      await Promise.allSettled([...runs.values()].map((r) => r.done));
      runs.clear();
      await pool.dispose();
    },
  };
}
