// Issue 14's acceptance on the real kernel, as root: the probe matrix with the deployed agent on
// network namespaces shaped like two ToRs and a spine (test/support/probe-netns.ts: a bridge per
// ToR, a spine router and a second one, hosts a1..a3 under ToR a and b1..b3 under ToR b, two
// anycast resolver namespaces, a mgmt bridge the agents dial the console over). The console side
// runs in this process as probe-matrix.test.ts runs it on loopback (a store, the agents
// capability listening on the mgmt gateway, the probes capability); each host runs the release
// bundle's agent.js with an agent.json written as the deploy writes it (test/support/
// netns-agent-run.ts). The deploy workflow itself is proven by agent/netns-agents.test.ts and is
// not repeated here: it would add minutes of SSH rollout to a run that is already ~5 minutes.
// Device ids are host-a1.. so that the pinglist's hash-chosen ToR delegates are a1, a3 and b1, b2
// (the inter-ToR mesh, and a3's traceroutes to b1 and b2); the test checks that holds.
// Timeline (t0: all six agents connected, probing every pair every 10 s, TCP and UDP):
//   before t0  5% random drop on a1's link (both ways), 20 ms NFQUEUE delay on b2's (outbound);
//   t0 + 60 s  routeVia(a3, spine2): a probe.routeChanged event for a3 within one traceroute round;
//   t0 + 90 s  stopResolver(1): probe.catchmentMoved for a's hosts (dns-1 -> dns-2) within one round;
//   m - 3 s    (m: the first minute boundary >= t0 + 140 s) the link faults cleared, a3 back via
//              the spine; the matrix and localiser over [m - 3 min, m): a1's and b2's pairs cross,
//              no other pair crosses (no loss, no P99 over the threshold), the two host links are
//              the top two suspects;
//   m + 0.5 s  ToR a's uplinks cut; over [m, m + 1 min): ToR a's uplink is the top suspect (the
//              hosts' resolver pairs tell it from the spine and ToR b's uplink).
// Traffic stays inside the namespaces: the helper blackholes 10.213.0.0/16 in the root namespace
// first; the only root-namespace address in the range used is the mgmt gateway (the agents dial
// it). Figures are printed (delays, matrix summary, suspects). Skips when not root or without
// ip netns / gcc + libnetfilter-queue-dev / nft, except under CI=true, where it must run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../../src-shared/api';
import type { FleetEvent } from '../../../src-shared/domain/fleet-event';
import { CELL_WORDS, dropRate, type ProbeLocalisation } from '../../../src-shared/domain/probe';
import type { Device, InventoryDocument } from '../../../src-shared/domain';
import { DEFAULT_AGENT_CONFIG, startAgents, type AgentsCapability } from '../../../src-main/core/agents/agents-capability';
import { EventHub } from '../../../src-main/core/events/event-hub';
import { DEFAULT_RESPONDER, startProbes, type ProbesCapability } from '../../../src-main/core/probes/probes-capability';
import { openCoreStore, type CoreStore } from '../../../src-main/core/store/core-store';
import { sleep, until } from '../../support/handles';
import { netnsCheck } from '../../support/netns';
import { nfqDelayCheck } from '../../support/nfq-delay';
import { ANYCAST, upProbeNet, type ProbeNet } from '../../support/probe-netns';
import { agentKeygen, buildAgentBundle, startNetnsAgent, stateDirOf, type NetnsAgent } from '../../support/netns-agent-run';

const ROUND_MS = 10_000;
/** A pair's next probe comes within one interval plus the scheduler's 10% jitter. */
const ROUND_BOUND_MS = ROUND_MS * 1.1;
const TIMEOUT_MS = 5000; // the plans' probe timeout (pinglist default)
const MAX_HOPS = 6;
const MINUTE = 60_000;
const viewer: CallContext = { actor: 'netns', role: 'viewer' };
const admin: CallContext = { actor: 'netns', role: 'admin' };
/**
 * This machine's thresholds. b2's delay puts every one of its round trips >= 20 ms, so its P99s
 * are >= 20 ms; a healthy pair's P99 over 12 probes a minute is its slowest probe, which on this
 * shared 2-core machine is host scheduling noise (seen up to 44 ms at load 4 with agents at
 * normal priority): 18 ms leaves b2 its margin and the healthy pairs the most room, and the
 * agents run at nice -10 (AGENT_NICE) so others' work on the machine does not time their probes.
 */
const THRESHOLDS = { p99WarnUs: 5_000, p99BadUs: 18_000, dropWarn: 0.005, dropBad: 0.02 };
const AGENT_NICE = -10;

const nft = ((): string => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return '';
  } catch {
    return 'nft is not installed (apt-get install nftables)';
  }
})();
const check = netnsCheck();
const nfq = nfqDelayCheck();
const missing = !check.ok ? check.reason : !nfq.ok ? nfq.reason : nft;
const inCi = process.env.CI === 'true';
const skipReason = missing && !inCi ? missing : '';

const dev = (host: string): string => `host-${host}`;
const nameOf = (deviceId: string): string => deviceId.replace(/^host-/, '').replace(/^tor-/, 'ToR ');
const TORS = ['a', 'b'] as const;
const HOSTS = TORS.flatMap((t) => [1, 2, 3].map((n) => `${t}${n}`));

let net: ProbeNet | null = null;
let store: CoreStore | null = null;
let agentsCap: AgentsCapability | null = null;
let probes: ProbesCapability | null = null;
const agents: NetnsAgent[] = [];
const events: (Omit<FleetEvent, 'id'> & { seenAt: number })[] = [];
const figures: string[] = [];
const timers: NodeJS.Timeout[] = [];
let dir = '';
let t0 = 0;
let m = 0;
const milestones: Record<'route' | 'resolver' | 'cleared' | 'cut', Promise<number>> = {} as never;

const p = (): ProbesCapability => probes ?? (() => { throw new Error('the probes capability is not up'); })();
const cellsOf = (b64: string): Uint32Array => {
  const b = Buffer.from(b64, 'base64');
  return new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};
const sleepUntil = (at: number): Promise<void> => sleep(Math.max(0, at - Date.now()));
/** Runs f at time `at` (by timer, whatever the tests are doing then); resolves with the time it ran. */
function schedule(at: number, what: string, f: () => unknown): Promise<number> {
  const done = new Promise<number>((resolve, reject) => {
    timers.push(setTimeout(() => {
      const ran = Date.now();
      Promise.resolve().then(f).then(() => resolve(ran), (err: Error) => reject(new Error(`${what}: ${err.message}`)));
    }, Math.max(0, at - Date.now())));
  });
  done.catch(() => {}); // awaited by its test; not an unhandled rejection meanwhile
  return done;
}
const probeEvents = (code: string, since: number) => events.filter((e) => e.code === code && e.at >= since);
const fmtSuspects = (l: ProbeLocalisation): string =>
  l.suspects.slice(0, 4).map((s) => `${s.component.id} (votes ${s.votes.toFixed(2)}, fitted ${s.fittedSuccess.toFixed(2)}, ${s.badPairs} bad pairs)`).join('; ');

function inventory(): InventoryDocument {
  const device = (id: string, kind: Device['kind'], cabinetId: string, hostname: string, mgmtIp: string, u: number): Device => ({
    id, cabinetId, kind, hostname, sn: `SN-${id}`, uPosition: u, uHeight: 1, mgmtIp, snmpPort: 161, bmcAddress: null, bmcPort: 623, sshPort: 22,
    snmpCredential: null, sshCredential: null, ipmiCredential: null, serviceTree: null,
  });
  const n = net!;
  return {
    format: 'fleetdeck-inventory', version: 1,
    sites: [{ id: 's', name: 'netns', city: 'here' }],
    rooms: [{ id: 'r', siteId: 's', name: 'R', widthM: 20, depthM: 10 }],
    rows: TORS.map((t, i) => ({ id: `row-${t}`, roomId: 'r', name: `Row ${t}`, xM: 2, yM: 2.4 + 3 * i, facing: 'south' as const, coldAisle: 'front' as const })),
    cabinets: TORS.map((t, i) => ({ id: `cab-${t}`, rowId: `row-${t}`, name: `C${i + 1}`, position: 1, uHeight: 42, ratedPowerKw: 8, feedA: null, feedB: null, widthMm: 600, depthMm: 1200 })),
    devices: [
      // The ToR switches: their mgmt addresses are never dialled (no poller runs here).
      ...TORS.map((t) => device(`tor-${t}`, 'switch', `cab-${t}`, `tor-${t}`, n.tors.find((x) => x.name === t)!.gateways.spine, 40)),
      ...n.hosts.map((h, i) => device(dev(h.name), 'server', `cab-${h.tor}`, h.name, h.addr, 1 + (i % 3))),
    ],
  };
}

describe.skipIf(skipReason !== '')(`the probe matrix with the deployed agent on namespaces shaped like two ToRs and a spine${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    if (missing) throw new Error(`CI runs this as root with iproute2, nftables, iptables, gcc and libnetfilter-queue-dev; here: ${missing}`);
    const start = Date.now();
    dir = mkdtempSync(path.join(os.tmpdir(), 'fd-netns-probes-'));
    const agentJs = await buildAgentBundle(path.join(dir, 'release'), '1.0.0');
    net = await upProbeNet({ mgmt: true });
    const n = net;
    expect(n.hosts.map((h) => h.name)).toEqual(HOSTS);
    await n.startResolvers();
    store = openCoreStore({ storePath: ':memory:', secretKey: randomBytes(32) });
    store.inventory.upsert(inventory());
    const hub = new EventHub();
    const collect = { maxCpuPct: 400, maxRssBytes: 2 * 1024 ** 3 };
    agentsCap = await startAgents({ store, hub, config: { listen: { host: n.mgmt!.gateway, port: 0 }, collect } });
    for (const h of n.hosts) agentsCap.enrol(dev(h.name), agentKeygen(agentJs, stateDirOf(dir, h.name)), dev(h.name), 'netns-test');
    probes = startProbes({
      store, agents: agentsCap, hub, record: (e) => events.push(...e.map((x) => ({ ...x, seenAt: Date.now() }))),
      config: {
        responder: DEFAULT_RESPONDER, kinds: ['tcp', 'udp'], intervalsMs: { intraTor: ROUND_MS, interTor: ROUND_MS, interSite: ROUND_MS },
        traceroute: { perHost: 5, intervalMs: ROUND_MS, maxHops: MAX_HOPS }, resolvers: [{ id: 'anycast-dns', addr: ANYCAST, port: 53 }], graceMs: 15_000,
      },
    });
    await p().api['probes.setThresholds'](THRESHOLDS, admin);
    const trace = p().planFor(dev('a3'))?.traceroute;
    expect(trace?.targets.map((i) => p().planFor(dev('a3'))!.targets[i].id).sort(), "a3 is one of ToR a's delegates, tracing to b's (b1, b2)").toEqual([dev('b1'), dev('b2')]);
    expect(p().planFor(dev('a1'))!.responder.bind).toBe(n.host('a1').addr);

    await n.dropOnHostLink('a1', 5);
    await n.delayHostLink('b2', 20);
    const listen = agentsCap.identity.listen!;
    for (const h of n.hosts) {
      agents.push(startNetnsAgent(n, {
        host: h.name, agentId: dev(h.name), hostname: h.name, agentJs, dir,
        console: { host: listen.host, port: listen.port, fingerprint256: agentsCap.identity.fingerprint256 }, config: { ...DEFAULT_AGENT_CONFIG, ...collect }, nice: AGENT_NICE,
      }));
    }
    const a = agentsCap;
    await until('all six agents connected', () => a.connectedIds().size === HOSTS.length, 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; connected: ${[...a.connectedIds()].join(', ')}; logs:\n${agents.map((x) => `${x.host}: ${x.log()}`).join('\n')}`);
    });
    t0 = Date.now();
    m = Math.ceil((t0 + 140_000) / MINUTE) * MINUTE;
    figures.push(`setup (bundle, 12 namespaces, resolvers, 6 agents connected): ${((t0 - start) / 1000).toFixed(1)} s; phase A ${((m - t0) / 1000).toFixed(0)} s`);
    milestones.route = schedule(t0 + 60_000, "routeVia(a3, 'spine2')", () => n.routeVia('a3', 'spine2'));
    milestones.resolver = schedule(t0 + 90_000, 'stopResolver(1)', () => n.stopResolver(1));
    milestones.cleared = schedule(m - 3000, 'clearing the link faults', async () => {
      await n.clearHostLink('a1');
      await n.clearHostLink('b2');
      n.routeVia('a3', 'spine');
    });
    milestones.cut = schedule(m + 500, "cutUplink('a')", () => n.cutUplink('a'));
  }, 120_000);

  afterAll(async () => {
    for (const t of timers) clearTimeout(t);
    const problems: string[] = [];
    const step = async (what: string, f: () => unknown): Promise<void> => {
      try {
        await f();
      } catch (err) {
        problems.push(`${what}: ${(err as Error).message}`);
      }
    };
    for (const a of agents) await step(`stopping the agent of ${a.host} (pid ${a.pid})`, () => a.stop());
    if (net) problems.push(...(await net.down()));
    await step('disposing the probes capability', () => probes?.dispose());
    await step('disposing the agents capability', () => agentsCap?.dispose());
    await step('closing the store', () => store?.db.close());
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`netns probe matrix figures:\n  ${figures.join('\n  ')}`);
    if (problems.length) throw new Error(`cleanup: ${problems.join('; ')}`);
  }, 60_000);

  it("a route change (a3 switched to spine2) is a probe.routeChanged event within one traceroute round", async () => {
    const at = await milestones.route;
    const ev = await until('a probe.routeChanged event for a3', () => probeEvents('probe.routeChanged', at).find((e) => e.deviceId === dev('a3')), 45_000);
    const [spine, spine2] = [net!.tors[0].gateways.spine, net!.tors[0].gateways.spine2];
    expect(String(ev.params?.before).split(' > ')[0], 'the old path went through the spine').toBe(spine);
    expect(String(ev.params?.after).split(' > ')[0], 'the new path goes through spine2').toBe(spine2);
    figures.push(`route change: a3 -> ${nameOf(String(ev.params?.target))} traced ${ev.at - at} ms after the switch (bound ${ROUND_BOUND_MS + MAX_HOPS * 1000} ms), seen by the console after ${ev.seenAt - at} ms: ${String(ev.params?.before)} -> ${String(ev.params?.after)}`);
    // One round: the next traceroute of the pair (interval + jitter), plus its own time (at most 1 s per hop).
    expect(ev.at - at).toBeLessThanOrEqual(ROUND_BOUND_MS + MAX_HOPS * 1000);
  }, 120_000);

  it("DNS: after stopResolver(1), ToR a's vantages are seen moving to the other instance within one probe round", async () => {
    const at = await milestones.resolver;
    const moved = (h: string) => probeEvents('probe.catchmentMoved', at).find((e) => e.deviceId === dev(h) && e.params?.to === 'dns-2');
    const got = await until("catchment moves for a1, a2, a3", () => {
      const evs = ['a1', 'a2', 'a3'].map(moved);
      return evs.every((e) => e) ? evs.map((e) => e!) : false;
    }, 3 * ROUND_MS + 2 * TIMEOUT_MS + 15_000);
    figures.push(`catchment: ${got.map((e) => `${e.params?.hostname} ${e.params?.from} -> ${e.params?.to} probed ${e.at - at} ms after the stop (seen ${e.seenAt - at} ms)`).join('; ')}`);
    for (const e of got) {
      expect(e.params?.from, `${e.params?.hostname} was answered by instance 1`).toBe('dns-1');
      // A sample's time is its send time: the first probe after the stop is within one round.
      // a1's link drops ~10% of its round trips (5% each way): a lost query is no answer, so it may take a second or third round.
      expect(e.at - at, `${e.params?.hostname}`).toBeLessThanOrEqual((e.deviceId === dev('a1') ? 3 : 1) * ROUND_BOUND_MS + 500);
    }
    expect(probeEvents('probe.catchmentMoved', at).filter((e) => !String(e.deviceId).startsWith('host-a')), "b's vantages stayed on instance 2").toEqual([]);
    const dns = await p().api['probes.dns'](undefined, viewer);
    const vantages = dns.find((r) => r.resolver === 'anycast-dns')?.vantages ?? [];
    expect(Object.fromEntries(vantages.map((v) => [v.hostname, v.instance]))).toEqual(Object.fromEntries(HOSTS.map((h) => [h, 'dns-2'])));
  }, 120_000);

  it("the matrix over the faulty window: a1's pairs cross with its drop rate, b2's on P99, no other pair crosses; the two host links are the top suspects", async () => {
    await milestones.cleared;
    // Every agent uploads its round every 10 s: by m + 14 s all of [m - 3 min, m) is in.
    await sleepUntil(m + 14_000);
    p().flush(m);
    const mx = await p().api['probes.matrix']({ level: 'server', at: m - 1, minutes: 3 }, viewer);
    expect(mx.rows.down).toEqual([]);
    const ids = mx.rows.ids;
    expect(ids.map(nameOf)).toEqual(HOSTS);
    const cells = cellsOf(mx.cells);
    const N = ids.length;
    const crossing: string[] = [], lossy: string[] = [], slowP50: string[] = [];
    const a1 = { ok: 0, drops: 0, cells: 0, crossing: 0 };
    const b2 = { cells: 0, crossingP99: 0, minP99: Infinity };
    let healthyMaxP99 = 0;
    let probesPerCell = Infinity;
    const summary: string[] = [];
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const o = (i * N + j) * CELL_WORDS;
        const [p50, p99, ok, df] = [cells[o], cells[o + 1], cells[o + 2], cells[o + 3]];
        const drops = df >>> 16, failed = df & 0xffff;
        if (ok + failed === 0) continue;
        const [s, d] = [nameOf(ids[i]), nameOf(ids[j])];
        const dr = dropRate(ok, drops);
        const crosses = p99 >= THRESHOLDS.p99BadUs || dr >= THRESHOLDS.dropBad || failed / (ok + failed) >= 0.5;
        summary.push(`${s}>${d} ${(p50 / 1000).toFixed(1)}/${(p99 / 1000).toFixed(1)}ms ${ok}ok ${drops}d ${failed}f${crosses ? ' X' : ''}`);
        probesPerCell = Math.min(probesPerCell, ok + failed);
        if (crosses) crossing.push(`${s}>${d}`);
        if (drops + failed > 0) lossy.push(`${s}>${d}`);
        if (p50 >= THRESHOLDS.p99BadUs) slowP50.push(`${s}>${d}`);
        if (s === 'a1' || d === 'a1') {
          a1.ok += ok;
          a1.drops += drops;
          a1.cells++;
          if (crosses) a1.crossing++;
        }
        if (s === 'b2' || d === 'b2') {
          b2.cells++;
          if (p99 >= THRESHOLDS.p99BadUs) b2.crossingP99++;
          b2.minP99 = Math.min(b2.minP99, p99);
        }
        if (![s, d].some((x) => x === 'a1' || x === 'b2')) healthyMaxP99 = Math.max(healthyMaxP99, p99);
      }
    }
    figures.push(`matrix [m - 3 min, m) (p50/p99, ok, drops, failed; X: crosses): ${summary.join(', ')}`);
    figures.push(`a1: ${a1.crossing}/${a1.cells} cells cross, drop rate ${(dropRate(a1.ok, a1.drops) * 100).toFixed(1)}% (${a1.drops}/${a1.ok}; ~9.75% expected); b2: ${b2.crossingP99}/${b2.cells} cells over P99 ${THRESHOLDS.p99BadUs / 1000} ms (lowest ${(b2.minP99 / 1000).toFixed(1)} ms); healthy cells' worst P99 ${(healthyMaxP99 / 1000).toFixed(1)} ms; fewest probes in a cell ${probesPerCell}`);
    // The pinglists: the intra-ToR meshes (12 directed pairs) and the delegates a1, a3 <-> b1, b2 (8).
    expect(summary).toHaveLength(20);
    // No healthy cell loses a probe (b2's may: NFQUEUE holds its packets, and a probe of its
    // cells has timed out once in ~240); the consistently slow cells (P50 over the threshold) are b2's.
    figures.push(`b2's cells with drops or failures: ${lossy.filter((c) => /(^|>)b2(>|$)/.test(c) && !/(^|>)a1(>|$)/.test(c)).join(', ') || 'none'}`);
    expect(lossy.filter((c) => !/(^|>)(a1|b2)(>|$)/.test(c)), 'healthy cells with drops or failures').toEqual([]);
    expect(slowP50.filter((c) => !/(^|>)b2(>|$)/.test(c)), 'cells whose P50 crosses without b2').toEqual([]);
    // Exactly those pairs cross: no healthy cell does, not even on P99 alone. A cell's P99 over 12
    // probes a minute is its slowest probe; before the agents set aside probes that overlapped a
    // stall of their own event loop (engine.ts, the UDP echo's late flag) a healthy cell's reached
    // 256 ms here once, the agent's own lateness on a loaded 2-core machine, not the network's.
    const healthyCrossing = crossing.filter((c) => !/(^|>)(a1|b2)(>|$)/.test(c));
    figures.push(`healthy cells over P99 ${THRESHOLDS.p99BadUs / 1000} ms on P99 alone: ${healthyCrossing.join(', ') || 'none'}`);
    expect.soft(healthyCrossing, 'healthy cells that cross').toEqual([]); // soft: the localiser's figures below still print
    expect(b2.cells).toBe(8);
    expect(b2.crossingP99, "every b2 cell's P99 is over the threshold (its every round trip is >= 20 ms)").toBe(8);
    // a1's 8 cells hold >= 14 rounds x 2 kinds = 28 probes each (phase A >= 140 s); a probe crosses a1's
    // link twice, so ~9.75% see a drop (TCP: a SYN retransmission, ~1 s; UDP: a lost echo) and
    // P(a cell sees none) <= 0.9025^28 ~ 5.6%: at least 5 of 8 cross fails with P < 0.1%.
    expect(a1.cells).toBe(8);
    expect(a1.crossing).toBeGreaterThanOrEqual(5);
    // ~9.75% of ~250+ probes: ~25 drops, sd ~5; [4%, 20%] is ~4 sd either side.
    expect(dropRate(a1.ok, a1.drops)).toBeGreaterThan(0.04);
    expect(dropRate(a1.ok, a1.drops)).toBeLessThan(0.2);

    const loc = await p().api['probes.localise']({ at: m - 1, minutes: 3 }, viewer);
    figures.push(`localise [m - 3 min, m): ${loc.badPairs}/${loc.pairs} pairs bad; suspects ${fmtSuspects(loc)}`);
    // The two faulty host links are the top two suspects (the lossy one and the slow one: the
    // localiser fits loss and latency apart, so b2's resolver pair, judged on loss only, does not clear it).
    expect(loc.suspects.slice(0, 2).map((x) => x.component.id).sort()).toEqual([`host-link:${dev('a1')}`, `host-link:${dev('b2')}`]);
  }, 300_000);

  it("ToR a's uplink cut: over the minute after the cut, ToR a (its uplink) is the top suspect", async () => {
    const cutAt = await milestones.cut;
    figures.push(`uplink cut at m + ${cutAt - m} ms`);
    await sleepUntil(m + MINUTE + 14_000);
    p().flush(m + MINUTE);
    const loc = await p().api['probes.localise']({ at: m, minutes: 1 }, viewer);
    figures.push(`localise [m, m + 1 min) after the cut: ${loc.badPairs}/${loc.pairs} pairs bad; suspects ${fmtSuspects(loc)}`);
    const top = loc.suspects[0];
    // Every host-to-host pair that crosses a's uplink also crosses the spine and b's uplink (and no
    // other pair does): on those alone the three are tied. The hosts' pairs to the anycast
    // resolver, behind the spine, tell them apart: a's hosts lose it, b's still reach it.
    expect(top, 'a suspect').toBeDefined();
    expect(top.component.id).toBe('tor-uplink:tor-a');
    const evidence = top.pairs.map((x) => `${nameOf(x.src)}>${nameOf(x.dst)}`).sort();
    // The 8 directed pairs between a's and b's delegates, and a's hosts to the resolver; nothing under one ToR, nothing of b's to the resolver.
    expect(evidence.filter((x) => !x.endsWith('>anycast-dns'))).toEqual(['a1>b1', 'a1>b2', 'a3>b1', 'a3>b2', 'b1>a1', 'b1>a3', 'b2>a1', 'b2>a3']);
    expect(evidence.filter((x) => x.endsWith('>anycast-dns'))).toEqual(['a1>anycast-dns', 'a2>anycast-dns', 'a3>anycast-dns']);
    const ids = loc.suspects.map((s) => s.component.id);
    expect(ids, 'the spine and b\'s uplink are cleared by b\'s resolver pairs').not.toContain('tor-uplink:tor-b');
  }, 180_000);
});
