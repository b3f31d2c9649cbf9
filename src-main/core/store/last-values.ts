// The newest raw sample of each time series, kept in memory by the metrics repository so a
// room's live readings need no SQL: updated on every committed write, expired with the raw
// tier, and loaded from SQL (one statement for many series) for a series this process has not
// seen yet (written before it started).
//
// A series is either unknown here (not loaded: the store may hold samples this map has never
// seen), or kept: its newest sample, or NONE (it has no raw sample). Only a kept series takes
// writes; an unknown one stays unknown until read, so a late write with an older ts can never
// hide a newer sample that is only in the store.

export interface LastReading {
  readonly ts: number;
  readonly value: number;
}

/** A kept series without a raw sample (just made, or everything it had expired). */
const NONE: LastReading = Object.freeze({ ts: -Infinity, value: Number.NaN });

export class LastValues {
  readonly #kept = new Map<number, LastReading>();

  /** The series has no raw sample (it was just made). */
  empty(id: number): void {
    this.#kept.set(id, NONE);
  }

  /** A committed write: kept when the series is kept and ts is not older than its newest (same ts: the write replaced it). */
  written(id: number, ts: number, value: number): void {
    const k = this.#kept.get(id);
    if (k !== undefined && ts >= k.ts) this.#kept.set(id, { ts, value });
  }

  /** Retention deleted every raw sample older than `before`: a series whose newest was older has none left. */
  expired(before: number): void {
    for (const [id, k] of this.#kept) if (k !== NONE && k.ts < before) this.#kept.set(id, NONE);
  }

  /**
   * The newest sample of each series (aligned with `ids`), undefined when it has none at or
   * after `from`. Series not kept are loaded with one call of `load` (their newest rows; a
   * series it does not return has none) and kept from then on.
   */
  read(ids: readonly number[], from: number, load: (ids: number[]) => Iterable<{ id: number; ts: number; value: number }>): (LastReading | undefined)[] {
    const out: (LastReading | undefined)[] = new Array(ids.length);
    let missing: number[] | undefined;
    for (let i = 0; i < ids.length; i++) {
      const k = this.#kept.get(ids[i]);
      if (k === undefined) (missing ??= []).push(i);
      else out[i] = k.ts >= from ? k : undefined;
    }
    if (missing) {
      const wanted = missing.map((i) => ids[i]);
      const rows = [...load(wanted)]; // read first: a failed read keeps nothing
      for (const id of wanted) this.#kept.set(id, NONE);
      for (const r of rows) this.written(r.id, r.ts, r.value);
      for (const i of missing) {
        const k = this.#kept.get(ids[i])!;
        out[i] = k.ts >= from ? k : undefined;
      }
    }
    return out;
  }
}
