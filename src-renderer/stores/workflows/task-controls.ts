// Which operator controls the task panel offers for a task, by the signed-in role (the
// contract's least role for workflows.retry), the run's state, the task's state and what its
// step allows: Retry and Edit & retry on a failed task and on a waiting one (a poll or callback
// wait, an approval, an automatic retry's backoff: retrying cuts the waiting attempt, so the
// panel asks once more and the editor says so), Skip on anything not finished, Approve /
// Reject on an approval. Only to show or hide: the core checks again.
import type { Role } from '../../../src-shared/domain';
import type { WfRunState, WfTaskState, WfTemplateStep } from '../../../src-shared/domain/workflow';
import { mayCall } from '../session/roles';

/** Waiting states a retry cuts short (the engine's RETRY_WAITING). */
export const RETRY_WAITING: ReadonlySet<WfTaskState> = new Set<WfTaskState>(['waiting', 'awaiting-callback', 'awaiting-approval']);
const SKIPPABLE_FROM: ReadonlySet<WfTaskState> = new Set<WfTaskState>(['pending', 'ready', 'running', 'waiting', 'awaiting-callback', 'awaiting-approval', 'failed']);

export interface TaskControls {
  /** Retry and Edit & retry. */
  readonly retry: boolean;
  /** The retry would cut a waiting attempt (asked once more; the editor warns). */
  readonly retryCuts: boolean;
  readonly skip: boolean;
  readonly approve: boolean;
}

export function taskControls(
  role: Role | null,
  runState: WfRunState,
  taskState: WfTaskState,
  step: Pick<WfTemplateStep, 'retryable' | 'skippable'>,
): TaskControls {
  const may = mayCall(role, 'workflows.retry');
  const runOpen = runState !== 'revoked' && runState !== 'succeeded';
  const retry = may && runOpen && step.retryable !== false && (taskState === 'failed' || RETRY_WAITING.has(taskState));
  return {
    retry,
    retryCuts: retry && RETRY_WAITING.has(taskState),
    skip: may && runOpen && step.skippable !== false && SKIPPABLE_FROM.has(taskState),
    approve: may && taskState === 'awaiting-approval',
  };
}
