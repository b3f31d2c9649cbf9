// The failover drills as the console runs them: gateways.drill (operator; core-api audits the
// call, the desktop confirms it) starts gateway-drill.ts in the background, one drill at a
// time per cluster, and answers with the drill's row at once; every phase's figures update
// the row in the store (store/drill-repository.ts, so the result is kept as a report row and
// a console stopped mid-drill still has what was measured) and go out as
// onDidChangeGatewayDrill. The end is audited too (gateways.drill.result: the figures, or why
// the drill stopped). A drill a stopped console left unfinished is marked failed at start.
import { randomUUID } from 'node:crypto';
import type { GatewayDrill } from '../../../src-shared/domain/gateway';
import { FleetDeckError, NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { CallContext, ParsedArgsOf } from '../../../src-shared/api';
import type { EventHub } from '../events/event-hub';
import type { CoreStore } from '../store/core-store';
import { refuseDrill, runDrill, type DrillFigures } from './gateway-drill';
import type { GatewayClusterConfig } from './gateways-capability';

export interface DrillsDeps {
  readonly hub: EventHub;
  readonly store: Pick<CoreStore, 'drills' | 'audit'>;
  readonly clusters: () => readonly GatewayClusterConfig[];
  readonly clock?: () => number;
  /** Where the test clients bind (default every address). */
  readonly bindAddress?: string;
  readonly failbackTimeoutMs?: number;
}

export interface Drills {
  start(a: ParsedArgsOf<'gateways.drill'>, ctx: CallContext): GatewayDrill;
  recent(limit?: number): GatewayDrill[];
  /** Resolves when every drill under way has ended. */
  idle(): Promise<void>;
}

const summary = (d: GatewayDrill): string =>
  `${d.kind} on ${d.cluster}, killed ${d.killed.join(', ') || 'none'}: window ${d.windowMs ?? '-'} ms, misses ${d.misses ?? '-'} (switched ${d.switched ?? '-'}, lost ${d.lost ?? '-'}), failback ${d.failbackMs ?? '-'} ms with ${d.failbackMisses ?? '-'} misses${d.note ? `; ${d.note}` : ''}`;

export function startDrills(d: DrillsDeps): Drills {
  const clock = d.clock ?? Date.now;
  const running = new Map<string, Promise<void>>();
  for (const left of d.store.drills.unfinished()) d.store.drills.put({ ...left, phase: 'failed', finishedAt: left.finishedAt ?? clock(), note: `the console stopped during the ${left.phase} phase` });

  return {
    start(a, ctx) {
      const c = d.clusters().find((x) => x.cluster.cluster === a.cluster);
      if (!c) throw new NotFoundError('Gateway cluster', a.cluster);
      const refused = refuseDrill(c.cluster, a.kind);
      if (refused) throw new ValidationError(refused);
      if (running.has(a.cluster)) throw new FleetDeckError('CONFLICT', `a drill is already running on cluster ${a.cluster}`);
      let drill: GatewayDrill = {
        id: randomUUID(), cluster: a.cluster, kind: a.kind, actor: ctx.actor, phase: 'sessions', startedAt: clock(), finishedAt: null,
        sessions: a.sessions, lossPercent: a.kind === 'sync-loss' ? a.lossPercent : null, lossMs: a.kind === 'sync-loss' ? a.lossMs : null,
        killed: [], windowMs: null, switched: null, lost: null, misses: null, failbackMs: null, failbackMisses: null, note: null,
      };
      const save = (f: DrillFigures): void => {
        drill = { ...drill, ...f };
        if (f.phase === 'done' || f.phase === 'failed') drill = { ...drill, finishedAt: clock() };
        d.store.drills.put(drill);
        d.hub.emit('onDidChangeGatewayDrill', drill);
      };
      save({});
      const plan = { cluster: c.cluster, token: c.token, kind: a.kind, sessions: a.sessions, lossPercent: a.lossPercent, lossMs: a.lossMs, bindAddress: d.bindAddress, failbackTimeoutMs: d.failbackTimeoutMs };
      const p = runDrill(plan, save)
        .catch((err: unknown) => save({ phase: 'failed', note: err instanceof Error ? err.message.slice(0, 1000) : String(err) }))
        .finally(() => {
          running.delete(a.cluster);
          const entry = d.store.audit.record({ actor: ctx.actor, role: ctx.role, action: 'gateways.drill.result', target: `drill ${drill.id} (${drill.kind} on ${drill.cluster})`, outcome: 'allowed' });
          d.store.audit.finish(entry, drill.phase === 'done' ? 'succeeded' : 'failed', summary(drill));
        });
      running.set(a.cluster, p);
      return drill;
    },
    recent: (limit) => d.store.drills.recent(limit ?? 50),
    async idle() {
      await Promise.allSettled([...running.values()]);
    },
  };
}
