// The agents capability through the whole core, with the real agent (src-daemons/agent) on
// this machine's /proc: an admin enrols the key `agent keygen` made, the agent dials the
// console's TLS listener, reports, and shows healthy in agents.list with its results readable;
// the core stopped and started again on the same store and port while the agent keeps
// collecting gets every sequence number exactly once; an operator's revoke ends the session,
// the agent's next connection is refused and both are in the audit trail.
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { AgentResult } from '../../../src-shared/agent-protocol';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { startAgent, type Agent } from '../../../src-daemons/agent/agent';
import { keygen } from '../../../src-daemons/agent/main';
import type { LinkState } from '../../../src-daemons/agent/link';

const admin: CallContext = { actor: 'ada', role: 'admin' };
const operator: CallContext = { actor: 'oli', role: 'operator' };
const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-agents-core-'));
const key = randomBytes(32);
const COLLECT = { intervalMs: 1000, inventoryIntervalMs: 60_000, processes: ['node'], files: [path.join(dir, 'declared.txt')], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

let core: Core | null = null;
let agent: Agent | null = null;
afterAll(async () => {
  await agent?.stop();
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Every result the store holds for the agent, oldest first (paged through agents.results). */
async function allResults(c: Core, agentId: string): Promise<AgentResult[]> {
  const out: AgentResult[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await c.api.call(admin, 'agents.results', { agentId, beforeSeq: before, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) break;
    before = page[page.length - 1].seq;
  }
  return out.reverse();
}

describe('agents through the core', () => {
  it('enrols, reports, survives a console restart without loss or duplicates, and a revoke is refused and audited', async () => {
    const port = await freePort();
    const start = () => createCore({ storePath: path.join(dir, 'fleetdeck.db'), secretKey: key, lab: false, agents: { listen: { host: '127.0.0.1', port }, collect: COLLECT } });
    core = await start();
    const identity = await core.api.call(admin, 'agents.identity', undefined);
    expect(identity.listen).toEqual({ host: '127.0.0.1', port });
    expect(identity.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const stateDir = path.join(dir, 'agent-state');
    const publicKey = keygen(stateDir);
    expect(keygen(stateDir), 'keygen keeps the key it made').toBe(publicKey);
    await expect(core.api.call(operator, 'agents.enroll', { agentId: 'srv-a', publicKey })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(core.api.call(admin, 'agents.enroll', { agentId: 'srv-a', publicKey: 'bm90IGEga2V5' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await core.api.call(admin, 'agents.enroll', { agentId: 'srv-a', publicKey })).toMatchObject({ id: 'srv-a', state: 'enrolled', health: 'never-reported', enrolledBy: 'ada' });

    const states: LinkState[] = [];
    agent = startAgent({
      agentId: 'srv-a', version: '1.2.3', hostname: 'host-a', console: { host: '127.0.0.1', port, fingerprint256: identity.fingerprint256 },
      key: createPrivateKey(readFileSync(path.join(stateDir, 'agent.key'))), stateDir, config: { ...COLLECT, intervalMs: 5000 },
      onLinkState: (s) => states.push(s), linkBackoffMs: { min: 100, max: 500, refused: 300 },
    });
    const c1 = core;
    await until('healthy', async () => (await c1.api.call(admin, 'agents.list', undefined))[0]?.health === 'healthy');
    const [listed] = await c1.api.call(admin, 'agents.list', undefined);
    expect(listed).toMatchObject({ id: 'srv-a', connected: true, version: '1.2.3', hostname: 'host-a' });
    expect(listed.status?.state).toBe('ok');
    expect(agent.config.intervalMs, "the console's collect config reached the agent").toBe(1000);
    const metrics = await c1.api.call(admin, 'agents.results', { agentId: 'srv-a', kind: 'metrics', limit: 1 });
    expect(metrics[0].data).toMatchObject({ kind: 'metrics' });
    if (metrics[0].data.kind === 'metrics') {
      expect(metrics[0].data.memTotalBytes).toBeGreaterThan(0);
      expect(metrics[0].data.nets.some((n) => n.iface === 'lo')).toBe(true);
    }
    const inv = await c1.api.call(admin, 'agents.results', { agentId: 'srv-a', kind: 'inventory', limit: 1 });
    expect(inv[0]?.data).toMatchObject({ kind: 'inventory', files: [{ sha256: null, error: 'ENOENT' }] });

    // The console goes away; the agent keeps collecting into its buffer.
    await core.dispose();
    core = null;
    const lastSeqAtStop = agent.buffer.lastSeq;
    await until('the agent buffers while the console is away', () => agent!.buffer.lastSeq >= lastSeqAtStop + 6, 30_000);
    core = await start();
    const c2 = core;
    expect((await c2.api.call(admin, 'agents.identity', undefined)).fingerprint256, 'the identity is kept: agents pinned it').toBe(identity.fingerprint256);
    const target = agent.buffer.lastSeq + 2;
    await until('uploads resume past the gap', async () => (await c2.api.call(admin, 'agents.list', undefined))[0].lastSeq >= target, 30_000);
    const stored = await allResults(c2, 'srv-a');
    const seqs = stored.map((r) => r.seq);
    const top = seqs[seqs.length - 1];
    expect(seqs, 'every sequence number from 1, once').toEqual(Array.from({ length: top }, (_, i) => i + 1));

    // Revoked: the session ends, the next connection is refused, both audited.
    expect(await c2.api.call(operator, 'agents.revoke', { agentId: 'srv-a', reason: 'test' })).toMatchObject({ state: 'revoked', health: 'revoked', revokedBy: 'oli' });
    await until('the agent is refused as revoked', () => states.some((s) => s.kind === 'refused' && s.reason === 'revoked'));
    const trail = await c2.api.call(admin, 'audit.list', { limit: 50 });
    expect(trail.some((e) => e.action === 'agents.revoke' && e.actor === 'oli' && e.outcome === 'succeeded')).toBe(true);
    const refusal = trail.find((e) => e.action === 'agent.connect' && e.outcome === 'refused');
    expect(refusal).toMatchObject({ actor: 'agent:srv-a', target: 'srv-a' });
    expect(refusal?.detail).toMatch(/^revoked: .*\(from 127\.0\.0\.1:\d+\)$/);
    expect((await c2.api.call(admin, 'agents.list', undefined))[0].connected).toBe(false);
  }, 120_000);

  it('a store opened with another secret key keeps its pinned identity and takes no agents, saying why', async () => {
    const storePath = path.join(dir, 'other-key.db');
    const first = await createCore({ storePath, secretKey: randomBytes(32), lab: false });
    const pinned = await first.api.call(admin, 'agents.identity', undefined);
    await first.dispose();
    const lines: string[] = [];
    const second = await createCore({ storePath, secretKey: randomBytes(32), lab: false, log: (l) => lines.push(l) });
    try {
      expect(await second.api.call(admin, 'agents.identity', undefined)).toEqual({ fingerprint256: pinned.fingerprint256, certPem: pinned.certPem, listen: null });
      expect(lines).toContain("agents: the console's agent identity cannot be opened with this secret key (the key it was sealed with is not this one): no agent can connect until that key is back");
    } finally {
      await second.dispose();
    }
  });
});
