// Hive placement (issue 17): where a module's new instances (processes) go, as seed 002 has it
// (idle machines first, spread across machines, an equal number of workers behind each proxy)
// with kube-scheduler's and Marathon's rules as constraints. Pure: it plans, it starts nothing;
// a request it cannot meet in full is refused with the reason and an empty plan, so a caller
// that starts only what a plan names starts nothing (the workflow's step does exactly that).
//
// Per new instance, in order:
//   1. hard filters, per host: its process limit (100 per host, the seed's), the module's
//      processes per host (2 x cores, the seed's), CPU and memory left for one more process,
//      UNIQUE (at most one of the module per host) and MAX_PER (at most N), and each spread
//      rule (kube's PodTopologySpread: after the placement, count in the host's domain minus
//      the least count over the pool's domains <= maxSkew; domains host, cabinet or room)
//   2. score: idle first (kube's LeastAllocated: the mean of the CPU and memory shares left),
//      ties broken by host id (deterministic); spreading a module's instances over hosts is
//      its spread rule's job (by host, max skew)
//   3. the proxy: the one with the fewest of the module's workers (ties by name), so workers
//      stay equal behind each proxy
// Every placement carries its explanation: why this host, what was filtered and why.
// For the seed's scale (40 k instances on 22 k hosts) a PlacementPool keeps its hosts in one
// max-heap by idle share across requests: a host that fails a filter that can only get worse
// (a limit, UNIQUE, resources) is out for the request; one that fails a spread rule is out
// until that rule's least count rises; all go back when the request ends.
import { FleetDeckError } from '../../../src-shared/errors';

export interface PlacementHost {
  readonly id: string;
  readonly cabinet: string;
  readonly room: string;
  readonly cores: number;
  readonly memMiB: number;
  /** What runs on it now: processes in all, CPU cores and memory reserved. */
  procs: number;
  cpuUsed: number;
  memUsedMiB: number;
}

export type SpreadDomain = 'host' | 'cabinet' | 'room';

export interface PlacementModule {
  readonly module: string;
  /** Per process. */
  readonly cpu: number;
  readonly memMiB: number;
  /** Marathon's UNIQUE: at most one per host. */
  readonly unique?: boolean;
  /** Marathon's MAX_PER host. */
  readonly maxPerHost?: number;
  readonly spread?: readonly { readonly by: SpreadDomain; readonly maxSkew: number }[];
  /** Workers are spread equally behind these. */
  readonly proxies?: readonly string[];
}

export interface PlacementLimits {
  /** Processes per host in all (the seed: 100). */
  readonly procsPerHost: number;
  /** A module's processes per host, per core (the seed: 2 x cores). */
  readonly modulePerCore: number;
}
export const SEED_LIMITS: PlacementLimits = { procsPerHost: 100, modulePerCore: 2 };

export interface Instance {
  readonly module: string;
  readonly host: string;
  readonly proxy?: string | null;
}

export interface Placed {
  readonly host: string;
  readonly proxy: string | null;
  readonly why: string;
}

export interface PlacementPlan {
  readonly module: string;
  readonly placed: Placed[];
}

/** Why hosts were filtered out for a request (counted per reason, for the refusal). */
type Filter = 'procs' | 'module-per-core' | 'cpu' | 'memory' | 'unique' | 'max-per' | 'spread';
const PERMANENT: ReadonlySet<Filter> = new Set(['procs', 'module-per-core', 'cpu', 'memory', 'unique', 'max-per']);
const FILTER_TEXT: Record<Filter, string> = {
  procs: 'at the process limit',
  'module-per-core': 'at 2 x cores processes of the module',
  cpu: 'without CPU for one more process',
  memory: 'without memory for one more process',
  unique: 'holding one already (UNIQUE)',
  'max-per': 'at MAX_PER',
  spread: 'over a spread rule\'s max skew',
};

/**
 * Counts per domain of one spread rule (only the domains holding any are kept: a request for a
 * few instances on 22 k hosts touches a few), with the least count over all `domains` kept
 * (counts only grow: 0 until every domain holds one).
 */
class DomainCounts {
  readonly count = new Map<string, number>();
  min = 0;
  private atMin: number;
  constructor(private readonly domains: number) {
    this.atMin = domains;
  }
  add(d: string): void {
    const c = this.count.get(d) ?? 0;
    this.count.set(d, c + 1);
    if (c !== this.min || --this.atMin > 0) return;
    this.min = Math.min(...this.count.values());
    this.atMin = [...this.count.values()].filter((x) => x === this.min).length + (this.domains - this.count.size);
  }
}

const free = (h: PlacementHost): number => ((h.cores - h.cpuUsed) / h.cores + (h.memMiB - h.memUsedMiB) / h.memMiB) / 2;
const domainOf = (h: PlacementHost, by: SpreadDomain): string => (by === 'host' ? h.id : by === 'cabinet' ? h.cabinet : h.room);
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** A max-heap of (score, host rank) entries; an entry whose version is old is skipped on pop. */
class ScoreHeap {
  private readonly score: number[] = [];
  private readonly host: number[] = [];
  private readonly ver: number[] = [];
  constructor(private readonly rank: Int32Array) {}
  get size(): number {
    return this.host.length;
  }
  private better(a: number, b: number): boolean {
    return this.score[a] > this.score[b] || (this.score[a] === this.score[b] && this.rank[this.host[a]] < this.rank[this.host[b]]);
  }
  private swap(a: number, b: number): void {
    [this.score[a], this.score[b]] = [this.score[b], this.score[a]];
    [this.host[a], this.host[b]] = [this.host[b], this.host[a]];
    [this.ver[a], this.ver[b]] = [this.ver[b], this.ver[a]];
  }
  push(host: number, score: number, ver: number): void {
    this.score.push(score);
    this.host.push(host);
    this.ver.push(ver);
    for (let k = this.host.length - 1; k > 0; ) {
      const p = (k - 1) >> 1;
      if (!this.better(k, p)) break;
      this.swap(k, p);
      k = p;
    }
  }
  /** The best entry's host and version (removed). */
  pop(): [number, number] {
    const top: [number, number] = [this.host[0], this.ver[0]];
    const last = this.host.length - 1;
    this.swap(0, last);
    this.score.pop();
    this.host.pop();
    this.ver.pop();
    for (let k = 0; ; ) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < this.host.length && this.better(l, m)) m = l;
      if (r < this.host.length && this.better(r, m)) m = r;
      if (m === k) break;
      this.swap(k, m);
      k = m;
    }
    return top;
  }
}

/**
 * A pool of hosts that requests are placed on in turn (the seed's scale: one heap for all
 * requests, so a request costs its own placements, not a pass over 22 k hosts). The hosts'
 * use is updated by each plan; a caller that changes a host's use otherwise says so (touch).
 */
export class PlacementPool {
  private readonly heap: ScoreHeap;
  private readonly ver: Int32Array;
  private readonly index = new Map<string, number>();
  private readonly domains = new Map<SpreadDomain, number>();

  constructor(
    readonly hosts: PlacementHost[],
    readonly limits: PlacementLimits = SEED_LIMITS,
  ) {
    const rank = new Int32Array(hosts.length);
    Array.from(hosts, (_, i) => i).sort((a, b) => (hosts[a].id < hosts[b].id ? -1 : hosts[a].id > hosts[b].id ? 1 : a - b)).forEach((i, r) => (rank[i] = r));
    this.heap = new ScoreHeap(rank);
    this.ver = new Int32Array(hosts.length);
    hosts.forEach((h, i) => {
      this.index.set(h.id, i);
      this.heap.push(i, free(h), 0);
    });
  }

  /** Host i's use changed: its place in the order is refreshed. */
  touch(i: number): void {
    this.heap.push(i, free(this.hosts[i]), ++this.ver[i]);
  }

  private domainCount(by: SpreadDomain): number {
    let n = this.domains.get(by);
    if (n === undefined) this.domains.set(by, (n = by === 'host' ? this.hosts.length : new Set(this.hosts.map((h) => domainOf(h, by))).size));
    return n;
  }

  /**
   * Plans `add` new instances of the module; throws VALIDATION with the reason when they cannot
   * all be placed, and then the hosts are as they were.
   */
  place(m: PlacementModule, add: number, instances: readonly Instance[] = []): PlacementPlan {
    const { hosts, limits } = this;
    if (!(Number.isInteger(add) && add >= 0)) throw new FleetDeckError('VALIDATION', `Instances to add must be a whole number >= 0 (got ${add})`, { add });
    if (!(m.cpu >= 0 && m.memMiB >= 0)) throw new FleetDeckError('VALIDATION', `${m.module}: CPU and memory per process must be >= 0`, { module: m.module });
    const mine = new Map<number, number>(); // host index -> this module's processes on it
    const spreads = (m.spread ?? []).map((s) => ({ ...s, counts: new DomainCounts(this.domainCount(s.by)) }));
    const perProxy = new Map((m.proxies ?? []).map((p) => [p, 0]));
    for (const inst of instances) {
      const i = inst.module === m.module ? this.index.get(inst.host) : undefined;
      if (i === undefined) continue;
      mine.set(i, (mine.get(i) ?? 0) + 1);
      for (const s of spreads) s.counts.add(domainOf(hosts[i], s.by));
      if (inst.proxy && perProxy.has(inst.proxy)) perProxy.set(inst.proxy, perProxy.get(inst.proxy)! + 1);
    }
    if (m.unique && add > 0) {
      const open = hosts.length - mine.size;
      if (open < add) throw refusal(m.module, add, `UNIQUE allows one per host: ${open} of ${hosts.length} hosts hold none`, { unique: open });
    }
    const filter = (i: number): Filter | null => {
      const h = hosts[i];
      const n = mine.get(i) ?? 0;
      if (h.procs + 1 > limits.procsPerHost) return 'procs';
      if (n + 1 > limits.modulePerCore * h.cores) return 'module-per-core';
      if (h.cpuUsed + m.cpu > h.cores + 1e-9) return 'cpu';
      if (h.memUsedMiB + m.memMiB > h.memMiB) return 'memory';
      if (m.unique && n > 0) return 'unique';
      if (m.maxPerHost !== undefined && n + 1 > m.maxPerHost) return 'max-per';
      for (const s of spreads) if ((s.counts.count.get(domainOf(h, s.by)) ?? 0) + 1 - s.counts.min > s.maxSkew) return 'spread';
      return null;
    };

    const placed: Placed[] = [];
    const chosenAt: number[] = [];
    // Hosts out of this request: for good (a filter that only gets worse), or until a spread
    // rule's least count rises (blocked). All go back into the order when the request ends.
    const out: number[] = [];
    let blocked: number[] = [];
    const dropped = new Map<Filter, number>();
    const giveBack = (): void => {
      for (const i of [...out, ...blocked]) this.heap.push(i, free(hosts[i]), this.ver[i]);
    };
    try {
      for (let k = 0; k < add; k++) {
        const passed = new Map<Filter, number>();
        let chosen = -1;
        while (this.heap.size) {
          const [i, v] = this.heap.pop();
          if (v !== this.ver[i]) continue;
          const f = filter(i);
          if (f === null) {
            chosen = i;
            break;
          }
          passed.set(f, (passed.get(f) ?? 0) + 1);
          if (PERMANENT.has(f)) {
            dropped.set(f, (dropped.get(f) ?? 0) + 1);
            out.push(i);
          } else blocked.push(i);
        }
        if (chosen < 0) {
          const why = [...dropped.entries()].map(([f, c]) => `${c} ${FILTER_TEXT[f]}`);
          if (blocked.length) why.push(`${blocked.length} ${FILTER_TEXT.spread}`);
          throw refusal(m.module, add, `no host can take instance ${k + 1} of ${add}: ${why.join(', ') || 'no hosts'}`, Object.fromEntries(dropped));
        }
        const h = hosts[chosen];
        const n = mine.get(chosen) ?? 0;
        const proxy = perProxy.size ? [...perProxy.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0] : null;
        const parts = [`${h.id}: the most idle host left (${pct((h.cores - h.cpuUsed) / h.cores)} CPU, ${pct((h.memMiB - h.memUsedMiB) / h.memMiB)} memory free before)`, `${n} of ${m.module} on it before`];
        for (const s of spreads) if (s.by !== 'host') parts.push(`${s.by} ${domainOf(h, s.by)} had ${s.counts.count.get(domainOf(h, s.by)) ?? 0} (least ${s.counts.min}, max skew ${s.maxSkew})`);
        if (proxy) parts.push(`behind proxy ${proxy[0]} (${proxy[1]} workers before, the fewest)`);
        if (passed.size) parts.push(`passed over: ${[...passed.entries()].map(([f, c]) => `${c} ${FILTER_TEXT[f]}`).join(', ')}`);
        placed.push({ host: h.id, proxy: proxy?.[0] ?? null, why: parts.join('; ') });
        chosenAt.push(chosen);
        h.procs++;
        h.cpuUsed += m.cpu;
        h.memUsedMiB += m.memMiB;
        mine.set(chosen, n + 1);
        const mins = spreads.map((s) => s.counts.min);
        for (const s of spreads) s.counts.add(domainOf(h, s.by));
        if (proxy) perProxy.set(proxy[0], proxy[1] + 1);
        this.touch(chosen);
        if (spreads.some((s, j) => s.counts.min > mins[j])) {
          for (const i of blocked) this.heap.push(i, free(hosts[i]), this.ver[i]);
          blocked = [];
        }
      }
    } catch (err) {
      for (const i of chosenAt) {
        hosts[i].procs--;
        hosts[i].cpuUsed -= m.cpu;
        hosts[i].memUsedMiB -= m.memMiB;
      }
      giveBack();
      for (const i of new Set(chosenAt)) this.touch(i);
      throw err;
    }
    giveBack();
    return { module: m.module, placed };
  }
}

/** One request on its own pool (the pool's order is built for it: for a single request). */
export function place(req: { module: PlacementModule; add: number; hosts: PlacementHost[]; instances: readonly Instance[]; limits?: PlacementLimits }): PlacementPlan {
  return new PlacementPool(req.hosts, req.limits).place(req.module, req.add, req.instances);
}

function refusal(module: string, add: number, why: string, params: Record<string, number>): FleetDeckError {
  return new FleetDeckError('VALIDATION', `${module}: ${add} instances cannot be placed, so none is: ${why}`, { module, add, ...params });
}
