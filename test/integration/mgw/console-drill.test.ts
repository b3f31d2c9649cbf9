// The console's failover drill (src-main/core/gateways/gateway-drill.ts through the gateways
// capability) against a real cluster on loopback (test/support/mgw-lab.ts: node daemons, the
// lab's router, agents' gateway backends, each a child process; a node that crashes is started
// again after a second, as its supervisor would): the drill's test traffic through the VIP,
// kill -9 of the busiest node through its control API, the window and the misses measured, the
// node's failback after its resync, every phase stored as the drill's row and the end audited.
// Then 5% loss on every node's sync link while new sessions come in, and a kill: 0 misses. A
// drill the cluster cannot survive (two nodes with R = 2) and a wrong token are refused with
// the reason, and nothing is killed.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatewayDrill } from '../../../src-shared/domain/gateway';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { startGateways, type GatewaysCapability } from '../../../src-main/core/gateways/gateways-capability';
import { openCoreStore, type CoreStore } from '../../../src-main/core/store/core-store';
import { startMgwLab, type MgwLab } from '../../support/mgw-lab';

const NET = 37;
const OPERATOR = { actor: 'op-drill', role: 'operator' as const };
let lab: MgwLab | null = null;
let cap: GatewaysCapability | null = null;
let store: CoreStore | null = null;
afterAll(async () => {
  await cap?.dispose();
  await lab?.stop();
  store?.db.close();
});

describe('the console failover drill on a loopback cluster', () => {
  const events: GatewayDrill[] = [];

  it('kill -9 of one node of 3 (R = 2): 0 misses, the window printed, the node back after its resync with 0 misses, stored and audited', async () => {
    lab = await startMgwLab({ net: NET, nodes: 3, backends: 3, r: 2, restartDelayMs: 1000 });
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    const hub = new EventHub();
    hub.on('onDidChangeGatewayDrill', (d) => events.push(d));
    cap = startGateways({ hub, store, clusters: [{ cluster: lab.cluster, token: lab.token }], intervalMs: 0, drills: { failbackTimeoutMs: 45_000 } });
    const started = await cap.api['gateways.drill']({ cluster: lab.cluster.cluster, kind: 'kill-one', sessions: 400, lossPercent: 5, lossMs: 5000 }, OPERATOR);
    expect(started.phase).toBe('sessions');
    await cap.drillsIdle();
    const [d] = await cap.api['gateways.drills']({ limit: undefined }, OPERATOR);
    console.log(`console drill kill-one: ${JSON.stringify(d)}`);
    expect(d.id).toBe(started.id);
    expect(d.note).toBeNull();
    expect(d.phase).toBe('done');
    expect(d.killed).toHaveLength(1);
    expect(d.windowMs).toBeGreaterThan(0);
    expect({ misses: d.misses, switched: d.switched, lost: d.lost }).toEqual({ misses: 0, switched: 0, lost: 0 });
    expect(d.failbackMs).toBeGreaterThan(d.windowMs!);
    expect(d.failbackMisses).toBe(0);
    expect(events.filter((e) => e.id === d.id).map((e) => e.phase)).toEqual(['sessions', 'sessions', 'replicating', 'fault', 'fault', 'measuring', 'failback', 'done']);
    const audit = store.audit.list({ limit: 10 }).find((a) => a.action === 'gateways.drill.result');
    expect(audit?.outcome).toBe('succeeded');
    expect(audit?.actor).toBe('op-drill');
    expect(audit?.detail).toContain('misses 0');
  }, 150_000);

  it('5% loss on every sync link while half the sessions are set up, then a kill: replication caught up, 0 misses', async () => {
    const c = cap!;
    await c.api['gateways.drill']({ cluster: lab!.cluster.cluster, kind: 'sync-loss', sessions: 400, lossPercent: 5, lossMs: 3000 }, OPERATOR);
    await c.drillsIdle();
    const [d] = await c.api['gateways.drills']({ limit: 1 }, OPERATOR);
    console.log(`console drill sync-loss: ${JSON.stringify(d)}`);
    expect(d.note).toBeNull();
    expect(d.phase).toBe('done');
    expect(d.misses).toBe(0);
    expect(d.failbackMisses).toBe(0);
    const dropped = (await Promise.all([0, 1, 2].map((i) => lab!.metrics(i)))).map((m) => Number(/mgw_sync_drill_dropped_total (\d+)/.exec(m)?.[1] ?? 0));
    // The node killed in the drill came back with its counters at 0; the others dropped sync datagrams.
    expect(dropped.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  }, 150_000);

  it('the sync link cut on every node for 2 s (past the 500 ms dead timeout: each side thinks the others dead) while half the sessions are set up, then a kill', async () => {
    const c = cap!;
    await c.api['gateways.drill']({ cluster: lab!.cluster.cluster, kind: 'sync-loss', sessions: 400, lossPercent: 100, lossMs: 2000 }, OPERATOR);
    await c.drillsIdle();
    const [d] = await c.api['gateways.drills']({ limit: 1 }, OPERATOR);
    console.log(`console drill sync-cut: ${JSON.stringify(d)}`);
    expect(d.note).toBeNull();
    expect(d.phase).toBe('done');
    expect(d.misses).toBe(0);
    expect(d.failbackMisses).toBe(0);
  }, 150_000);

  it('refuses two kills with R = 2 and a drill while one runs; a wrong token ends the drill with the node\'s answer and kills nothing', async () => {
    const c = cap!;
    expect(() => c.api['gateways.drill']({ cluster: lab!.cluster.cluster, kind: 'kill-two', sessions: 100, lossPercent: 5, lossMs: 5000 }, OPERATOR)).toThrow(/needs R >= 3/);
    expect(() => c.api['gateways.drill']({ cluster: 'nope', kind: 'kill-one', sessions: 100, lossPercent: 5, lossMs: 5000 }, OPERATOR)).toThrow(/nope/);

    const hub = new EventHub();
    const wrong = startGateways({ hub, store: store!, clusters: [{ cluster: lab!.cluster, token: 'not-the-token' }], intervalMs: 0 });
    try {
      const before = await Promise.all([0, 1, 2].map((i) => lab!.nodeHealth(i)));
      expect(before).toEqual([200, 200, 200]);
      await wrong.api['gateways.drill']({ cluster: lab!.cluster.cluster, kind: 'kill-one', sessions: 50, lossPercent: 5, lossMs: 5000 }, OPERATOR);
      expect(() => wrong.api['gateways.drill']({ cluster: lab!.cluster.cluster, kind: 'kill-one', sessions: 50, lossPercent: 5, lossMs: 5000 }, OPERATOR)).toThrow(/already running/);
      await wrong.drillsIdle();
      const [d] = await wrong.api['gateways.drills']({ limit: 1 }, OPERATOR);
      expect(d.phase).toBe('failed');
      expect(d.note).toMatch(/403/);
      expect(d.killed).toEqual([]);
      expect(d.misses).toBeNull();
      expect(await Promise.all([0, 1, 2].map((i) => lab!.nodeHealth(i)))).toEqual([200, 200, 200]);
    } finally {
      await wrong.dispose();
    }
  }, 120_000);
});
