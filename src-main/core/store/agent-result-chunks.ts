// Agent results in SQLite as chunks (migration 13): each agent's batch goes in as one row per
// kind of result in it (metrics, process, inventory, status), the row holding its results as
// one JSON array with the range of sequence numbers it covers. A row per result (migration 12)
// cost about 10 us of SQLite B-tree work per result at a few million rows, which alone held
// the console under ~100 k results/s; a row per chunk costs that once per several hundred
// results, the way time-series stores keep samples in chunks. A chunk's JSON is kept
// deflated (zlib, level 1: ~2-3 us per result, about 15x smaller for metrics results, whose
// keys and names repeat), which is what keeps large results from being bound by writing them;
// a chunk made by migration 13 from a row of migration 12 is plain JSON text (data is ANY:
// a BLOB is deflated, TEXT is not).
//
// Exactly once: an agent uploads in ascending sequence order and starts again after the
// highest number the console holds (the welcome's lastSeq), so a result is held iff its number
// is at most the highest stored for its agent. storeResults keeps only the numbers above that
// (read inside the same transaction, so two batches of one agent in one commit are handled
// too). This holds only if a batch is never stored after an earlier one of the same session
// failed: the agent server stops handing a session's batches to ingest once one failed or the
// session closed (agent-server.ts), and the agent sends them again on its next session.
//
// Reading back (newest first, paged by `beforeSeq`): batches cover disjoint, ascending ranges,
// and a batch holds at most one chunk per kind, so the chunks that straddle `beforeSeq` all
// come from the one batch around it (at most RESULT_KINDS of them: the first ones at or above
// it by last_seq); below it, chunks are read by last_seq descending until `limit` results are
// in hand and the next chunk ends below the limit-th newest.
import type { AgentResult } from '../../../src-shared/agent-protocol';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './database';

/** How many kinds of result there are (the most chunks one batch makes). */
const RESULT_KINDS = 6;

export interface ResultBatch {
  readonly agentId: string;
  readonly results: readonly AgentResult[];
}

interface ChunkRow {
  first_seq: number;
  last_seq: number;
  data: Buffer | string;
}

const encode = (list: readonly AgentResult[]): Buffer => deflateRawSync(JSON.stringify(list), { level: 1 });
/** A chunk's results: deflated JSON, or plain JSON text (chunks migrated from one row per result). */
export const decodeChunk = (data: Buffer | string): AgentResult[] => JSON.parse(typeof data === 'string' ? data : inflateRawSync(data).toString('utf8')) as AgentResult[];

export class AgentResultChunks {
  readonly #q;

  constructor(db: Db) {
    const cols = 'first_seq, last_seq, data';
    this.#q = {
      top: db.prepare<[string], { top: number | null }>('SELECT max(last_seq) AS top FROM agent_result_chunks WHERE agent_id = ?'),
      insert: db.prepare<[string, number, number, string, number, number, Buffer]>(
        'INSERT INTO agent_result_chunks (agent_id, first_seq, last_seq, kind, n, last_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      straddle: db.prepare<[string, number, number], ChunkRow>(`SELECT ${cols} FROM agent_result_chunks WHERE agent_id = ? AND last_seq >= ? ORDER BY last_seq LIMIT ?`),
      straddleOfKind: db.prepare<[string, string, number], ChunkRow>(
        `SELECT ${cols} FROM agent_result_chunks WHERE agent_id = ? AND kind = ? AND last_seq >= ? ORDER BY last_seq LIMIT 1`,
      ),
      below: db.prepare<[string, number], ChunkRow>(`SELECT ${cols} FROM agent_result_chunks WHERE agent_id = ? AND last_seq < ? ORDER BY last_seq DESC`),
      belowOfKind: db.prepare<[string, string, number], ChunkRow>(
        `SELECT ${cols} FROM agent_result_chunks WHERE agent_id = ? AND kind = ? AND last_seq < ? ORDER BY last_seq DESC`,
      ),
      count: db.prepare<[string], { n: number | null }>('SELECT sum(n) AS n FROM agent_result_chunks WHERE agent_id = ?'),
      prune: db.prepare<[number, number], { n: number }>(
        'DELETE FROM agent_result_chunks WHERE (agent_id, last_seq) IN (SELECT agent_id, last_seq FROM agent_result_chunks WHERE last_at < ? LIMIT ?) RETURNING n',
      ),
      pruneKinds: db.prepare<[number, string, number], { n: number }>(
        'DELETE FROM agent_result_chunks WHERE (agent_id, last_seq) IN (SELECT agent_id, last_seq FROM agent_result_chunks WHERE last_at < ? AND kind IN (SELECT value FROM json_each(?)) LIMIT ?) RETURNING n',
      ),
    };
  }

  /**
   * Stores one agent's batch (call inside the caller's transaction): the results numbered above
   * the highest already held, one chunk per kind. Returns how many were new, the highest number
   * now held, and the newest new status result (null: none).
   */
  store(b: ResultBatch): { stored: number; top: number; status: AgentResult | null } {
    const held = this.#q.top.get(b.agentId)?.top ?? 0;
    const byKind = new Map<string, AgentResult[]>();
    let top = held;
    let stored = 0;
    for (const r of b.results) {
      if (r.seq <= top) continue; // held already (sent again), or out of order (decodeMessage refuses that)
      top = r.seq;
      stored++;
      const list = byKind.get(r.data.kind);
      if (list) list.push(r);
      else byKind.set(r.data.kind, [r]);
    }
    for (const [kind, list] of byKind) {
      let lastAt = 0;
      for (const r of list) if (r.at > lastAt) lastAt = r.at;
      this.#q.insert.run(b.agentId, list[0].seq, list[list.length - 1].seq, kind, list.length, lastAt, encode(list));
    }
    return { stored, top, status: byKind.get('status')?.at(-1) ?? null };
  }

  /** An agent's results newest first, those numbered below `beforeSeq`, at most `limit`. */
  results(agentId: string, opts: { kind?: string; beforeSeq?: number; limit?: number } = {}): AgentResult[] {
    const before = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const limit = opts.limit ?? 100;
    if (limit <= 0) return [];
    const q = this.#q;
    let got: AgentResult[] = [];
    const take = (c: ChunkRow) => {
      for (const r of decodeChunk(c.data)) if (r.seq < before) got.push(r);
    };
    const straddling = opts.kind ? q.straddleOfKind.all(agentId, opts.kind, before) : q.straddle.all(agentId, before, RESULT_KINDS);
    for (const c of straddling) if (c.first_seq < before) take(c);
    got.sort((x, y) => y.seq - x.seq);
    const below = opts.kind ? q.belowOfKind.iterate(agentId, opts.kind, before) : q.below.iterate(agentId, before);
    for (const c of below) {
      if (got.length >= limit && c.last_seq < got[limit - 1].seq) break;
      take(c);
      got.sort((x, y) => y.seq - x.seq);
      if (got.length > limit) got = got.slice(0, limit);
    }
    return got.slice(0, limit);
  }

  count(agentId: string): number {
    return this.#q.count.get(agentId)?.n ?? 0;
  }

  /**
   * Deletes chunks whose newest result was taken before `olderThan` (a chunk goes whole, so a
   * result may outlive the retention by one batch's span), at most `limit` chunks; how many
   * results went. With `kinds`, only chunks of those kinds.
   */
  prune(olderThan: number, limit: number, kinds?: readonly string[]): number {
    let n = 0;
    for (const r of kinds ? this.#q.pruneKinds.all(olderThan, JSON.stringify(kinds), limit) : this.#q.prune.all(olderThan, limit)) n += r.n;
    return n;
  }
}
