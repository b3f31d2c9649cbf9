// The lab's network model: what a probe between two lab hosts would see, so lab results carry
// true structure (the lab's responders apply its delay and loss; the accuracy benchmark and
// tests simulate probes through it). Every component of the topology (host link, ToR, ToR
// uplink, spine, site core / WAN edge) has a base one-way delay drawn from the seed; a path's
// delay is the sum of its components' plus, between sites, a per-site-pair WAN latency
// (2-30 ms one way). One way: same ToR ~25-50 us, same room ~100-150 us, another room of the
// site ~300-500 us. Loss: a healthy 1e-5 per path, and faults set per component (from the
// lab's fault panel); a path's loss is 1 - prod(1 - loss_i), delays add.
//
//   createNetModel(idx: TopologyIndex, seed: number): NetModel
//     path(srcDeviceId, dstDeviceId): { oneWayUs, loss }   (either end unknown: an error)
//     edgePath(srcDeviceId): { oneWayUs, loss }   out to a target beyond the host's spine (resolver, public)
//     setFault(componentId, { loss?, extraDelayUs? } | null): void   (null clears it)
//     faults(): { componentId, loss, extraDelayUs }[]
//   sampleTcp(path, rnd): { rttUs, err }   a TCP connect over the path: the SYN and the SYN-ACK
//     each cross it once; a lost one costs Linux's RTO (1 s, then 2 s more); three lost: timeout.
//   sampleEcho(path, rnd): { rttUs, err }  a UDP or ICMP echo: one try, lost is a timeout.
import { PROBE_ERRORS } from '../agent-protocol/probe';
import { createRng, hashString } from '../random';
import { edgePathComponentNumbers, MAX_PATH, pathComponentNumbers, type TopologyIndex } from './topology';

export interface NetPath {
  readonly oneWayUs: number;
  readonly loss: number;
}

export interface NetFault {
  readonly componentId: string;
  readonly loss: number;
  readonly extraDelayUs: number;
}

export interface NetModel {
  path(srcDeviceId: string, dstDeviceId: string): NetPath;
  /** From a host out to a target beyond its spine (a resolver, a public target): its link, ToR, uplink and spine. */
  edgePath(srcDeviceId: string): NetPath;
  setFault(componentId: string, f: { loss?: number; extraDelayUs?: number } | null): void;
  faults(): NetFault[];
}

export const HEALTHY_LOSS = 1e-5;
const TIMEOUT = PROBE_ERRORS.indexOf('timeout');

export function createNetModel(idx: TopologyIndex, seed: number): NetModel {
  if (!Number.isFinite(seed)) throw new RangeError(`createNetModel: seed must be a number, got ${seed}`);
  const H = idx.hostTor.length, T = idx.torRoom.length, R = idx.roomSite.length, S = idx.siteIndex.size;
  const C = idx.componentCount;
  const base = new Float64Array(C);
  const loss = new Float64Array(C);
  const extra = new Float64Array(C);
  // Per component a draw of its own (by its id, so adding a host does not move the others).
  const draw = (c: number, lo: number, hi: number) => lo + createRng((seed ^ hashString(idx.component(c).id)) >>> 0)() * (hi - lo);
  for (let c = 0; c < C; c++) {
    if (c < H) base[c] = draw(c, 10, 20); // host link
    else if (c < H + T) base[c] = draw(c, 5, 10); // ToR
    else if (c < H + 2 * T) base[c] = draw(c, 20, 30); // ToR uplink
    else if (c < H + 2 * T + R) base[c] = draw(c, 20, 30); // spine
    else base[c] = draw(c, 200, 300); // site core / WAN edge
  }
  // WAN latency per unordered site pair, 2-30 ms one way.
  const wan = new Float64Array(S * S);
  const sites = idx.topology.sites;
  for (let a = 0; a < S; a++) {
    for (let b = a + 1; b < S; b++) {
      const us = 2000 + createRng((seed ^ hashString(`${sites[a].id}|${sites[b].id}`)) >>> 0)() * 28_000;
      wan[a * S + b] = us;
      wan[b * S + a] = us;
    }
  }
  const scratch = new Int32Array(MAX_PATH);
  const host = (id: string): number => {
    const i = idx.hostIndex.get(id);
    if (i === undefined) throw new RangeError(`net model: ${id} is not a host of the probe topology`);
    return i;
  };
  return {
    path(srcDeviceId, dstDeviceId) {
      const s = host(srcDeviceId), d = host(dstDeviceId);
      const n = pathComponentNumbers(idx, s, d, scratch);
      let us = 0, pass = 1 - HEALTHY_LOSS;
      for (let i = 0; i < n; i++) {
        const c = scratch[i];
        us += base[c] + extra[c];
        pass *= 1 - loss[c];
      }
      const ss = idx.hostSite[s], sd = idx.hostSite[d];
      if (ss !== sd) us += wan[ss * S + sd];
      return { oneWayUs: us, loss: 1 - pass };
    },
    edgePath(srcDeviceId) {
      const n = edgePathComponentNumbers(idx, host(srcDeviceId), scratch);
      let us = 0, pass = 1 - HEALTHY_LOSS;
      for (let i = 0; i < n; i++) {
        const c = scratch[i];
        us += base[c] + extra[c];
        pass *= 1 - loss[c];
      }
      return { oneWayUs: us, loss: 1 - pass };
    },
    setFault(componentId, f) {
      const c = idx.componentNumber(componentId);
      if (c < 0) throw new RangeError(`net model: no component ${componentId} in the probe topology (e.g. 'tor:<torId>', 'host-link:<deviceId>')`);
      if (f === null) {
        loss[c] = 0;
        extra[c] = 0;
        return;
      }
      const l = f.loss ?? 0, x = f.extraDelayUs ?? 0;
      if (!(l >= 0 && l <= 1)) throw new RangeError(`net model: a fault's loss is a share 0..1, got ${l} for ${componentId}`);
      if (!(x >= 0 && x <= 10_000_000)) throw new RangeError(`net model: a fault's extra delay is 0..10,000,000 us, got ${x} for ${componentId}`);
      loss[c] = l;
      extra[c] = x;
    },
    faults() {
      const out: NetFault[] = [];
      for (let c = 0; c < C; c++) if (loss[c] > 0 || extra[c] > 0) out.push({ componentId: idx.component(c).id, loss: loss[c], extraDelayUs: extra[c] });
      return out;
    },
  };
}

/** A round trip over the path with a little jitter (up to 10%, and now and then up to 0.5 ms of host scheduling). */
function roundTrip(p: NetPath, rnd: () => number): number {
  const j = 2 * p.oneWayUs * (1 + 0.1 * rnd());
  return rnd() < 0.01 ? j + 500 * rnd() : j;
}

/** What a TCP connect over the path sees: SYN -> SYN-ACK, plus 1 s and 3 s when SYNs (or their answers) were lost. */
export function sampleTcp(p: NetPath, rnd: () => number): { rttUs: number; err: number } {
  const RTO_US = [0, 1_000_000, 3_000_000];
  for (let attempt = 0; attempt < 3; attempt++) {
    if (rnd() >= p.loss && rnd() >= p.loss) return { rttUs: Math.round(RTO_US[attempt] + roundTrip(p, rnd)), err: 0 };
  }
  return { rttUs: -1, err: TIMEOUT };
}

/** A UDP or ICMP echo over the path: one datagram each way; a lost one is a timeout. */
export function sampleEcho(p: NetPath, rnd: () => number): { rttUs: number; err: number } {
  if (rnd() >= p.loss && rnd() >= p.loss) return { rttUs: Math.round(roundTrip(p, rnd)), err: 0 };
  return { rttUs: -1, err: TIMEOUT };
}
