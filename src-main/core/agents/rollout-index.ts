// Each device's last rollout (last-rollout.ts), kept in memory and current with the workflow
// engine: read from the journal when the engine is connected (the newest LOAD_RUNS agent runs),
// then moved by the engine's progress events (a run not seen before is read whole once, and
// remembered as no agent run when its template has no agent.activate step). The agents list
// and every agent summary read it by device id in O(1); onChange names the devices whose last
// rollout changed, so their agents' summaries can be sent again.
// Per device only what can still count is kept: the open runs (running or paused: their outcome
// may still change) and the newest run with a final outcome (ok, rolled-back, failed); a run no
// device keeps is dropped. A dropped run that moves again (an operator retries a task of a
// finished run) is read again from the journal.
import type { AgentLastRollout } from '../../../src-shared/domain/agent';
import type { WfProgress, WfRunDetail, WfRunSummary, WfTemplateInfo } from '../../../src-shared/domain/workflow';
import { toDisposable, type Disposable } from '../../../src-shared/lifecycle';
import { activateStep, hostOutcome, lastRollout, newestFirst, runFacts, taskFacts, type AgentRunFacts } from './last-rollout';

/** Agent runs read at the start (newest first). */
export const LOAD_RUNS = 50;
/** Ids of runs known not to be agent runs, kept at most (then forgotten, and read again if they move). */
const NOT_AGENT_MAX = 10_000;

/** What the index reads from the workflow engine. */
export interface RolloutJournal {
  templates(): readonly WfTemplateInfo[];
  runs(filter: { templateId?: string; limit?: number }): readonly WfRunSummary[];
  run(runId: string): WfRunDetail;
  onProgress(listener: (p: WfProgress) => void): Disposable;
}

export interface RolloutIndex {
  /** Reads the journal and follows the engine until disposed. */
  use(j: RolloutJournal): Disposable;
  /** The device's last rollout (undefined: none known). */
  of(deviceId: string): AgentLastRollout | undefined;
}

const OPEN = new Set(['running', 'paused']);
const isOpen = (r: AgentRunFacts): boolean => OPEN.has(r.state);
const same = (a: AgentLastRollout | undefined, b: AgentLastRollout | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

export function createRolloutIndex(o: { onChange(deviceIds: readonly string[]): void; log?: (line: string) => void }): RolloutIndex {
  const log = o.log ?? (() => {});
  const runs = new Map<string, AgentRunFacts>();
  /** Per device, newest launch first. */
  const byHost = new Map<string, AgentRunFacts[]>();
  const current = new Map<string, AgentLastRollout>();
  const notAgent = new Set<string>();
  let journal: RolloutJournal | null = null;

  const keep = (host: string, r: AgentRunFacts): void => {
    const list = byHost.get(host) ?? [];
    if (list.includes(r)) return;
    list.push(r);
    list.sort(newestFirst);
    byHost.set(host, list);
  };
  const add = (r: AgentRunFacts): void => {
    runs.set(r.id, r);
    for (const h of r.hosts.keys()) keep(h, r);
  };

  /** The devices' last rollouts again, what no longer counts dropped; the devices whose value changed. */
  const recompute = (hosts: Iterable<string>): string[] => {
    const changed: string[] = [];
    const dropped = new Set<AgentRunFacts>();
    for (const h of hosts) {
      const list = byHost.get(h) ?? [];
      const last = lastRollout(list, h) ?? undefined;
      // The newest run with a final outcome: runs older than it can no longer count.
      const final = list.find((r) => {
        const out = hostOutcome(r, h);
        return out !== null && out.outcome !== 'pending';
      });
      const kept = list.filter((r) => isOpen(r) || r === final);
      for (const r of list) if (!kept.includes(r)) dropped.add(r);
      if (kept.length) byHost.set(h, kept);
      else byHost.delete(h);
      if (!same(current.get(h), last)) changed.push(h);
      if (last) current.set(h, last);
      else current.delete(h);
    }
    for (const r of dropped) {
      if (![...r.hosts.keys()].some((h) => byHost.get(h)?.includes(r))) runs.delete(r.id);
    }
    return changed;
  };

  const load = (j: RolloutJournal): void => {
    const ids = j.templates().filter((t) => activateStep(t.template)).map((t) => t.id);
    const newest = ids.flatMap((id) => j.runs({ templateId: id, limit: LOAD_RUNS })).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1)).slice(0, LOAD_RUNS);
    for (const s of newest) {
      const r = runFacts(j.run(s.id));
      if (r) add(r);
    }
    recompute([...byHost.keys()]);
  };

  const onProgress = (j: RolloutJournal, p: WfProgress): void => {
    if (notAgent.has(p.runId)) return;
    let r = runs.get(p.runId);
    const touched = new Set<string>();
    if (!r) {
      let read: AgentRunFacts | null;
      try {
        read = runFacts(j.run(p.runId));
      } catch (err) {
        log(`agents: reading run ${p.runId} for the agents' last rollouts failed: ${(err as Error).message}`);
        return;
      }
      if (!read) {
        if (notAgent.size >= NOT_AGENT_MAX) notAgent.clear();
        notAgent.add(p.runId);
        return;
      }
      r = read;
      add(r);
      for (const h of r.hosts.keys()) touched.add(h);
    } else {
      if (r.state !== p.state) {
        r.state = p.state;
        for (const h of r.hosts.keys()) touched.add(h);
      }
      for (const t of p.tasks) {
        if (t.host === '') continue;
        let m = r.hosts.get(t.host);
        if (!m) r.hosts.set(t.host, (m = new Map()));
        m.set(t.stepId, taskFacts(t));
        keep(t.host, r);
        touched.add(t.host);
      }
    }
    const changed = recompute(touched);
    if (changed.length) o.onChange(changed);
  };

  return {
    use(j) {
      journal = j;
      try {
        load(j);
      } catch (err) {
        log(`agents: reading the agents' last rollouts from the workflow journal failed: ${(err as Error).message}`);
      }
      const sub = j.onProgress((p) => {
        if (journal === j) onProgress(j, p);
      });
      return toDisposable(() => {
        sub.dispose();
        if (journal === j) journal = null;
      });
    },
    of: (deviceId) => current.get(deviceId),
  };
}
