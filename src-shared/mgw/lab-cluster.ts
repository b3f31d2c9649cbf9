// The lab's own MGW gateway cluster, so the lab (src-main/core/lab-link/lab-gateways.ts starts
// its processes) and the console (which scrapes it: the gateways view) agree on where it is.
// It sits at <prefix>.0.x, an octet the lab's device generator never uses (generator.ts
// labAddress gives devices 1..254): the VIP at .0.1:5300 (the lab's router owns it), nodes
// gw1..gw3 at .0.11-.0.13 (ingress 7001, sync 7002, control 7003), backends be1..be3 (the
// agent's gateway-backend with the echo service) at .0.101-.0.103:7100. Only for a lab on its
// own aliases with a two-octet prefix (the default 127.16), as labProbeTargets: a
// single-address lab has none.
import { mgwClusterSchema, type MgwCluster } from './config';

export const LAB_GATEWAY_CLUSTER_ID = 'lab';
export const LAB_GATEWAY_NODES = 3;
export const LAB_GATEWAY_BACKENDS = 3;

export function labGatewayCluster(addressPrefix: string, tokenSha256: string): MgwCluster | null {
  if (!/^127\.\d{1,3}$/.test(addressPrefix) || Number(addressPrefix.split('.')[1]) > 255) return null;
  const at = (host: number): string => `${addressPrefix}.0.${host}`;
  // Through the schema: every field the daemon reads has its value (defaults filled as the nodes fill them).
  return mgwClusterSchema.parse({
    cluster: LAB_GATEWAY_CLUSTER_ID,
    r: 2,
    nodes: Array.from({ length: LAB_GATEWAY_NODES }, (_, i) => ({
      id: `gw${i + 1}`,
      ingress: { address: at(11 + i), port: 7001 },
      sync: { address: at(11 + i), port: 7002 },
      control: { address: at(11 + i), port: 7003 },
    })),
    vips: [{ address: at(1), port: 5300, proto: 'udp' }],
    backends: Array.from({ length: LAB_GATEWAY_BACKENDS }, (_, j) => ({ name: `be${j + 1}`, address: at(101 + j), port: 7100, weight: 1 })),
    maxSessions: 100_000,
    udpIdleS: 300,
    controlTokenSha256: tokenSha256,
    health: { intervalMs: 500, fails: 3 },
  });
}
