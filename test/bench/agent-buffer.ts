// Agent result buffer benchmark (printed, not asserted): append throughput and bytes per
// result for realistic metrics results (4 disks, 3 interfaces) and small status results,
// reads in link-sized batches (1,000 results or 960 KiB) both at the tail (the console
// keeping up) and from the oldest segment (catching up after an outage), ack throughput,
// reopen time with the results on disk, and append with fsync on. In a temp dir, removed after.
// Usage: node --import tsx test/bench/agent-buffer.ts [--results 200000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AgentResultData } from '../../src-shared/agent-protocol/messages';
import { openResultBuffer } from '../../src-daemons/agent/buffer';

const { values } = parseArgs({ options: { results: { type: 'string', default: '200000' } } });
const N = Number(values.results);
const BATCH = 1000;
const BATCH_BYTES = 960 * 1024;

const metrics = (i: number): AgentResultData => ({
  kind: 'metrics', cpuIdlePct: 87.5 + (i % 10) / 10, load: [0.42, 0.38, 0.35], memTotalBytes: 67_430_617_088, memFreeBytes: 41_000_000_000 + i,
  disks: ['/', '/boot', '/var', '/data'].map((mount, k) => ({ mount, totalBytes: 1_000_000_000_000 * (k + 1), usedBytes: 400_000_000_000 + i * 4096 })),
  nets: ['lo', 'eth0', 'eth1'].map((iface) => ({ iface, rxBytes: 9_000_000_000 + i * 1500, txBytes: 7_000_000_000 + i * 900, rxPackets: 6_000_000 + i, txPackets: 5_000_000 + i, rxErrors: 0, txErrors: 0 })),
});
const status = (i: number): AgentResultData => ({ kind: 'status', state: 'ok', cpuPct: 0.4, rssBytes: 41_000_000 + i, bufferDepth: i, bufferBytes: i * 300, dropped: 0 });

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const rate = (n: number, t: number) => `${Math.round((n / t) * 1000).toLocaleString('en')}/s`;

function run(label: string, make: (i: number) => AgentResultData, n: number): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-agent-buffer-'));
  try {
    const at = Date.now();
    let b = openResultBuffer({ dir, maxBytes: 4 * 1024 * 1024 * 1024 });
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) b.append(make(i), at);
    const appendMs = ms(t0);
    const bytes = b.bytes;

    // The console keeping up: read each batch right after it was appended (the current segment).
    const dir2 = mkdtempSync(path.join(tmpdir(), 'bench-agent-buffer-tail-'));
    const tail = openResultBuffer({ dir: dir2, maxBytes: 4 * 1024 * 1024 * 1024 });
    let tailRead = 0;
    let tailMs = 0;
    for (let i = 0; i < n; i += BATCH) {
      for (let k = i; k < Math.min(n, i + BATCH); k++) tail.append(make(k), at);
      const t = process.hrtime.bigint();
      const got = tail.read(tail.ackedSeq, BATCH, BATCH_BYTES);
      tail.ack(got.at(-1)!.seq);
      tailMs += ms(t);
      tailRead += got.length;
    }
    tail.close();
    rmSync(dir2, { recursive: true, force: true });

    // Catching up: read everything from the oldest segment, then ack it all.
    t0 = process.hrtime.bigint();
    let after = 0;
    let read = 0;
    let batches = 0;
    for (;;) {
      const got = b.read(after, BATCH, BATCH_BYTES);
      if (got.length === 0) break;
      after = got.at(-1)!.seq;
      read += got.length;
      batches++;
    }
    const readMs = ms(t0);

    b.close();
    t0 = process.hrtime.bigint();
    b = openResultBuffer({ dir, maxBytes: 4 * 1024 * 1024 * 1024 });
    const reopenMs = ms(t0);
    const depth = b.depth;

    t0 = process.hrtime.bigint();
    for (let s = BATCH; s <= n; s += BATCH) b.ack(s);
    const ackMs = ms(t0);
    b.close();

    console.log(`\n${label}: ${n.toLocaleString('en')} results, ${(bytes / n).toFixed(0)} bytes per result on disk, ${(bytes / 1024 / 1024).toFixed(1)} MiB`);
    console.log(`  append                ${rate(n, appendMs)}  (${((bytes / 1024 / 1024) / (appendMs / 1000)).toFixed(0)} MiB/s)`);
    console.log(`  read at the tail      ${rate(tailRead, tailMs)}  (read + ack, batches of up to ${BATCH})`);
    console.log(`  read catching up      ${rate(read, readMs)}  (${batches} batches, ${(read / batches).toFixed(0)} per batch)`);
    console.log(`  reopen                ${reopenMs.toFixed(1)} ms with ${depth.toLocaleString('en')} unacked on disk`);
    console.log(`  ack                   ${rate(n / BATCH, ackMs)} acks (one per ${BATCH} results, state.json write + rename each)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fsyncRun(n: number): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-agent-buffer-fsync-'));
  try {
    const b = openResultBuffer({ dir, fsync: true });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) b.append(status(i), Date.now());
    const t = ms(t0);
    b.close();
    console.log(`\nfsync on: ${n.toLocaleString('en')} status results appended at ${rate(n, t)} (one fsync per append)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run('metrics results', metrics, N);
run('status results', status, N);
fsyncRun(Math.min(N, 2000));
console.log('\nAn agent reporting every 10 s (metrics, a status, ~10 processes) appends ~12 results per interval: ~1 per second.');
