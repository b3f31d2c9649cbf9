// The core's typed fan-out of the contract's event streams; the api delivers them by role.
import type { ApiEvents, EventName } from '../../../src-shared/api';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';

type Listener<E extends EventName> = (payload: ApiEvents[E]) => void;

/** Typed fan-out of the contract's event streams. A throwing listener never stops the others. */
export class EventHub {
  readonly #listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<E extends EventName>(event: E, listener: Listener<E>): Disposable {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return toDisposable(() => void set.delete(listener as Listener<EventName>));
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.#listeners.get(event) ?? []) {
      try {
        (l as Listener<E>)(payload);
      } catch {
        // a broken subscriber must not break the core
      }
    }
  }

  listenerCount(): number {
    let n = 0;
    for (const s of this.#listeners.values()) n += s.size;
    return n;
  }

  clear(): void {
    this.#listeners.clear();
  }
}
