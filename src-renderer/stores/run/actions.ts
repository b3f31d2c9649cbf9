// Fleet-wide run actions: find the SSH-capable hosts of a room or cabinet, start one
// command on them (a workflow run of fleet-run in the core), follow the per-host results as
// they stream, cancel (the core revokes the run). Results are appended in small batches; rows
// already shown are never rebuilt.
import type { CoreClient, Disposable } from '../../../src-shared/api';
import type { CabinetElevation, RunFinished, RunHostResult } from '../../../src-shared/domain';
import { getClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { hostsOf } from './run-targets';
import { initialTargets, type RunJob, type RunState } from './slice';

const ELEVATION_CONCURRENCY = 6;
/** Streamed results are appended at most this often. */
const FLUSH_MS = 60;
/** Results that arrive before fleet.run has answered (we do not know our runId yet). */
const EARLY_MAX = 20_000;

const run = () => useAppStore.getState().run;
const patchRun = (p: Partial<RunState> | ((r: RunState) => Partial<RunState>)) => patch('run', p);
let scopeGen = 0;

/**
 * Chooses the room and (optionally) one of its cabinets, and reads the elevation of each
 * cabinet in scope (cheap: no live reads). Each elevation device carries capabilities.ssh,
 * so the candidates are exactly the hosts the console can reach over SSH; the others
 * are only counted.
 */
export async function chooseScope(roomId: string | null, cabinetId: string | null): Promise<void> {
  const gen = ++scopeGen;
  const current = () => gen === scopeGen;
  const prev = run().targets;
  const cabinets = prev.roomId === roomId ? prev.cabinets : null;
  patchRun({ targets: { ...initialTargets, roomId, cabinetId, cabinets } });
  if (!roomId) return;
  try {
    const list = cabinets ?? (await getClient().call('inventory.cabinets', { roomId }));
    if (!current()) return;
    const ids = cabinetId ? [cabinetId] : list.filter((c) => c.devices > 0).map((c) => c.id);
    let done = 0;
    const progress = () => patchRun((r) => ({ targets: { ...r.targets, cabinets: list, loading: { done, total: ids.length } } }));
    progress();
    const elevations: CabinetElevation[] = [];
    await pool(ids, ELEVATION_CONCURRENCY, async (id) => {
      if (!current()) return;
      elevations.push(await getClient().call('inventory.elevation', { cabinetId: id }));
      done += 1;
      if (current()) progress();
    });
    if (!current()) return;
    const { candidates, noSsh } = hostsOf(elevations);
    patchRun((r) => ({ targets: { ...r.targets, candidates, noSsh, loading: null } }));
  } catch (err) {
    if (current()) patchRun((r) => ({ targets: { ...r.targets, loading: null, error: toShownError(err) } }));
  }
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

// ---- the run ----

let early: RunHostResult[] = [];
let earlyFinished: RunFinished[] = [];
let queue: RunHostResult[] = [];
let flushTimer: ReturnType<typeof setTimeout> | null = null;

export async function startRun(deviceIds: string[], command: string, timeoutMs: number): Promise<void> {
  const job = run().job;
  if (job && (job.phase === 'starting' || job.phase === 'running')) return;
  dropBuffers();
  const fresh: RunJob = {
    command, deviceIds, timeoutMs, startedAt: Date.now(), phase: 'starting', started: null, results: [],
    succeeded: 0, failed: 0, finished: null, cancelling: false, cancelError: null, error: null,
  };
  patchRun({ job: fresh });
  try {
    const started = await getClient().call('fleet.run', { deviceIds, command, timeoutMs });
    if (run().job !== fresh) return;
    patchRun({ job: { ...fresh, phase: 'running', started } });
    queue = early.filter((r) => r.runId === started.runId);
    const finished = earlyFinished.find((f) => f.runId === started.runId);
    early = [];
    earlyFinished = [];
    flush();
    if (finished) finish(finished);
    else if (started.hosts === 0) finish({ runId: started.runId, succeeded: 0, failed: 0, cancelled: false, ms: 0 });
  } catch (err) {
    if (run().job === fresh) patchRun({ job: { ...fresh, phase: 'failed', error: toShownError(err) } });
    dropBuffers();
  }
}

export async function cancelRun(): Promise<void> {
  const job = run().job;
  if (!job?.started || job.phase !== 'running' || job.cancelling) return;
  const runId = job.started.runId;
  patchJob(runId, { cancelling: true, cancelError: null });
  try {
    const { cancelled } = await getClient().call('fleet.cancelRun', { runId });
    // Revoked: the run ends with onDidFinishRun (cancelled: true); until then it is "cancelling".
    // Not revoked: it had already finished (its end is on its way, or was sent before a restart
    // of the core: the run's link shows it in the workflows view), so Cancel is offered again.
    if (!cancelled) patchJob(runId, { cancelling: false });
  } catch (err) {
    patchJob(runId, { cancelling: false, cancelError: toShownError(err) });
  }
}

export function clearRun(): void {
  const job = run().job;
  if (job && (job.phase === 'starting' || job.phase === 'running')) return;
  dropBuffers();
  patchRun({ job: null });
}

function patchJob(runId: string, p: Partial<RunJob>): void {
  patchRun((r) => (r.job?.started?.runId === runId ? { job: { ...r.job, ...p } } : {}));
}

function dropBuffers(): void {
  early = [];
  earlyFinished = [];
  queue = [];
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
}

function receiveResult(r: RunHostResult): void {
  const job = run().job;
  if (!job) return;
  if (job.phase === 'starting') {
    if (early.length < EARLY_MAX) early.push(r);
    return;
  }
  if (job.phase !== 'running' || job.started?.runId !== r.runId) return; // someone else's run
  queue.push(r);
  flushTimer ??= setTimeout(flush, FLUSH_MS);
}

function flush(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  patchRun((s) => {
    const job = s.job;
    if (!job) return {};
    const ok = batch.filter((r) => r.ok).length;
    return {
      job: { ...job, results: job.results.concat(batch), succeeded: job.succeeded + ok, failed: job.failed + batch.length - ok },
    };
  });
}

function receiveFinished(f: RunFinished): void {
  const job = run().job;
  if (job?.phase === 'starting') earlyFinished.push(f);
  else if (job?.phase === 'running' && job.started?.runId === f.runId) finish(f);
}

function finish(f: RunFinished): void {
  flush();
  patchJob(f.runId, { phase: 'finished', finished: f, cancelling: false });
}

export function attachRunLive(client: CoreClient): Disposable {
  const subs = [client.on('onDidReceiveRunResult', receiveResult), client.on('onDidFinishRun', receiveFinished)];
  return { dispose: () => subs.forEach((s) => s.dispose()) };
}
