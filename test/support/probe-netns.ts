// The probe matrix's ground (issue 14 acceptance, root only): network namespaces shaped like
// two ToRs under a spine, with the faults the localiser must name. Layout (a ToR is a
// namespace holding a bridge, so the ToR is one object whose uplinks can be cut, and the root
// namespace holds no part of the data network at all):
//
//   tor a: bridge br0, 10.213.201.0/24         tor b: bridge br0, 10.213.202.0/24
//     hosts a1..aN  .11.. (eth0, default via the spine's .1)   hosts b1..bN  .11..
//     up-spine  -> spine  tor-a .1              up-spine  -> spine  tor-b .1
//     up-spine2 -> spine2 tor-a .2              up-spine2 -> spine2 tor-b .2
//   spine:  routes between the ToRs (ip_forward, no redirects); dns1 10.213.203.1 -> resolver 1
//           (.2), dns2 10.213.204.1 -> resolver 2; both resolvers hold the anycast
//           10.213.253.53/32 on lo. The spine routes the anycast per source: tor a's /24 ->
//           resolver 1 first, tor b's -> resolver 2 first (ip rules into tables 101/102, the
//           other resolver at a higher metric), so stopResolver(i) - its routes withdrawn, as a
//           health checker would - moves its vantages to the other.
//   spine2: a second router on both ToR segments (default via the spine, for the resolvers):
//           routeVia(host, 'spine2') switches a host's default route, so its traceroute path changes.
//
// Faults: dropOnHostLink (an nft table in the host's namespace, `numgen random` on eth0),
// delayHostLink (the NFQUEUE program of nfq-delay.c fed by a queue rule on eth0: nft's
// `queue` where the kernel has nft_queue, else iptables-nft's NFQUEUE target, which this
// kernel has), cutUplink (the ToR's uplink port down), routeVia, stopResolver.
// Optional mgmt: a bridge in the root namespace on a free /24 of the range, one mgmt0 per host
// (what agents reach a console in the test process over, off the probed links).
// Safety: the blackhole route for 10.213.0.0/16 goes in first (netns.ts addBlackhole), so nothing
// for the range leaves the machine; processes started with spawnIn are the test's children and
// are killed by pid in down(), then whatever `ip netns pids` still names, then the namespaces,
// the mgmt bridge and the blackhole, in reverse, even after a setup that failed half way.
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { addBlackhole, freeSubnet, ip, ipBin, killAllIn, undoAll, type UndoStep } from './netns';
import { startNfqDelay, type NfqDelay } from './nfq-delay';

export type TorName = 'a' | 'b';
export type RouterName = 'spine' | 'spine2';
export type LinkDirection = 'in' | 'out' | 'both';
export const ANYCAST = '10.213.253.53';
const SUBNET: Record<TorName, string> = { a: '10.213.201', b: '10.213.202' };
const RES_LINK = ['10.213.203', '10.213.204'] as const;
const GW: Record<RouterName, number> = { spine: 1, spine2: 2 };
const RESERVED = new Set(['10.213.201', '10.213.202', '10.213.203', '10.213.204', '10.213.253']);
const QUEUE = 1;
const DNS_MAIN = fileURLToPath(new URL('../../src-main/lab/probes/dns-responder-main.ts', import.meta.url));

export interface ProbeNetOptions {
  /** Hosts under each ToR (default 3, so 6 in all). */
  readonly hostsPerTor?: number;
  /** A management bridge in the root namespace with a mgmt0 in every host (default false). */
  readonly mgmt?: boolean;
}

export interface ProbeNetHost {
  /** 'a1', 'a2', ..., 'b1', ... */
  readonly name: string;
  readonly tor: TorName;
  readonly ns: string;
  /** Its eth0 address on the ToR segment: the probed one. */
  readonly addr: string;
  /** Its mgmt0 address (with the mgmt option), else null. */
  readonly mgmtAddr: string | null;
}

export interface ProbeNet {
  readonly suffix: string;
  readonly hosts: readonly ProbeNetHost[];
  readonly tors: readonly { readonly name: TorName; readonly ns: string; readonly subnet: string; readonly gateways: Readonly<Record<RouterName, string>> }[];
  readonly routers: Readonly<Record<RouterName, string>>;
  readonly resolvers: readonly { readonly i: 1 | 2; readonly ns: string; readonly linkAddr: string }[];
  readonly anycast: string;
  /** The root namespace's mgmt bridge and its address (what a console listens on), or null. */
  readonly mgmt: { readonly bridge: string; readonly gateway: string } | null;
  host(name: string): ProbeNetHost;
  execArgv(ns: string, argv: readonly string[]): string[];
  /** Runs argv in the namespace; its stdout, or an error with its stderr. */
  exec(ns: string, argv: readonly string[], o?: { input?: string; timeoutMs?: number }): Promise<string>;
  /** Starts argv in the namespace as a child of this process (killed by pid in down()). */
  spawnIn(ns: string, argv: readonly string[], o?: SpawnOptions): ChildProcess;
  /** Drops pct % (0.01 steps) of the host's eth0 packets at random, in 'both' directions by default. */
  dropOnHostLink(host: string, pct: number, dir?: LinkDirection): Promise<void>;
  /** Holds the host's eth0 packets ms before they go on, outbound ('out') by default: every pair with it gains ms of round trip. */
  delayHostLink(host: string, ms: number, dir?: LinkDirection): Promise<void>;
  /** Removes the host's drop and delay. */
  clearHostLink(host: string): Promise<void>;
  /** Sends the host's traffic through that router (its default route). */
  routeVia(host: string, router: RouterName): void;
  /** Takes the ToR's uplink ports down (to both routers by default); restoreUplink brings them back. */
  cutUplink(tor: TorName, router?: RouterName): void;
  restoreUplink(tor: TorName, router?: RouterName): void;
  /** Starts the lab DNS responder (src-main/lab/probes/dns-responder-main.ts) on the anycast address, port 53, in both resolver namespaces: instance names dns-1 and dns-2 unless given. */
  startResolvers(names?: readonly [string, string]): Promise<void>;
  /** Withdraws resolver i's anycast routes from the spine; restoreResolver announces them again. */
  stopResolver(i: 1 | 2): void;
  restoreResolver(i: 1 | 2): void;
  /** Undoes everything in reverse; the steps that failed, named (empty: all clean). */
  down(): Promise<string[]>;
}

/** Resolves with the first stdout line matching re (default /^ready\b/); rejects when the child exits first or after timeoutMs. */
export function readyLine(child: ChildProcess, re = /^ready\b/m, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no ${re} from pid ${child.pid} in ${timeoutMs} ms: ${err.trim()}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => void (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => re.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`pid ${child.pid} exited (${code ?? sig}) before ${re}: ${err.trim()}`));
    });
  });
}

function runArgv(argv: readonly string[], input?: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (err += d.toString()));
    child.on('error', (e) => reject(new Error(`${argv.join(' ')}: ${e.message}`)));
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${argv.join(' ')}: exit ${code ?? sig}: ${err.trim()}`));
    });
    child.stdin.end(input ?? '');
  });
}

const sysctl = (ns: string, ...kv: string[]): void => void execFileSync(ipBin(), ['netns', 'exec', ns, 'sysctl', '-q', ...kv.flatMap((x) => ['-w', x])], { stdio: ['ignore', 'ignore', 'pipe'] });

async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(killer);
}

/** Builds the net (rejects, having undone what it made, when a step fails). */
export async function upProbeNet(o: ProbeNetOptions = {}): Promise<ProbeNet> {
  const perTor = o.hostsPerTor ?? 3;
  if (!Number.isInteger(perTor) || perTor < 1 || perTor > 50) throw new Error(`hostsPerTor must be an integer 1..50, got ${perTor}`);
  const suffix = `${process.pid.toString(36).slice(-3)}${randomBytes(2).toString('hex')}`.slice(-5);
  const nsName = (what: string): string => `fd-p-${what}-${suffix}`;
  const undo: UndoStep[] = [];
  const children = new Set<ChildProcess>();
  const delays = new Map<string, { prog: NfqDelay; rules: string[][] | null }>();
  const routers: Record<RouterName, string> = { spine: nsName('spine'), spine2: nsName('spine2') };
  const torNs: Record<TorName, string> = { a: nsName('tora'), b: nsName('torb') };
  const hosts: ProbeNetHost[] = [];
  const resolvers = [1, 2].map((i) => ({ i: i as 1 | 2, ns: nsName(`dns${i}`), linkAddr: `${RES_LINK[i - 1]}.2` }));
  let mgmt: ProbeNet['mgmt'] = null;

  const addNs = (ns: string): void => {
    ip('netns', 'add', ns);
    undo.push({
      what: `namespace ${ns}`,
      run: async () => {
        await killAllIn(ns);
        ip('netns', 'del', ns);
      },
    });
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    // Before any interface exists, so each one is made with these: no redirects to teach hosts a
    // path of their own, no reverse-path filter in the way of asymmetric routes, no IPv6 chatter.
    sysctl(ns, 'net.ipv4.conf.all.send_redirects=0', 'net.ipv4.conf.default.send_redirects=0', 'net.ipv4.conf.all.accept_redirects=0', 'net.ipv4.conf.default.accept_redirects=0',
      'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1',
      // ICMP errors unmetered (the kernel's default is a burst of 6 per peer, then one a second), so
      // every traceroute round through the lab gets its time-exceeded and port-unreachable answers.
      'net.ipv4.icmp_ratelimit=0');
  };
  /** A veth from a ToR's bridge (port name) to an interface in another namespace. */
  const cable = (tor: TorName, port: string, ns: string, ifname: string, addr: string): void => {
    ip('-n', torNs[tor], 'link', 'add', port, 'type', 'veth', 'peer', 'name', ifname, 'netns', ns);
    ip('-n', torNs[tor], 'link', 'set', port, 'master', 'br0');
    ip('-n', torNs[tor], 'link', 'set', port, 'up');
    ip('-n', ns, 'addr', 'add', addr, 'dev', ifname);
    ip('-n', ns, 'link', 'set', ifname, 'up');
  };
  const anycastRoutes = (i: 1 | 2): string[][] => {
    const via = resolvers[i - 1].linkAddr;
    const first = (t: string): boolean => (t === '102' ? i === 2 : i === 1);
    return ['main', '101', '102'].map((t) => ['route', 'add', `${ANYCAST}/32`, 'via', via, 'metric', first(t) ? '10' : '20', 'table', t]);
  };
  const hostOf = (name: string): ProbeNetHost => hosts.find((h) => h.name === name) ?? (() => { throw new Error(`no host '${name}' (hosts: ${hosts.map((h) => h.name).join(', ')})`); })();
  const execArgv = (ns: string, argv: readonly string[]): string[] => [ipBin(), 'netns', 'exec', ns, ...argv];
  const nftIn = (ns: string, script: string): Promise<string> => runArgv(execArgv(ns, ['nft', '-f', '-']), script);
  const dirs = (dir: LinkDirection): ('in' | 'out')[] => {
    if (dir !== 'in' && dir !== 'out' && dir !== 'both') throw new Error(`direction must be 'in', 'out' or 'both', got '${String(dir)}'`);
    return dir === 'both' ? ['in', 'out'] : [dir];
  };
  const chain = (d: 'in' | 'out', rule: string, prio: number): string =>
    `  chain ${d} { type filter hook ${d === 'in' ? 'input' : 'output'} priority ${prio}; policy accept; ${d === 'in' ? 'iifname' : 'oifname'} "eth0" ${rule}; }\n`;

  const net: ProbeNet = {
    suffix,
    hosts,
    tors: (['a', 'b'] as const).map((t) => ({ name: t, ns: torNs[t], subnet: `${SUBNET[t]}.0/24`, gateways: { spine: `${SUBNET[t]}.1`, spine2: `${SUBNET[t]}.2` } })),
    routers,
    resolvers,
    anycast: ANYCAST,
    get mgmt() {
      return mgmt;
    },
    host: hostOf,
    execArgv,
    exec: (ns, argv, eo) => runArgv(execArgv(ns, argv), eo?.input, eo?.timeoutMs),
    spawnIn(ns, argv, so) {
      const a = execArgv(ns, argv);
      const child = spawn(a[0], a.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], ...so });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    async dropOnHostLink(name, pct, dir = 'both') {
      const h = hostOf(name);
      if (typeof pct !== 'number' || !(pct > 0 && pct <= 100)) throw new Error(`pct must be a number above 0 and at most 100, got ${pct}`);
      const n = Math.round(pct * 100);
      const chains = dirs(dir).map((d) => chain(d, `numgen random mod 10000 < ${n} drop`, -5)).join('');
      await nftIn(h.ns, `add table inet fdlab-drop\ndelete table inet fdlab-drop\ntable inet fdlab-drop {\n${chains}}\n`);
    },
    async delayHostLink(name, ms, dir = 'out') {
      const h = hostOf(name);
      if (!Number.isInteger(ms) || ms < 1 || ms > 60_000) throw new Error(`ms must be an integer 1..60000, got ${ms}`);
      const ds = dirs(dir);
      await net.clearHostLink(name).catch(() => undefined);
      const prog = await startNfqDelay(execArgv(h.ns, []), QUEUE, ms);
      const entry: { prog: NfqDelay; rules: string[][] | null } = { prog, rules: null };
      delays.set(name, entry);
      try {
        await nftIn(h.ns, `table ip fdlab-delay {\n${ds.map((d) => chain(d, `queue num ${QUEUE} bypass`, -10)).join('')}}\n`);
      } catch (err) {
        if (!/No such file or directory|not supported/i.test((err as Error).message)) throw err;
        // No nft_queue in this kernel: the xtables NFQUEUE target through iptables-nft does the same.
        entry.rules = ds.map((d) => (d === 'in' ? ['INPUT', '-i'] : ['OUTPUT', '-o'])).map(([c, flag]) => [c, flag, 'eth0', '-j', 'NFQUEUE', '--queue-num', String(QUEUE), '--queue-bypass']);
        for (const r of entry.rules) await runArgv(execArgv(h.ns, ['iptables-nft', '-A', ...r]));
      }
    },
    async clearHostLink(name) {
      const h = hostOf(name);
      await nftIn(h.ns, 'add table inet fdlab-drop\ndelete table inet fdlab-drop\nadd table ip fdlab-delay\ndelete table ip fdlab-delay\n');
      const d = delays.get(name);
      if (!d) return;
      delays.delete(name);
      for (const r of d.rules ?? []) await runArgv(execArgv(h.ns, ['iptables-nft', '-D', ...r]));
      await d.prog.stop();
    },
    routeVia(name, router) {
      const h = hostOf(name);
      if (!(router in GW)) throw new Error(`router must be 'spine' or 'spine2', got '${String(router)}'`);
      ip('-n', h.ns, 'route', 'replace', 'default', 'via', `${SUBNET[h.tor]}.${GW[router]}`, 'dev', 'eth0');
    },
    cutUplink: (tor, router) => uplinks(tor, router, 'down'),
    restoreUplink: (tor, router) => uplinks(tor, router, 'up'),
    async startResolvers(names = ['dns-1', 'dns-2']) {
      await Promise.all(resolvers.map((r) => readyLine(net.spawnIn(r.ns, [process.execPath, '--import', 'tsx', DNS_MAIN, '--address', ANYCAST, '--port', '53', '--name', names[r.i - 1]]))));
    },
    stopResolver(i) {
      for (const r of anycastRoutes(checkResolver(i))) ip('-n', routers.spine, ...r.map((x) => (x === 'add' ? 'del' : x)));
    },
    restoreResolver(i) {
      for (const r of anycastRoutes(checkResolver(i))) ip('-n', routers.spine, ...r.map((x) => (x === 'add' ? 'replace' : x)));
    },
    async down() {
      const failed: string[] = [];
      for (const [name, d] of [...delays]) {
        delays.delete(name);
        await d.prog.stop().catch((e: Error) => failed.push(`nfq-delay of ${name}: ${e.message}`));
      }
      for (const c of [...children]) await killChild(c).catch((e: Error) => failed.push(e.message));
      failed.push(...(await undoAll(undo)));
      return failed;
    },
  };
  const checkResolver = (i: number): 1 | 2 => {
    if (i !== 1 && i !== 2) throw new Error(`resolver must be 1 or 2, got ${i}`);
    return i;
  };
  const uplinks = (tor: TorName, router: RouterName | undefined, state: 'up' | 'down'): void => {
    if (!(tor in torNs)) throw new Error(`tor must be 'a' or 'b', got '${String(tor)}'`);
    if (router !== undefined && !(router in GW)) throw new Error(`router must be 'spine' or 'spine2', got '${String(router)}'`);
    for (const r of router ? [router] : (['spine', 'spine2'] as const)) ip('-n', torNs[tor], 'link', 'set', `up-${r}`, state);
  };

  try {
    undo.push(addBlackhole()); // first: from here on nothing for the range leaves the machine
    for (const ns of [routers.spine, routers.spine2, torNs.a, torNs.b, ...resolvers.map((r) => r.ns)]) addNs(ns);
    for (const r of Object.values(routers)) sysctl(r, 'net.ipv4.ip_forward=1');
    for (const t of ['a', 'b'] as const) {
      ip('-n', torNs[t], 'link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0');
      ip('-n', torNs[t], 'link', 'set', 'br0', 'up');
      for (const r of ['spine', 'spine2'] as const) cable(t, `up-${r}`, routers[r], `tor-${t}`, `${SUBNET[t]}.${GW[r]}/24`);
    }
    ip('-n', routers.spine2, 'route', 'add', 'default', 'via', `${SUBNET.a}.1`);
    for (const r of resolvers) {
      ip('-n', routers.spine, 'link', 'add', `dns${r.i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', r.ns);
      ip('-n', routers.spine, 'addr', 'add', `${RES_LINK[r.i - 1]}.1/24`, 'dev', `dns${r.i}`);
      ip('-n', routers.spine, 'link', 'set', `dns${r.i}`, 'up');
      ip('-n', r.ns, 'addr', 'add', `${r.linkAddr}/24`, 'dev', 'eth0');
      ip('-n', r.ns, 'link', 'set', 'eth0', 'up');
      ip('-n', r.ns, 'addr', 'add', `${ANYCAST}/32`, 'dev', 'lo');
      ip('-n', r.ns, 'route', 'add', 'default', 'via', `${RES_LINK[r.i - 1]}.1`);
    }
    ip('-n', routers.spine, 'rule', 'add', 'from', `${SUBNET.a}.0/24`, 'to', `${ANYCAST}/32`, 'lookup', '101', 'pref', '100');
    ip('-n', routers.spine, 'rule', 'add', 'from', `${SUBNET.b}.0/24`, 'to', `${ANYCAST}/32`, 'lookup', '102', 'pref', '101');
    for (const i of [1, 2] as const) for (const r of anycastRoutes(i)) ip('-n', routers.spine, ...r);

    let mgmtSubnet = '';
    if (o.mgmt) {
      for (let k = 0; k < 50 && !mgmtSubnet; k++) {
        const s = freeSubnet();
        if (!RESERVED.has(s)) mgmtSubnet = s;
      }
      if (!mgmtSubnet) throw new Error('no free /24 for the mgmt network');
      const bridge = `fdm-${suffix}`;
      ip('link', 'add', bridge, 'type', 'bridge');
      undo.push({ what: `bridge ${bridge}`, run: () => void ip('link', 'del', bridge) });
      ip('addr', 'add', `${mgmtSubnet}.1/24`, 'dev', bridge);
      ip('link', 'set', bridge, 'up');
      mgmt = { bridge, gateway: `${mgmtSubnet}.1` };
    }
    let k = 0;
    for (const t of ['a', 'b'] as const) {
      for (let n = 1; n <= perTor; n++) {
        const name = `${t}${n}`;
        const ns = nsName(name);
        addNs(ns);
        cable(t, `h-${name}`, ns, 'eth0', `${SUBNET[t]}.${10 + n}/24`);
        ip('-n', ns, 'route', 'add', 'default', 'via', `${SUBNET[t]}.1`, 'dev', 'eth0');
        let mgmtAddr: string | null = null;
        if (mgmt) {
          k++;
          const veth = `fdm${k}-${suffix}`;
          ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'mgmt0', 'netns', ns);
          undo.push({ what: `veth ${veth}`, run: () => void (ip('-o', 'link', 'show').includes(`${veth}@`) && ip('link', 'del', veth)) });
          ip('link', 'set', veth, 'master', mgmt.bridge);
          ip('link', 'set', veth, 'up');
          mgmtAddr = `${mgmtSubnet}.${10 + k}`;
          ip('-n', ns, 'addr', 'add', `${mgmtAddr}/24`, 'dev', 'mgmt0');
          ip('-n', ns, 'link', 'set', 'mgmt0', 'up');
        }
        hosts.push({ name, tor: t, ns, addr: `${SUBNET[t]}.${10 + n}`, mgmtAddr });
      }
    }
  } catch (err) {
    const failed = await net.down();
    throw new Error(`${(err as Error).message}${failed.length ? `; cleaning up also failed: ${failed.join('; ')}` : ''}`);
  }
  return net;
}
