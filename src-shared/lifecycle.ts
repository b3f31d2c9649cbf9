// Resource lifecycle for every service, session, poller and subscription: one Disposable
// shape, and a store that disposes what it holds in reverse order, once (VS Code's
// DisposableStore idea, with async disposal for sockets and child processes).

/** Something that releases what it holds. Synchronous: listeners, timers. */
export interface Disposable {
  dispose(): void;
}

/** Something whose release takes time: sockets, sessions, child processes, the store. */
export interface AsyncDisposable {
  dispose(): Promise<void>;
}

export type AnyDisposable = Disposable | AsyncDisposable;

/** A Disposable from a function; calling dispose() twice runs it once. */
export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** An AsyncDisposable from a function; every dispose() call shares the first one's promise. */
export function toAsyncDisposable(fn: () => Promise<void> | void): AsyncDisposable {
  let done: Promise<void> | null = null;
  return {
    dispose() {
      done ??= Promise.resolve().then(fn);
      return done;
    },
  };
}

/** An error raised when several disposables failed: each failure is kept. */
export class DisposeErrors extends Error {
  readonly errors: readonly unknown[];
  constructor(errors: readonly unknown[]) {
    super(`${errors.length} disposable(s) failed to dispose`, { cause: errors[0] });
    this.name = 'DisposeErrors';
    this.errors = errors;
  }
}

/**
 * Holds disposables and disposes them in reverse order of adding, once. A failing
 * disposable does not stop the others; the failures are thrown together at the end.
 * Adding to a store that is already disposed disposes the newcomer at once (it would
 * otherwise leak).
 */
export class DisposableStore implements AsyncDisposable {
  readonly #items: AnyDisposable[] = [];
  #disposed: Promise<void> | null = null;

  get isDisposed(): boolean {
    return this.#disposed !== null;
  }

  /** Adds a disposable and returns it, so `const x = store.add(await startX())` reads in one line. */
  add<T extends AnyDisposable>(item: T): T {
    if (this.#disposed) {
      void Promise.resolve()
        .then(() => item.dispose())
        .catch(() => {});
      return item;
    }
    this.#items.push(item);
    return item;
  }

  /** Disposes one item now and forgets it. */
  async delete(item: AnyDisposable): Promise<void> {
    const i = this.#items.indexOf(item);
    if (i >= 0) this.#items.splice(i, 1);
    await item.dispose();
  }

  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      const errors: unknown[] = [];
      while (this.#items.length) {
        const item = this.#items.pop()!;
        try {
          await item.dispose();
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new DisposeErrors(errors);
    })();
    return this.#disposed;
  }
}
