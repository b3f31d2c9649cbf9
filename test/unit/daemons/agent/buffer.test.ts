// The agent's on-disk result buffer (src-daemons/agent/buffer.ts): numbering from 1 that
// continues across reopen and is never reused, reads in order within count and byte limits
// and across segments, acks that delete whole segments and persist, the bounds (bytes on
// disk and age) dropping the oldest segments first with a persisted counter, and a torn or
// damaged tail after a crash, both planted in the files and made by kill -9 of a child
// process appending in a loop.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { agentResult, type AgentResultData } from '../../../../src-shared/agent-protocol/messages';
import { openResultBuffer, type ResultBuffer } from '../../../../src-daemons/agent/buffer';

const here = path.dirname(fileURLToPath(import.meta.url));
const status = (n: number): AgentResultData => ({ kind: 'status', state: 'ok', cpuPct: 0.5, rssBytes: n, bufferDepth: 0, bufferBytes: 0, dropped: 0 });
const dirs: string[] = [];
const open: ResultBuffer[] = [];
afterEach(() => {
  for (const b of open.splice(0)) b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'agent-buffer-'));
  dirs.push(d);
  return d;
}
/** Results here carry small `at` values: the clock stands still near them unless a test brings its own. */
function buf(opts: Parameters<typeof openResultBuffer>[0]): ResultBuffer {
  const b = openResultBuffer({ now: () => 100_000, ...opts });
  open.push(b);
  return b;
}
function reopen(b: ResultBuffer, opts: Parameters<typeof openResultBuffer>[0]): ResultBuffer {
  b.close();
  open.splice(open.indexOf(b), 1);
  return buf(opts);
}
const segments = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('seg-')).sort();
const seqs = (b: ResultBuffer, after = 0) => b.read(after, 1_000_000, Infinity).map((r) => r.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('result buffer: numbering and reads', () => {
  it('numbers results from 1, reads them back in order as valid protocol results, and continues the sequence after reopening', () => {
    const dir = tmp();
    let b = buf({ dir });
    const first = b.append(status(1), 1000);
    expect(first).toEqual({ seq: 1, at: 1000, data: status(1) });
    for (let i = 2; i <= 10; i++) b.append(status(i), 1000 + i);
    const read = b.read(0, 100, Infinity);
    expect(read.map((r) => r.seq)).toEqual(range(1, 10));
    for (const r of read) expect(agentResult.parse(r)).toEqual(r);
    expect(read[4].data).toEqual(status(5));
    expect([b.lastSeq, b.depth, b.ackedSeq]).toEqual([10, 10, 0]);

    b = reopen(b, { dir });
    expect(b.lastSeq).toBe(10);
    expect(b.append(status(11), 2000).seq).toBe(11);
    expect(seqs(b)).toEqual(range(1, 11));
  });

  it('keeps to maxCount and maxBytes, always returns at least one result, starts after afterSeq and reads across segments', () => {
    const dir = tmp();
    const b = buf({ dir, segmentBytes: 1000, maxBytes: 1_000_000 });
    for (let i = 1; i <= 100; i++) b.append(status(i), i);
    expect(segments(dir).length).toBeGreaterThan(5);
    expect(b.read(0, 7).map((r) => r.seq)).toEqual(range(1, 7));
    expect(b.read(40, 30).map((r) => r.seq)).toEqual(range(41, 70));
    expect(b.read(95, 30).map((r) => r.seq)).toEqual(range(96, 100));
    expect(b.read(100, 30)).toEqual([]);
    const threeBytes = b.read(10, 3).reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
    expect(b.read(10, 100, threeBytes).map((r) => r.seq)).toEqual([11, 12, 13]);
    expect(b.read(10, 100, threeBytes - 1).map((r) => r.seq)).toEqual([11, 12]);
    expect(b.read(10, 100, 1).map((r) => r.seq)).toEqual([11]);
    expect(b.read(10, 0)).toEqual([]);
  });

  it('refuses a second open of the same directory in one process and a result time that is not whole ms', () => {
    const dir = tmp();
    const b = buf({ dir });
    expect(() => openResultBuffer({ dir })).toThrow(/already open/);
    expect(() => b.append(status(1), 1.5)).toThrow(RangeError);
    expect(b.lastSeq).toBe(0);
  });
});

describe('result buffer: acknowledgement', () => {
  it('deletes the segments an ack covers, never returns acked results, and keeps the ack across reopening', () => {
    const dir = tmp();
    let b = buf({ dir, segmentBytes: 1000, maxBytes: 1_000_000 });
    for (let i = 1; i <= 60; i++) b.append(status(i), i);
    const before = segments(dir);
    b.ack(30);
    const after = segments(dir);
    expect(after.length).toBeLessThan(before.length);
    const firstKept = Number(/seg-(\d+)/.exec(after[0])![1]);
    expect(firstKept).toBeLessThanOrEqual(31);
    expect(seqs(b)).toEqual(range(31, 60));
    expect(seqs(b, 10)).toEqual(range(31, 60));
    expect(b.depth).toBe(30);
    expect(JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'))).toMatchObject({ ackedSeq: 30, lastSeq: 60 });

    b = reopen(b, { dir, segmentBytes: 1000, maxBytes: 1_000_000 });
    expect([b.ackedSeq, b.lastSeq, b.depth]).toEqual([30, 60, 30]);
    expect(seqs(b)[0]).toBe(31);
    b.ack(60);
    expect(b.depth).toBe(0);
    expect(b.read(0, 10)).toEqual([]);
    expect(b.append(status(61), 61).seq).toBe(61);
    expect(seqs(b)).toEqual([61]);
  });

  it('moves the sequence past an ack beyond lastSeq (the console has seen those numbers) and remembers it with no segment left', () => {
    const dir = tmp();
    let b = buf({ dir });
    b.append(status(1), 1);
    b.ack(500);
    expect([b.lastSeq, b.ackedSeq, b.depth]).toEqual([500, 500, 0]);
    b = reopen(b, { dir });
    expect(segments(dir)).toEqual([]);
    expect(b.append(status(2), 2).seq).toBe(501);
    b.ack(3); // stale, lower ack: no effect
    expect(b.ackedSeq).toBe(500);
  });
});

describe('result buffer: bounds', () => {
  it('past maxBytes drops the oldest unacked results first, whole segments, counted, and the count survives reopening', () => {
    const dir = tmp();
    const opts = { dir, maxBytes: 4000, segmentBytes: 1000 };
    let b = buf(opts);
    for (let i = 1; i <= 200; i++) {
      b.append(status(i), i);
      expect(b.bytes).toBeLessThanOrEqual(4000);
    }
    const held = seqs(b);
    expect(held.at(-1)).toBe(200);
    expect(held).toEqual(range(held[0], 200)); // oldest gone, the rest contiguous
    expect(b.dropped).toBe(held[0] - 1);
    expect(b.depth).toBe(held.length);
    const onDisk = segments(dir).reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
    expect(onDisk).toBe(b.bytes);
    b = reopen(b, opts);
    expect(b.dropped).toBe(held[0] - 1);
    expect(seqs(b)).toEqual(held);
  });

  it('does not count acknowledged results it deletes to stay under maxBytes as dropped', () => {
    const dir = tmp();
    const b = buf({ dir, maxBytes: 4000, segmentBytes: 1000 });
    for (let i = 1; i <= 200; i++) {
      b.append(status(i), i);
      b.ack(i);
    }
    expect(b.dropped).toBe(0);
    expect(b.depth).toBe(0);
  });

  it('past maxAgeMs drops segments whose newest result is older than the bound, counted, and keeps younger ones', () => {
    const dir = tmp();
    let clock = 1_000_000;
    const b = buf({ dir, maxAgeMs: 10_000, segmentBytes: 1000, maxBytes: 1_000_000, now: () => clock });
    for (let i = 1; i <= 30; i++) b.append(status(i), clock - 20_000); // already too old
    const youngFrom = b.lastSeq + 1;
    for (let i = 0; i < 30; i++) b.append(status(i), clock);
    clock += 5000; // the young ones are 5 s old
    const held = seqs(b);
    expect(held).toContain(youngFrom);
    expect(held.at(-1)).toBe(youngFrom + 29);
    expect(held[0]).toBeGreaterThan(1);
    expect(b.dropped).toBe(held[0] - 1);
    clock += 20_000; // now everything is too old
    expect(b.read(0, 100)).toEqual([]);
    expect(b.dropped).toBe(youngFrom + 29);
    expect(b.append(status(0), clock).seq).toBe(youngFrom + 30);
  });
});

describe('result buffer: crashes', () => {
  it('ignores a torn last line on reopen, gives its number to the next result, and appends on a clean line', () => {
    const dir = tmp();
    const opts = { dir, segmentBytes: 1000, maxBytes: 1_000_000 };
    let b = buf(opts);
    for (let i = 1; i <= 20; i++) b.append(status(i), i);
    b.close();
    open.splice(0);
    const last = segments(dir).at(-1)!;
    appendFileSync(path.join(dir, last), '{"seq":21,"at":21,"data":{"kind":"sta'); // kill -9 mid-write
    b = buf(opts);
    expect(b.lastSeq).toBe(20);
    expect(b.append(status(21), 21).seq).toBe(21);
    expect(seqs(b)).toEqual(range(1, 21));
    expect(b.read(20, 1)[0].data).toEqual(status(21));
  });

  it('cuts a newline-terminated garbage tail and deletes a segment left empty', () => {
    const dir = tmp();
    const opts = { dir, segmentBytes: 1000, maxBytes: 1_000_000 };
    let b = buf(opts);
    for (let i = 1; i <= 20; i++) b.append(status(i), i);
    b.close();
    open.splice(0);
    appendFileSync(path.join(dir, segments(dir).at(-1)!), '\0\0\0\0\n{"seq":21,"at"\n');
    writeFileSync(path.join(dir, 'seg-0000000000000021.jsonl'), '{"seq":21,"at":21,"da');
    b = buf(opts);
    expect(segments(dir)).not.toContain('seg-0000000000000021.jsonl');
    expect(b.lastSeq).toBe(20);
    expect(b.append(status(21), 21).seq).toBe(21);
    expect(seqs(b)).toEqual(range(1, 21));
  });

  it('skips a damaged line in the middle of a segment instead of failing the read', () => {
    const dir = tmp();
    const opts = { dir, maxBytes: 1_000_000 };
    let b = buf(opts);
    for (let i = 1; i <= 5; i++) b.append(status(i), i);
    b.close();
    open.splice(0);
    const file = path.join(dir, segments(dir)[0]);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2].replace('"kind"', '"ki\0d"').slice(0, -3) + 'xx}';
    writeFileSync(file, lines.join('\n'));
    b = buf(opts);
    expect(seqs(b)).toEqual([1, 2, 4, 5]);
  });

  it('reopens cleanly after kill -9 of a process appending in a loop: contiguous from 1, and the sequence continues', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'buffer-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (/appended 3000\b/.test(out)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`writer exited with ${code}`)));
    });
    process.kill(child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('close', r));
    const reported = Math.max(...[...out.matchAll(/appended (\d+)/g)].map((m) => Number(m[1])));
    const b = buf({ dir, segmentBytes: 4096, maxBytes: 1 << 30 });
    expect(b.lastSeq).toBeGreaterThanOrEqual(reported); // every append that returned is there
    expect(seqs(b)).toEqual(range(1, b.lastSeq));
    const next = b.append(status(0), 1).seq;
    expect(next).toBe(b.lastSeq);
    expect(seqs(b).at(-1)).toBe(next);
  });
});
