// A round's samples until they are uploaded: growable typed arrays (target index, send time,
// round trip, error, TCP source port, DNS instance index), so 2,000 samples every 10 s cost a
// few typed arrays rather than 2,000 objects. toResult() turns them into one 'probe' result:
// its `at` is the earliest send time held and each sample's offsetMs is its send time minus
// that (samples finish out of order: a timeout ends seconds after a later fast probe).
// Instance names are interned per result (at most 256, the protocol's bound; later new names
// are recorded as -1, none).
import { MAX_PROBE_SAMPLES, type ProbeResult } from '../../../src-shared/agent-protocol/probe';
import type { ProbeOutcome } from './types';

const MAX_NAMES = 256;

export class SampleColumns {
  private target = new Int32Array(256);
  private sentAt = new Float64Array(256);
  private rtt = new Int32Array(256);
  private err = new Uint8Array(256);
  private src = new Uint16Array(256);
  private inst = new Int16Array(256);
  private names: string[] = [];
  private nameIndex = new Map<string, number>();
  private anySrc = false;
  private anyInst = false;
  private n = 0;

  get length(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n >= MAX_PROBE_SAMPLES;
  }

  /** Records one sample (sentAtMs: wall-clock ms when the probe went out). Returns false when full. */
  push(targetIndex: number, sentAtMs: number, o: ProbeOutcome): boolean {
    if (this.full) return false;
    if (this.n === this.target.length) this.grow();
    const i = this.n++;
    this.target[i] = targetIndex;
    this.sentAt[i] = sentAtMs;
    this.rtt[i] = o.err === 0 ? Math.max(0, Math.min(60_000_000, o.rttUs)) : -1;
    this.err[i] = o.err;
    this.src[i] = o.srcPort ?? 0;
    if (o.srcPort !== undefined) this.anySrc = true;
    let k = -1;
    if (o.instance !== undefined) {
      this.anyInst = true;
      k = this.nameIndex.get(o.instance) ?? -1;
      if (k < 0 && this.names.length < MAX_NAMES) {
        k = this.names.push(o.instance) - 1;
        this.nameIndex.set(o.instance, k);
      }
    }
    this.inst[i] = k;
    return true;
  }

  /** The samples as one probe result of `plan` (null when there are none), and the result's at; the columns are emptied. */
  take(plan: string): { data: ProbeResult; at: number } | null {
    const n = this.n;
    if (n === 0) return null;
    let at = Infinity;
    for (let i = 0; i < n; i++) if (this.sentAt[i] < at) at = this.sentAt[i];
    at = Math.floor(at);
    const offsetMs = new Array<number>(n);
    for (let i = 0; i < n; i++) offsetMs[i] = Math.min(3_600_000, Math.round(this.sentAt[i] - at));
    const data: ProbeResult = {
      kind: 'probe',
      plan,
      target: Array.from(this.target.subarray(0, n)),
      offsetMs,
      rttUs: Array.from(this.rtt.subarray(0, n)),
      err: Array.from(this.err.subarray(0, n)),
    };
    if (this.anySrc) data.srcPort = Array.from(this.src.subarray(0, n));
    if (this.anyInst) {
      data.instance = Array.from(this.inst.subarray(0, n));
      data.names = this.names;
    }
    this.n = 0;
    this.names = [];
    this.nameIndex.clear();
    this.anySrc = false;
    this.anyInst = false;
    return { data, at };
  }

  private grow(): void {
    const m = Math.min(MAX_PROBE_SAMPLES, this.target.length * 2);
    const up = <T extends Int32Array | Float64Array | Uint8Array | Uint16Array | Int16Array>(a: T, make: (n: number) => T): T => {
      const b = make(m);
      b.set(a);
      return b;
    };
    this.target = up(this.target, (k) => new Int32Array(k));
    this.sentAt = up(this.sentAt, (k) => new Float64Array(k));
    this.rtt = up(this.rtt, (k) => new Int32Array(k));
    this.err = up(this.err, (k) => new Uint8Array(k));
    this.src = up(this.src, (k) => new Uint16Array(k));
    this.inst = up(this.inst, (k) => new Int16Array(k));
  }
}
