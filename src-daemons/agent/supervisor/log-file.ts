// The supervisor's log: the child's stdout and stderr and the supervisor's own records in one
// file, rotated by size as logrotate's `size` + `rotate K` would: when a write would take L
// past maxBytes, L.K-1 -> L.K, ..., L -> L.1 and a fresh L is started (keep 0: L is emptied).
// A single write larger than maxBytes is split across files. Synchronous writes keep the
// order of the child's output and the supervisor's records; a failing disk (ENOSPC) loses
// log lines, never the supervisor.
import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';

export class RotatingLog {
  private fd: number | null = null;
  private size = 0;

  constructor(
    readonly file: string,
    readonly maxBytes: number,
    readonly keep: number,
  ) {
    if (!(maxBytes >= 1)) throw new RangeError(`maxLogBytes must be at least 1, not ${maxBytes}`);
    if (!(keep >= 0) || !Number.isInteger(keep)) throw new RangeError(`keepLogs must be a whole number, not ${keep}`);
    this.open();
  }

  /** Bytes as the child wrote them. */
  write(chunk: Buffer): void {
    for (let off = 0; off < chunk.length; ) {
      if (this.size > 0 && this.size + (chunk.length - off) > this.maxBytes) this.rotate();
      const piece = Math.min(chunk.length - off, this.maxBytes - this.size);
      this.append(chunk.subarray(off, off + Math.max(piece, 1)));
      off += Math.max(piece, 1);
    }
  }

  /** One record of the supervisor's own, timestamped. */
  record(text: string): void {
    this.write(Buffer.from(`${new Date().toISOString()} supervisor[${process.pid}]: ${text}\n`));
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): void {
    try {
      this.size = statSync(this.file).size;
    } catch {
      this.size = 0;
    }
    try {
      this.fd = openSync(this.file, 'a');
    } catch {
      this.fd = null; // unwritable: records are lost until the next rotation succeeds
    }
  }

  private append(buf: Buffer): void {
    if (this.fd === null) this.open();
    if (this.fd === null) return;
    try {
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch {
      // ENOSPC and the like: the line is lost
    }
    this.size += buf.length;
  }

  private rotate(): void {
    this.close();
    try {
      if (this.keep === 0) rmSync(this.file, { force: true });
      for (let i = this.keep - 1; i >= 1; i--) renameIfThere(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      if (this.keep > 0) renameIfThere(this.file, `${this.file}.1`);
    } catch {
      // a rename refused: the next file goes on from where it is
    }
    this.open();
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
