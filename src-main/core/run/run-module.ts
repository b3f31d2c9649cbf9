// The run capability: one command line on many hosts over SSH (results streamed per host,
// cancellable), and the SSH host keys pinned on first use (read, and forgotten by an admin).
import type { Capability } from '../../../src-shared/api';
import type { FleetEvent } from '../../../src-shared/domain';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { EventHub } from '../events/event-hub';
import type { HostKeyRepository } from '../store/host-key-repository';
import type { InventoryRepository } from '../store/inventory-repository';
import { createSshService, type SshService } from './ssh-service';

export interface RunModule extends Capability<'fleet.run' | 'fleet.cancelRun' | 'device.hostKey' | 'device.forgetHostKey'> {
  readonly ssh: SshService;
}

export interface RunDeps {
  store: { inventory: InventoryRepository; hostKeys: HostKeyRepository };
  credentials: Pick<CredentialResolver, 'login' | 'requireBound'>;
  hub: EventHub;
  record: (events: Omit<FleetEvent, 'id'>[]) => void;
  log?: (line: string) => void;
}

export function startRun(d: RunDeps): RunModule {
  const ssh = createSshService({ device: (id) => d.store.inventory.device(id), credentials: d.credentials, hostKeys: d.store.hostKeys, hub: d.hub, log: d.log, record: d.record });
  return {
    ssh,
    api: {
      'fleet.run': (a) => ssh.run(a.deviceIds, a.command, a.timeoutMs),
      'fleet.cancelRun': (a) => ({ cancelled: ssh.cancel(a.runId) }),
      'device.hostKey': (a) => ssh.hostKey(a.deviceId),
      'device.forgetHostKey': (a) => ssh.forgetHostKey(a.deviceId, a.confirmHostname),
    },
    dispose: () => ssh.dispose(),
  };
}
