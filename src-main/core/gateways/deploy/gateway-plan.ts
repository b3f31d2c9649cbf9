// What the gateway-deploy workflow is launched with, checked before anything touches a host:
// the MGW cluster config (src-shared/mgw/config.ts mgwClusterSchema, refused with the schema's
// own words, as the node daemon would refuse it) and the mapping node id -> device id, the
// fleet host that runs each node. Every node must be mapped to a device the inventory has, with
// an SSH credential (the deploy reaches it over SSH); the mapping may name no other node. A
// device may run more than one node (each has its own folder, addresses and supervisor).
// Also each node's run config as the daemon reads it (`mgw run --config`): self = the node,
// the cluster as given (defaults filled in by the schema), its state dir under the install dir.
// The shared tool input fields live here too, so gateway.check, gateway.upload and
// gateway.activate take the same launch params the same way.
import { z } from 'zod';
import type { Device } from '../../../../src-shared/domain';
import { FleetDeckError, ValidationError } from '../../../../src-shared/errors';
import { mgwClusterSchema, type MgwCluster, type MgwRunConfig } from '../../../../src-shared/mgw/config';
import { zodText } from '../../workflows/template';

/** The launch params every gateway tool takes: the cluster config and node id -> device id. */
export const planInputs = {
  /** An MgwCluster (checked here with mgwClusterSchema, not by the engine, so the refusal uses the schema's words). */
  cluster: z.record(z.string(), z.unknown()),
  /** Node id -> device id (the fleet host that runs it). */
  nodes: z.record(z.string(), z.string()),
};

export interface GatewayPlan {
  readonly cluster: MgwCluster;
  /** Node id -> the device that runs it, in the cluster's node order. */
  readonly placement: ReadonlyMap<string, Device>;
}

/** The cluster config parsed, or VALIDATION with the schema's message (the field under params.cluster). */
export function parseCluster(raw: unknown): MgwCluster {
  const r = mgwClusterSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new ValidationError(`The gateway cluster config is not valid: ${zodText(r.error)}`, {
      field: `params.cluster${first?.path.length ? `.${first.path.join('.')}` : ''}`,
      issues: r.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  return r.data;
}

/**
 * The cluster and where each node runs; VALIDATION naming the first node that is not mapped,
 * is mapped to a device the inventory lacks or one without an SSH credential, or a mapping
 * entry for a node the cluster does not have.
 */
export function planOf(device: (id: string) => Device | null, a: { cluster: unknown; nodes: Record<string, string> }): GatewayPlan {
  const cluster = parseCluster(a.cluster);
  const ids = new Set(cluster.nodes.map((n) => n.id));
  const stray = Object.keys(a.nodes).find((id) => !ids.has(id));
  if (stray !== undefined) {
    throw new ValidationError(`params.nodes maps ${stray}, which is not a node of cluster ${cluster.cluster} (its nodes: ${[...ids].join(', ')})`, { field: `params.nodes.${stray}` });
  }
  const placement = new Map<string, Device>();
  for (const n of cluster.nodes) {
    const deviceId = a.nodes[n.id];
    if (!deviceId) throw new ValidationError(`Node ${n.id} of cluster ${cluster.cluster} is not mapped to a device: params.nodes must name the fleet host of every node`, { field: `params.nodes.${n.id}` });
    const dev = device(deviceId);
    if (!dev) throw new ValidationError(`Node ${n.id} is mapped to device ${deviceId}, which the inventory does not have`, { field: `params.nodes.${n.id}` });
    if (!dev.sshCredential) throw new ValidationError(`Node ${n.id} is mapped to ${dev.hostname} (${dev.id}), which has no SSH credential to deploy it with`, { field: `params.nodes.${n.id}` });
    placement.set(n.id, dev);
  }
  return { cluster, placement };
}

/** The devices the plan deploys to, each once, in node order. */
export function devicesOf(plan: GatewayPlan): string[] {
  return [...new Set([...plan.placement.values()].map((d) => d.id))];
}

/** The nodes this device runs; BAD_REQUEST when it runs none (a run host that is not mapped). */
export function nodesOn(plan: GatewayPlan, dev: Pick<Device, 'id' | 'hostname'>): string[] {
  const mine = [...plan.placement].filter(([, d]) => d.id === dev.id).map(([id]) => id);
  if (!mine.length) {
    throw new FleetDeckError('BAD_REQUEST', `${dev.hostname} (${dev.id}) runs no node of cluster ${plan.cluster.cluster}: launch gateway-deploy over the mapped devices (${devicesOf(plan).join(', ')})`, { hostname: dev.hostname, cluster: plan.cluster.cluster });
  }
  return mine;
}

/** The run's hosts must be exactly the mapped devices; VALIDATION naming the first node whose device is left out, or a host that runs none. */
export function checkRunHosts(plan: GatewayPlan, hosts: readonly string[]): void {
  const given = new Set(hosts);
  for (const [id, dev] of plan.placement) {
    if (!given.has(dev.id)) throw new ValidationError(`Node ${id}'s device ${dev.id} is not among the run's hosts: launch gateway-deploy over the mapped devices (${devicesOf(plan).join(', ')})`, { field: 'hosts' });
  }
  const mapped = new Set(devicesOf(plan));
  const extra = hosts.find((h) => !mapped.has(h));
  if (extra !== undefined) throw new ValidationError(`Host ${extra} runs no node of cluster ${plan.cluster.cluster}: launch gateway-deploy over the mapped devices (${[...mapped].join(', ')})`, { field: 'hosts' });
}

/** What node `self` runs with (src-daemons/mgw/main.ts reads it). */
export function runConfigOf(cluster: MgwCluster, self: string, stateDir: string, bindVips: boolean): MgwRunConfig {
  return { self, cluster, stateDir, bindVips };
}
