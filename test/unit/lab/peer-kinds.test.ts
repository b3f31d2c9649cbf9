// The lab's registry of peer kinds, and a lab started from fake kinds: start order, disposal
// in reverse (once) on close and on a failed start, faults routed to every kind.
import { describe, expect, it } from 'vitest';
import type { LabStartOptions } from '../../../src-shared/lab-protocol';
import { startLabFleet } from '../../../src-main/lab/lab-fleet';
import type { LabPeerKind, LabPeers } from '../../../src-main/lab/peer-kind';
import { LAB_PEER_KINDS } from '../../../src-main/lab/peer-kinds';

const OPTIONS: LabStartOptions = {
  seed: 7,
  size: { sites: 1, roomsPerSite: 1, rowsPerRoom: 1, cabinetsPerRow: 2, devices: 8 },
  community: 'fake',
  snmpPort: 1,
  addressPrefix: '127.200',
};

/** Fake kinds that write what happens to them into one log. */
function fakes(names: readonly string[], failing?: string): { kinds: LabPeerKind[]; log: string[] } {
  const log: string[] = [];
  const kinds = names.map((kind): LabPeerKind => ({
    kind,
    async start(): Promise<LabPeers> {
      log.push(`start ${kind}`);
      if (kind === failing) throw new Error(`${kind} cannot start`);
      return {
        reconcile: async (d) => void log.push(`reconcile ${kind} ${d.device.id}`),
        linkChanged: (d, up) => void log.push(`link ${kind} ${d.device.id} ${up ? 'up' : 'down'}`),
        dispose: async () => void log.push(`dispose ${kind}`),
      };
    },
  }));
  return { kinds, log };
}

describe('lab peer kinds', () => {
  it('registers snmp, bmc, ssh and the probe targets, each once', () => {
    const names = LAB_PEER_KINDS.map((k) => k.kind);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(['bmc', 'probe-targets', 'snmp', 'ssh']);
  });

  it('disposes the kinds already started, in reverse order, when one fails to start', async () => {
    const { kinds, log } = fakes(['a', 'b', 'c', 'd'], 'c');
    await expect(startLabFleet(OPTIONS, kinds)).rejects.toThrow('c cannot start');
    expect(log).toEqual(['start a', 'start b', 'start c', 'dispose b', 'dispose a']);
  });

  it('starts in order, routes faults to every kind, and closes in reverse order once', async () => {
    const { kinds, log } = fakes(['a', 'b']);
    const lab = await startLabFleet(OPTIONS, kinds);
    const server = lab.inventory.devices.find((d) => d.kind === 'server')!;
    expect(lab.agents).toBe(OPTIONS.size.devices);

    log.length = 0;
    const status = await lab.fault({ kind: 'kill-device', deviceId: server.id });
    expect(status.deadDevices).toEqual([server.id]);
    expect(log).toEqual([`reconcile a ${server.id}`, `reconcile b ${server.id}`]);

    log.length = 0;
    await lab.fault({ kind: 'link-down', deviceId: server.id });
    await lab.fault({ kind: 'link-down', deviceId: server.id }); // no change: no one is told
    expect(log).toEqual([`link a ${server.id} down`, `link b ${server.id} down`]);
    expect(lab.status().linksDown).toEqual([server.id]);

    log.length = 0;
    await Promise.all([lab.close(), lab.close()]);
    expect(log).toEqual(['dispose b', 'dispose a']);
    expect(lab.status().running).toBe(false);
    await expect(lab.fault({ kind: 'revive-device', deviceId: server.id })).rejects.toThrow('lab: closed');
  });
});
