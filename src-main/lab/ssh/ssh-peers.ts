// The SSH peer kind: a sample of the lab's servers (every tenth) answer SSH on their
// management address with the lab's login; a host without power, or installing, refuses
// connections. A host that comes back from a PXE install is reinstalled first: the new
// hostname and OS, and a host key drawn from the lab's seed, the device and the install count.
// A host the lab's state file says was installed starts as installed (its hostname, OS and that
// install's key), so a console restart changes nothing it sees. Every host can run the agent
// the deploy starts on it (lab/agents: real agent identities in this process, their state
// beside the lab's state file, removed when the lab stops).
import { LAB_SSH_CREDENTIAL } from '../../../src-shared/lab-protocol';
import { createLabAgents } from '../agents/lab-agents';
import { startAllOrNone, type LabContext, type LabPeerKind, type LabPeers } from '../peer-kind';
import { factsFor } from './ssh-host-facts';
import { createLabSshHost, labHostKeySeed, sshHostSpecFor, type LabSshHost } from './ssh-host';

/** Every n-th server of the lab also answers SSH: "a sample of lab hosts". */
const SSH_EVERY = 10;

export const sshPeerKind: LabPeerKind = {
  kind: 'ssh',
  async start(ctx: LabContext): Promise<LabPeers> {
    const hosts = new Map<string, LabSshHost>();
    let serverIndex = 0;
    /** The install generation each host runs. */
    const generations = new Map<string, number>();
    // Every SSH host may run an agent: each identity's caps see at most its host's share of the lab process.
    const servers = ctx.devices.filter((d) => d.device.kind === 'server').length;
    const agents = createLabAgents({ stateFile: ctx.options.stateFile, shareAmong: Math.ceil(servers / SSH_EVERY), probe: ctx.network.probe });
    for (const { device, initialUptimeSec } of ctx.devices) {
      if (device.kind !== 'server' || serverIndex++ % SSH_EVERY !== 0) continue;
      device.sshCredential = LAB_SSH_CREDENTIAL;
      const identity = ctx.state.identity(device);
      const installed = identity.generation > 0
        ? { hostname: identity.hostname, facts: factsFor(device.id, identity.os), hostKeySeed: labHostKeySeed(ctx.options.seed, device.id, identity.generation) }
        : {};
      generations.set(device.id, identity.generation);
      hosts.set(device.id, createLabSshHost({ ...sshHostSpecFor(device, ctx.options.seed, ctx.credentials.ssh, initialUptimeSec), ...installed }, { agents }));
    }
    const all = [...hosts.values()];
    try {
      await startAllOrNone(all, 'SSH hosts');
    } catch (err) {
      await agents.dispose();
      throw err;
    }
    return {
      async reconcile(d) {
        const id = d.device.id;
        const host = hosts.get(id);
        if (!host) return;
        const up = ctx.state.osUp(d.device);
        const identity = ctx.state.identity(d.device);
        if (up && !host.running && identity.generation !== (generations.get(id) ?? 0)) {
          host.reinstall({ hostname: identity.hostname, facts: factsFor(id, identity.os), hostKeySeed: labHostKeySeed(ctx.options.seed, id, identity.generation) });
          generations.set(id, identity.generation);
        }
        await host.setPower(up);
      },
      dispose: async () => {
        await Promise.all(all.map((h) => h.stop()));
        await agents.dispose();
      },
    };
  },
};
