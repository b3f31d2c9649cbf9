// The SSH peer kind: a sample of the lab's servers (every tenth) answer SSH on their
// management address with the lab's login; a host without power refuses connections.
import { LAB_SSH_CREDENTIAL } from '../../../src-shared/lab-protocol';
import { startAllOrNone, type LabContext, type LabPeerKind, type LabPeers } from '../peer-kind';
import { createLabSshHost, sshHostSpecFor, type LabSshHost } from './ssh-host';

/** Every n-th server of the lab also answers SSH: "a sample of lab hosts". */
const SSH_EVERY = 10;

export const sshPeerKind: LabPeerKind = {
  kind: 'ssh',
  async start(ctx: LabContext): Promise<LabPeers> {
    const hosts = new Map<string, LabSshHost>();
    let serverIndex = 0;
    for (const { device, initialUptimeSec } of ctx.devices) {
      if (device.kind !== 'server' || serverIndex++ % SSH_EVERY !== 0) continue;
      device.sshCredential = LAB_SSH_CREDENTIAL;
      hosts.set(device.id, createLabSshHost(sshHostSpecFor(device, ctx.options.seed, ctx.credentials.ssh, initialUptimeSec)));
    }
    const all = [...hosts.values()];
    await startAllOrNone(all, 'SSH hosts');
    return {
      async reconcile(d) {
        await hosts.get(d.device.id)?.setPower(ctx.state.hostUp(d.device));
      },
      dispose: async () => void (await Promise.all(all.map((h) => h.stop()))),
    };
  },
};
