// The registry of lab peer kinds, in start order (disposed in reverse). A new kind is one
// folder under lab/ exporting a LabPeerKind, and one line here.
import { bmcPeerKind } from './bmc/bmc-peers';
import type { LabPeerKind } from './peer-kind';
import { snmpPeerKind } from './snmp/snmp-peers';
import { sshPeerKind } from './ssh/ssh-peers';
import { probeTargetPeerKind } from './probes/probe-peers';

export const LAB_PEER_KINDS: readonly LabPeerKind[] = [
  // BMCs first: on standby power, they are up before (and after) the hosts they drive.
  bmcPeerKind,
  snmpPeerKind,
  sshPeerKind,
  // The probe matrix's resolvers and public network responders.
  probeTargetPeerKind,
];
