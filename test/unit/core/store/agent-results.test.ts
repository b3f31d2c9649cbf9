// AgentRepository's results, kept in chunks (agent-result-chunks.ts): batches of several
// agents in one transaction, mixed kinds, every result stored once with its data; a batch sent
// again (also inside the same transaction, and overlapping new results) stores nothing more
// and is not counted; reading back newest first pages correctly by beforeSeq through chunks
// that straddle it, with and without a kind, for every page size; pruning goes by chunk age;
// a store made by migration 12 (a row per result) keeps its results through migration 13.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AgentResult } from '../../../../src-shared/agent-protocol';
import { SecretBox } from '../../../../src-main/core/security/secret-box';
import { AgentRepository } from '../../../../src-main/core/store/agent-repository';
import { openStore } from '../../../../src-main/core/store/database';
import { MIGRATIONS } from '../../../../src-main/core/store/migrations';

/** Every 10th a status, every 7th an inventory-less metrics, the rest process results. */
const results = (from: number, to: number): AgentResult[] =>
  Array.from({ length: to - from + 1 }, (_, i) => {
    const seq = from + i;
    if (seq % 10 === 0) return { seq, at: 1000 + seq, data: { kind: 'status', state: 'ok', cpuPct: 0.5, rssBytes: seq, bufferDepth: 0, bufferBytes: 0, dropped: 0 } };
    if (seq % 7 === 0) return { seq, at: 1000 + seq, data: { kind: 'metrics', cpuIdlePct: 90, load: [0, 0, 0], memTotalBytes: 8, memFreeBytes: seq, disks: [], nets: [] } };
    return { seq, at: 1000 + seq, data: { kind: 'process', name: `p${seq}`, pid: seq, cpuPct: 1, rssBytes: 2, qps: null, latencyMs: null } };
  });
const newestFirst = (r: AgentResult[]) => [...r].sort((a, b) => b.seq - a.seq);

function setup(): AgentRepository {
  const repo = new AgentRepository(openStore(':memory:'), new SecretBox(randomBytes(32)));
  for (const id of ['a', 'b', 'c']) repo.enrol(id, randomBytes(44), null, 'test', 1);
  return repo;
}

/** Reads every page of `size` back, following beforeSeq as the UI does. */
function allPages(repo: AgentRepository, id: string, size: number, kind?: string): AgentResult[] {
  const out: AgentResult[] = [];
  let before: number | undefined;
  for (;;) {
    const page = repo.results(id, { kind, beforeSeq: before, limit: size });
    out.push(...page);
    if (page.length < size) return out;
    before = page[page.length - 1].seq;
  }
}

describe('AgentRepository results (chunks)', () => {
  it('stores batches of several agents once each, idempotently, and keeps the last sequence and status', () => {
    const repo = setup();
    const first = repo.storeResults([
      { agentId: 'a', results: results(1, 250) },
      { agentId: 'b', results: results(1, 9) },
      { agentId: 'c', results: results(1, 1) },
    ], 5000);
    expect(first.stored).toBe(260);
    for (const [id, n] of [['a', 250], ['b', 9], ['c', 1]] as const) {
      expect(repo.resultCount(id)).toBe(n);
      expect(repo.results(id, { limit: 10_000 })).toEqual(newestFirst(results(1, n)));
      expect(repo.get(id)).toMatchObject({ lastSeq: n, lastSeenAt: 5000 });
    }
    expect(repo.get('a')!.status).toEqual({ at: 1000 + 250, state: 'ok', cpuPct: 0.5, rssBytes: 250, bufferDepth: 0, bufferBytes: 0, dropped: 0 });
    expect(repo.get('b')!.status).toBeNull();

    // Sent again after a lost ack, twice in one transaction, with new results after the old ones.
    const again = repo.storeResults([
      { agentId: 'a', results: results(1, 250) },
      { agentId: 'a', results: results(200, 400) },
      { agentId: 'a', results: results(300, 420) },
      { agentId: 'b', results: results(1, 9) },
    ], 6000);
    expect(again.stored).toBe(170);
    expect(repo.resultCount('a')).toBe(420);
    expect(repo.results('a', { limit: 10_000 })).toEqual(newestFirst(results(1, 420)));
    expect(repo.resultCount('b')).toBe(9);
    expect(repo.get('a')).toMatchObject({ lastSeq: 420, lastSeenAt: 6000 });
    expect(repo.get('a')!.status!.rssBytes).toBe(420);
    expect(repo.get('b')).toMatchObject({ lastSeq: 9, lastSeenAt: 6000 });
  });

  it('pages newest first through chunks that straddle beforeSeq, of every kind and of one', () => {
    const repo = setup();
    // Uneven batches (of one result, of a few, of hundreds) with gaps, as a buffer that dropped some would send.
    const sent: AgentResult[] = [];
    let seq = 0;
    for (const size of [1, 3, 17, 250, 2, 64, 100, 1, 33]) {
      const batch = results(seq + 1, seq + size).filter((r) => r.seq % 13 !== 0);
      seq += size + 5; // a gap of dropped numbers
      if (!batch.length) continue;
      repo.storeResults([{ agentId: 'a', results: batch }]);
      sent.push(...batch);
    }
    const want = newestFirst(sent);
    for (const size of [1, 2, 7, 10, 64, 99, 1000]) {
      expect(allPages(repo, 'a', size), `page size ${size}`).toEqual(want);
      for (const kind of ['status', 'metrics', 'process', 'inventory']) {
        expect(allPages(repo, 'a', size, kind), `page size ${size}, ${kind}`).toEqual(want.filter((r) => r.data.kind === kind));
      }
    }
    // A beforeSeq inside a batch, on a gap, and past the end.
    for (const before of [2, 30, sent[40].seq, sent[40].seq + 1, 10_000]) {
      expect(repo.results('a', { beforeSeq: before, limit: 25 })).toEqual(want.filter((r) => r.seq < before).slice(0, 25));
    }
    expect(repo.results('nobody')).toEqual([]);
    expect(repo.resultCount('nobody')).toBe(0);
  });

  it('prunes whole chunks whose newest result is older than the cut, and says how many results went', () => {
    const repo = setup();
    repo.storeResults([{ agentId: 'a', results: results(1, 50) }]); // at 1001..1050
    repo.storeResults([{ agentId: 'a', results: results(51, 60) }]); // at 1051..1060
    repo.storeResults([{ agentId: 'b', results: results(1, 5) }]); // at 1001..1005
    // Cut at 1055: a's first batch (newest 1050) and b's go, a's second stays whole.
    expect(repo.pruneResults(1055)).toBe(55);
    expect(repo.results('a', { limit: 100 })).toEqual(newestFirst(results(51, 60)));
    expect(repo.resultCount('b')).toBe(0);
    expect(repo.pruneResults(1055)).toBe(0);
  });

  it('prunes only the kinds asked for (raw probe rounds go sooner than the rest)', () => {
    const repo = setup();
    const probe = (seq: number): AgentResult => ({ seq, at: 1000 + seq, data: { kind: 'probe', plan: 'p1', target: [0, 1], offsetMs: [0, 5], rttUs: [120, 130], err: [0, 0] } });
    repo.storeResults([{ agentId: 'a', results: [...results(1, 3), probe(4)] }]); // a status chunk 1..3 and a probe chunk 4
    repo.storeResults([{ agentId: 'a', results: [probe(5)] }]);
    expect(repo.pruneResults(2000, 100, ['probe', 'route'])).toBe(2);
    expect(repo.results('a', { limit: 100 }).map((r) => `${r.seq}:${r.data.kind}`)).toEqual(newestFirst(results(1, 3)).map((r) => `${r.seq}:${r.data.kind}`));
    expect(repo.results('a', { kind: 'probe', limit: 100 })).toEqual([]);
  });

  it('keeps the results a store of migration 12 held, one row per result, through migration 13', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-results-mig-'));
    try {
      const file = path.join(dir, 'store.sqlite');
      const old = new Database(file);
      old.pragma('foreign_keys = ON');
      for (const m of MIGRATIONS.filter((x) => x.version <= 12)) {
        old.exec(m.sql);
        old.pragma(`user_version = ${m.version}`);
      }
      const ins = old.prepare('INSERT INTO agent_results (agent_id, seq, at, kind, data) VALUES (?, ?, ?, ?, ?)');
      for (const r of results(1, 30)) ins.run('a', r.seq, r.at, r.data.kind, JSON.stringify(r.data));
      old.close();

      const repo = new AgentRepository(openStore(file), new SecretBox(randomBytes(32)));
      expect(repo.resultCount('a')).toBe(30);
      expect(allPages(repo, 'a', 4)).toEqual(newestFirst(results(1, 30)));
      expect(allPages(repo, 'a', 4, 'status')).toEqual(newestFirst(results(1, 30)).filter((r) => r.data.kind === 'status'));
      // New uploads after the migration go on from the highest number held, and the old ones are not stored twice.
      expect(repo.storeResults([{ agentId: 'a', results: results(25, 40) }]).stored).toBe(10);
      expect(allPages(repo, 'a', 7)).toEqual(newestFirst(results(1, 40)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
