// A gateway cluster's configuration, as the console deploys it and each node daemon reads it
// (src-daemons/mgw/main.ts: `mgw run --config FILE`, this JSON with `self` naming the node).
// zod, the contract's schema library, so the console's deploy form, the daemon and the lab
// refuse the same mistakes with the same words.
//
// Addresses are IPv4 (the session key packs an IPv4 client: src-shared/mgw/key.ts).
//   nodes[i].sync     where node i's replication socket listens (unicast UDP between nodes)
//   nodes[i].ingress  where node i takes encapsulated datagrams: from the lab's router, which
//                     carries the client's address in the header, and redirects from other nodes
//   nodes[i].control  node i's HTTP: /metrics, /health, the control API
//   vips              the services' addresses; a node in a namespace binds them (the kernel's
//                     multipath route brings the client's own packets); index = VIP index
//   backends          the agents that decapsulate (address:port of their decap socket)
import { z } from 'zod';
import { MAX_VIPS } from './key';

const ipv4 = z.string().regex(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, 'must be an IPv4 address');
const port = z.number().int().min(1).max(65535);
const endpoint = z.strictObject({ address: ipv4, port });
const name = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ -');

export const mgwNodeSchema = z.strictObject({
  id: name,
  sync: endpoint,
  ingress: endpoint,
  control: endpoint,
});

export const mgwBackendSchema = z.strictObject({
  name,
  address: ipv4,
  /** The agent's decapsulation port. */
  port,
  weight: z.number().int().min(1).max(100).default(1),
});

export const mgwVipSchema = z.strictObject({
  address: ipv4,
  port,
  proto: z.literal('udp').default('udp'),
});

export const mgwClusterSchema = z
  .strictObject({
    cluster: name,
    /** Replicas per session: 2 survives one node failure, 3 two. */
    r: z.number().int().min(1).max(5).default(2),
    nodes: z.array(mgwNodeSchema).min(1).max(64),
    vips: z.array(mgwVipSchema).min(1).max(MAX_VIPS),
    backends: z.array(mgwBackendSchema).min(1).max(4000),
    /** Most sessions a node holds (the table is preallocated for them). */
    maxSessions: z.number().int().min(1024).max(50_000_000).default(1_000_000),
    /** Idle expiry of a UDP session, seconds. */
    udpIdleS: z.number().int().min(1).max(86_400).default(120),
    /** SHA-256 (hex) of the bearer token the control API takes. */
    controlTokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits'),
    /** Backend health checks: every intervalMs, down after `fails` misses in a row. */
    health: z.strictObject({ intervalMs: z.number().int().min(50).max(60_000).default(500), fails: z.number().int().min(1).max(20).default(3) }).default({ intervalMs: 500, fails: 3 }),
    /** The control API's failover-drill endpoints (kill -9 of the node, loss on its sync link); off: 403. */
    drills: z.boolean().default(true),
  })
  .superRefine((c, ctx) => {
    const dup = <T>(list: readonly T[], key: (x: T) => string, path: string): void => {
      const seen = new Set<string>();
      list.forEach((x, i) => {
        const k = key(x);
        if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [path, i], message: `repeats ${k}` });
        seen.add(k);
      });
    };
    dup(c.nodes, (n) => n.id, 'nodes');
    dup(c.backends, (b) => b.name, 'backends');
    dup(c.vips, (v) => `${v.address}:${v.port}`, 'vips');
    if (c.r > c.nodes.length) ctx.addIssue({ code: 'custom', path: ['r'], message: `is ${c.r} but the cluster has ${c.nodes.length} node(s)` });
  });

export type MgwCluster = z.infer<typeof mgwClusterSchema>;
export type MgwNode = z.infer<typeof mgwNodeSchema>;
export type MgwBackend = z.infer<typeof mgwBackendSchema>;

/** What one node daemon runs: the cluster and which node it is. */
export const mgwRunConfigSchema = z.strictObject({
  self: name,
  cluster: mgwClusterSchema,
  /** Where the node writes its state (its epoch counter). */
  stateDir: z.string().min(1),
  /** Bind the VIPs where this host has them (a namespace's node); false where a router in front owns them (the lab on loopback). */
  bindVips: z.boolean().default(true),
});
export type MgwRunConfig = z.infer<typeof mgwRunConfigSchema>;
