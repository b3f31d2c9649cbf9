// gateway.activate (poll): makes each of the host's gateway nodes run what gateway.upload put
// there and waits for it to be ready, one node at a time (a rolling restart: while one node
// restarts, its peers hold its synced sessions; the template takes the hosts one by one too).
//  First call, per node: a node whose supervisor runs, whose running.sum is the checksum
//  upload named (same runtime, bundle and run config) and whose control /health answers 200
//  is left alone. The others are restarted in order: stopped (its supervisor, named by its pid
//  file: nothing running is fine), started again under agent-supervise.js (start --daemonize,
//  as the agent is started without systemd: gateway-host.ts), the checksum recorded as
//  running.sum. Each check: GET /health on the node last started; once it answers 200 (ready:
//  resynced from its live peers) the next is restarted, and the task is done after the last.
//  A node not ready within readyWindowMs fails the task with GatewayNodeNotReadyError: its last
//  /health answer and the last lines of its log. Its supervisor is left running (a node waiting
//  on a peer comes ready by itself; a run after a fix restarts it).
// The nodes' start times and the ones still to restart are the poll state, journaled after
// every check, so a console restart between checks goes on from there. A restart in the middle
// of a call runs the attempt again from its first call: a node already started with this
// checksum and ready is left alone, any other is restarted once more, so it is marked
// idempotent (a second run converges, restarting nothing).
import { z } from 'zod';
import { FleetDeckError } from '../../../../src-shared/errors';
import { baseFor, deviceOf, SHA256, whereInputs } from '../../agents/deploy/deploy-deps';
import { tool, type ToolContext } from '../../workflows/tool';
import { gatewayCommands, hostShell } from './gateway-host';
import { nodesOn, planInputs, planOf, type GatewayPlan } from './gateway-plan';
import type { GatewayDeployDeps } from './gateway-tools';

export const DEFAULT_READY_WINDOW_MS = 60_000;

const input = z.object({
  ...whereInputs,
  ...planInputs,
  /** gateway.upload's outputs. */
  runtimeSha256: SHA256,
  bundleKey: z.string().regex(/^[0-9a-f]{12}$/),
  sums: z.record(z.string(), SHA256),
  /** How long a started node has to answer /health 200. */
  readyWindowMs: z.number().min(1000).max(30 * 60_000).default(DEFAULT_READY_WINDOW_MS),
});
type Input = z.output<typeof input>;

const output = z.object({
  nodes: z.array(z.string()),
  /** The nodes (re)started; none when every node already ran this and was ready. */
  restarted: z.array(z.string()),
  /** False when nothing was touched. */
  changed: z.boolean(),
  /** From the start to the last node's ready (0 when nothing changed). */
  readyAfterMs: z.number(),
});

interface NodeWait {
  readonly id: string;
  readonly since: number;
  ready: boolean;
  /** The last /health answer, for the log and the failure. */
  note?: string;
}

export interface GatewayActivateState {
  readonly nodes: readonly string[];
  /** Nodes still to restart, in order. */
  readonly todo: string[];
  /** The nodes restarted so far; the last may still be waiting for ready. */
  readonly waits: NodeWait[];
}

/** A started node did not answer /health 200 within the window. */
export class GatewayNodeNotReadyError extends FleetDeckError {
  constructor(readonly hostname: string, readonly node: string, windowMs: number, note: string, logTail: string) {
    super(
      'UNAVAILABLE',
      `gateway node ${node} on ${hostname} was not ready within ${Math.round(windowMs / 1000)} s (${note}); the last lines of its log:\n${logTail.trim() || '(its log is empty)'}`,
      { hostname, node, note, logTail },
    );
    this.name = 'GatewayNodeNotReadyError';
  }
}

export function gatewayActivateTool(deps: GatewayDeployDeps) {
  const now = deps.now ?? Date.now;

  const healthNote = (at: { address: string; port: number }): Promise<string | null> =>
    deps.health(at).then(() => null, (err: unknown) => (err instanceof Error ? err.message : String(err)));

  function on(ctx: ToolContext, a: Input) {
    const plan = planOf(deps.device, a);
    const dev = deviceOf(deps, a.deviceId);
    const layout = { base: baseFor(a, dev), runtimeSha256: a.runtimeSha256, bundleKey: a.bundleKey, cluster: plan.cluster.cluster };
    return { plan, dev, cmd: gatewayCommands(layout), sh: hostShell(deps.host, dev, ctx) };
  }

  const controlOf = (plan: GatewayPlan, id: string) => plan.cluster.nodes.find((n) => n.id === id)!.control;

  return tool({
    name: 'gateway.activate',
    title: 'Start the gateway',
    kind: 'poll',
    idempotent: true,
    input,
    output,
    async run(ctx, a) {
      if (ctx.check === 0 || ctx.pollState === null) return start(ctx, a);
      return check(ctx, a, ctx.pollState as GatewayActivateState);
    },
  });

  async function start(ctx: ToolContext, a: Input) {
    const { plan, dev, sh, cmd } = on(ctx, a);
    const mine = nodesOn(plan, dev);
    const todo: string[] = [];
    for (const id of mine) {
      if (!a.sums[id]) throw new FleetDeckError('VALIDATION', `gateway.activate has no checksum for node ${id} (gateway.upload's sums)`, { field: 'sums' });
      const [marker = '', alive = ''] = (await sh(`reading node ${id}'s status`, cmd.status(id))).split('\n').map((l) => l.trim());
      if (marker === a.sums[id] && alive === 'alive') {
        const note = await healthNote(controlOf(plan, id));
        if (note === null) {
          ctx.log(`${dev.hostname}: node ${id} already runs this build and config and is ready: left alone`);
          continue;
        }
        ctx.log(`${dev.hostname}: node ${id} runs this build and config but is not ready (${note}): restarting it`);
      }
      todo.push(id);
    }
    if (!todo.length) return { status: 'done' as const, output: { nodes: mine, restarted: [], changed: false, readyAfterMs: 0 } };
    const st: GatewayActivateState = { nodes: mine, todo, waits: [] };
    await restartNext(ctx, a, st);
    return { status: 'pending' as const, state: st };
  }

  /** Stops and starts the next node of the host's list (one at a time: the others keep its sessions meanwhile). */
  async function restartNext(ctx: ToolContext, a: Input, st: GatewayActivateState): Promise<void> {
    const { plan, dev, sh, cmd } = on(ctx, a);
    const id = st.todo.shift()!;
    await sh(`stopping node ${id}`, cmd.stop(id), 60_000);
    await sh(`starting node ${id}`, cmd.start(id), 60_000);
    await sh(`recording what node ${id} runs`, cmd.writeMarker(id, a.sums[id]));
    st.waits.push({ id, since: now(), ready: false });
    const at = controlOf(plan, id);
    ctx.log(`${dev.hostname}: node ${id} started under its supervisor; waiting up to ${Math.round(a.readyWindowMs / 1000)} s for /health 200 on ${at.address}:${at.port}`);
  }

  async function check(ctx: ToolContext, a: Input, st: GatewayActivateState) {
    const { plan, dev, cmd, sh } = on(ctx, a);
    const w = st.waits.find((x) => !x.ready);
    if (w) {
      const note = await healthNote(controlOf(plan, w.id));
      const at = now();
      if (note !== null) {
        if (note !== w.note) {
          w.note = note;
          ctx.log(`${dev.hostname}: node ${w.id}: ${note}`);
        }
        if (at - w.since < a.readyWindowMs) return { status: 'pending' as const, state: st };
        const tail = await sh(`reading node ${w.id}'s log`, cmd.logTail(w.id, 12)).catch((err: unknown) => `(its log could not be read: ${(err as Error).message})`);
        throw new GatewayNodeNotReadyError(dev.hostname, w.id, a.readyWindowMs, note, tail);
      }
      w.ready = true;
      ctx.log(`${dev.hostname}: node ${w.id} is ready (/health 200) ${Math.round((at - w.since) / 100) / 10} s after its start`);
    }
    if (st.todo.length) {
      await restartNext(ctx, a, st);
      return { status: 'pending' as const, state: st };
    }
    const first = Math.min(...st.waits.map((x) => x.since));
    return { status: 'done' as const, output: { nodes: [...st.nodes], restarted: st.waits.map((x) => x.id), changed: true, readyAfterMs: now() - first } };
  }
}
