// The outbox sender: delivers the side effects steps left in wf_outbox (written in the same
// transaction as the step's completion), each with its Idempotency-Key header, retrying with
// bounded exponential backoff until the receiver answers 2xx, then marks it sent. A row sent
// but not yet marked when the process dies is sent again after the restart with the same key
// and the same bytes, so a receiver that honours the key sees it once.
import type { Clock, TimerHandle } from './clock';
import type { Journal } from './journal';
import type { JournalReader, OutboxRow } from './journal-read';

export interface OutboxOptions {
  /** Deliveries in flight at once. */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly fetch?: typeof fetch;
}

export class OutboxSender {
  readonly #journal: Journal;
  readonly #reader: JournalReader;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;
  readonly #o: Required<OutboxOptions>;
  readonly #inflight = new Map<number, AbortController>();
  #timer: TimerHandle | null = null;
  #timerAt = Infinity;
  #scheduled = false;
  #stopped = false;
  #idle: (() => void)[] = [];

  constructor(journal: Journal, reader: JournalReader, clock: Clock, log: (line: string) => void, opts: OutboxOptions = {}) {
    this.#journal = journal;
    this.#reader = reader;
    this.#clock = clock;
    this.#log = log;
    this.#o = { concurrency: 8, timeoutMs: 10_000, backoffMs: 500, maxBackoffMs: 60_000, fetch: globalThis.fetch, ...opts };
  }

  /** Looks for due rows soon (after a completion wrote one, or at start). */
  wake(): void {
    if (this.#stopped || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#pass();
    });
  }

  /** Resolves when nothing is in flight or due now (tests, the benchmark). */
  idle(): Promise<void> {
    if (!this.#inflight.size && !this.#reader.dueOutbox(this.#clock.now(), 1).length) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  #pass(): void {
    if (this.#stopped) return;
    const room = this.#o.concurrency - this.#inflight.size;
    if (room > 0) {
      for (const row of this.#reader.dueOutbox(this.#clock.now(), room + this.#inflight.size)) {
        if (this.#inflight.size >= this.#o.concurrency) break;
        if (!this.#inflight.has(row.id)) void this.#send(row);
      }
    }
    if (!this.#inflight.size) {
      const idle = this.#idle.splice(0);
      for (const r of idle) r();
    }
    const next = this.#reader.nextOutboxAt();
    if (next !== null && !this.#inflight.size) this.#arm(next);
  }

  #arm(at: number): void {
    if (this.#timer !== null && this.#timerAt <= at) return;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#timerAt = Infinity;
      this.#pass();
    }, at - this.#clock.now());
  }

  async #send(row: OutboxRow): Promise<void> {
    const ac = new AbortController();
    this.#inflight.set(row.id, ac);
    const timer = setTimeout(() => ac.abort(new Error(`no answer within ${this.#o.timeoutMs} ms`)), this.#o.timeoutMs);
    let error: string | null = null;
    try {
      const headers: Record<string, string> = { ...(JSON.parse(row.headers) as Record<string, string>), 'Idempotency-Key': row.idempotency_key };
      if (row.body !== null) headers['Content-Type'] ??= 'application/json';
      const res = await this.#o.fetch(row.url, { method: row.method, headers, body: row.body, signal: ac.signal });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status < 200 || res.status > 299) error = `${row.method} ${row.url} answered ${res.status}`;
    } catch (err) {
      error = `${row.method} ${row.url}: ${(err as Error).message}`;
    } finally {
      clearTimeout(timer);
      this.#inflight.delete(row.id);
    }
    if (this.#stopped) return;
    if (error === null) this.#journal.outboxSent(row.id, this.#clock.now());
    else {
      const delay = Math.min(this.#o.backoffMs * 2 ** Math.min(row.attempts, 20), this.#o.maxBackoffMs);
      this.#journal.outboxFailed(row.id, error, this.#clock.now() + delay);
      this.#log(`workflows: outbox ${row.idempotency_key}: ${error}; again in ${delay} ms`);
    }
    this.wake();
  }

  dispose(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    for (const ac of this.#inflight.values()) ac.abort(new Error('the engine stopped'));
    for (const r of this.#idle.splice(0)) r();
  }
}
