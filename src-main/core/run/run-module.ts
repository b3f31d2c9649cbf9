// The run capability: one command line on many hosts over SSH (fleet.run, a run of the
// workflow template fleet-run: journaled, resumable, results streamed per host, cancelled by
// revoking it), and the SSH host keys pinned on first use (read, and forgotten by an admin).
// It gives the workflows capability its tool (ssh.run) and template (fleet-run); fleet.run
// and fleet.cancelRun answer once create-core has connected that capability (useWorkflows),
// which starts after this module because it needs the tool.
import type { Capability } from '../../../src-shared/api';
import type { FleetEvent } from '../../../src-shared/domain';
import type { WfTemplate } from '../../../src-shared/domain/workflow';
import type { Disposable } from '../../../src-shared/lifecycle';
import type { CredentialResolver } from '../credentials/credential-resolver';
import type { EventHub } from '../events/event-hub';
import type { HostKeyRepository } from '../store/host-key-repository';
import type { InventoryRepository } from '../store/inventory-repository';
import type { Tool } from '../workflows/tool';
import { FLEET_RUN_TEMPLATE } from './fleet-run-template';
import { createFleetRuns, type FleetRunWorkflows } from './fleet-runs';
import { createSshService, type SshService } from './ssh-service';
import { sshRunTool } from './ssh-run-tool';

export interface RunModule extends Capability<'fleet.run' | 'fleet.cancelRun' | 'device.hostKey' | 'device.forgetHostKey'> {
  readonly ssh: SshService;
  /** ssh.run, for the workflows capability's tools. */
  readonly tools: readonly Tool[];
  /** fleet-run, shipped (saved as version 1 when absent). */
  readonly templates: readonly WfTemplate[];
  /** fleet.run launches on this capability's engine from now on (until the returned handle is disposed). */
  useWorkflows(workflows: FleetRunWorkflows): Disposable;
}

export interface RunDeps {
  store: { inventory: InventoryRepository; hostKeys: HostKeyRepository };
  credentials: Pick<CredentialResolver, 'login' | 'requireBound'>;
  hub: EventHub;
  record: (events: Omit<FleetEvent, 'id'>[]) => void;
  log?: (line: string) => void;
}

export function startRun(d: RunDeps): RunModule {
  const device = (id: string) => d.store.inventory.device(id);
  const ssh = createSshService({ device, credentials: d.credentials, hostKeys: d.store.hostKeys, record: d.record });
  const runs = createFleetRuns({ device, hub: d.hub, log: d.log });
  const tools = [sshRunTool({ device, credentials: d.credentials, pool: ssh.pool, report: runs.report })];
  return {
    ssh,
    tools,
    templates: [FLEET_RUN_TEMPLATE],
    useWorkflows: (w) => runs.use(w),
    api: {
      'fleet.run': (a, ctx) => runs.run(a, ctx),
      'fleet.cancelRun': (a, ctx) => runs.cancel(a.runId, ctx),
      'device.hostKey': (a) => ssh.hostKey(a.deviceId),
      'device.forgetHostKey': (a) => ssh.forgetHostKey(a.deviceId, a.confirmHostname),
    },
    dispose: () => ssh.dispose(),
  };
}
