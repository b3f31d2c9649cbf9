// The probe matrix end to end on loopback: a small lab inventory (two rows, each with its ToR
// switch and three servers on 127.31.x addresses) in a real store, the agents capability's
// server, the probes capability building each agent's pinglist, and six REAL agents
// (src-daemons/agent) dialling in, each told its plan in its config, probing its peers' own
// responders from its own address. Their results come back through ingest into the minute
// aggregates: the server matrix has data in every cell the pinglists cover (the intra-ToR mesh
// both ways, the ToR delegates across), the ToR matrix in all four cells, the pair query both
// directions, and the localiser names nothing on this healthy network. An agent stopped shows as
// down (a white cross), not as bad cells; a revoked one leaves the pinglists.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../../src-shared/agent-protocol';
import { CELL_WORDS } from '../../../src-shared/domain/probe';
import { startAgents } from '../../../src-main/core/agents/agents-capability';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { startProbes } from '../../../src-main/core/probes/probes-capability';
import { openCoreStore } from '../../../src-main/core/store/core-store';
import { generateLab } from '../../../src-main/lab/generator';
import { startAgent, type Agent } from '../../../src-daemons/agent/agent';
import { freePort, until } from '../../unit/daemons/probe/rig';
import { until as untilAsync } from '../../support/handles';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fd-probe-matrix-'));
const BASE: AgentConfig = { intervalMs: 60_000, inventoryIntervalMs: 3_600_000, processes: [], files: [], maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };
const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

const cellsOf = (b64: string): Uint32Array => {
  const b = Buffer.from(b64, 'base64');
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

describe('the probe matrix from real agents on loopback', () => {
  it('fills the server and ToR matrices from the pinglists, shows a stopped agent as down, and names no suspect on a healthy network', async () => {
    const store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    cleanup.push(async () => store.db.close());
    const doc = generateLab(7, { sites: 1, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 1, devices: 12 }, { addressPrefix: '127.31' });
    store.inventory.upsert(doc);
    const servers = doc.devices.filter((d) => d.kind === 'server');
    expect(servers.length).toBeGreaterThanOrEqual(6);
    const hub = new EventHub();
    const agentsCap = await startAgents({ store, hub, config: { listen: { host: '127.0.0.1', port: 0 }, collect: { maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 } } });
    // (Seven agents share this process: its CPU is every one's, so their 5 % cap would stop them probing.)
    cleanup.push(() => agentsCap.dispose());
    const keys = servers.map(() => generateKeyPairSync('ed25519'));
    servers.forEach((s, i) => agentsCap.enrol(`ag-${i}`, keys[i].publicKey.export({ format: 'der', type: 'spki' }), s.id, 'test'));
    const events: string[] = [];
    const responder = { tcpPort: await freePort(), udpPort: await freePort() };
    const probes = startProbes({ store, agents: agentsCap, hub, record: (e) => events.push(...e.map((x) => x.code ?? x.message)), config: { responder, traceroute: false, kinds: ['tcp', 'udp'], graceMs: 0, intervalsMs: { intraTor: 10_000, interTor: 10_000, interSite: 10_000 } } });
    cleanup.push(() => probes.dispose());

    const plans = servers.map((s) => probes.planFor(s.id)!);
    expect(plans.every((p) => p && p.targets.length > 0 && p.responder.bind === servers[plans.indexOf(p)].mgmtIp)).toBe(true);
    const agents: Agent[] = servers.map((s, i) => startAgent({
      agentId: `ag-${i}`, version: '1.0.0', hostname: s.hostname, console: { host: '127.0.0.1', port: agentsCap.identity.listen!.port, fingerprint256: agentsCap.identity.fingerprint256 },
      key: keys[i].privateKey, stateDir: path.join(dir, `ag-${i}`), config: BASE, linkBackoffMs: { min: 50, max: 300, refused: 200 },
    }));
    cleanup.push(() => Promise.all(agents.map((a) => a.stop())));

    // Every target of every plan probed successfully at least once and uploaded (first phases
    // fall inside the first 10 s; on a loaded machine a first probe can meet a peer's responder
    // not bound yet, and the next round, 10 s later, is the one that counts: so wait for each
    // pair, not for a total of samples, which other pairs' second rounds could make up).
    const matrix = async () => {
      probes.flush(Number.MAX_SAFE_INTEGER);
      return probes.api['probes.matrix']({ level: 'server', minutes: 5 }, { actor: 't', role: 'viewer' });
    };
    const everyPairAnswered = async (): Promise<boolean> => {
      const mm = await matrix();
      const cc = cellsOf(mm.cells);
      const nn = mm.rows.ids.length;
      const ix = new Map(mm.rows.ids.map((id, i) => [id, i]));
      return nn === servers.length && plans.every((p, k) => p.targets.every((t) => cc[(ix.get(servers[k].id)! * nn + ix.get(t.id)!) * CELL_WORDS + 2] > 0));
    };
    await untilAsync('every planned target probed successfully', everyPairAnswered, 60_000, 500);
    expect(probes.ingest.totals.unknownPlan).toBe(0);

    const m = await matrix();
    expect(m.rows.ids).toEqual(servers.map((s) => s.id).filter((id) => m.rows.ids.includes(id)));
    expect(m.rows.ids).toHaveLength(servers.length);
    expect(m.rows.down).toEqual([]);
    expect(m.rows.groups.filter((g) => g.level === 'tor')).toHaveLength(2);
    const cells = cellsOf(m.cells);
    const n = m.rows.ids.length;
    const at = (i: number, j: number) => cells.subarray((i * n + j) * CELL_WORDS, (i * n + j + 1) * CELL_WORDS);
    const index = new Map(m.rows.ids.map((id, i) => [id, i]));
    for (const p of plans) {
      const src = index.get(servers[plans.indexOf(p)].id)!;
      for (const t of p.targets) {
        const c = at(src, index.get(t.id)!);
        expect(c[2], `${m.rows.labels[src]} -> ${t.id}: successful probes`).toBeGreaterThan(0);
        expect(c[1]).toBeLessThan(1_000_000);
        // No drops on loopback; a failure is possible only in the first round (a peer's responder not bound yet when it was probed).
        expect(c[3] >>> 16, 'drops').toBe(0);
        expect(c[3] & 0xffff, 'failed probes').toBeLessThan(c[2]);
      }
    }
    for (let i = 0; i < n; i++) expect(at(i, i)[2] + (at(i, i)[3] & 0xffff), 'no host probes itself').toBe(0);

    const tor = await probes.api['probes.matrix']({ level: 'tor', minutes: 5 }, { actor: 't', role: 'viewer' });
    expect(tor.rows.ids).toHaveLength(2);
    const tc = cellsOf(tor.cells);
    for (let k = 0; k < 4; k++) expect(tc[k * CELL_WORDS + 2], `ToR cell ${k}`).toBeGreaterThan(0);

    const [a, b] = [m.rows.ids[0], m.rows.ids[1]];
    const pair = await probes.api['probes.pair']({ level: 'server', a, b }, { actor: 't', role: 'viewer' });
    expect(pair.forward.length).toBeGreaterThan(0);
    expect(pair.reverse.length).toBeGreaterThan(0);

    // Seven agents and the console share one event loop here: a connect can wait tens of ms for it, which is host noise, not the network.
    await probes.api['probes.setThresholds']({ p99WarnUs: 100_000, p99BadUs: 300_000, dropWarn: 0.005, dropBad: 0.02 }, { actor: 't', role: 'admin' });
    const loc = await probes.api['probes.localise']({ minutes: 5 }, { actor: 't', role: 'viewer' });
    expect(loc.pairs).toBeGreaterThan(0);
    expect(loc.badPairs).toBe(0);
    expect(loc.suspects).toEqual([]);
    expect(events).toEqual([]);

    // An agent stops: its row and column are down (white), not bad.
    await agents[0].stop();
    const stopped = index.get(servers[0].id)!;
    await until('the stopped agent disconnected', () => !agentsCap.connectedIds().has('ag-0'));
    const after = await probes.api['probes.matrix']({ level: 'server', minutes: 5 }, { actor: 't', role: 'viewer' });
    expect(after.rows.down).toEqual([stopped]);

    // A revoked agent leaves the pinglists (the capability follows the agents' changes, no inventory change needed).
    await agentsCap.api['agents.revoke']({ agentId: 'ag-1' }, { actor: 't', role: 'operator' });
    await until('the revoked agent left the pinglists', () => probes.planFor(servers[1].id) === undefined, 10_000);
    expect(plans.filter((_, i) => i !== 1).every((_, k) => probes.planFor(servers[k === 0 ? 0 : k + 1].id) !== undefined)).toBe(true);
  }, 150_000);
});
