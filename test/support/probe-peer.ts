// A small peer the namespace tests run inside a host namespace (`ip netns exec NS node --import
// tsx test/support/probe-peer.ts ...`), so the kernel's real behaviour is what gets measured:
//   serve <addr> <tcpPort> <udpPort>   TCP: accept and close; UDP: echo; prints "ready", then
//                                      runs the commands below read as lines on stdin, one at a
//                                      time, each answered by one JSON line ({"error": ...} on a
//                                      failure), so a test measures without starting a process
//   tcp <port> <timeoutMs> <count> <addr>...   count connects to each address, at most 32 in
//                                      flight; prints JSON {addr: [ms | -1 failed]}
//   udp <port> <timeoutMs> <count> <addr>...   count echoes (one at a time) per address; same JSON
//   dns <addr> <count>                 count CHAOS TXT id.server queries to addr:53, each from a
//                                      new socket; prints JSON [name | null]
// Times are from connect()/send() to 'connect'/the echo, in ms with microsecond resolution.
import dgram from 'node:dgram';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { decodeDnsReply, DNS_CLASS, DNS_TYPE, encodeDnsQuery } from '../../src-main/lab/probes/dns-responder';

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

function connectOnce(addr: string, port: number, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = now();
    const s = net.connect({ host: addr, port });
    const done = (v: number): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(-1), timeoutMs);
    s.once('connect', () => done(now() - t0));
    s.once('error', () => done(-1));
  });
}

async function tcp(port: number, timeoutMs: number, count: number, addrs: string[]): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = Object.fromEntries(addrs.map((a) => [a, []]));
  const jobs = addrs.flatMap((a) => Array.from({ length: count }, () => a));
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(32, jobs.length) }, async () => {
    while (next < jobs.length) {
      const a = jobs[next++];
      out[a].push(await connectOnce(a, port, timeoutMs));
    }
  }));
  return out;
}

async function udp(port: number, timeoutMs: number, count: number, addrs: string[]): Promise<Record<string, number[]>> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, r));
  const out: Record<string, number[]> = {};
  let waiting: ((m: Buffer) => void) | null = null;
  s.on('message', (m) => waiting?.(m));
  for (const a of addrs) {
    out[a] = [];
    for (let i = 0; i < count; i++) {
      const tag = Buffer.from(`${a}#${i}`);
      const t0 = now();
      out[a].push(await new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(-1), timeoutMs);
        waiting = (m) => {
          if (!m.equals(tag)) return;
          clearTimeout(timer);
          resolve(now() - t0);
        };
        s.send(tag, port, a);
      }));
    }
  }
  s.close();
  return out;
}

function dnsOnce(addr: string, id: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (v: string | null): void => {
      clearTimeout(timer);
      s.close();
      resolve(v);
    };
    const timer = setTimeout(() => done(null), 1500);
    s.on('message', (m) => {
      const r = decodeDnsReply(m);
      if (r?.id === id) done(r.answers[0]?.txt?.[0] ?? null);
    });
    s.send(encodeDnsQuery({ id, name: 'id.server', type: DNS_TYPE.TXT, klass: DNS_CLASS.CH }), 53, addr);
  });
}

const int = (s: string | undefined, what: string): number => {
  if (!s || !/^\d+$/.test(s)) throw new Error(`${what} must be a whole number, got '${s ?? ''}'`);
  return Number(s);
};

/** One measuring command (tcp | udp | dns with its arguments); its JSON-able result. */
async function command([mode, ...rest]: string[]): Promise<unknown> {
  if (mode === 'tcp' || mode === 'udp') {
    const [port, timeoutMs, count, ...addrs] = rest;
    return (mode === 'tcp' ? tcp : udp)(int(port, 'port'), int(timeoutMs, 'timeoutMs'), int(count, 'count'), addrs);
  }
  if (mode === 'dns') return Promise.all(Array.from({ length: int(rest[1], 'count') }, (_, i) => dnsOnce(rest[0], 1 + i)));
  throw new Error(`unknown mode '${mode ?? ''}' (serve | tcp | udp | dns)`);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] !== 'serve') {
    process.stdout.write(`${JSON.stringify(await command(argv))}\n`);
    return;
  }
  const [, addr, tcpPort, udpPort] = argv;
  const server = net.createServer((c) => c.destroy());
  await new Promise<void>((r) => server.listen({ host: addr, port: int(tcpPort, 'tcpPort'), backlog: 1024 }, r));
  const echo = dgram.createSocket('udp4');
  echo.on('message', (m, r) => echo.send(m, r.port, r.address));
  await new Promise<void>((r) => echo.bind(int(udpPort, 'udpPort'), addr, r));
  process.on('SIGTERM', () => process.exit(0));
  let queue = Promise.resolve();
  createInterface({ input: process.stdin }).on('line', (line) => {
    queue = queue.then(async () => {
      const out = await command(line.trim().split(/\s+/)).catch((err: Error) => ({ error: err.message }));
      process.stdout.write(`${JSON.stringify(out)}\n`);
    });
  });
  process.stdout.write('ready\n');
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`probe-peer: ${err.message}\n`);
  process.exit(2);
});
