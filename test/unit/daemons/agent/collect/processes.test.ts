// Per-process figures (src-daemons/agent/collect/processes.ts) against a fixture proc tree:
// matching by comm or argv[0]'s basename, the oldest match's pid, CPU % over the interval on
// /proc/uptime (since start on the first sample, all ticks of a process started inside the
// interval, a reused pid as a new process) summed over matches, VmRSS summed, a name not
// running; the figures hook on a real loopback HTTP server (good answer, partial, bad JSON,
// not 200, too large, no answer within the deadline, not loopback, not asked for an absent
// process); and one smoke test against this machine's /proc.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processResult } from '../../../../../src-shared/agent-protocol/messages';
import { askHook, createProcessCollector, parseStat } from '../../../../../src-daemons/agent/collect/processes';

const dirs: string[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

interface FakeProc {
  comm: string;
  argv?: string[];
  ticks: number;
  start: number;
  rssKb?: number;
}

function statLine(pid: number, p: FakeProc): string {
  const utime = Math.floor(p.ticks / 2);
  return `${pid} (${p.comm}) S 1 1 1 0 -1 4194304 10 0 0 0 ${utime} ${p.ticks - utime} 0 0 20 0 1 0 ${p.start} 3133440 379 18446744073709551615\n`;
}

function writeTree(root: string, uptimeSec: number, procs: Record<number, FakeProc>): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'uptime'), `${uptimeSec.toFixed(2)} 1234.00\n`);
  mkdirSync(path.join(root, 'self'));
  for (const [pid, p] of Object.entries(procs)) {
    const dir = path.join(root, pid);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'comm'), `${p.comm}\n`);
    writeFileSync(path.join(dir, 'cmdline'), p.argv ? `${p.argv.join('\0')}\0` : '');
    writeFileSync(path.join(dir, 'stat'), statLine(Number(pid), p));
    writeFileSync(path.join(dir, 'status'), `Name:\t${p.comm}\n${p.rssKb === undefined ? '' : `VmRSS:\t  ${p.rssKb} kB\n`}Threads:\t1\n`);
  }
}

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'agent-procs-'));
  dirs.push(d);
  return d;
}

describe('process collector on a fixture /proc', () => {
  it('matches by comm or argv[0], reports the oldest pid, sums CPU and RSS, and measures CPU over the interval', async () => {
    const root = tmp();
    // uptime 100 s = 10,000 ticks
    writeTree(root, 100, {
      120: { comm: 'nginx', argv: ['nginx: worker process'], ticks: 500, start: 5000, rssKb: 2000 },
      100: { comm: 'nginx', argv: ['/usr/sbin/nginx', '-g', 'daemon off;'], ticks: 1000, start: 0, rssKb: 1000 },
      300: { comm: 'very-long-proce', argv: ['/opt/bin/very-long-process-name', '--x'], ticks: 100, start: 9000, rssKb: 64 },
      400: { comm: 'kworker/0:1', ticks: 5, start: 1 },
      500: { comm: 'a) b (c', argv: ['/bin/odd'], ticks: 100, start: 0 },
    });
    const c = createProcessCollector({ procRoot: root });
    const names = ['nginx', 'very-long-process-name', 'absent', 'a) b (c'];
    const first = await c.sample(names);
    expect(first).toEqual([
      // since start: 100: 1000 of 10,000 ticks; 120: 500 of 5000
      { kind: 'process', name: 'nginx', pid: 100, cpuPct: 20, rssBytes: 3000 * 1024, qps: null, latencyMs: null },
      { kind: 'process', name: 'very-long-process-name', pid: 300, cpuPct: 10, rssBytes: 64 * 1024, qps: null, latencyMs: null },
      { kind: 'process', name: 'absent', pid: null, cpuPct: 0, rssBytes: 0, qps: null, latencyMs: null },
      { kind: 'process', name: 'a) b (c', pid: 500, cpuPct: 1, rssBytes: 0, qps: null, latencyMs: null },
    ]);
    for (const r of first) expect(processResult.parse(r)).toEqual(r);

    // 10 s later (1000 ticks): 100 used 100 more, 120 exited and its pid was reused by another
    // nginx started after the last sample (all its 50 ticks count), 130 started inside the interval
    writeTree(root, 110, {
      100: { comm: 'nginx', argv: ['/usr/sbin/nginx'], ticks: 1100, start: 0, rssKb: 1000 },
      120: { comm: 'nginx', argv: ['nginx: worker process'], ticks: 50, start: 10_500, rssKb: 500 },
      130: { comm: 'nginx', argv: ['nginx: worker process'], ticks: 150, start: 10_200, rssKb: 500 },
      300: { comm: 'very-long-proce', argv: ['/opt/bin/very-long-process-name'], ticks: 400, start: 9000, rssKb: 64 },
    });
    const second = await c.sample(names);
    expect(second[0]).toMatchObject({ pid: 100, cpuPct: 30, rssBytes: 2000 * 1024 });
    expect(second[1]).toMatchObject({ pid: 300, cpuPct: 30 });
    expect(second[3]).toMatchObject({ pid: null, cpuPct: 0 });
  });

  it('reads utime, stime and start time from a stat line whose comm holds spaces and parentheses', () => {
    expect(parseStat(statLine(77, { comm: 'x) (y z', ticks: 9, start: 42 }))).toEqual({ pid: 77, ticks: 9, start: 42 });
    expect(parseStat('garbage')).toBeNull();
  });
});

describe('process figures hook', () => {
  async function hookServer(): Promise<{ base: string; hits: string[] }> {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/ok') return res.end(JSON.stringify({ qps: 12.5, latencyMs: 3, other: 'x' }));
      if (req.url === '/partial') return res.end(JSON.stringify({ qps: 5, latencyMs: -1 }));
      if (req.url === '/bad') return res.end('{not json');
      if (req.url === '/500') return res.writeHead(500).end(JSON.stringify({ qps: 1, latencyMs: 1 }));
      if (req.url === '/big') return res.end(JSON.stringify({ qps: 1, latencyMs: 1, pad: 'x'.repeat(100_000) }));
      if (req.url === '/hang') return; // never answers
      res.writeHead(404).end();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
  }

  it('takes qps and latencyMs from a loopback JSON answer; anything else gives null, never a throw', async () => {
    const { base } = await hookServer();
    expect(await askHook(`${base}/ok`, 1000, 65536)).toEqual({ qps: 12.5, latencyMs: 3 });
    expect(await askHook(`${base}/partial`, 1000, 65536)).toEqual({ qps: 5, latencyMs: null });
    for (const p of ['/bad', '/500', '/big', '/hang', '/missing']) expect(await askHook(`${base}${p}`, 300, 65536), p).toEqual({ qps: null, latencyMs: null });
    for (const url of ['http://10.255.255.1:80/x', 'https://127.0.0.1:1/x', 'not a url', 'http://127.0.0.1:1/refused']) {
      expect(await askHook(url, 300, 65536), url).toEqual({ qps: null, latencyMs: null });
    }
  });

  it('asks the hook of a running process, and not that of a process that is not running', async () => {
    const { base, hits } = await hookServer();
    const root = tmp();
    writeTree(root, 100, { 10: { comm: 'svc', ticks: 1, start: 1 } });
    const r = await createProcessCollector({ procRoot: root }).sample(['svc', 'gone', 'constructor'], { svc: `${base}/ok`, gone: `${base}/counted` });
    expect(r.map((x) => [x.name, x.pid, x.qps, x.latencyMs])).toEqual([['svc', 10, 12.5, 3], ['gone', null, null, null], ['constructor', null, null, null]]);
    expect(hits).toEqual(['/ok']);
  });
});

describe('process collector on this machine', () => {
  it('finds the test process by its comm in the real /proc with its RSS', async () => {
    const comm = readFileSync('/proc/self/comm', 'utf8').trim();
    const c = createProcessCollector();
    await c.sample([comm]);
    const [r] = await c.sample([comm, 'no-such-process-name']);
    expect(processResult.parse(r)).toEqual(r);
    expect(r.pid).not.toBeNull();
    expect(readFileSync(`/proc/${r.pid}/comm`, 'utf8').trim()).toBe(comm);
    expect(r.rssBytes).toBeGreaterThan(0);
  });
});
