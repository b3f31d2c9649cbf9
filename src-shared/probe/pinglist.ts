// Pinglists: the probe plan the console sends each agent, built from the topology as Pingmesh
// builds them, so every ToR, room and site pair is measured without an all-pairs mesh:
//   intra-tor   full mesh among the servers under one ToR (every intervalsMs.intraTor);
//   inter-tor   inside a site, each ToR's delegates (delegatesPerTor servers standing for it)
//               probe every other ToR's delegates (intervalsMs.interTor);
//   inter-site  each site's delegates (delegatesPerSite) probe the other sites' (intervalsMs.interSite);
//   dns         every host probes each resolver (intervalsMs.interTor);
//   public      the site delegates probe each public target every 60 s.
// Only hosts with an agent get a plan or are targets (a host without one is a white cross).
// Delegates are chosen deterministically: the lowest FNV-1a hash of the device id (ties by id),
// so the same inventory always gives the same delegates, and a plan's id is a 64-bit FNV-1a
// of its content (its JSON without the targets, then each target's own FNV-1a of its JSON):
// the same content has the same id across console restarts. Plans share their target objects
// (one per level, kind and peer): treat them as read-only.
//
//   buildPinglists(t: ProbeTopology, o: PinglistOptions): Map<deviceId, ProbePlan>
//
// Budget: a host probes each peer once per interval per kind. With the defaults, a server under
// a ToR of 2,000 peers sends 2,000 / 10 s = 200 probes/s for its intra-ToR mesh, and a delegate
// adds (ToRs in the site - 1) x delegatesPerTor / 30 s (e.g. 50 ToRs: 3.3/s) and a few inter-site
// probes; the default maxProbesPerSec of 250 leaves that 25% headroom. Two kinds double it.
import { PROBE_KINDS, type ProbeKind, type ProbeLevel, type ProbePlan, type ProbeTarget, MAX_PLAN_TARGETS } from '../agent-protocol/probe';
import type { ProbeHost, ProbeTopology } from '../domain/probe';
import { hashString } from '../random';

export interface PinglistOptions {
  /** The agents' own responders (the same ports on every agent). */
  readonly responder: { readonly tcpPort: number; readonly udpPort: number };
  /** Per level, between two probes of a pair (each >= 10 s); defaults 10 s, 30 s, 60 s. */
  readonly intervalsMs?: { readonly intraTor: number; readonly interTor: number; readonly interSite: number };
  /** Servers standing for their ToR in the inter-ToR mesh (default 2). */
  readonly delegatesPerTor?: number;
  /** Servers standing for their site in the inter-site mesh and probing public targets (default 2). */
  readonly delegatesPerSite?: number;
  /** Kinds probed between hosts, each a separate target entry (default ['tcp']). */
  readonly kinds?: readonly ProbeKind[];
  readonly maxProbesPerSec?: number;
  readonly timeoutMs?: number;
  /** Resolvers every host probes (port default 53). */
  readonly dns?: readonly { readonly id: string; readonly addr: string; readonly port?: number }[];
  /** Public targets (e.g. 'prov:11:ct') the site delegates probe every 60 s. */
  readonly public?: readonly { readonly id: string; readonly addr: string; readonly port?: number; readonly kind: ProbeKind }[];
  /** Paris traceroute to a deterministic sample of each host's non-intra-ToR targets. */
  readonly traceroute?: { readonly perHost: number; readonly intervalMs: number; readonly maxHops: number };
}

export const DEFAULT_INTERVALS_MS = { intraTor: 10_000, interTor: 30_000, interSite: 60_000 } as const;
const PUBLIC_INTERVAL_MS = 60_000;

function check(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(`buildPinglists: ${what}`);
}
const isInt = (n: unknown, lo: number, hi: number): boolean => typeof n === 'number' && Number.isInteger(n) && n >= lo && n <= hi;

function validate(o: PinglistOptions): void {
  check(isInt(o.responder?.tcpPort, 1, 65535) && isInt(o.responder?.udpPort, 1, 65535), `responder ports must be integers 1..65535, got tcp ${o.responder?.tcpPort}, udp ${o.responder?.udpPort}`);
  const iv = o.intervalsMs ?? DEFAULT_INTERVALS_MS;
  for (const k of ['intraTor', 'interTor', 'interSite'] as const) check(isInt(iv[k], 10_000, 3_600_000), `intervalsMs.${k} must be an integer 10000..3600000 ms (Pingmesh: >= 10 s per pair), got ${iv[k]}`);
  check(o.delegatesPerTor === undefined || isInt(o.delegatesPerTor, 1, 1000), `delegatesPerTor must be an integer >= 1, got ${o.delegatesPerTor}`);
  check(o.delegatesPerSite === undefined || isInt(o.delegatesPerSite, 1, 1000), `delegatesPerSite must be an integer >= 1, got ${o.delegatesPerSite}`);
  for (const k of o.kinds ?? []) check(k === 'tcp' || k === 'udp' || k === 'icmp', `kinds between hosts are tcp, udp or icmp, got '${k}' (resolvers go in dns)`);
  check(o.kinds === undefined || (o.kinds.length > 0 && new Set(o.kinds).size === o.kinds.length), `kinds must list at least one kind, each once, got [${o.kinds?.join(', ')}]`);
  check(o.maxProbesPerSec === undefined || (typeof o.maxProbesPerSec === 'number' && o.maxProbesPerSec >= 0.1 && o.maxProbesPerSec <= 2000), `maxProbesPerSec must be 0.1..2000, got ${o.maxProbesPerSec}`);
  check(o.timeoutMs === undefined || isInt(o.timeoutMs, 1000, 30_000), `timeoutMs must be an integer 1000..30000, got ${o.timeoutMs}`);
  const ids = new Set<string>();
  for (const x of [...(o.dns ?? []), ...(o.public ?? [])]) {
    check(typeof x.id === 'string' && x.id.length > 0 && x.id.length <= 128, `a dns or public target needs an id of 1..128 characters, got '${x.id}'`);
    check(!ids.has(x.id), `target id '${x.id}' is listed twice`);
    ids.add(x.id);
    check(typeof x.addr === 'string' && /^[0-9A-Fa-f.:]{2,64}$/.test(x.addr), `target ${x.id}: addr must be an IPv4 or IPv6 address, got '${x.addr}'`);
    check(x.port === undefined || isInt(x.port, 1, 65535), `target ${x.id}: port must be 1..65535, got ${x.port}`);
  }
  for (const x of o.public ?? []) check((PROBE_KINDS as readonly string[]).includes(x.kind), `public target ${x.id}: kind must be one of ${PROBE_KINDS.join(', ')}, got '${x.kind}'`);
  const tr = o.traceroute;
  if (tr !== undefined) {
    check(isInt(tr.perHost, 0, 64), `traceroute.perHost must be an integer 0..64, got ${tr.perHost}`);
    check(isInt(tr.intervalMs, 10_000, 86_400_000), `traceroute.intervalMs must be an integer 10000..86400000, got ${tr.intervalMs}`);
    check(isInt(tr.maxHops, 1, 32), `traceroute.maxHops must be an integer 1..32, got ${tr.maxHops}`);
  }
}

/** The n hosts standing for a group: lowest FNV-1a hash of the device id, ties by id. */
function delegates(hosts: readonly ProbeHost[], n: number): ProbeHost[] {
  return hosts
    .map((h) => ({ h, k: hashString(h.deviceId) }))
    .sort((a, b) => a.k - b.k || (a.h.deviceId < b.h.deviceId ? -1 : 1))
    .slice(0, n)
    .map((x) => x.h);
}

function groupBy<K>(hosts: readonly ProbeHost[], key: (h: ProbeHost) => K): Map<K, ProbeHost[]> {
  const m = new Map<K, ProbeHost[]>();
  for (const h of hosts) {
    const g = m.get(key(h));
    if (g === undefined) m.set(key(h), [h]);
    else g.push(h);
  }
  return m;
}

export function buildPinglists(t: ProbeTopology, o: PinglistOptions): Map<string, ProbePlan> {
  validate(o);
  const iv = o.intervalsMs ?? DEFAULT_INTERVALS_MS;
  const kinds = o.kinds ?? ['tcp'];
  const live = t.hosts.filter((h) => h.agentId !== null);
  const byTor = groupBy(live, (h) => h.torId);
  const bySite = groupBy(live, (h) => h.siteId);
  const torDelegates = new Map([...byTor].map(([tor, hs]) => [tor, delegates(hs, o.delegatesPerTor ?? 2)]));
  const siteDelegates = new Map([...bySite].map(([site, hs]) => [site, delegates(hs, o.delegatesPerSite ?? 2)]));
  const isTorDelegate = new Set([...torDelegates.values()].flat().map((h) => h.deviceId));
  const isSiteDelegate = new Set([...siteDelegates.values()].flat().map((h) => h.deviceId));
  // The ToRs of each site in topology order (for the inter-ToR mesh).
  const torsOfSite = groupBy([...byTor.values()].map((hs) => hs[0]), (h) => h.siteId);

  const port = (k: ProbeKind): number | undefined => (k === 'tcp' ? o.responder.tcpPort : k === 'udp' ? o.responder.udpPort : undefined);
  // One target object per (level, kind, peer), shared by the plans that list it, with the hash
  // of its JSON: a plan's id hashes its header and its targets' hashes, not 100 kB of JSON.
  const shared = new Map<string, { t: ProbeTarget; h: string }>();
  const entry = (t: ProbeTarget) => {
    const key = `${t.level}\u0000${t.kind}\u0000${t.id}`;
    let e = shared.get(key);
    if (e === undefined) shared.set(key, (e = { t, h: fnv1a64(JSON.stringify(t)) }));
    return e;
  };
  // Each ToR's mesh once: member k's entries (one per kind) at [k x K, (k + 1) x K).
  const K = kinds.length;
  const mesh = new Map<string, { t: ProbeTarget[]; h: string[]; at: Map<ProbeHost, number> }>();
  for (const [tor, hs] of byTor) {
    const m = { t: [] as ProbeTarget[], h: [] as string[], at: new Map<ProbeHost, number>() };
    hs.forEach((peer, k) => {
      m.at.set(peer, k);
      for (const kind of kinds) {
        const p = port(kind);
        const e = entry(p === undefined ? { id: peer.deviceId, addr: peer.addr, kind, level: 'intra-tor', intervalMs: iv.intraTor } : { id: peer.deviceId, addr: peer.addr, port: p, kind, level: 'intra-tor', intervalMs: iv.intraTor });
        m.t.push(e.t);
        m.h.push(e.h);
      }
    });
    mesh.set(tor, m);
  }
  const plans = new Map<string, ProbePlan>();
  for (const h of live) {
    const m = mesh.get(h.torId)!;
    const k = m.at.get(h)!;
    const targets: ProbeTarget[] = m.t.slice(0, k * K).concat(m.t.slice((k + 1) * K));
    const hashes: string[] = m.h.slice(0, k * K).concat(m.h.slice((k + 1) * K));
    const push = (t: ProbeTarget) => {
      const e = entry(t);
      targets.push(e.t);
      hashes.push(e.h);
    };
    const toHost = (peer: ProbeHost, level: ProbeLevel, intervalMs: number) => {
      for (const kind of kinds) {
        const p = port(kind);
        push(p === undefined ? { id: peer.deviceId, addr: peer.addr, kind, level, intervalMs } : { id: peer.deviceId, addr: peer.addr, port: p, kind, level, intervalMs });
      }
    };
    if (isTorDelegate.has(h.deviceId)) {
      for (const other of torsOfSite.get(h.siteId) ?? []) {
        if (other.torId === h.torId) continue;
        for (const peer of torDelegates.get(other.torId) ?? []) toHost(peer, 'inter-tor', iv.interTor);
      }
    }
    if (isSiteDelegate.has(h.deviceId)) {
      for (const [site, ds] of siteDelegates) if (site !== h.siteId) for (const peer of ds) toHost(peer, 'inter-site', iv.interSite);
    }
    for (const r of o.dns ?? []) push({ id: r.id, addr: r.addr, port: r.port ?? 53, kind: 'dns', level: 'dns', intervalMs: iv.interTor });
    if (isSiteDelegate.has(h.deviceId)) {
      for (const x of o.public ?? []) {
        push(x.port === undefined ? { id: x.id, addr: x.addr, kind: x.kind, level: 'public', intervalMs: PUBLIC_INTERVAL_MS } : { id: x.id, addr: x.addr, port: x.port, kind: x.kind, level: 'public', intervalMs: PUBLIC_INTERVAL_MS });
      }
    }
    if (targets.length > MAX_PLAN_TARGETS) {
      throw new RangeError(`buildPinglists: host ${h.deviceId} would get ${targets.length} targets, over a plan's ${MAX_PLAN_TARGETS} (fewer kinds, delegates or servers per ToR)`);
    }
    const body: Omit<ProbePlan, 'id'> = {
      targets,
      maxProbesPerSec: o.maxProbesPerSec ?? 250,
      timeoutMs: o.timeoutMs ?? 5000,
      responder: { tcpPort: o.responder.tcpPort, udpPort: o.responder.udpPort, bind: h.addr },
      ...(o.traceroute !== undefined && o.traceroute.perHost > 0 ? traceroute(h.deviceId, targets, o.traceroute) : {}),
    };
    plans.set(h.deviceId, { id: fnv1a64(`${JSON.stringify({ ...body, targets: undefined })}|${hashes.join('')}`), ...body });
  }
  return plans;
}

/** A deterministic sample of the host's inter-ToR, inter-site and public targets (one entry per target id). */
function traceroute(src: string, targets: readonly ProbeTarget[], tr: NonNullable<PinglistOptions['traceroute']>): Pick<ProbePlan, 'traceroute'> {
  const first = new Map<string, number>();
  targets.forEach((x, i) => {
    if ((x.level === 'inter-tor' || x.level === 'inter-site' || x.level === 'public') && !first.has(x.id)) first.set(x.id, i);
  });
  if (first.size === 0) return {};
  const picked = [...first]
    .map(([id, i]) => ({ i, k: hashString(`${src}>${id}`) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .slice(0, tr.perHost)
    .map((x) => x.i)
    .sort((a, b) => a - b);
  return { traceroute: { targets: picked, intervalMs: tr.intervalMs, maxHops: tr.maxHops } };
}

/** 64-bit FNV-1a of a string's UTF-8 bytes, as 16 hex digits (16-bit limbs: small-integer arithmetic, no BigInt). */
export function fnv1a64(s: string): string {
  // Four 16-bit limbs, lowest first, so every step stays in small integers.
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  for (let i = 0; i < s.length; i++) {
    // The character's UTF-8 bytes, first in the low byte of `bytes`.
    let c = s.charCodeAt(i);
    let bytes: number, n: number;
    if (c < 0x80) {
      bytes = c;
      n = 1;
    } else if (c < 0x800) {
      bytes = (0xc0 | (c >> 6)) | ((0x80 | (c & 63)) << 8);
      n = 2;
    } else {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c >= 0xd800 && c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        bytes = (0xf0 | (c >> 18)) | ((0x80 | ((c >> 12) & 63)) << 8) | ((0x80 | ((c >> 6) & 63)) << 16) | ((0x80 | (c & 63)) << 24);
        n = 4;
      } else {
        bytes = (0xe0 | (c >> 12)) | ((0x80 | ((c >> 6) & 63)) << 8) | ((0x80 | (c & 63)) << 16);
        n = 3;
      }
    }
    for (let k = 0; k < n; k++, bytes >>>= 8) {
      // h = (h ^ b) * 0x100000001b3 mod 2^64: times 0x1b3, plus h << 40 (limbs 0, 1 into 2, 3 shifted by 8).
      h0 ^= bytes & 0xff;
      const t0 = h0 * 0x1b3;
      const t1 = h1 * 0x1b3 + (t0 >>> 16);
      const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
      h3 = (h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16)) & 0xffff;
      h0 = t0 & 0xffff;
      h1 = t1 & 0xffff;
      h2 = t2 & 0xffff;
    }
  }
  const hex = (x: number) => x.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}
