// The ground the probe matrix's acceptance runs on (test/support/probe-netns.ts), checked
// against the kernel's real behaviour, as root: two ToR namespaces (a bridge each) under a
// spine router and a second router, 3 host namespaces per ToR, two resolver namespaces holding
// one anycast address. Each host runs test/support/probe-peer.ts serve (TCP accept-and-close,
// UDP echo) on its ToR address; the resolvers run the lab DNS responder's program.
//  - every host reaches every other (TCP connect), under its ToR and across the spine, and the
//    console-side mgmt bridge reaches every host;
//  - 5% random drop on a1's link (nft numgen, both directions) and a 20 ms NFQUEUE delay on b2's
//    (outbound): from every host, 80 connects to every other host at once; connects of about
//    one or two SYN retransmission timeouts (>= 1 s) appear on a1's pairs, none on any other
//    pair; every connect on b2's pairs took >= 20 ms, the other pairs' medians are a few ms;
//  - ToR a's uplinks cut: a's hosts still reach each other, nothing crosses to b either way;
//    restored, it crosses again;
//  - routeVia(a3, 'spine2'): `traceroute -n -U` from a3 to b1 shows spine2's address as the
//    first hop instead of the spine's, and the spine's again after switching back;
//  - the anycast resolver answers 'dns-1' to ToR a's hosts and 'dns-2' to b's; stopResolver(1)
//    (its routes withdrawn): a's hosts get 'dns-2'; restored: 'dns-1' again.
// Figures printed: slow connects per pair, medians, wall time of each step. The measuring runs
// go to each host's long-lived peer over its stdin (no process start per measurement).
// Skips (saying why) when not root, without `ip netns`, or without gcc and libnetfilter-queue-dev.
import { execFileSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsCheck } from '../../support/netns';
import { nfqDelayCheck } from '../../support/nfq-delay';
import { readyLine, upProbeNet, type ProbeNet, type ProbeNetHost } from '../../support/probe-netns';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const PEER = path.join(root, 'test/support/probe-peer.ts');
const TCP = 7000;
const UDP = 7001;
const check = netnsCheck();
const nfq = nfqDelayCheck();
const nft = ((): string => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return '';
  } catch {
    return 'nft is not installed (apt-get install nftables)';
  }
})();
const skipReason = !check.ok ? check.reason : !nfq.ok ? nfq.reason : nft;

let lab: ProbeNet | null = null;
const figures: string[] = [];
const n = (): ProbeNet => lab ?? (() => { throw new Error('the namespaces are not up'); })();
const peers = new Map<string, (args: (string | number)[]) => Promise<unknown>>();
/** Runs a measuring command on the host's long-lived peer (test/support/probe-peer.ts serve reads them on stdin). */
const peer = async <T>(h: ProbeNetHost, args: (string | number)[]): Promise<T> => (await peers.get(h.name)!(args)) as T;
function link(child: ChildProcess): (args: (string | number)[]) => Promise<unknown> {
  const waiting: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (line !== 'ready') waiting.shift()?.(line);
    }
  });
  return (args) =>
    new Promise((resolve, reject) => {
      waiting.push((line) => {
        const v = JSON.parse(line) as { error?: string };
        if (v && typeof v === 'object' && 'error' in v) reject(new Error(`probe-peer ${args.join(' ')}: ${v.error}`));
        else resolve(v);
      });
      child.stdin!.write(`${args.join(' ')}\n`);
    });
}
const others = (h: ProbeNetHost): ProbeNetHost[] => n().hosts.filter((o) => o !== h);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timed = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
  const t0 = Date.now();
  try {
    return await f();
  } finally {
    figures.push(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
};
/** One connect from `from` to each of `to`: true where it connected within 1.5 s. */
const reach = async (from: string, to: string[]): Promise<boolean[]> => {
  const r = await peer<Record<string, number[]>>(n().host(from), ['tcp', TCP, 1500, 1, ...to.map((t) => n().host(t).addr)]);
  return to.map((t) => r[n().host(t).addr][0] >= 0);
};
const whoAnswers = async (): Promise<Record<string, (string | null)[]>> =>
  Object.fromEntries(await Promise.all(n().hosts.map(async (h) => [h.name, await peer<(string | null)[]>(h, ['dns', n().anycast, 4])] as const)));

describe.skipIf(skipReason !== '')(`probe matrix ground: namespaces shaped like two ToRs and a spine${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    await timed('up (12 namespaces, peers, resolvers)', async () => {
      lab = await upProbeNet({ mgmt: true });
      const l = lab;
      await Promise.all([
        ...l.hosts.map((h) => {
          const child = l.spawnIn(h.ns, [process.execPath, '--import', 'tsx', PEER, 'serve', h.addr, String(TCP), String(UDP)], { stdio: ['pipe', 'pipe', 'pipe'] });
          peers.set(h.name, link(child));
          return readyLine(child);
        }),
        l.startResolvers(),
      ]);
    });
  });

  afterAll(async () => {
    if (lab) expect(await lab.down()).toEqual([]);
    console.log(`netns ground figures:\n  ${figures.join('\n  ')}`);
  });

  it('every host reaches every other, under its ToR and across the spine; the mgmt bridge reaches each host', async () => {
    const l = n();
    expect(l.hosts.map((h) => h.name)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    const all = await Promise.all(l.hosts.map(async (h) => peer<Record<string, number[]>>(h, ['tcp', TCP, 2000, 1, ...others(h).map((o) => o.addr)])));
    const failed = all.flatMap((r, i) => Object.entries(r).filter(([, ms]) => ms[0] < 0).map(([addr]) => `${l.hosts[i].name} -> ${addr}`));
    expect(failed).toEqual([]);
    // The console side: a listener in this process on the mgmt bridge, dialled from each host.
    const server = net.createServer((c) => c.end(`hello ${c.remoteAddress}\n`));
    await new Promise<void>((r) => server.listen(0, l.mgmt!.gateway, r));
    const port = (server.address() as net.AddressInfo).port;
    const got = await Promise.all(l.hosts.map((h) => l.exec(h.ns, [process.execPath, '-e', `require('net').connect(${port}, '${l.mgmt!.gateway}').on('data', (d) => { process.stdout.write(d); process.exit(0); })`], { timeoutMs: 10_000 })));
    await new Promise<void>((r) => server.close(() => r()));
    expect(got.map((g) => g.trim())).toEqual(l.hosts.map((h) => `hello ${h.mgmtAddr}`));
  });

  it("a 5% drop on a1's link shows as SYN retransmissions on a1's pairs only; a 20 ms NFQUEUE delay on b2's shows on b2's pairs only", async () => {
    const l = n();
    await l.dropOnHostLink('a1', 5);
    await l.delayHostLink('b2', 20);
    let tcp: Record<string, number[]>[] = [];
    let udp: Record<string, number[]>[] = [];
    try {
      // Many connects at once for the drops (only >= 1 s matters), then echoes one at a time for the delays.
      tcp = await timed('2,400 TCP connects (80 per directed pair, 6 hosts at once)', () => Promise.all(l.hosts.map((h) => peer<Record<string, number[]>>(h, ['tcp', TCP, 4000, 80, ...others(h).map((o) => o.addr)]))));
      udp = await timed('300 UDP echoes (10 per directed pair, one at a time per host)', () => Promise.all(l.hosts.map((h) => peer<Record<string, number[]>>(h, ['udp', UDP, 300, 10, ...others(h).map((o) => o.addr)]))));
    } finally {
      await l.clearHostLink('a1');
      await l.clearHostLink('b2');
    }
    const byAddr = new Map(l.hosts.map((h) => [h.addr, h.name]));
    /** Samples per unordered pair: both directions together. */
    const byPair = (runs: Record<string, number[]>[]): Map<string, number[]> => {
      const pairs = new Map<string, number[]>();
      runs.forEach((r, i) => {
        for (const [addr, ms] of Object.entries(r)) {
          const key = [l.hosts[i].name, byAddr.get(addr)!].sort().join('-');
          pairs.set(key, [...(pairs.get(key) ?? []), ...ms]);
        }
      });
      return new Map([...pairs].sort(([a], [b]) => a.localeCompare(b)));
    };
    const slow = (ms: number[]): number => ms.filter((x) => x < 0 || x >= 1000).length;
    const ok = (ms: number[]): number[] => ms.filter((x) => x >= 0);
    const tcpPairs = byPair(tcp);
    const udpPairs = byPair(udp);
    expect([...tcpPairs.keys()]).toHaveLength(15);
    for (const [key, ms] of tcpPairs) {
      const echo = udpPairs.get(key)!;
      figures.push(`${key}: TCP slow ${slow(ms)}/${ms.length}, min ${Math.min(...ok(ms)).toFixed(2)} ms; UDP echo min ${Math.min(...ok(echo)).toFixed(2)} p50 ${median(ok(echo)).toFixed(2)} ms (${echo.length - ok(echo).length} lost)`);
      expect(ms, key).toHaveLength(160);
      const [hasA1, hasB2] = ['a1', 'b2'].map((h) => key.split('-').includes(h));
      if (hasA1) expect(slow(ms), key).toBeGreaterThan(0);
      else expect(slow(ms), key).toBe(0);
      if (hasB2) {
        expect(Math.min(...ok(ms)), key).toBeGreaterThanOrEqual(20);
        expect(Math.min(...ok(echo)), key).toBeGreaterThanOrEqual(20);
      } else expect(median(ok(echo)), key).toBeLessThan(10);
    }
    const a1Slow = [...tcpPairs].filter(([k]) => k.includes('a1')).reduce((s, [, ms]) => s + slow(ms), 0);
    figures.push(`a1's pairs: ${a1Slow} of 800 connects took a SYN retransmission (5% each way: ~9.75% expected)`);
  });

  it("cutting ToR a's uplink stops traffic across the spine both ways, not under the ToR; restoring it brings it back", async () => {
    const l = n();
    l.cutUplink('a');
    try {
      expect(await Promise.all([reach('a2', ['a3', 'a1', 'b1']), reach('b1', ['b2', 'a2'])])).toEqual([[true, true, false], [true, false]]);
    } finally {
      l.restoreUplink('a');
    }
    expect(await reach('a2', ['b1', 'b3'])).toEqual([true, true]);
  });

  it("routeVia(a3, 'spine2') changes the path traceroute -n -U prints; back through the spine it changes again", async () => {
    const l = n();
    const b1 = l.host('b1').addr;
    const trace = async (): Promise<string[]> => {
      const out = await l.exec(l.host('a3').ns, ['traceroute', '-n', '-U', '-q', '1', '-w', '1', '-m', '5', b1], { timeoutMs: 20_000 });
      return out.split('\n').slice(1).map((line) => /^\s*\d+\s+(\S+)/.exec(line)?.[1]).filter((x): x is string => !!x);
    };
    const [spine, spine2] = [l.tors[0].gateways.spine, l.tors[0].gateways.spine2];
    expect(await trace()).toEqual([spine, b1]);
    l.routeVia('a3', 'spine2');
    expect(await trace()).toEqual([spine2, b1]);
    l.routeVia('a3', 'spine');
    expect(await trace()).toEqual([spine, b1]);
  });

  it("the anycast resolver answers instance 1 to ToR a's hosts and 2 to b's; after stopResolver(1) a's hosts get instance 2", async () => {
    const l = n();
    const expectAnswers = (got: Record<string, (string | null)[]>, a: string, b: string): void =>
      expect(got).toEqual(Object.fromEntries(l.hosts.map((h) => [h.name, Array(4).fill(h.tor === 'a' ? a : b)])));
    expectAnswers(await whoAnswers(), 'dns-1', 'dns-2');
    l.stopResolver(1);
    try {
      expectAnswers(await whoAnswers(), 'dns-2', 'dns-2');
    } finally {
      l.restoreResolver(1);
    }
    expectAnswers(await whoAnswers(), 'dns-1', 'dns-2');
    l.stopResolver(2);
    try {
      expectAnswers(await whoAnswers(), 'dns-1', 'dns-1');
    } finally {
      l.restoreResolver(2);
    }
  });
});
