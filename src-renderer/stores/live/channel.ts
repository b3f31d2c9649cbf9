// A typed pub/sub for high-rate data (status batches now; probe batches and 3D colours
// later) kept outside React state: consumers subscribe, or read the latest value, and
// update canvases or fold into the store themselves. A push renders nothing by itself.
import type { Disposable } from '../../../src-shared/lifecycle';

export interface LiveChannel<T> {
  /** Delivers a value to every subscriber, in subscription order, and keeps it as latest. */
  publish(value: T): void;
  /** Called for every value published from now on, until disposed. */
  subscribe(listener: (value: T) => void): Disposable;
  /** The last value published, without subscribing (undefined before the first, or after clear). */
  latest(): T | undefined;
  /** Forgets the latest value (on sign-out); subscribers stay. */
  clear(): void;
  readonly subscribers: number;
}

export function createLiveChannel<T>(name: string): LiveChannel<T> {
  const listeners = new Set<(value: T) => void>();
  let last: T | undefined;
  return {
    publish(value) {
      last = value;
      for (const l of [...listeners]) {
        // One unsubscribed by an earlier listener in this same publish is skipped.
        if (!listeners.has(l)) continue;
        try {
          l(value);
        } catch (err) {
          console.error(`FleetDeck: a subscriber of ${name} threw`, err);
        }
      }
    },
    subscribe(listener) {
      // Wrapped, so subscribing the same function twice gives two independent subscriptions.
      const own = (value: T): void => listener(value);
      listeners.add(own);
      return { dispose: () => void listeners.delete(own) };
    },
    latest: () => last,
    clear() {
      last = undefined;
    },
    get subscribers() {
      return listeners.size;
    },
  };
}
