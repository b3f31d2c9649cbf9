// Bounds-checked reads over a Buffer: every decoder reads through this, so truncated or
// garbled input becomes an IpmiProtocolError and never a RangeError.
import { IpmiProtocolError } from './errors';

export class Reader {
  private pos: number;
  constructor(readonly buf: Buffer, readonly what: string, start = 0) {
    this.pos = start;
  }
  get offset(): number {
    return this.pos;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw new IpmiProtocolError(`${this.what}: needs ${n} more byte(s) at offset ${this.pos}, has ${this.buf.length - this.pos}`);
    }
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16le(): number {
    this.need(2);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32le(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  u32be(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** Throws IpmiProtocolError unless `ok`. */
export function check(ok: boolean, reason: string): asserts ok {
  if (!ok) throw new IpmiProtocolError(reason);
}
