// The agent results' group commit: batches queued in one turn go in one transaction, each
// submitter settles only after its transaction committed, a turn commits at most maxResults
// (whole batches, at least one) and leaves the rest to the next turn so the event loop gets
// to read sockets between commits, and a failed transaction rejects its batches.
import { describe, expect, it } from 'vitest';
import type { AgentResult } from '../../../../src-shared/agent-protocol';
import { createIngestQueue } from '../../../../src-main/core/agents/ingest-queue';
import type { ResultBatch } from '../../../../src-main/core/store/agent-repository';

const results = (n: number, from = 1): AgentResult[] =>
  Array.from({ length: n }, (_, i) => ({ seq: from + i, at: 1, data: { kind: 'status', state: 'ok', cpuPct: 0, rssBytes: 1, bufferDepth: 0, bufferBytes: 0, dropped: 0 } }));
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('ingest queue', () => {
  it('commits one turn of batches in one transaction and settles each only after the commit', async () => {
    const commits: ResultBatch[][] = [];
    const q = createIngestQueue((b) => (commits.push([...b]), { stored: b.reduce((n, x) => n + x.results.length, 0) }));
    let settled = 0;
    const p = [q.submit('a', results(3)), q.submit('b', results(2)), q.submit('a', results(1, 4))].map((x) => x.then(() => settled++));
    expect(settled).toBe(0);
    expect(q.waiting).toBe(6);
    await Promise.all(p);
    expect(commits.map((c) => c.map((b) => b.agentId))).toEqual([['a', 'b', 'a']]);
    expect(q.totals).toEqual({ commits: 1, results: 6, stored: 6 });
    expect(q.waiting).toBe(0);
  });

  it('splits a turn at maxResults, oldest batches first, with I/O turns between the commits', async () => {
    const commits: number[][] = [];
    const q = createIngestQueue((b) => (commits.push(b.map((x) => x.results.length)), { stored: 0 }), { maxResults: 10 });
    const all = [q.submit('a', results(6)), q.submit('b', results(4)), q.submit('c', results(3)), q.submit('d', results(25)), q.submit('e', results(1))];
    await turn();
    expect(commits).toEqual([[6, 4]]);
    await Promise.all(all);
    // A batch over maxResults still goes in, alone; what follows it waits for the next turn.
    expect(commits).toEqual([[6, 4], [3], [25], [1]]);
  });

  it('rejects every batch of a failed transaction, and flush and close commit what is queued', async () => {
    let fail = true;
    const stored: string[] = [];
    const q = createIngestQueue((b) => {
      if (fail) throw new Error('disk I/O error');
      stored.push(...b.map((x) => x.agentId));
      return { stored: 1 };
    });
    const bad = await Promise.allSettled([q.submit('a', results(1)), q.submit('b', results(1))]);
    expect(bad.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    const ok = q.submit('c', results(2));
    q.flush();
    expect(stored).toEqual(['c']);
    await ok;
    const last = q.submit('d', results(1));
    q.close();
    await last;
    expect(stored).toEqual(['c', 'd']);
    await expect(q.submit('e', results(1))).rejects.toThrow(/closed/);
  });
});
