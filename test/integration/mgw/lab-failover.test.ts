// The gateway on loopback (test/support/mgw-lab.ts: node daemons, the lab's router, backends
// running the agent's echo, all real processes), driven by the drill (mgw-drill.ts): 2,000 UDP
// sessions moved off Maglev's pick, so only the session table and its replicas keep them.
// kill -9 of one of 3 nodes (R = 2): after the failover window every session is answered by
// the backend it had (0 misses), the window printed; the node restarted resyncs, says ready only
// then, and failback moves no session. The same drill with R = 1 (no replicas) moves sessions:
// the drill can see a miss.
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../support/handles';
import { answerAll, closeDrills, failover, metric, setUpDrill, type Drill } from '../../support/mgw-drill';

const SESSIONS = 2000;
const opened: Drill[] = [];
afterAll(() => closeDrills(opened));

describe('MGW gateway on loopback', () => {
  it('kill -9 one of 3 nodes (R = 2): synced sessions keep their backends; the restarted node resyncs before taking traffic', async () => {
    const d = await setUpDrill({ net: 31, nodes: 3, backends: 4, r: 2, sessions: SESSIONS }, opened);
    const r = await failover(d, { nodes: [0] });
    console.log(`mgw lab failover (R=2, 1 of 3 nodes killed, ${SESSIONS} sessions): window ${r.windowMs} ms, misses ${r.switched.size} switched + ${r.silent} silent`);
    expect(r.windowMs).toBeGreaterThanOrEqual(0);
    expect(r.switched.size).toBe(0);
    expect(r.silent).toBe(0);

    // Failback: the node comes back, resyncs (503 until then), then takes traffic with nothing moved.
    await d.lab.startNode(0);
    await until('node 0 ready again', async () => (await d.lab.nodeHealth(0)) === 200, 30_000, 50);
    expect(await metric(d.lab, 0, 'mgw_sessions')).toBeGreaterThan(SESSIONS * 0.5);
    await new Promise((res) => setTimeout(res, 500)); // the router's next health round announces it
    await answerAll(d.clients, d.lab, 'after failback');
    expect(d.clients.switched).toBe(0);
  }, 180_000);

  it('the same drill with R = 1 (no replicas) moves sessions: the drill sees misses', async () => {
    const d = await setUpDrill({ net: 32, nodes: 3, backends: 4, r: 1, sessions: SESSIONS }, opened);
    const r = await failover(d, { nodes: [0] });
    console.log(`mgw lab failover (R=1 control): window ${r.windowMs} ms, ${r.switched.size} sessions switched backend`);
    expect(r.switched.size).toBeGreaterThan(0);
  }, 180_000);
});
