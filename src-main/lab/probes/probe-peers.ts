// The lab's probe targets as a peer kind (src-shared/probe/lab-targets.ts says where): the
// anycast resolver's two DNS responder instances, each on its own address (the lab's network,
// lab-network.ts, routes each site's queries for the anycast address to one of them: its
// catchment); and the public network's responders, one UDP echo per province x carrier,
// answering after the province's modelled round trip from the prober's site (provinces.ts:
// fibre distance x a route factor, the carrier's cross-network penalty) and losing its share
// (echo probes only: a late echo, UDP_ECHO_LATE_MAGIC, is ignored as the agents' responders do).
// The prober's site comes from its source address (lab agents bind their host's address).
// None for a lab on one address (single mode) or with a prefix other than two octets.
import * as dgram from 'node:dgram';
import { decodeUdpEcho } from '../../../src-shared/agent-protocol/probe';
import { createRng } from '../../../src-shared/random';
import { cityVantage, parsePublicTargetId, provinceLatency } from '../../../src-shared/probe/provinces';
import { labProbeTargets } from '../../../src-shared/probe/lab-targets';
import type { LabContext, LabPeerKind, LabPeers } from '../peer-kind';
import { startDnsResponder, type DnsResponder } from './dns-responder';

export interface ProbeTargetPeers extends LabPeers {
  /** The resolver instances running (a fault test stops one). */
  readonly resolvers: readonly DnsResponder[];
}

export const probeTargetPeerKind: LabPeerKind = {
  kind: 'probe-targets',
  async start(ctx: LabContext): Promise<LabPeers> {
    const targets = ctx.loopback === 'aliases' ? labProbeTargets(ctx.options.addressPrefix) : null;
    if (!targets) return { reconcile: async () => {}, dispose: async () => {} };
    const resolvers: DnsResponder[] = [];
    const sockets: dgram.Socket[] = [];
    const dispose = async (): Promise<void> => {
      await Promise.all(resolvers.map((r) => r.close().catch(() => {})));
      await Promise.all(sockets.map((s) => new Promise<void>((res) => s.close(() => res()))));
    };
    try {
      const r = targets.resolvers[0];
      for (const inst of targets.resolverInstances) resolvers.push(await startDnsResponder({ address: inst.addr, port: r.port, instanceName: inst.name }));

      // Site vantages by host address.
      const siteCity = new Map(ctx.inventory.sites.map((s) => [s.id, s.city]));
      const roomSite = new Map(ctx.inventory.rooms.map((x) => [x.id, x.siteId]));
      const rowRoom = new Map(ctx.inventory.rows.map((x) => [x.id, x.roomId]));
      const cabRow = new Map(ctx.inventory.cabinets.map((x) => [x.id, x.rowId]));
      const vantageAt = new Map<string, { lat: number; lon: number }>();
      for (const d of ctx.inventory.devices) {
        const city = siteCity.get(roomSite.get(rowRoom.get(cabRow.get(d.cabinetId ?? '') ?? '') ?? '') ?? '');
        if (!city) continue;
        try {
          vantageAt.set(d.mgmtIp, cityVantage(city));
        } catch {
          // a site in a city the model has no coordinates for: its hosts get no public answers
        }
      }
      const rnd = createRng((ctx.options.seed ^ 0x7075626c) >>> 0);
      for (const t of targets.publicTargets) {
        const parsed = parsePublicTargetId(t.id)!;
        const s = dgram.createSocket('udp4');
        s.on('message', (msg, from) => {
          const echo = decodeUdpEcho(msg);
          if (!echo || echo.late) return; // only the echo probe (not a late echo: no ping-pong), never amplified
          const v = vantageAt.get(from.address);
          if (!v) return;
          const m = provinceLatency(v, parsed.province, parsed.carrier, ctx.options.seed);
          if (rnd() < m.loss) return;
          const rttMs = (2 * m.oneWayUs * (1 + 0.05 * rnd())) / 1000;
          setTimeout(() => s.send(msg, from.port, from.address, () => {}), Math.round(rttMs)).unref();
        });
        await new Promise<void>((res, rej) => {
          s.once('error', rej);
          s.bind(t.port, t.addr, () => {
            s.off('error', rej);
            res();
          });
        });
        s.on('error', () => {}); // a send to a vantage gone meanwhile
        sockets.push(s);
      }
    } catch (err) {
      await dispose();
      throw new Error(`lab probe targets could not start: ${(err as Error).message}`);
    }
    const peers: ProbeTargetPeers = { resolvers, reconcile: async () => {}, dispose };
    return peers;
  },
};
