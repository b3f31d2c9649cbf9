// Where the lab's probe targets live, so the lab (which starts them) and the console (which puts
// them in every pinglist) agree: an anycast resolver (one address every host queries; two
// instances, each on an address of its own, and the lab's network routes each site's queries to
// one of them, as anycast routing gives each site its catchment) and the public
// network's responders (a province x carrier each, with a latency model per province:
// provinces.ts). They sit at <prefix>.255.x, an octet the lab never gives a device
// (generator.ts labAddress uses 1..254). Only for a lab on its own aliases with a two-octet
// prefix (the default 127.16); a single-address lab has none.
import type { ProbeKind } from '../agent-protocol/probe';
import { publicTargets } from './provinces';

export const LAB_DNS_PORT = 16053;
export const LAB_PUBLIC_PORT = 16702;
export const LAB_DNS_INSTANCES = ['lab-dns-1', 'lab-dns-2'] as const;

export interface LabProbeTargets {
  readonly resolvers: { id: string; addr: string; port: number }[];
  /** Where the anycast resolver's instances really listen (LAB_DNS_INSTANCES, in order). */
  readonly resolverInstances: { name: string; addr: string }[];
  readonly publicTargets: { id: string; addr: string; port: number; kind: Extract<ProbeKind, 'udp'> }[];
}

export function labProbeTargets(addressPrefix: string): LabProbeTargets | null {
  if (!/^127\.\d{1,3}$/.test(addressPrefix)) return null;
  return {
    resolvers: [{ id: 'lab-anycast-dns', addr: `${addressPrefix}.255.253`, port: LAB_DNS_PORT }],
    resolverInstances: LAB_DNS_INSTANCES.map((name, i) => ({ name, addr: `${addressPrefix}.255.${251 + i}` })),
    publicTargets: publicTargets(`${addressPrefix}.255`).map((t) => ({ id: t.id, addr: t.addr, port: LAB_PUBLIC_PORT, kind: 'udp' as const })),
  };
}
