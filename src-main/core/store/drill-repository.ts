// The gateway failover drills' store (migration 17): one row per drill, written when it starts
// and again as each phase ends, so a console that stops mid-drill keeps what was measured (the
// row's phase says how far it got). Read back newest first, for the gateway view and reports.
import type { GatewayDrill, GatewayDrillKind, GatewayDrillPhase } from '../../../src-shared/domain/gateway';
import type { Db } from './database';

interface DrillRow {
  id: string; cluster: string; kind: string; actor: string; phase: string; started_at: number; finished_at: number | null;
  sessions: number; loss_percent: number | null; loss_ms: number | null; killed: string; window_ms: number | null;
  switched: number | null; lost: number | null; misses: number | null; failback_ms: number | null; failback_misses: number | null; note: string | null;
}

const toDrill = (r: DrillRow): GatewayDrill => ({
  id: r.id, cluster: r.cluster, kind: r.kind as GatewayDrillKind, actor: r.actor, phase: r.phase as GatewayDrillPhase,
  startedAt: r.started_at, finishedAt: r.finished_at, sessions: r.sessions, lossPercent: r.loss_percent, lossMs: r.loss_ms,
  killed: JSON.parse(r.killed) as string[], windowMs: r.window_ms, switched: r.switched, lost: r.lost, misses: r.misses,
  failbackMs: r.failback_ms, failbackMisses: r.failback_misses, note: r.note,
});

export class DrillRepository {
  readonly #q;

  constructor(db: Db) {
    this.#q = {
      put: db.prepare(`INSERT OR REPLACE INTO gateway_drills (id, cluster, kind, actor, phase, started_at, finished_at, sessions, loss_percent, loss_ms,
        killed, window_ms, switched, lost, misses, failback_ms, failback_misses, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      get: db.prepare<[string], DrillRow>('SELECT * FROM gateway_drills WHERE id = ?'),
      recent: db.prepare<[number], DrillRow>('SELECT * FROM gateway_drills ORDER BY started_at DESC, id DESC LIMIT ?'),
      between: db.prepare<[number, number], DrillRow>('SELECT * FROM gateway_drills WHERE started_at >= ? AND started_at < ? ORDER BY started_at, id'),
      unfinished: db.prepare<[], DrillRow>("SELECT * FROM gateway_drills WHERE phase NOT IN ('done', 'failed')"),
    };
  }

  put(d: GatewayDrill): void {
    this.#q.put.run(d.id, d.cluster, d.kind, d.actor, d.phase, d.startedAt, d.finishedAt, d.sessions, d.lossPercent, d.lossMs,
      JSON.stringify(d.killed), d.windowMs, d.switched, d.lost, d.misses, d.failbackMs, d.failbackMisses, d.note);
  }

  get(id: string): GatewayDrill | null {
    const r = this.#q.get.get(id);
    return r ? toDrill(r) : null;
  }

  recent(limit = 50): GatewayDrill[] {
    return this.#q.recent.all(limit).map(toDrill);
  }

  /** Drills started in [from, to), oldest first (a day's report). */
  between(from: number, to: number): GatewayDrill[] {
    return this.#q.between.all(from, to).map(toDrill);
  }

  /** Drills a stopped console left mid-way. */
  unfinished(): GatewayDrill[] {
    return this.#q.unfinished.all().map(toDrill);
  }
}
