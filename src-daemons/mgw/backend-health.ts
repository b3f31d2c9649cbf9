// Backend health as the node sees it: each round the node sends every backend's agent a
// health probe (an encapsulated datagram with the HEALTH flag, which the agent echoes back);
// a backend that has not answered `fails` rounds in a row is down, one answer brings it back.
// Up at start (a node does not wait a round before forwarding). A change calls onChange (the
// node rebuilds its Maglev table off the hot path). An operator's drain holds a backend down.

export class BackendHealth {
  private readonly misses: Uint16Array;
  private readonly answered: Uint8Array;
  private readonly up: Uint8Array;
  private readonly drained: Uint8Array;
  private ups: number;

  constructor(
    readonly count: number,
    private readonly fails: number,
    private readonly onChange: (index: number, up: boolean) => void,
  ) {
    this.misses = new Uint16Array(count);
    this.answered = new Uint8Array(count).fill(1);
    this.up = new Uint8Array(count).fill(1);
    this.drained = new Uint8Array(count);
    this.ups = count;
  }

  isUp(i: number): boolean {
    return this.up[i] === 1;
  }

  upCount(): number {
    return this.ups;
  }

  isDrained(i: number): boolean {
    return this.drained[i] === 1;
  }

  private set(i: number, up: boolean): void {
    const v = up && !this.drained[i] ? 1 : 0;
    if (this.up[i] === v) return;
    this.up[i] = v;
    this.ups += v ? 1 : -1;
    this.onChange(i, v === 1);
  }

  /** A new round of probes is about to go: backends silent since the last one count a miss. */
  nextRound(): void {
    for (let i = 0; i < this.count; i++) {
      if (this.answered[i]) this.misses[i] = 0;
      else if (this.misses[i] < 0xffff) this.misses[i]++;
      this.answered[i] = 0;
      if (this.misses[i] >= this.fails) this.set(i, false);
    }
  }

  /** Backend i answered a probe (i < 0: not a backend of this cluster, ignored). */
  answer(i: number): void {
    if (i < 0 || i >= this.count) return;
    this.answered[i] = 1;
    this.misses[i] = 0;
    this.set(i, true);
  }

  /** An operator's drain (true) holds the backend down; undrained it is up again at its next answer. */
  drain(i: number, on: boolean): void {
    this.drained[i] = on ? 1 : 0;
    if (on) this.set(i, false);
  }
}
