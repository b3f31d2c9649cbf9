// The failover drill's steps for the gateway tests on loopback (mgw-lab.ts): set sessions up
// while backend be1 is drained and bring be1 back (so Maglev alone would now send about a
// quarter of them to be1, and only the session table and its replicas keep them where they
// are), then kill nodes (and backends) with kill -9 while every session keeps talking, and
// measure the failover window (until every session is answered again) and the misses after it
// (a session answered by another backend than its own, or not answered).
import { expect } from 'vitest';
import { parseMetrics } from '../../src-shared/mgw/prometheus';
import { sleep, until } from './handles';
import { SessionClients, startMgwLab, type MgwLab, type MgwLabOptions } from './mgw-lab';

export const metric = async (lab: MgwLab, i: number, name: string): Promise<number> => {
  const m = parseMetrics(await lab.metrics(i)).get(name);
  return m ? m.reduce((s, x) => s + x.value, 0) : NaN;
};

/** Every given node drains (or undrains) a backend through its control API. */
export async function drainEverywhere(lab: MgwLab, backend: string, on: boolean, nodes: readonly number[]): Promise<void> {
  for (const i of nodes) expect((await lab.control(i, 'POST', `/api/backends/${backend}/${on ? 'drain' : 'undrain'}`)).status).toBe(200);
}

/** Sends on every session until each has an answer (a few rounds: UDP on a loaded machine drops some). */
export async function answerAll(clients: SessionClients, lab: MgwLab, what: string): Promise<void> {
  const since = Date.now();
  for (let round = 0; round < 20; round++) {
    await clients.sendAll(lab.vip);
    await sleep(300);
    if (clients.silentSince(since).length === 0) return;
  }
  throw new Error(`${what}: ${clients.silentSince(since).length} sessions never answered\n${lab.logs().slice(-3000)}`);
}

export async function waitNoDebt(lab: MgwLab, nodes: readonly number[], timeoutMs = 20_000): Promise<void> {
  await until('replication debt 0', async () => (await Promise.all(nodes.map((i) => metric(lab, i, 'mgw_replication_debt')))).every((d) => d === 0), timeoutMs, 100);
}

export interface Drill {
  readonly lab: MgwLab;
  readonly clients: SessionClients;
  readonly nodes: number[];
}

/** Closes every drill's clients and lab (a test file's afterAll). */
export async function closeDrills(opened: Drill[]): Promise<void> {
  for (const d of opened.splice(0)) {
    d.clients.close();
    await d.lab.stop();
  }
}

/** A lab with `sessions` sessions set up, moved off Maglev's pick (be1 drained then back), replicated (no debt). */
export async function setUpDrill(o: MgwLabOptions & { sessions: number }, opened: Drill[], beforeSessions?: (lab: MgwLab) => Promise<void>): Promise<Drill> {
  const lab = await startMgwLab(o);
  const clients = new SessionClients(o.sessions);
  const nodes = lab.cluster.nodes.map((_, i) => i);
  const d = { lab, clients, nodes };
  opened.push(d);
  await beforeSessions?.(lab);
  await clients.open(o.net);
  await drainEverywhere(lab, 'be1', true, nodes);
  await sleep(700);
  await answerAll(clients, lab, 'set-up');
  expect(clients.backendOf.filter((b) => b === 'be1')).toHaveLength(0);
  await drainEverywhere(lab, 'be1', false, nodes);
  await until('be1 back in every table', async () => (await Promise.all(nodes.map((i) => lab.metrics(i)))).every((m) => /mgw_backend_up\{backend="be1"\} 1/.test(m)), 10_000, 100);
  await sleep(700);
  await answerAll(clients, lab, 'after be1 returned');
  expect(clients.switched).toBe(0);
  await waitNoDebt(lab, nodes);
  return d;
}

export interface FailoverResult {
  /** From the kill until every session was answered in one round (-1: never within the drill). */
  readonly windowMs: number;
  /** Sessions answered by another backend than before the kill, by index. */
  readonly switched: ReadonlySet<number>;
  /** Sessions not answered in the rounds after the window. */
  readonly silent: number;
}

/** kill -9 the given nodes (and backends) at once and keep every session talking. */
export async function failover(d: Drill, kill: { nodes: readonly number[]; backends?: readonly number[] }): Promise<FailoverResult> {
  const { lab, clients } = d;
  const before = new Set(clients.switchedSessions);
  const t0 = Date.now();
  for (const i of kill.nodes) lab.killNode(i);
  for (const j of kill.backends ?? []) lab.killBackend(j);
  let windowMs = -1;
  for (let round = 0; round < 40 && windowMs < 0; round++) {
    const at = Date.now();
    await clients.sendAll(lab.vip);
    await sleep(250);
    if (clients.silentSince(at).length === 0) windowMs = at - t0;
  }
  const after = Date.now();
  for (let k = 0; k < 2; k++) {
    await clients.sendAll(lab.vip);
    await sleep(400);
  }
  const silent = clients.silentSince(after).length;
  if (windowMs < 0 || silent > 0) {
    const live = d.nodes.filter((i) => !kill.nodes.includes(i));
    const m = await Promise.all(live.map(async (i) => (await lab.metrics(i)).split('\n').filter((l) => l && !l.startsWith('#')).join('; ')));
    console.log(`failover: ${silent} silent after the window\n${m.join('\n')}\n${lab.logs().slice(-3000)}`);
  }
  return { windowMs, switched: new Set([...clients.switchedSessions].filter((i) => !before.has(i))), silent };
}
