// The overview's devices per lifecycle state (inventory.lifecycleCounts): read when the
// overview opens and again every LIFECYCLE_RELOAD_MS while it stays open (a wall screen).
import type { Disposable } from '../../../src-shared/api';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch } from '../store';

const LIFECYCLE_RELOAD_MS = 30_000;

export async function loadLifecycleCounts(): Promise<void> {
  try {
    const lifecycleCounts = await getClient().call('inventory.lifecycleCounts', undefined);
    patch('fleet', { lifecycleCounts, lifecycleCountsError: null });
  } catch (err) {
    patch('fleet', { lifecycleCountsError: toShownError(err) });
  }
}

/** Reads the counts now and keeps them fresh until disposed (the overview's lifetime). */
export function watchLifecycleCounts(): Disposable {
  void loadLifecycleCounts();
  const timer = setInterval(() => void loadLifecycleCounts(), LIFECYCLE_RELOAD_MS);
  return { dispose: () => clearInterval(timer) };
}
