// The fleet agent on 4 network-namespace hosts (issue 13's first acceptance points), as root:
// test/support/netns.ts blackholes 10.213.0.0/16 in the root namespace, then makes a bridge
// (<subnet>.1/24, a /24 of that range no one uses yet) and 4 namespaces on it at
// <subnet>.11..14; each runs a real OpenSSH sshd (`ip netns exec <ns> sshd -D -e`) on its
// address, port 22, key login as root, its own host key. A core in this process (no lab, a file
// store) takes agent connections on the bridge address, has the 4 hosts as devices (an SSH key
// credential each) and, since the namespaces share this filesystem, a temp install folder per
// host (installDirs).
//  - agent-deploy of the built-in 1.0.0 (a bundle dir build-daemons makes) through
//    workflows.launch as an operator: every host's pinned SSH key is its own sshd's, the agents
//    run inside their namespaces, enrol over TLS and report: 4 healthy, connected, each from
//    its namespace's address.
//  - The console away for 60 s (the core disposed) while the agents collect every second, then
//    started again on the same store and port: per agent the store holds every sequence number
//    from 1 to the highest exactly once (agents.results paged, and the chunks in agent_result_chunks read directly),
//    with results collected while it was down.
//  - A revoked agent's next connection is refused and audited, naming its namespace address.
//  - One host's agent.json rewritten with another console's fingerprint and the agent restarted
//    with the deploy's own stop/start host commands over SSH: its log says it refused the
//    console's certificate; the console saw no hello (no connected change, lastSeenAt as before).
// Figures printed: deploy time and bytes per host, results per agent during the outage.
// Cleanup (also after a failure): supervisors by their pid files, sshd by pid, anything left in
// the namespaces by `ip netns pids`, then namespaces, bridge and the blackhole route.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { AgentResult } from '../../../src-shared/agent-protocol';
import type { Device } from '../../../src-shared/domain';
import type { AgentSummary } from '../../../src-shared/domain/agent';
import type { WfRunDetail } from '../../../src-shared/domain/workflow';
import { createCore, type Core } from '../../../src-main/core/create-core';
import { hostCommands } from '../../../src-main/core/agents/deploy/host-commands';
import { createSshPool, MemoryHostKeyStore, sshExec, type SshPool } from '../../../src-main/core/protocols/ssh';
import { createConsoleIdentity } from '../../../src-main/core/protocols/agent/tls-identity';
import { decodeChunk } from '../../../src-main/core/store/agent-result-chunks';
import { sleep, until } from '../../support/handles';
import { netnsCheck, netnsLab, type NetnsLab } from '../../support/netns';
import { oneCabinet } from '../../support/one-cabinet';
import { sshdCheck } from '../../interop/ssh/sshd-peer';
import { buildReleases, ended, freePort, startRigSshd, stopSupervisors, supervisorPids, task, type RigSshd } from './sshd-rig';

const sshd = sshdCheck();
const netns = netnsCheck();
const inCi = process.env.CI === 'true';
const skipReason = sshd.skip ? sshd.reason : !netns.ok && !inCi ? netns.reason : '';
const operator: CallContext = { actor: 'oli', role: 'operator' };
const admin: CallContext = { actor: 'ada', role: 'admin' };
const HOSTS = 4;
const OUTAGE_MS = 60_000;
const HEALTH_WINDOW_MS = 30_000;
const COLLECT = { intervalMs: 1000, inventoryIntervalMs: 600_000, processes: ['sshd'], files: [], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };
const ids = Array.from({ length: HOSTS }, (_, i) => `ag${i + 1}`);

let dir = '';
let lab: NetnsLab | null = null;
let core: Core | null = null;
let pool: SshPool | null = null;
let agentPort = 0;
const peers: RigSshd[] = [];
const installDirs: Record<string, string> = {};
const coreLog: string[] = [];
let deployRun: WfRunDetail | null = null;
const figures: string[] = [];

const KEY = randomBytes(32);
const start = (): Promise<Core> =>
  createCore({
    storePath: path.join(dir, 'core.db'), secretKey: KEY, lab: false, bmcSensors: false, poller: { intervalMs: 600_000 }, log: (l) => void coreLog.push(l),
    agents: { listen: { host: lab!.gateway, port: agentPort }, advertise: { host: lab!.gateway, port: agentPort }, collect: COLLECT, bundleDir: path.join(dir, 'releases', '1.0.0'), runtimePath: process.execPath },
  });
const c = (): Core => core ?? (() => { throw new Error('no console running'); })();
const list = async (): Promise<AgentSummary[]> => c().api.call(operator, 'agents.list', undefined);
const agentOf = async (id: string): Promise<AgentSummary | undefined> => (await list()).find((a) => a.id === id);
const netOf = (pid: number): string => readlinkSync(`/proc/${pid}/ns/net`);

/** Every result the store holds for the agent, oldest first (paged through agents.results). */
async function allResults(agentId: string): Promise<AgentResult[]> {
  const out: AgentResult[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await c().api.call(admin, 'agents.results', { agentId, beforeSeq: before, limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out.reverse();
    before = page[page.length - 1].seq;
  }
}

describe.skipIf(skipReason !== '')(`the agent on ${HOSTS} network-namespace hosts with real sshd${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    if (sshd.missing.length) throw new Error(`CI needs sshd: ${sshd.reason}`);
    if (!netns.ok) throw new Error(`CI runs as root with iproute2; here: ${netns.reason}`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'fd-netns-agents-'));
    lab = netnsLab(HOSTS);
    await lab.up();
    await buildReleases(path.join(dir, 'releases'), ['1.0.0']);
    for (const h of lab.hosts) {
      const p = await startRigSshd({ address: h.address, port: 22, wrapper: lab.execArgv(h.ns, []), username: 'root' });
      peers.push(p);
      expect(readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim(), 'ip netns exec runs sshd in place').toBe('sshd');
      expect(netOf(p.pid), `sshd runs in ${h.ns}`).not.toBe(netOf(process.pid));
      installDirs[ids[h.n - 1]] = path.join(dir, `host-${h.n}`, 'fleetdeck');
      mkdirSync(path.dirname(installDirs[ids[h.n - 1]]), { recursive: true });
    }
    agentPort = await freePort(lab.gateway);
    core = await start();
    const devices: Device[] = lab.hosts.map((h) => ({
      id: ids[h.n - 1], cabinetId: 'c', kind: 'server', hostname: `ns-host-${h.n}`, sn: `SN-NS-${h.n}`, uPosition: h.n, uHeight: 1, mgmtIp: h.address, snmpPort: 161,
      bmcAddress: null, bmcPort: 623, sshPort: 22, snmpCredential: null, sshCredential: `key-${ids[h.n - 1]}`, ipmiCredential: null, serviceTree: null,
    }));
    for (const [i, id] of ids.entries()) {
      await core.api.call(admin, 'credentials.put', { id: `key-${id}`, kind: 'ssh-key', name: `root on ${lab.hosts[i].ns}`, secret: { username: 'root', privateKey: peers[i].clientKey.privateKey } });
    }
    await core.api.call(admin, 'inventory.import', { format: 'json', text: JSON.stringify(oneCabinet(devices)), replace: null, dryRun: false });
    pool = createSshPool({ hostKeys: new MemoryHostKeyStore(), credentials: (id) => ({ username: 'root', privateKey: peers[ids.indexOf(id)].clientKey.privateKey }), connectTimeoutMs: 10_000 });
  }, 180_000);

  afterAll(async () => {
    if (figures.length) console.log(`netns-agents figures:\n  ${figures.join('\n  ')}`);
    const problems: string[] = [];
    const step = async (what: string, fn: () => unknown): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    await step('stopping the supervisors', () => stopSupervisors(Object.values(installDirs)));
    await step('disposing the core', () => core?.dispose());
    await step('closing the SSH pool', () => pool?.dispose());
    for (const p of peers) await step(`stopping sshd ${p.address}`, () => p.stop());
    if (lab) problems.push(...(await lab.down()));
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (problems.length) throw new Error(`cleanup: ${problems.join('; ')}`);
  }, 120_000);

  it('deploys through the workflow: every agent enrols over TLS and reports from its namespace', async () => {
    const t0 = Date.now();
    const launched = await c().api.call(operator, 'workflows.launch', { templateId: 'agent-deploy', params: { installDirs, healthWindowMs: HEALTH_WINDOW_MS }, deviceIds: ids });
    const r = await ended(c(), launched.id, ['succeeded', 'failed', 'paused'], 180_000);
    expect(r.state, JSON.stringify(r.tasks.filter((t) => t.error).map((t) => `${t.host}/${t.stepId}: ${t.error}`))).toBe('succeeded');
    deployRun = r;
    figures.push(`deploy of 1.0.0 on ${HOSTS} namespace hosts (one run, all hosts in one batch): ${Date.now() - t0} ms`);
    const identity = await c().api.call(operator, 'agents.identity', undefined);
    for (const [i, id] of ids.entries()) {
      const h = lab!.hosts[i];
      const up = task(r, 'upload', id).outputs!;
      expect(up.systemd, 'PID 1 is not systemd (else the deploy would install one systemd unit, outside the namespaces, for all 4 hosts)').toBe(false);
      expect(up).toMatchObject({ version: '1.0.0', runtimeShipped: true, root: true });
      expect(up.bytesShipped as number).toBeGreaterThan(statSync(process.execPath).size);
      expect(task(r, 'activate', id).outputs).toMatchObject({ version: '1.0.0', previous: null, changed: true, via: 'supervisor' });
      const took = task(r, 'activate', id).finishedAt! - task(r, 'upload', id).startedAt!;
      figures.push(`${h.ns} (${h.address}): deployed in ${took} ms (upload ${task(r, 'upload', id).finishedAt! - task(r, 'upload', id).startedAt!} ms), ${up.bytesShipped} bytes shipped`);
      expect((await c().api.call(operator, 'device.hostKey', { deviceId: id })).fingerprint, 'the pinned SSH key is this namespace sshd\'s').toBe(peers[i].hostFingerprint);
      const run = JSON.parse(readFileSync(path.join(installDirs[id], 'agent.json'), 'utf8')) as { agentId: string; console: { host: string; port: number; fingerprint256: string } };
      expect(run).toMatchObject({ agentId: id, console: { host: lab!.gateway, port: agentPort, fingerprint256: identity.fingerprint256 } });
      // The supervisor and its agent were started over this namespace's sshd, so they live in its network namespace.
      const pids = supervisorPids(installDirs[id]);
      expect(pids, `${id}: supervisor and agent running`).toHaveLength(2);
      for (const pid of pids) expect(netOf(pid), `${id}: pid ${pid} in ${h.ns}`).toBe(netOf(peers[i].pid));
    }
    expect(new Set(peers.map((p) => p.hostFingerprint)).size, 'each sshd has its own host key').toBe(HOSTS);
    const agents = await until('all 4 agents healthy', async () => {
      const l = await list();
      return l.length === HOSTS && l.every((a) => a.health === 'healthy' && a.connected) ? l : false;
    }, 60_000);
    for (const [i, id] of ids.entries()) {
      const a = agents.find((x) => x.id === id)!;
      expect(a).toMatchObject({ deviceId: id, version: '1.0.0', enrolledBy: 'oli', state: 'enrolled' });
      expect(a.remote, `${id} dials from its namespace`).toMatch(new RegExp(`^${lab!.hosts[i].address.replace(/\./g, '\\.')}:\\d+$`));
      const m = await c().api.call(admin, 'agents.results', { agentId: id, kind: 'metrics', limit: 1 });
      expect(m[0]?.data.kind).toBe('metrics');
      if (m[0]?.data.kind === 'metrics') expect(m[0].data.nets.map((n) => n.iface).sort(), 'the agent reads its own namespace\'s interfaces').toEqual(['eth0', 'lo']);
    }
  }, 240_000);

  it('loses and duplicates nothing while the console is away for 60 s', async () => {
    expect(deployRun, 'the deploy ran').not.toBeNull();
    const before = new Map((await list()).map((a) => [a.id, a.lastSeq]));
    const downAt = Date.now();
    await core!.dispose();
    core = null;
    await sleep(OUTAGE_MS);
    for (const id of ids) expect(supervisorPids(installDirs[id]), `${id} kept running while the console was away`).toHaveLength(2);
    const upAt = Date.now();
    core = await start();
    // Each agent back and its results from after the restart stored (the link backs off to 30 s while the console is away).
    for (const id of ids) {
      await until(`${id} reconnected and uploading past the restart`, async () => {
        const a = await agentOf(id);
        if (!a?.connected) return false;
        const [newest] = await c().api.call(admin, 'agents.results', { agentId: id, limit: 1 });
        return newest && newest.at > upAt;
      }, 90_000, 250);
    }
    const db = new Database(path.join(dir, 'core.db'), { readonly: true, fileMustExist: true });
    try {
      for (const id of ids) {
        const stored = await allResults(id);
        const seqs = stored.map((r) => r.seq);
        const top = seqs[seqs.length - 1];
        expect(seqs, `${id}: every sequence number from 1 to ${top}, once`).toEqual(Array.from({ length: top }, (_, i) => i + 1));
        // The store itself: every result of every chunk of this agent, counted one by one.
        const held = db
          .prepare<[string], { data: Buffer | string }>('SELECT data FROM agent_result_chunks WHERE agent_id = ?')
          .all(id)
          .flatMap((c) => decodeChunk(c.data).map((r) => r.seq));
        const row = { n: held.length, d: new Set(held).size, lo: Math.min(...held), hi: Math.max(...held) };
        expect(row, `${id}: agent_result_chunks hold 1..${row.hi} once each`).toEqual({ n: row.hi, d: row.hi, lo: 1, hi: row.hi });
        expect(row.hi).toBe(top);
        const away = stored.filter((r) => r.at >= downAt && r.at < upAt);
        expect(away.length, `${id}: results collected while the console was down`).toBeGreaterThan(0);
        expect(away.every((r) => r.seq > before.get(id)!), `${id}: those came after the last stored before the stop`).toBe(true);
        // Collected through the whole outage, not only at its edges.
        const half = downAt + OUTAGE_MS / 2;
        expect(away.some((r) => r.at < half) && away.some((r) => r.at >= half), `${id}: results from both halves of the outage`).toBe(true);
        const kinds = [...new Set(away.map((r) => r.data.kind))].sort();
        figures.push(`${id}: ${away.length} results collected during the ${Math.round((upAt - downAt) / 1000)} s outage (seq ${away[0].seq}..${away[away.length - 1].seq}, ${kinds.join('+')}); ${top} stored in all, none missing, none twice`);
      }
    } finally {
      db.close();
    }
  }, 240_000);

  it("refuses a revoked agent's next connection and audits it with its namespace address", async () => {
    const id = ids[0];
    expect((await agentOf(id))?.connected, `${id} connected before the revoke`).toBe(true);
    const revokedAt = Date.now();
    const logFrom = statSync(path.join(installDirs[id], 'agent.log')).size;
    expect(await c().api.call(operator, 'agents.revoke', { agentId: id, reason: 'netns test' })).toMatchObject({ state: 'revoked', health: 'revoked', revokedBy: 'oli' });
    const addr = lab!.hosts[0].address.replace(/\./g, '\\.');
    const refusal = await until('the revoked agent refused on its next connection', async () => {
      const trail = await c().api.call(admin, 'audit.list', { since: revokedAt, action: 'agent.connect', limit: 200 });
      return trail.find((e) => e.outcome === 'refused' && e.target === id);
    }, 60_000, 250);
    expect(refusal).toMatchObject({ actor: `agent:${id}` });
    expect(refusal.detail).toMatch(new RegExp(`^revoked: agent ${id} was revoked \\(from ${addr}:\\d+\\)$`));
    const trail = await c().api.call(admin, 'audit.list', { limit: 200 });
    expect(trail.some((e) => e.action === 'agents.revoke' && e.actor === 'oli' && e.outcome === 'succeeded')).toBe(true);
    expect(await agentOf(id)).toMatchObject({ connected: false, health: 'revoked' });
    await until(`${id}'s log names the refusal`, () => /the console refused this agent \(revoked\)/.test(readFileSync(path.join(installDirs[id], 'agent.log'), 'utf8').slice(logFrom)), 30_000);
    figures.push(`${id}: revoked; next connection refused ${refusal.at - revokedAt} ms later: "${refusal.detail}"`);
  }, 120_000);

  it('an agent pinned to another certificate refuses the console, which sees no hello', async () => {
    const i = 1;
    const id = ids[i];
    const h = lab!.hosts[i];
    const upload = task(deployRun!, 'upload', id).outputs!;
    const cmd = hostCommands({ base: installDirs[id], runtimeSha256: upload.runtimeSha256 as string });
    const target = { host: h.address, port: 22, credentialId: id };
    await sshExec(pool!, target, cmd.stop(), { check: true, timeoutMs: 30_000 });
    await until(`${id} seen disconnected`, async () => (await agentOf(id))?.connected === false, 30_000);
    // Its last batch may still be committing as the session ends: take lastSeenAt once two reads apart agree.
    let prior = await agentOf(id);
    const stopped = await until(`${id}'s lastSeenAt settled`, async () => {
      await sleep(500);
      const a = await agentOf(id);
      const same = a?.lastSeenAt === prior?.lastSeenAt && a?.lastSeq === prior?.lastSeq;
      prior = a;
      return same ? a : false;
    }, 30_000, 0);
    expect(supervisorPids(installDirs[id]), `${id}: stopped`).toEqual([]);

    const real = (await c().api.call(operator, 'agents.identity', undefined)).fingerprint256;
    const other = (await createConsoleIdentity('another console')).fingerprint256;
    expect(other).not.toBe(real);
    const file = path.join(installDirs[id], 'agent.json');
    const run = JSON.parse(readFileSync(file, 'utf8')) as { console: { fingerprint256: string } };
    run.console.fingerprint256 = other;
    writeFileSync(file, JSON.stringify(run, null, 2));
    const seen: AgentSummary[] = [];
    const sub = c().api.on(operator, 'onDidChangeAgent', (a) => void (a.id === id && seen.push(a)));
    const since = Date.now();
    const logFile = path.join(installDirs[id], 'agent.log');
    const logFrom = statSync(logFile).size;
    try {
      await sshExec(pool!, target, cmd.start(), { check: true, timeoutMs: 30_000 });
      const said = `the console's certificate ${real} is not the pinned ${other}: refusing it`;
      const fresh = await until(`${id}'s log says it refused the console's certificate`, () => {
        const text = readFileSync(logFile, 'utf8').slice(logFrom);
        return text.includes(said) && /link: refused \(pin-mismatch: /.test(text) ? text : false;
      }, 30_000, 100);
      expect(fresh).toMatch(/supervising: /);
      expect(supervisorPids(installDirs[id]), `${id}: its supervisor and agent run (waiting to dial again)`).toHaveLength(2);
      expect(seen.filter((a) => a.connected), 'no connected change for the agent').toEqual([]);
      const after = await agentOf(id);
      expect(after).toMatchObject({ connected: false, lastSeenAt: stopped.lastSeenAt, lastSeq: stopped.lastSeq, remote: stopped.remote });
      // No hello reached the console: nothing names the agent. What it does record is the TLS session the agent
      // dropped before saying anything (a pre-hello 'protocol: TLS: ...' refusal of an unknown agent); that row's
      // remote reads "undefined:undefined" (agent-server.ts reads the address of a socket already destroyed).
      const added = await c().api.call(admin, 'audit.list', { since, limit: 1000 });
      expect(added.filter((e) => e.actor === `agent:${id}` || e.target === id || e.detail.includes(`agent ${id}`)), 'nothing from the agent after its hello').toEqual([]);
      const connects = added.filter((e) => e.action === 'agent.connect');
      expect(connects.every((e) => e.actor === 'agent:unknown' && /^protocol: TLS: /.test(e.detail)), `only pre-hello TLS refusals: ${JSON.stringify(connects)}`).toBe(true);
      expect(coreLog.some((l) => l.includes(`refused ${id}:`)), 'nor logged a refusal of it').toBe(false);
      figures.push(`${id} (${h.address}): pinned ${other.slice(0, 11)}…, refused the console's ${real.slice(0, 11)}…; lastSeenAt stayed ${stopped.lastSeenAt}; console audit: ${connects.map((e) => e.detail).join(', ') || 'nothing'}`);
    } finally {
      sub.dispose();
    }
    // The others still report.
    for (const id3 of [ids[2], ids[3]]) expect((await agentOf(id3))?.connected, `${id3} still connected`).toBe(true);
  }, 120_000);
});
