// The session sequence-number check of IPMI v2.0 section 6.12.13: a packet is accepted
// when its sequence number is ahead of the highest seen by at most `ahead`, or behind it
// by at most `behind` and not seen before. Zero is never valid in an active session.

export class ReplayWindow {
  private highest = 0;
  /** Bit i set: sequence number (highest - 1 - i) was seen. */
  private seen = 0;
  private started = false;

  constructor(readonly behind = 16, readonly ahead = 16) {}

  /** True (and remembered) if `seq` may be processed; false for a replay or out-of-window number. */
  accept(seq: number): boolean {
    seq >>>= 0;
    if (seq === 0) return false;
    if (!this.started) {
      this.started = true;
      this.highest = seq;
      this.seen = 0;
      return true;
    }
    const diff = (seq - this.highest) | 0; // signed 32-bit distance, wraps correctly
    if (diff > 0) {
      if (diff > this.ahead) return false;
      this.seen = diff >= 32 ? 0 : ((this.seen << diff) | (1 << (diff - 1))) >>> 0;
      this.highest = seq;
      return true;
    }
    if (diff === 0) return false;
    const back = -diff;
    if (back > this.behind || back > 32) return false;
    const bit = 1 << (back - 1);
    if (this.seen & bit) return false;
    this.seen = (this.seen | bit) >>> 0;
    return true;
  }
}

/** Next outbound sequence number: increments, wraps past 0xFFFFFFFF to 1 (0 is reserved). */
export function nextSequence(seq: number): number {
  const n = (seq + 1) >>> 0;
  return n === 0 ? 1 : n;
}
