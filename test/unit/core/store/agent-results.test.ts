// AgentRepository.storeResults over its multi-row INSERT (RESULT_ROWS_PER_INSERT rows per
// statement, the rest one by one): batches of several agents in one transaction, sizes on
// both sides of the statement's row count, every result stored once with its data; a batch
// sent again (also inside the same transaction) stores nothing more and is not counted; each
// agent's highest sequence and newest status move on.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AgentResult } from '../../../../src-shared/agent-protocol';
import { SecretBox } from '../../../../src-main/core/security/secret-box';
import { AgentRepository, RESULT_ROWS_PER_INSERT } from '../../../../src-main/core/store/agent-repository';
import { openStore } from '../../../../src-main/core/store/database';

const N = RESULT_ROWS_PER_INSERT;
const results = (from: number, to: number): AgentResult[] =>
  Array.from({ length: to - from + 1 }, (_, i) => {
    const seq = from + i;
    return seq % 10 === 0
      ? { seq, at: 1000 + seq, data: { kind: 'status', state: 'ok', cpuPct: 0.5, rssBytes: seq, bufferDepth: 0, bufferBytes: 0, dropped: 0 } }
      : { seq, at: 1000 + seq, data: { kind: 'process', name: `p${seq}`, pid: seq, cpuPct: 1, rssBytes: 2, qps: null, latencyMs: null } };
  });

function setup(): AgentRepository {
  const repo = new AgentRepository(openStore(':memory:'), new SecretBox(randomBytes(32)));
  for (const id of ['a', 'b', 'c']) repo.enrol(id, randomBytes(44), null, 'test', 1);
  return repo;
}

describe('AgentRepository.storeResults', () => {
  it('stores batches past and under the multi-row statement size once each, idempotently', () => {
    const repo = setup();
    const sizes = { a: 3 * N + 7, b: N - 1, c: N };
    const first = repo.storeResults([
      { agentId: 'a', results: results(1, sizes.a) },
      { agentId: 'b', results: results(1, sizes.b) },
      { agentId: 'c', results: results(1, sizes.c) },
    ], 5000);
    expect(first.stored).toBe(sizes.a + sizes.b + sizes.c);
    for (const [id, n] of Object.entries(sizes)) {
      expect(repo.resultCount(id)).toBe(n);
      const got = repo.results(id, { limit: 10_000 }).reverse();
      expect(got).toEqual(results(1, n));
      expect(repo.get(id)).toMatchObject({ lastSeq: n, lastSeenAt: 5000 });
    }
    expect(repo.get('a')!.status).toEqual({ at: 1000 + 190, state: 'ok', cpuPct: 0.5, rssBytes: 190, bufferDepth: 0, bufferBytes: 0, dropped: 0 });

    // Sent again after a lost ack, twice in one transaction, with new results after the old ones.
    const again = repo.storeResults([
      { agentId: 'a', results: results(1, sizes.a) },
      { agentId: 'a', results: results(sizes.a - N, sizes.a + 2 * N) },
      { agentId: 'b', results: results(1, sizes.b) },
    ], 6000);
    expect(again.stored).toBe(2 * N);
    expect(repo.resultCount('a')).toBe(sizes.a + 2 * N);
    expect(repo.results('a', { limit: 10_000 }).reverse()).toEqual(results(1, sizes.a + 2 * N));
    expect(repo.resultCount('b')).toBe(sizes.b);
    expect(repo.get('a')).toMatchObject({ lastSeq: sizes.a + 2 * N, lastSeenAt: 6000 });
  });
});
