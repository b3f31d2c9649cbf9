// Progress streaming, batched: the engine marks a run (and the tasks that changed) as it moves;
// listeners get one WfProgress per changed run at most every intervalMs (~100 ms), carrying
// the run's counters and only the tasks that changed since the last event for it.
import type { WfProgress } from '../../../src-shared/domain/workflow';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import type { Clock, TimerHandle } from './clock';
import { snapshot, type RunRec, type TaskRec } from './run-model';

export type ProgressListener = (p: WfProgress) => void;

export class ProgressBatcher {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #listeners = new Set<ProgressListener>();
  readonly #dirty = new Map<RunRec, Set<TaskRec>>();
  readonly #log: (line: string) => void;
  #timer: TimerHandle | null = null;

  constructor(clock: Clock, intervalMs: number, log: (line: string) => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#log = log;
  }

  on(listener: ProgressListener): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  /** The run changed (state or counters); with a task, that task changed too. */
  mark(run: RunRec, task?: TaskRec): void {
    if (!this.#listeners.size) return;
    let set = this.#dirty.get(run);
    if (!set) this.#dirty.set(run, (set = new Set()));
    if (task) set.add(task);
    this.#timer ??= this.#clock.setTimeout(() => this.flush(), this.#intervalMs);
  }

  /** Sends what is pending now. */
  flush(): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    const batch = [...this.#dirty];
    this.#dirty.clear();
    for (const [run, tasks] of batch) {
      const p: WfProgress = { runId: run.id, state: run.state, done: run.done, total: run.tasks.length, failed: run.failed, tasks: [...tasks].map(snapshot) };
      for (const l of this.#listeners) {
        try {
          l(p);
        } catch (err) {
          this.#log(`workflows: a progress listener threw: ${(err as Error).message}`);
        }
      }
    }
  }

  dispose(): void {
    this.flush();
    this.#listeners.clear();
  }
}
