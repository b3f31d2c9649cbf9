// The console's SSH: the one pooled set of ssh2 connections (host keys pinned on first use,
// logins from the credential store) that fleet runs (ssh.run, a workflow tool) and the
// provisioning tools use, and the pinned host keys of devices: read, and forgotten by an
// admin after a reinstall (confirmed by typing the hostname, an event recorded).
import type { Device, FleetEvent } from '../../../src-shared/domain';
import { NotFoundError, ValidationError } from '../../../src-shared/errors';
import { createSshPool, type HostKeyStore, type SshPool } from '../protocols/ssh';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { AsyncDisposable } from '../../../src-shared/lifecycle';

export interface SshService extends AsyncDisposable {
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
  credentials: Pick<CredentialResolver, 'login'>;
  hostKeys: HostKeyStore;
  /** Control actions, for the event stream. */
  record?: (events: Omit<FleetEvent, 'id'>[]) => void;
}

export function createSshService(d: SshServiceDeps): SshService {
  const pool = createSshPool({ hostKeys: d.hostKeys, credentials: (id) => d.credentials.login(id) });

  function endpoint(deviceId: string): { dev: Device; host: string; port: number } {
    const dev = d.device(deviceId);
    if (!dev) throw new NotFoundError('device', deviceId);
    return { dev, host: dev.mgmtIp, port: dev.sshPort };
  }

  return {
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
    pool,
    dispose: () => pool.dispose(),
  };
}
