// More failover drills on loopback (test/support/mgw-drill.ts), each on its own lab:
// - two of 4 nodes killed at once with R = 3: 0 misses after the window;
// - a backend killed at the same moment as a node: that backend's sessions move to others
//   (rehashed), every other session keeps its backend;
// - 5% of the sync traffic dropped by an nft rule (numgen random mod 100 < 5, on the lab's sync
//   port on loopback only, in a table of this test's own, removed after): replication catches
//   up (retransmissions counted) and a failover after it has 0 misses.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDrills, failover, metric, setUpDrill, type Drill } from '../../support/mgw-drill';

const SESSIONS = 1500;
const opened: Drill[] = [];
const NFT_TABLE = 'fd_mgw_drill';
const nft = (...args: string[]): string => execFileSync('nft', args, { encoding: 'utf8' });
afterAll(async () => {
  try {
    nft('delete', 'table', 'inet', NFT_TABLE);
  } catch {
    // not made, or gone
  }
  await closeDrills(opened);
});

describe('MGW failover drills on loopback', () => {
  it('kill -9 two of 4 nodes at once (R = 3): 0 misses', async () => {
    const d = await setUpDrill({ net: 33, nodes: 4, backends: 4, r: 3, sessions: SESSIONS }, opened);
    const r = await failover(d, { nodes: [0, 2] });
    console.log(`mgw lab failover (R=3, 2 of 4 nodes killed, ${SESSIONS} sessions): window ${r.windowMs} ms, misses ${r.switched.size} switched + ${r.silent} silent`);
    expect(r.windowMs).toBeGreaterThanOrEqual(0);
    expect(r.switched.size).toBe(0);
    expect(r.silent).toBe(0);
  }, 180_000);

  it('a backend killed with a node: its sessions rehash, the others keep their backends', async () => {
    const d = await setUpDrill({ net: 34, nodes: 3, backends: 4, r: 2, sessions: SESSIONS }, opened);
    const onBe2 = new Set(d.clients.backendOf.flatMap((b, i) => (b === 'be2' ? [i] : [])));
    expect(onBe2.size).toBeGreaterThan(SESSIONS / 10);
    const r = await failover(d, { nodes: [1], backends: [1] });
    console.log(`mgw lab failover (backend be2 and node gw2 killed at once): window ${r.windowMs} ms, ${r.switched.size} sessions moved (be2 had ${onBe2.size}), ${r.silent} silent`);
    expect(r.windowMs).toBeGreaterThanOrEqual(0);
    expect(r.silent).toBe(0);
    expect([...r.switched].sort((a, b) => a - b)).toEqual([...onBe2].sort((a, b) => a - b));
    expect(d.clients.backendOf.filter((b) => b === 'be2')).toHaveLength(0);
  }, 180_000);

  it('5% loss on the sync link: replication catches up, then a failover has 0 misses', async () => {
    const net = 35;
    const d = await setUpDrill({ net, nodes: 3, backends: 4, r: 2, sessions: SESSIONS }, opened, async () => {
      nft('add', 'table', 'inet', NFT_TABLE);
      nft('add', 'chain', 'inet', NFT_TABLE, 'out', '{ type filter hook output priority 0 ; policy accept ; }');
      nft('add', 'rule', 'inet', NFT_TABLE, 'out', 'ip', 'daddr', `127.77.${net}.0/24`, 'udp', 'dport', '7002', 'numgen', 'random', 'mod', '100', '<', '5', 'counter', 'drop');
    });
    const dropped = Number(/packets (\d+)/.exec(nft('list', 'table', 'inet', NFT_TABLE))?.[1] ?? 0);
    const retransmitted = (await Promise.all(d.nodes.map((i) => metric(d.lab, i, 'mgw_sync_retransmitted_total')))).reduce((a, b) => a + b, 0);
    const r = await failover(d, { nodes: [0] });
    console.log(`mgw lab failover with 5% sync loss: ${dropped} sync datagrams dropped by nft, ${retransmitted} session changes retransmitted; window ${r.windowMs} ms, misses ${r.switched.size} switched + ${r.silent} silent`);
    expect(dropped).toBeGreaterThan(0);
    expect(retransmitted).toBeGreaterThan(0);
    expect(r.switched.size).toBe(0);
    expect(r.silent).toBe(0);
  }, 180_000);
});
