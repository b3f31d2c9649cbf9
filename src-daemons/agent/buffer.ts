// The agent's bounded on-disk buffer of results (issue 13): each result gets the next
// sequence number and is kept until the console acknowledges it, across agent restarts and
// console outages; the link reads unacknowledged results in order and acks what the store
// committed. In `dir`:
//  - seg-<first seq, 16 digits>.jsonl: append-only segments, one JSON result per line (seq,
//    at, data in that order), rotated at segmentBytes (default 4 MiB, at most maxBytes / 4).
//  - state.json {ackedSeq, lastSeq, dropped}: temporary file + rename, on every ack, drop, close.
// Segments whose results are all acknowledged are deleted (the one being written, when it is
// rotated). Past maxBytes (default 256 MiB on disk) or maxAgeMs (default 24 h, judged by a
// segment's newest `at`, so nothing younger is dropped) the OLDEST segments go first, whole;
// their unacknowledged results are counted in `dropped` (persisted).
// A crash (kill -9) mid-write leaves a torn last line: reopening cuts each segment back to its
// last line that parses and deletes a segment left empty; the torn result's number goes to
// the next result. That is right: append() had not returned, so no one (link, console) saw
// it. Numbers that did leave are never reused: lastSeq is the largest of the segments' last
// lines, state.json's lastSeq and ackedSeq, and ack(upTo) beyond lastSeq (the console has seen
// more than this disk holds: a wiped dir, an OS crash with fsync off) moves the sequence past
// upTo. fsync off (default): an OS crash can lose the last lines; on: every write is synced.
// read() is cheap: an in-memory list of segments (first and last seq, bytes, newest at), and a
// line index (offset, length, seq in typed arrays) for the segment being written and one other
// (a catching-up reader's), so a read is a binary search and one readSync of the range it
// returns. A line that does not parse (a disk fault) is skipped, never thrown.
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { AgentResult, AgentResultData } from '../../src-shared/agent-protocol/messages';

export interface ResultBufferOptions {
  readonly dir: string;
  readonly maxBytes?: number;
  readonly maxAgeMs?: number;
  readonly segmentBytes?: number;
  /** Wall-clock ms, compared with results' `at` for maxAgeMs (default Date.now). */
  readonly now?: () => number;
  readonly fsync?: boolean;
}

export interface ResultBuffer {
  /** Stores a result under the next sequence number (from 1, never reused). */
  append(data: AgentResultData, at: number): AgentResult;
  /** Unacknowledged results with seq > afterSeq in order: at most maxCount, and at most maxBytes of JSON (but always the first one). */
  read(afterSeq: number, maxCount: number, maxBytes?: number): AgentResult[];
  /** The console has committed every result up to upTo. */
  ack(upTo: number): void;
  readonly lastSeq: number;
  readonly ackedSeq: number;
  /** Unacknowledged results held. */
  readonly depth: number;
  /** Bytes of segment files on disk (what maxBytes bounds). */
  readonly bytes: number;
  /** Unacknowledged results dropped past the bounds, ever. */
  readonly dropped: number;
  close(): void;
}

const SEGMENT_RE = /^seg-(\d{16})\.jsonl$/;
const STATE = 'state.json';
const NL = 0x0a;
const openDirs = new Set<string>();

/** A segment's lines: byte offset, length (no newline) and seq of each, in typed arrays. */
class LineIndex {
  starts = new Uint32Array(256);
  lens = new Uint32Array(256);
  seqs = new Float64Array(256);
  n = 0;
  push(start: number, len: number, seq: number): void {
    if (this.n === this.seqs.length) {
      const starts = new Uint32Array(this.n * 2);
      const lens = new Uint32Array(this.n * 2);
      const seqs = new Float64Array(this.n * 2);
      starts.set(this.starts);
      lens.set(this.lens);
      seqs.set(this.seqs);
      Object.assign(this, { starts, lens, seqs });
    }
    this.starts[this.n] = start;
    this.lens[this.n] = len;
    this.seqs[this.n++] = seq;
  }
  /** The first line whose seq is greater than `seq`. */
  after(seq: number): number {
    return firstAbove(this.n, (i) => this.seqs[i], seq);
  }
}

interface Segment {
  readonly file: string;
  readonly firstSeq: number;
  lastSeq: number;
  bytes: number;
  lastAt: number;
  index: LineIndex | null;
}

export function openResultBuffer(opts: ResultBufferOptions): ResultBuffer {
  const dir = path.resolve(opts.dir);
  const maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  const maxAgeMs = opts.maxAgeMs ?? 24 * 3600 * 1000;
  const segmentBytes = Math.max(1, Math.min(opts.segmentBytes ?? 4 * 1024 * 1024, Math.floor(maxBytes / 4), 1 << 30));
  const now = opts.now ?? Date.now;
  const sync = opts.fsync ?? false;
  if (openDirs.has(dir)) throw new Error(`The result buffer in ${dir} is already open in this process`);
  mkdirSync(dir, { recursive: true });

  const state = readState(path.join(dir, STATE));
  let ackedSeq = state.ackedSeq;
  let dropped = state.dropped;
  const segments: Segment[] = [];
  for (const name of readdirSync(dir).filter((n) => SEGMENT_RE.test(n)).sort()) {
    const seg = loadSegment(path.join(dir, name), Number(SEGMENT_RE.exec(name)![1]));
    if (seg) segments.push(seg);
  }
  let lastSeq = Math.max(state.lastSeq, ackedSeq, segments.at(-1)?.lastSeq ?? 0);
  let current: { seg: Segment; fd: number } | null = null;
  /** The one other segment whose index is kept (a catching-up reader's). */
  let cached: Segment | null = null;
  let closed = false;
  for (const seg of segments.filter((s) => s.lastSeq <= ackedSeq)) removeSegment(seg);
  const tail = segments.at(-1);
  if (tail && tail.bytes < segmentBytes) {
    tail.index = buildIndex(tail);
    current = { seg: tail, fd: openSync(tail.file, 'a+') };
  }
  openDirs.add(dir);
  expire();
  writeState();

  function writeState(): void {
    const tmp = path.join(dir, `${STATE}.tmp`);
    writeFileSync(tmp, JSON.stringify({ version: 1, ackedSeq, lastSeq, dropped }), { flush: sync });
    renameSync(tmp, path.join(dir, STATE));
  }

  function unacked(seg: Segment): number {
    if (seg.index) return seg.index.n - seg.index.after(ackedSeq);
    return Math.max(0, seg.lastSeq - Math.max(ackedSeq, seg.firstSeq - 1));
  }

  function removeSegment(seg: Segment): void {
    if (current?.seg === seg) {
      closeSync(current.fd);
      current = null;
    }
    if (cached === seg) cached = null;
    const i = segments.indexOf(seg);
    if (i >= 0) segments.splice(i, 1);
    rmSync(seg.file, { force: true });
  }

  /** Drops the oldest segment, counting its unacknowledged results. */
  function dropOldest(): void {
    const seg = segments[0];
    dropped += unacked(seg);
    removeSegment(seg);
    writeState();
  }

  function expire(): void {
    const cutoff = now() - maxAgeMs;
    while (segments.length > 0 && segments[0].lastAt < cutoff) dropOldest();
  }

  function indexOf(seg: Segment): LineIndex | null {
    if (seg.index) return seg.index;
    try {
      seg.index = buildIndex(seg);
    } catch {
      dropped += unacked(seg); // the file vanished or cannot be read: its results are lost
      removeSegment(seg);
      writeState();
      return null;
    }
    if (cached && cached !== seg && cached !== current?.seg) cached.index = null;
    cached = seg;
    return seg.index;
  }

  function rotate(firstSeq: number): { seg: Segment; fd: number } {
    if (current) {
      const old = current;
      if (sync) fsyncSync(old.fd);
      closeSync(old.fd);
      current = null;
      if (old.seg.lastSeq <= ackedSeq) removeSegment(old.seg);
      else {
        // A reader behind the writer reads this one next: its index is the one kept.
        if (cached && cached !== old.seg) cached.index = null;
        cached = old.seg;
      }
    }
    const file = path.join(dir, `seg-${String(firstSeq).padStart(16, '0')}.jsonl`);
    const seg: Segment = { file, firstSeq, lastSeq: firstSeq - 1, bytes: 0, lastAt: 0, index: new LineIndex() };
    const fd = openSync(file, 'a+');
    ftruncateSync(fd, 0); // a leftover of that name (a dropped, re-created number) starts empty
    segments.push(seg);
    return (current = { seg, fd });
  }

  function assertOpen(): void {
    if (closed) throw new Error(`The result buffer in ${dir} is closed`);
  }

  return {
    append(data, at) {
      assertOpen();
      if (!Number.isSafeInteger(at) || at < 0) throw new RangeError(`A result's time must be whole milliseconds, not ${at}`);
      const seq = lastSeq + 1;
      const result: AgentResult = { seq, at, data };
      const buf = Buffer.from(`${JSON.stringify(result)}\n`);
      expire();
      while (segments.length > 0 && totalBytes() + buf.length > maxBytes) dropOldest();
      let cur = current;
      if (!cur || (cur.seg.bytes > 0 && cur.seg.bytes + buf.length > segmentBytes)) cur = rotate(seq);
      const { seg, fd } = cur;
      try {
        for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
        if (sync) fsyncSync(fd);
      } catch (err) {
        ftruncateSync(fd, seg.bytes); // never leave half a line for the next append to follow
        throw err;
      }
      seg.index?.push(seg.bytes, buf.length - 1, seq);
      seg.bytes += buf.length;
      seg.lastSeq = seq;
      seg.lastAt = Math.max(seg.lastAt, at);
      lastSeq = seq;
      return result;
    },

    read(afterSeq, maxCount, byteLimit = Infinity) {
      assertOpen();
      expire();
      const out: AgentResult[] = [];
      let taken = 0;
      let from = Math.max(afterSeq, ackedSeq);
      for (let s = firstAbove(segments.length, (k) => segments[k].lastSeq, from); s < segments.length && out.length < maxCount; ) {
        const seg = segments[s];
        const idx = indexOf(seg);
        if (!idx) continue; // removed: the next one slid into place s
        const i = idx.after(from);
        let j = i;
        let full = false;
        while (j < idx.n && out.length + (j - i) < maxCount) {
          if (out.length + (j - i) > 0 && taken + idx.lens[j] > byteLimit) {
            full = true;
            break;
          }
          taken += idx.lens[j++];
        }
        if (j > i) out.push(...readLines(seg, idx, i, j));
        if (full) break;
        if (j > i) from = idx.seqs[j - 1];
        s++;
      }
      return out;
    },

    ack(upTo) {
      assertOpen();
      if (!Number.isSafeInteger(upTo) || upTo <= ackedSeq) return;
      ackedSeq = upTo;
      lastSeq = Math.max(lastSeq, upTo);
      for (const seg of segments.filter((x) => x.lastSeq <= ackedSeq && x !== current?.seg)) removeSegment(seg);
      writeState();
    },

    get lastSeq() { return lastSeq; },
    get ackedSeq() { return ackedSeq; },
    get depth() { return segments.reduce((n, seg) => n + unacked(seg), 0); },
    get bytes() { return totalBytes(); },
    get dropped() { return dropped; },

    close() {
      if (closed) return;
      closed = true;
      if (current) {
        if (sync) fsyncSync(current.fd);
        closeSync(current.fd);
        current = null;
      }
      writeState();
      openDirs.delete(dir);
    },
  };

  function totalBytes(): number {
    return segments.reduce((n, seg) => n + seg.bytes, 0);
  }

  /** Lines i..j-1 of a segment, read in one go; lines that do not parse are skipped. */
  function readLines(seg: Segment, idx: LineIndex, i: number, j: number): AgentResult[] {
    const start = idx.starts[i];
    const end = idx.starts[j - 1] + idx.lens[j - 1];
    const buf = Buffer.allocUnsafe(end - start);
    const fd = current?.seg === seg ? current.fd : openSync(seg.file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, start); // a regular file: all of it (a short read's lines fail to parse, skipped)
    } finally {
      if (current?.seg !== seg) closeSync(fd);
    }
    const out: AgentResult[] = [];
    for (let k = i; k < j; k++) {
      const at = idx.starts[k] - start;
      try {
        out.push(JSON.parse(buf.toString('utf8', at, at + idx.lens[k])) as AgentResult);
      } catch {
        // a damaged line: skipped
      }
    }
    return out;
  }
}

/** Binary search over an ascending key: the first position whose key is greater than `seq`. */
function firstAbove(n: number, key: (i: number) => number, seq: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function readState(file: string): { ackedSeq: number; lastSeq: number; dropped: number } {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const n = (v: unknown) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : 0);
    return { ackedSeq: n(s.ackedSeq), lastSeq: n(s.lastSeq), dropped: n(s.dropped) };
  } catch {
    return { ackedSeq: 0, lastSeq: 0, dropped: 0 };
  }
}

/** `{"seq":<digits>,` at the start of a line: its seq, or null. */
function seqOf(buf: Buffer, start: number, end: number): number | null {
  const head = '{"seq":';
  if (end - start <= head.length || buf.toString('latin1', start, start + head.length) !== head) return null;
  let seq = 0;
  let k = start + head.length;
  for (; k < end && buf[k] >= 0x30 && buf[k] <= 0x39; k++) seq = seq * 10 + (buf[k] - 0x30);
  return k < end && buf[k] === 0x2c && seq >= 1 ? seq : null;
}

function buildIndex(seg: Segment): LineIndex {
  const buf = readFileSync(seg.file);
  const idx = new LineIndex();
  for (let pos = 0, nl = buf.indexOf(NL, 0); nl >= 0; pos = nl + 1, nl = buf.indexOf(NL, pos)) {
    const seq = seqOf(buf, pos, nl);
    if (seq !== null && (idx.n === 0 || seq > idx.seqs[idx.n - 1])) idx.push(pos, nl - pos, seq);
  }
  return idx;
}

/** A segment as found on disk, its torn or unparsable tail cut off; null (and deleted) if nothing is left. */
function loadSegment(file: string, firstSeq: number): Segment | null {
  const fd = openSync(file, 'r+');
  let seg: Segment | null = null;
  try {
    const size = fstatSync(fd).size;
    let end = lastNewline(fd, size) + 1; // a torn last line (no newline yet) is cut
    let last: { seq: number; at: number } | null = null;
    while (end > 0 && !last) {
      const start = lastNewline(fd, end - 1) + 1;
      const buf = Buffer.allocUnsafe(end - 1 - start);
      readSync(fd, buf, 0, buf.length, start);
      last = parseLast(buf);
      if (!last) end = start;
    }
    if (end < size) ftruncateSync(fd, end);
    if (last) seg = { file, firstSeq, lastSeq: last.seq, bytes: end, lastAt: last.at, index: null };
  } finally {
    closeSync(fd);
  }
  if (!seg) rmSync(file, { force: true });
  return seg;
}

function parseLast(buf: Buffer): { seq: number; at: number } | null {
  try {
    const r = JSON.parse(buf.toString('utf8')) as Partial<AgentResult>;
    return Number.isSafeInteger(r.seq) && r.seq! >= 1 && Number.isSafeInteger(r.at) && r.data ? { seq: r.seq!, at: r.at! } : null;
  } catch {
    return null;
  }
}

/** The position of the last newline before `pos`, or -1. */
function lastNewline(fd: number, pos: number): number {
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (let end = pos; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const at = chunk.subarray(0, n).lastIndexOf(NL);
    if (at >= 0) return start + at;
    end = start;
  }
  return -1;
}
