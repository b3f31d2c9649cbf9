// The lab's network between its hosts, as the agent's REAL probers see it through the lab's
// seams (lab-network.ts), against real responders on the hosts' own loopback addresses: a
// pair between two sites shows the modelled WAN round trip, a pair under one ToR does not; a
// net-fault's delay on one host's link shows on its pairs only, a total loss on it makes its
// TCP connects time out and its UDP echoes vanish, and clearing it brings them back. The
// lab's probe targets answer as lab-targets.ts says: the anycast resolver, each site's queries
// answered by its own instance (the CHAOS TXT id.server name) every time; beyond the prober's
// uplink, so a cut uplink loses its queries; and a province's responder after its modelled round trip.
import { afterAll, describe, expect, it } from 'vitest';
import { createDnsProber } from '../../../src-daemons/agent/probe/dns';
import { startResponders, type Responders } from '../../../src-daemons/agent/probe/responders';
import { createTcpProber } from '../../../src-daemons/agent/probe/tcp';
import { createUdpProber } from '../../../src-daemons/agent/probe/udp';
import type { ProbeTarget } from '../../../src-shared/agent-protocol/probe';
import { LAB_DNS_INSTANCES, labProbeTargets } from '../../../src-shared/probe/lab-targets';
import { cityVantage, provinceLatency } from '../../../src-shared/probe/provinces';
import { deriveTopology } from '../../../src-shared/probe/topology';
import { generateLab } from '../../../src-main/lab/generator';
import { createLabNetwork } from '../../../src-main/lab/probes/lab-network';
import { probeTargetPeerKind } from '../../../src-main/lab/probes/probe-peers';
import type { LabContext, LabPeers } from '../../../src-main/lab/peer-kind';
import { freePort } from '../../unit/daemons/probe/rig';

const PREFIX = '127.43';
const inv = generateLab(11, { sites: 2, roomsPerSite: 1, rowsPerRoom: 2, cabinetsPerRow: 2, devices: 40 }, { addressPrefix: PREFIX });
const targets = labProbeTargets(PREFIX)!;
const network = createLabNetwork(inv, 11, { addr: targets.resolvers[0].addr, instances: targets.resolverInstances.map((i) => i.addr) });
const topo = deriveTopology(inv, new Map());
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => {});
});

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('the lab network between lab hosts', () => {
  it('puts the model between real probers and responders: distance, a delayed link, a dead link', async () => {
    const [a, sameTor] = topo.hosts.filter((h) => h.torId === topo.hosts[0].torId);
    const far = topo.hosts.find((h) => h.siteId !== a.siteId)!;
    expect(sameTor && far).toBeTruthy();
    const ports = { tcpPort: await freePort(), udpPort: await freePort() };
    const responders: Responders[] = [];
    for (const h of [a, sameTor, far]) responders.push(await startResponders({ ...ports, bind: h.addr }, () => {}));
    closers.push(() => Promise.all(responders.map((r) => r.close())));
    expect(responders.every((r) => r.tcp && r.udp)).toBe(true);
    const tcp = createTcpProber({ net: network.probe.net });
    const udp = createUdpProber({ dgram: network.probe.dgram });
    closers.push(async () => {
      tcp.close();
      udp.close();
    });
    const ctx = { timeoutMs: 1500, bind: a.addr, ...ports };
    const t = (h: { deviceId: string; addr: string }, kind: 'tcp' | 'udp'): ProbeTarget => ({ id: h.deviceId, addr: h.addr, kind, level: 'intra-tor', intervalMs: 10_000 });
    const rtts = async (h: { deviceId: string; addr: string }, kind: 'tcp' | 'udp', n = 5) => {
      const out: { rttUs: number; err: number }[] = [];
      for (let i = 0; i < n; i++) out.push(await (kind === 'tcp' ? tcp : udp).probe(t(h, kind), ctx));
      return out;
    };

    const wanUs = 2 * network.model.path(a.deviceId, far.deviceId).oneWayUs;
    expect(wanUs).toBeGreaterThan(4000); // two sites: 2-30 ms one way
    const farTcp = await rtts(far, 'tcp');
    const nearTcp = await rtts(sameTor, 'tcp');
    expect(farTcp.every((s) => s.err === 0)).toBe(true);
    expect(median(farTcp.map((s) => s.rttUs))).toBeGreaterThanOrEqual(wanUs * 0.9);
    expect(median(nearTcp.map((s) => s.rttUs))).toBeLessThan(wanUs * 0.5);

    // +20 ms one way on the near host's link: its pairs gain about 40 ms of round trip, the far pair none.
    network.setFault(`host-link:${sameTor.deviceId}`, { extraDelayUs: 20_000 });
    const delayed = await rtts(sameTor, 'udp');
    expect(delayed.every((s) => s.err === 0 && s.rttUs >= 38_000)).toBe(true);
    expect(median((await rtts(far, 'udp')).map((s) => s.rttUs))).toBeLessThan(wanUs + 20_000);

    // All lost: TCP connects never complete (three SYNs: the prober's timeout), UDP echoes never come.
    network.setFault(`host-link:${sameTor.deviceId}`, { loss: 1 });
    const [deadTcp, deadUdp] = [await rtts(sameTor, 'tcp', 1), await rtts(sameTor, 'udp', 2)];
    expect(deadTcp[0]).toMatchObject({ rttUs: -1, err: 1 });
    expect(deadUdp.every((s) => s.err === 1)).toBe(true);
    expect(network.faults()).toEqual([{ componentId: `host-link:${sameTor.deviceId}`, loss: 1, extraDelayUs: 0 }]); // a fault replaces the one before
    network.setFault(`host-link:${sameTor.deviceId}`, null);
    expect((await rtts(sameTor, 'tcp', 2)).every((s) => s.err === 0)).toBe(true);
    expect(network.faults()).toEqual([]);
  }, 30_000);

  it("answers the lab's probe targets: the anycast resolver's two instances, and a province after its modelled round trip", async () => {
    const ctx = { inventory: inv, loopback: 'aliases', options: { addressPrefix: PREFIX, seed: 11 } } as unknown as LabContext;
    const peers: LabPeers = await probeTargetPeerKind.start(ctx);
    closers.push(() => peers.dispose());
    const vantage = topo.hosts[0];
    const r = targets.resolvers[0];
    // Through the lab network: each site's queries for the anycast address are answered by its own instance, every time.
    const shimmed = createDnsProber({ dgram: network.probe.dgram });
    closers.push(async () => shimmed.close());
    const query = (from: { addr: string }) => shimmed.probe({ id: r.id, addr: r.addr, port: r.port, kind: 'dns', level: 'dns', intervalMs: 10_000 }, { timeoutMs: 500, bind: from.addr, tcpPort: 1, udpPort: 1 });
    const other = topo.hosts.find((h) => h.siteId !== vantage.siteId)!;
    for (let i = 0; i < 3; i++) {
      expect(await query(vantage)).toMatchObject({ err: 0, instance: LAB_DNS_INSTANCES[0] });
      expect(await query(other)).toMatchObject({ err: 0, instance: LAB_DNS_INSTANCES[1] });
    }
    // The resolver is beyond the prober's ToR uplink: cut it, and the query is lost.
    network.setFault(`tor-uplink:${vantage.torId}`, { loss: 1 });
    expect((await query(vantage)).err).toBe(1);
    network.setFault(`tor-uplink:${vantage.torId}`, null);
    expect((await query(vantage)).err).toBe(0);

    const udp = createUdpProber({});
    closers.push(async () => udp.close());
    const target = targets.publicTargets.find((x) => x.id === 'prov:CN-65:ct')!; // Xinjiang: far from every lab site
    const city = inv.sites.find((s) => s.id === vantage.siteId)!.city;
    const model = provinceLatency(cityVantage(city), 'CN-65', 'ct', 11);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await udp.probe({ id: target.id, addr: target.addr, port: target.port, kind: 'udp', level: 'public', intervalMs: 60_000 }, { timeoutMs: 1000, bind: vantage.addr, tcpPort: 1, udpPort: 1 });
      if (s.err === 0) seen.push(s.rttUs);
    }
    expect(seen.length).toBeGreaterThanOrEqual(4); // its loss is a few per cent
    expect(median(seen)).toBeGreaterThanOrEqual(2 * model.oneWayUs * 0.95);
  }, 30_000);
});
