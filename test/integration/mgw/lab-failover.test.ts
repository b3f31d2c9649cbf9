// The gateway on loopback (test/support/mgw-lab.ts: 3 node daemons, the lab's router, 4
// backends running the agent's echo, all real processes): 2,000 UDP sessions are set up while
// backend be1 is drained, then be1 comes back, so Maglev alone would now send about a quarter
// of the sessions to be1: only the session table (and its replicas) keeps them where they are.
// kill -9 of one node (R = 2): after the failover window every session is answered by the
// backend it had (0 misses), the window printed. The node restarted: it resyncs, says ready only
// then, and failback moves no session. The same drill with R = 1 (no replicas) does move
// sessions: the drill can see a miss.
import { afterAll, describe, expect, it } from 'vitest';
import { SessionClients, startMgwLab, type MgwLab } from '../../support/mgw-lab';
import { sleep, until } from '../../support/handles';
import { parseMetrics } from '../../../src-daemons/mgw/metrics';

const SESSIONS = 2000;
const open: { lab: MgwLab; clients: SessionClients }[] = [];
afterAll(async () => {
  for (const o of open) {
    o.clients.close();
    await o.lab.stop();
  }
});

const metric = async (lab: MgwLab, i: number, name: string): Promise<number> => {
  const m = parseMetrics(await lab.metrics(i)).get(name);
  return m ? m.reduce((s, x) => s + x.value, 0) : NaN;
};

/** Every node drains (or undrains) a backend through its control API. */
async function drainEverywhere(lab: MgwLab, backend: string, on: boolean, nodes: readonly number[]): Promise<void> {
  for (const i of nodes) expect((await lab.control(i, 'POST', `/api/backends/${backend}/${on ? 'drain' : 'undrain'}`)).status).toBe(200);
}

/** Sends on every session until each has an answer (a few rounds: UDP on a loaded machine drops some). */
async function answerAll(clients: SessionClients, lab: MgwLab, what: string): Promise<void> {
  const since = Date.now();
  for (let round = 0; round < 20; round++) {
    await clients.sendAll(lab.vip);
    await sleep(300);
    if (clients.silentSince(since).length === 0) return;
  }
  throw new Error(`${what}: ${clients.silentSince(since).length} sessions never answered\n${lab.logs().slice(-3000)}`);
}

async function setUp(net: number, r: number): Promise<{ lab: MgwLab; clients: SessionClients }> {
  const lab = await startMgwLab({ net, nodes: 3, backends: 4, r });
  const clients = new SessionClients(SESSIONS);
  open.push({ lab, clients });
  await clients.open(net);
  await drainEverywhere(lab, 'be1', true, [0, 1, 2]);
  await sleep(500);
  await answerAll(clients, lab, 'set-up');
  expect(clients.backendOf.filter((b) => b === 'be1')).toHaveLength(0);
  await drainEverywhere(lab, 'be1', false, [0, 1, 2]);
  // be1 is up again at its next health answer, and every node's table has it back.
  await until('be1 back in every table', async () => (await Promise.all([0, 1, 2].map((i) => lab.metrics(i)))).every((m) => /mgw_backend_up\{backend="be1"\} 1/.test(m)), 10_000, 100);
  await sleep(500);
  await answerAll(clients, lab, 'after be1 returned');
  expect(clients.switched).toBe(0);
  // Replicated: nothing owed to any peer.
  await until('replication debt 0', async () => (await Promise.all([0, 1, 2].map((i) => metric(lab, i, 'mgw_replication_debt')))).every((d) => d === 0), 15_000, 100);
  return { lab, clients };
}

/** kill -9 node 0 and keep every session talking; returns the failover window (ms) and the misses after it. */
async function failover(lab: MgwLab, clients: SessionClients): Promise<{ windowMs: number; switched: number; silent: number }> {
  const before = clients.switched;
  const t0 = Date.now();
  lab.killNode(0);
  let windowMs = -1;
  for (let round = 0; round < 40 && windowMs < 0; round++) {
    const at = Date.now();
    await clients.sendAll(lab.vip);
    await sleep(250);
    if (clients.silentSince(at).length === 0) windowMs = at - t0;
  }
  // After the window: two more rounds, every session answered by its own backend.
  const after = Date.now();
  await clients.sendAll(lab.vip);
  await sleep(400);
  await clients.sendAll(lab.vip);
  await sleep(400);
  const silent = clients.silentSince(after).length;
  if (windowMs < 0 || silent > 0) {
    const m = await Promise.all([1, 2].map(async (i) => (await lab.metrics(i)).split('\n').filter((l) => !l.startsWith('#')).join('; ')));
    console.log(`failover: ${silent} silent after the window\n${m.join('\n')}\n${lab.logs().slice(-3000)}`);
  }
  return { windowMs, switched: clients.switched - before, silent };
}

describe('MGW gateway on loopback', () => {
  it('kill -9 one of 3 nodes (R = 2): synced sessions keep their backends; the restarted node resyncs before taking traffic', async () => {
    const { lab, clients } = await setUp(31, 2);
    const r = await failover(lab, clients);
    console.log(`mgw lab failover (R=2, 3 nodes, ${SESSIONS} sessions): window ${r.windowMs} ms, misses ${r.switched} switched + ${r.silent} silent`);
    expect(r.windowMs).toBeGreaterThanOrEqual(0);
    expect(r.switched).toBe(0);
    expect(r.silent).toBe(0);

    // Failback: the node comes back, resyncs (503 until then), then takes traffic with nothing moved.
    await lab.startNode(0);
    await until('node 0 ready again', async () => (await lab.nodeHealth(0)) === 200, 30_000, 50);
    expect(await metric(lab, 0, 'mgw_sessions')).toBeGreaterThan(SESSIONS * 0.5);
    await sleep(500); // the router's next health round announces it
    await answerAll(clients, lab, 'after failback');
    expect(clients.switched).toBe(0);
  }, 180_000);

  it('the same drill with R = 1 (no replicas) moves sessions: the drill sees misses', async () => {
    const { lab, clients } = await setUp(32, 1);
    const r = await failover(lab, clients);
    console.log(`mgw lab failover (R=1 control): window ${r.windowMs} ms, ${r.switched} sessions switched backend`);
    expect(r.switched).toBeGreaterThan(0);
  }, 180_000);
});
