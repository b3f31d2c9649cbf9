// Workflows actions for the lists and the launch: templates, runs (filtered by template and
// state), statistics over the last 24 h / 7 d / 30 d, and the launch form: its template, the
// host picker (search as you type through search.devices; pasted hostnames or SNs looked up
// one by one, exact matches only) and the launch itself, which opens the new run. Answers
// for an older request are dropped.
import type { WfRunState } from '../../../src-shared/domain/workflow';
import type { DeviceSearchHit } from '../../../src-shared/domain/search';
import { getClient } from '../client';
import { navigate } from '../fleet/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { splitNames } from './launch-form';
import { initialLaunch, PERIOD_MS, type HostPick, type StatsPeriod, type WfLaunchState, type WorkflowsState } from './slice';

export const RUNS_LIMIT = 200;
export const HOST_SEARCH_LIMIT = 8;
export const HOST_SEARCH_MIN_CHARS = 2;
/** Pasted names are looked up this many at a time. */
const RESOLVE_CONCURRENCY = 4;

const wf = () => useAppStore.getState().workflows;
const patchWf = (p: Partial<WorkflowsState> | ((s: WorkflowsState) => Partial<WorkflowsState>)) => patch('workflows', p);
const patchLaunch = (p: Partial<WfLaunchState> | ((l: WfLaunchState) => Partial<WfLaunchState>)) => patchWf((s) => ({ launch: { ...s.launch, ...(typeof p === 'function' ? p(s.launch) : p) } }));

let templatesSeq = 0;
let runsSeq = 0;
let statsSeq = 0;
let launchSeq = 0;
let searchSeq = 0;

export async function loadTemplates(): Promise<void> {
  const mine = ++templatesSeq;
  try {
    const templates = await getClient().call('workflows.templates', undefined);
    if (mine === templatesSeq) patchWf({ templates: [...templates].sort((a, b) => a.name.localeCompare(b.name)), templatesError: null });
  } catch (err) {
    if (mine === templatesSeq) patchWf({ templatesError: toShownError(err) });
  }
}

export async function loadRuns(filter?: { templateId: string; state: WfRunState | '' }): Promise<void> {
  if (filter) patchWf({ runsFilter: filter });
  const f = wf().runsFilter;
  const mine = ++runsSeq;
  try {
    const runs = await getClient().call('workflows.runs', { templateId: f.templateId || undefined, state: f.state || undefined, limit: RUNS_LIMIT });
    if (mine === runsSeq) patchWf({ runs, runsError: null });
  } catch (err) {
    if (mine === runsSeq) patchWf({ runsError: toShownError(err) });
  }
}

/** The statistics of every template over the period ending now. */
export async function loadStats(period?: StatsPeriod): Promise<void> {
  if (period) patchWf({ period });
  const p = wf().period;
  const mine = ++statsSeq;
  const to = Date.now() + 1;
  patchWf({ statsLoading: true });
  try {
    const stats = await getClient().call('workflows.stats', { from: Math.max(0, to - 1 - PERIOD_MS[p]), to });
    if (mine === statsSeq) patchWf({ stats: [...stats].sort((a, b) => a.name.localeCompare(b.name)), statsError: null, statsLoading: false });
  } catch (err) {
    if (mine === statsSeq) patchWf({ statsError: toShownError(err), statsLoading: false });
  }
}

// ---- the launch form ----

/** Opens the launch form of a template (its latest version); the hosts picked stay for the same template. */
export async function openLaunch(templateId: string): Promise<void> {
  const mine = ++launchSeq;
  const same = wf().launch.templateId === templateId;
  patchLaunch(same ? { loadError: null, error: null } : { ...initialLaunch, templateId });
  try {
    const info = await getClient().call('workflows.template', { id: templateId });
    if (mine === launchSeq) patchLaunch({ info, loadError: null });
  } catch (err) {
    if (mine === launchSeq) patchLaunch({ loadError: toShownError(err) });
  }
}

/** The picker's search text changed: asks the core (the view debounces), drops older answers. */
export async function searchHosts(query: string): Promise<void> {
  const mine = ++searchSeq;
  const q = query.trim();
  patchLaunch({ query, searchError: null, ...(q.length < HOST_SEARCH_MIN_CHARS ? { hits: null } : {}) });
  if (q.length < HOST_SEARCH_MIN_CHARS) return;
  try {
    const hits = await getClient().call('search.devices', { q, limit: HOST_SEARCH_LIMIT });
    if (mine !== searchSeq) return;
    patchLaunch({ hits });
  } catch (err) {
    if (mine === searchSeq) patchLaunch({ hits: null, searchError: toShownError(err) });
  }
}

const pickOf = (h: DeviceSearchHit): HostPick => ({ id: h.deviceId, hostname: h.hostname, sn: h.sn });

/** Adds hosts to the launch (each once, in the order added). */
export function addHosts(picks: readonly HostPick[]): void {
  patchLaunch((l) => {
    const have = new Set(l.hosts.map((h) => h.id));
    const fresh: HostPick[] = [];
    for (const p of picks) {
      if (have.has(p.id)) continue;
      have.add(p.id);
      fresh.push(p);
    }
    return { hosts: [...l.hosts, ...fresh], error: null };
  });
}

export function addHit(hit: DeviceSearchHit): void {
  addHosts([pickOf(hit)]);
}

export function removeHost(id: string): void {
  patchLaunch((l) => ({ hosts: l.hosts.filter((h) => h.id !== id) }));
}

export function clearHosts(): void {
  patchLaunch({ hosts: [], unresolved: [] });
}

/** The hit that is exactly this name: its hostname, SN or device id (case-insensitive). */
export function exactHit(name: string, hits: readonly DeviceSearchHit[]): DeviceSearchHit | undefined {
  const n = name.toLowerCase();
  return hits.find((h) => h.hostname.toLowerCase() === n || h.sn.toLowerCase() === n || h.deviceId.toLowerCase() === n);
}

/** Looks up pasted hostnames or SNs; exact matches are added, the rest listed as not found. */
export async function addPasted(text: string): Promise<void> {
  const names = splitNames(text);
  if (names.length === 0 || wf().launch.resolving) return;
  const mine = launchSeq;
  const found: HostPick[] = [];
  const missing: string[] = [];
  let done = 0;
  let failure: unknown = null;
  patchLaunch({ resolving: { done, total: names.length }, unresolved: [], searchError: null });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length && failure === null) {
      const name = names[next++];
      try {
        const hit = exactHit(name, await getClient().call('search.devices', { q: name, limit: 5 }));
        if (hit) found.push(pickOf(hit));
        else missing.push(name);
      } catch (err) {
        failure = err;
      }
      done += 1;
      if (mine === launchSeq) patchLaunch({ resolving: { done, total: names.length } });
    }
  };
  await Promise.all(Array.from({ length: Math.min(RESOLVE_CONCURRENCY, names.length) }, worker));
  if (mine !== launchSeq) return;
  // In the order pasted, whatever order the answers came in.
  const order = new Map(names.map((n, i) => [n.toLowerCase(), i]));
  const rank = (p: HostPick) => Math.min(order.get(p.hostname.toLowerCase()) ?? Infinity, order.get(p.sn.toLowerCase()) ?? Infinity, order.get(p.id.toLowerCase()) ?? Infinity);
  addHosts(found.sort((a, b) => rank(a) - rank(b)));
  missing.sort((a, b) => (order.get(a.toLowerCase()) ?? 0) - (order.get(b.toLowerCase()) ?? 0));
  patchLaunch({ resolving: null, unresolved: missing, searchError: failure === null ? null : toShownError(failure) });
}

/** Launches the open template over the picked hosts; on success opens the run. */
export async function launchRun(params: Record<string, unknown>): Promise<boolean> {
  const l = wf().launch;
  if (!l.templateId || l.submitting) return false;
  const templateId = l.templateId;
  patchLaunch({ submitting: true, error: null });
  try {
    const run = await getClient().call('workflows.launch', { templateId, params, deviceIds: l.hosts.map((h) => h.id) });
    patchLaunch({ submitting: false, error: null });
    patchWf((s) => ({ runs: s.runs ? [run, ...s.runs.filter((r) => r.id !== run.id)] : s.runs }));
    navigate({ view: 'wf-run', runId: run.id });
    return true;
  } catch (err) {
    patchLaunch({ submitting: false, error: toShownError(err) });
    return false;
  }
}
