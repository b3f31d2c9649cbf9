// The SNMP peer kind: one net-snmp agent per lab device (PDUs metered per cord, pdu-power.ts), each on
// its own loopback address (or its own port on 127.0.0.1), and the traps a device sends when it
// boots or a link changes, from its agent's socket. A server's agent tells the host's current
// identity (lab-state.ts): after a PXE install, the new hostname and kernel; while the host
// installs, the agent is down.
import type { Device } from '../../../src-shared/domain';
import { linuxSysDescr } from '../host-os';
import type { LabHostIdentity } from '../lab-state';
import type { LabDevice } from '../lab-device';
import { startAllOrNone, type LabContext, type LabPeerKind, type LabPeers } from '../peer-kind';
import { createPduPower, type PduPower } from './pdu-power';
import { createSimDevice, type SimDevice, type SimDeviceSpec } from './snmp-device';
import { createLabTrapSender } from './snmp-traps';

const SYS_OBJECT_ID: Record<Device['kind'], string> = {
  server: '1.3.6.1.4.1.8072.3.2.10', // NET-SNMP-TC linux
  switch: '1.3.6.1.4.1.32473.1.1', // RFC 5612 documentation enterprise: lab ToR switch
  pdu: '1.3.6.1.4.1.32473.1.2', // ... lab metered PDU
  gateway: '1.3.6.1.4.1.32473.1.3',
};

function sysDescrFor(device: Device, identity: LabHostIdentity): string {
  switch (device.kind) {
    case 'server':
      // The host's one OS identity: its SSH `uname -a` tells the same kernel (host-os.ts).
      return linuxSysDescr(identity.hostname, identity.os);
    case 'switch':
      return 'FleetDeck Lab ToR switch 48x25G 8x100G, FDOS 4.2.1';
    case 'pdu':
      return 'FleetDeck Lab metered PDU 3-phase 32A, firmware 2.4.1';
    default:
      return 'FleetDeck Lab gateway';
  }
}

/** The agent of one lab device; its interfaces are the device's own (faults change them in place). */
function agentSpec(d: LabDevice, community: string, pdu: PduPower, identity: LabHostIdentity): SimDeviceSpec {
  const { device, cabinet, room } = d;
  const isPdu = device.kind === 'pdu';
  return {
    id: device.id,
    kind: device.kind,
    hostname: identity.hostname,
    address: device.mgmtIp,
    port: device.snmpPort,
    community,
    sysDescr: sysDescrFor(device, identity),
    sysObjectID: SYS_OBJECT_ID[device.kind],
    sysLocation: `${room.name}, cabinet ${cabinet.name}${device.uHeight > 0 ? `, U${device.uPosition}` : ''}`,
    interfaces: d.interfaces,
    powerWatts: isPdu ? () => pdu.inletWatts(device.id) : undefined,
    outlets: isPdu ? pdu.outletHosts(device.id) : undefined,
    outletWatts: isPdu ? () => pdu.outletWatts(device.id) : undefined,
    initialUptimeSec: d.initialUptimeSec,
    phase: d.phase,
  };
}

export const snmpPeerKind: LabPeerKind = {
  kind: 'snmp',
  async start(ctx: LabContext): Promise<LabPeers> {
    const pdu = createPduPower(new Map(ctx.devices.map((d) => [d.device.id, d])), ctx.state);
    const agents = new Map<string, SimDevice>(ctx.devices.map((d) => [d.device.id, createSimDevice(agentSpec(d, ctx.options.community, pdu, ctx.state.identity(d.device)))]));
    const all = [...agents.values()];
    await startAllOrNone(all, 'agents');
    const traps = createLabTrapSender(ctx.options.community);
    return {
      async reconcile(d) {
        const agent = agents.get(d.device.id);
        if (!agent) return;
        const up = ctx.state.osUp(d.device);
        const wasUp = agent.running;
        if (up && !wasUp && d.device.kind === 'server') {
          const identity = ctx.state.identity(d.device);
          agent.setSystem(identity.hostname, sysDescrFor(d.device, identity));
        }
        await (up ? agent.start() : agent.stop());
        // A host that boots says so, as a real agent does on start.
        if (up && !wasUp) void traps.send(agent, { kind: 'coldStart' });
      },
      linkChanged(d, up) {
        // The agent reads oper status at request time: the next poll sees the change, and the
        // device tells the console at once with a linkDown (linkUp) trap if it is up.
        const agent = agents.get(d.device.id);
        if (agent && ctx.state.osUp(d.device)) void traps.send(agent, { kind: up ? 'linkUp' : 'linkDown', ifIndex: 1 });
      },
      setTrapTarget: (target) => traps.setTarget(target),
      async dispose() {
        await traps.close();
        await Promise.all(all.map((a) => a.stop()));
      },
    };
  },
};
