// The alarms capability: loads the rules, alarms and maintenance windows from the store into
// the engine (alarm-engine.ts) and every intervalMs evaluates each rule over the devices in
// its scope (selection.ts), reading the conditions alarm-conditions.ts lists (device status
// from the poller, newest metric samples, the derived readings of condition-sources.ts;
// cabinet conditions over the cabinets in scope). After each step the view is recomputed - grouped
// under topology roots (topology-roots.ts), masked by the active windows (masking.ts) - the
// step's writes go to the store in one transaction (stepWrites + what the view moved), and
// onDidChangeAlarms is emitted. onNotify(alarm, event, rule) is called when an alarm becomes
// notifiable (fired, or out of a maintenance window while firing: a synthetic 'fired' event)
// and when an alarm whose firing was notified resolves (see notify below; create-core plugs
// the webhook notifier in there). It serves the alarms.* methods (src-shared/api/alarms.ts);
// acknowledging acts as the caller. reload() re-reads the inventory (after an import).
// History retention: at start and every hour (historyEveryMs) the history rows older than
// historyMs (default 90 days; 0 or less: kept for ever) are dropped, but those of alarms still
// active (alarm-repository.ts expireHistory).
import type { AlarmsChange, Capability } from '../../../src-shared/api';
import type { Alarm, AlarmEvent, AlarmRule, MaintenanceWindow } from '../../../src-shared/domain/alarm';
import type { DeviceStatus } from '../../../src-shared/domain/fleet';
import { FleetDeckError, NotFoundError, ValidationError } from '../../../src-shared/errors';
import type { EventHub } from '../events/event-hub';
import { createLatestReader } from '../fleet/room-readings-series';
import type { CoreStore } from '../store/core-store';
import { observeRule, onCabinets, unsupportedCondition, type ConditionSources, type DerivedMetric } from './alarm-conditions';
import { createAlarmEngine, stepWrites, type Observation } from './alarm-engine';
import { maskAlarms, notifiable } from './masking';
import { cabinetPowerShare, type Readings, type ShareInventory } from './condition-sources';
import { cabinetsInScope, devicesInScope, placeIndex, type Place } from './selection';
import { groupUnderRoots, powerPeers, rootRelations, type RootRelations } from './topology-roots';

export type AlarmMethod =
  | 'alarms.list' | 'alarms.history' | 'alarms.rules' | 'alarms.setRule' | 'alarms.deleteRule'
  | 'alarms.acknowledge' | 'alarms.windows' | 'alarms.setWindow' | 'alarms.endWindow';

export interface AlarmsCapability extends Capability<AlarmMethod> {
  /** One evaluation now (the timer's step; tests call it with an injected clock). */
  evaluateNow(): AlarmEvent[];
  /** Re-reads the inventory (places and topology) after it changed. */
  reload(): void;
  /** The current view: the engine's alarms grouped and masked as of the last step. */
  alarms(): Alarm[];
  /** The retention pass now (the hourly timer's): how many history rows went. */
  expireHistoryNow(): number;
}

export interface AlarmsDeps {
  store: Pick<CoreStore, 'alarms' | 'inventory' | 'metrics'>;
  /** The poller's status of a device (the fleet's health); undefined when it has none. */
  status: (deviceId: string) => DeviceStatus | undefined;
  /** Newest stored metric samples; default: the store's metrics through a latest reader. */
  latest?: ConditionSources['latest'];
  /** The derived metrics other capabilities hold (condition-sources.ts: if.down_count, probe.*); cabinet.power_share is built here. One absent: no data. */
  readings?: Partial<Record<DerivedMetric, Readings>>;
  /** States other than device.status ('agent.health', 'probe.suspect') of a device; absent or undefined: no data. */
  state?: (state: string, deviceId: string) => string | undefined;
  /** Edges added to the topology at each step (the probe suspect's hosts behind it: condition-sources.ts probeSuspect). */
  suspectEdges?: () => ReadonlyMap<string, readonly string[]>;
  hub: EventHub;
  clock?: () => number;
  /** The evaluation period; 0 or less: no timer (evaluateNow only). */
  intervalMs?: number;
  /** A metric sample older than this is no data (default 5 min). */
  staleMs?: number;
  /** Alarm history older than this is dropped (default 90 days; 0 or less: kept for ever). */
  historyMs?: number;
  /** How often the history retention runs (default 1 h; 0 or less: only at start and expireHistoryNow()). */
  historyEveryMs?: number;
  /** Called when an alarm becomes notifiable and when a notified one resolves, with the alarm's rule (its webhook); a throwing hook is logged. */
  onNotify?: (alarm: Alarm, event: AlarmEvent, rule: AlarmRule) => void;
  log?: (line: string) => void;
}

const active = (a: Alarm): boolean => a.state !== 'resolved';

export function startAlarms(d: AlarmsDeps): AlarmsCapability {
  const now = d.clock ?? Date.now;
  const log = d.log ?? (() => {});
  const repo = d.store.alarms;
  const staleMs = d.staleMs ?? 300_000;
  const reader = d.latest ? null : createLatestReader(d.store.metrics, now);
  const stored: ConditionSources['latest'] = d.latest ?? ((m, ids) => reader!.latest(m, ids));
  let shareInventory: ShareInventory = { cabinets: [], devices: [] };
  const derived: Partial<Record<string, Readings>> = { ...d.readings, 'cabinet.power_share': cabinetPowerShare(() => shareInventory, stored) };
  const sources: ConditionSources = {
    status: d.status,
    latest: (m, ids) => derived[m]?.(ids) ?? stored(m, ids),
    ...(d.state ? { state: d.state } : {}),
  };
  const engine = createAlarmEngine(repo.rules(), repo.list());
  let rules = repo.rules();
  let windows: MaintenanceWindow[] = repo.windows();
  let places: ReadonlyMap<string, Place> = new Map();
  let relations: RootRelations = new Map();
  let peers: ReadonlyMap<string, string> = new Map();
  let view = new Map<string, Alarm>();

  const loadInventory = (): void => {
    const doc = d.store.inventory.document();
    places = placeIndex(doc);
    shareInventory = doc;
    relations = rootRelations(doc);
    peers = powerPeers(doc);
    reader?.reset();
  };

  /** The inventory's relations with the step's suspect edges added; the alarms of probe.suspect rules are causes. */
  const computeView = (at: number): Map<string, Alarm> => {
    const extra = d.suspectEdges?.() ?? new Map<string, readonly string[]>();
    const rel = extra.size ? { get: (id: string) => (extra.has(id) ? [...(relations.get(id) ?? []), ...extra.get(id)!] : relations.get(id)) } : relations;
    const causeRules = new Set(rules.filter((r) => r.condition.kind === 'state' && r.condition.state === 'probe.suspect' && r.condition.equals === 'suspect').map((r) => r.id));
    const all = maskAlarms(engine.alarms(), windows, places, at);
    const causes = new Set(causeRules.size ? all.filter((a) => causeRules.has(a.ruleId)).map((a) => a.id) : []);
    return new Map(groupUnderRoots(all, rel, causes, peers).map((a) => [a.id, a]));
  };

  const emit = (at: number): void => {
    const all = [...view.values()];
    const change: AlarmsChange = { at, pending: all.filter((a) => a.state === 'pending').length, firing: all.filter((a) => a.state === 'firing').length };
    d.hub.emit('onDidChangeAlarms', change);
  };

  /** Recomputes the view and stores what moved: the step's alarms, and every alarm whose masked or root changed. */
  const commit = (at: number, observations: readonly Observation[], events: readonly AlarmEvent[]): Map<string, Alarm> => {
    const before = view;
    view = computeView(at);
    const { changed, removed } = stepWrites(engine, observations, events);
    const ids = new Set(changed.map((a) => a.id));
    for (const [id, a] of view) {
      const was = before.get(id);
      if (was === undefined || was.masked !== a.masked || was.rootId !== a.rootId) ids.add(id);
    }
    repo.apply([...ids].flatMap((id) => view.get(id) ?? []), removed, events);
    return before;
  };

  /** Each alarm notified as firing, with the occurrence it was notified for (what a 'resolved' is sent for). */
  const sent = new Map<string, number>();

  /**
   * The notifications a commit makes: 'fired' for an alarm notifiable now that fired in this
   * step or came out of a window while firing (not yet notified for this occurrence);
   * 'resolved' for an alarm that resolved after its firing was notified. An alarm that was
   * grouped under a root when it fired is shown under it and not notified, also when the root
   * resolves first.
   */
  const notify = (before: ReadonlyMap<string, Alarm>, events: readonly AlarmEvent[], at: number): void => {
    const send = (a: Alarm, e: AlarmEvent): void => {
      const rule = rules.find((r) => r.id === a.ruleId);
      if (!d.onNotify || rule === undefined) return;
      try {
        d.onNotify(a, e, rule);
      } catch (err) {
        log(`alarms: the notification hook failed for ${e.alarmId}: ${(err as Error).message}`);
      }
    };
    const fired = new Map(events.filter((e) => e.kind === 'fired').map((e) => [e.alarmId, e]));
    for (const e of events) {
      const a = view.get(e.alarmId);
      if (e.kind !== 'resolved' || a === undefined || !sent.has(e.alarmId)) continue;
      sent.delete(e.alarmId);
      send(a, e);
    }
    for (const [id, a] of view) {
      if (!notifiable(a) || sent.get(id) === a.occurrences) continue;
      const e = fired.get(id);
      const unmasked = before.get(id)?.masked === true;
      if (!fired.has(id) && !unmasked) continue;
      sent.set(id, a.occurrences);
      send(a, e ?? { alarmId: id, at, kind: 'fired', severity: a.severity, value: a.value, actor: null, comment: null });
    }
    for (const id of sent.keys()) if (!view.has(id)) sent.delete(id);
  };

  const evaluateNow = (): AlarmEvent[] => {
    const at = now();
    const objects = (r: AlarmRule): string[] => (onCabinets(r.condition) ? cabinetsInScope(r.scope, places) : devicesInScope(r.scope, places));
    const observations = rules.flatMap((r) => observeRule(r, objects(r), sources, at, staleMs));
    const events = engine.evaluate(at, observations);
    const before = commit(at, observations, events);
    notify(before, events, at);
    emit(at);
    return events;
  };

  /** After a rule or window change: the view again, stored, announced (no evaluation). */
  const refresh = (): void => {
    const at = now();
    notify(commit(at, [], []), [], at);
    emit(at);
  };

  const reloadRules = (): void => {
    rules = repo.rules();
    engine.setRules(rules);
  };

  loadInventory();
  view = computeView(now());
  // Alarms notifiable at start were notified by the run before (no storm after a restart).
  for (const a of view.values()) if (notifiable(a)) sent.set(a.id, a.occurrences);
  const interval = d.intervalMs ?? 10_000;
  const timer = interval > 0 ? setInterval(() => {
    try {
      evaluateNow();
    } catch (err) {
      log(`alarms: evaluation failed: ${(err as Error).message}`);
    }
  }, interval) : null;
  timer?.unref?.();
  const historyMs = d.historyMs ?? 90 * 24 * 3_600_000;
  const expireHistoryNow = (): number => {
    if (historyMs <= 0) return 0;
    const gone = repo.expireHistory(now() - historyMs);
    if (gone) log(`alarms: ${gone} history rows older than ${Math.round(historyMs / 86_400_000)} days dropped`);
    return gone;
  };
  const expire = (): void => {
    try {
      expireHistoryNow();
    } catch (err) {
      log(`alarms: history retention failed: ${(err as Error).message}`);
    }
  };
  expire();
  const historyEveryMs = d.historyEveryMs ?? 3_600_000;
  const historyTimer = historyMs > 0 && historyEveryMs > 0 ? setInterval(expire, historyEveryMs) : null;
  historyTimer?.unref?.();

  return {
    evaluateNow,
    reload: () => {
      loadInventory();
      refresh();
    },
    alarms: () => [...view.values()],
    api: {
      'alarms.list': (a) => [...view.values()].filter((x) => (a.state === undefined || x.state === a.state) && (a.objectId === undefined || x.objectId === a.objectId)),
      'alarms.history': (a) => repo.history(a.alarmId, a.limit ?? 200),
      'alarms.rules': () => rules,
      'alarms.setRule': (rule) => {
        const bad = unsupportedCondition(rule.condition);
        if (bad) throw new ValidationError(`alarms.setRule: "${bad.field}" ${bad.problem}`, { method: 'alarms.setRule', field: bad.field, problem: bad.problem });
        repo.putRule(rule);
        reloadRules();
        refresh();
        return rule;
      },
      'alarms.deleteRule': (a) => {
        if (!rules.some((r) => r.id === a.id)) throw new NotFoundError('Alarm rule', a.id);
        repo.deleteRule(a.id);
        reloadRules();
        refresh();
        return { deleted: true };
      },
      'alarms.acknowledge': (a, ctx) => {
        const had = engine.get(a.alarmId);
        if (had === undefined) throw new NotFoundError('Alarm', a.alarmId);
        if (!active(had)) throw new FleetDeckError('CONFLICT', `Alarm "${a.alarmId}" is resolved: there is nothing to acknowledge`, { id: a.alarmId });
        const at = now();
        const e = engine.acknowledge(a.alarmId, ctx.actor, at, a.comment);
        commit(at, [], [e]);
        emit(at);
        return view.get(a.alarmId)!;
      },
      'alarms.windows': () => windows,
      'alarms.setWindow': (w) => {
        repo.putWindow(w);
        windows = repo.windows();
        refresh();
        return w;
      },
      'alarms.endWindow': (a) => {
        const w = windows.find((x) => x.id === a.id);
        if (w === undefined) throw new NotFoundError('Maintenance window', a.id);
        const at = now();
        if (w.from >= at) repo.deleteWindow(w.id);
        else if (w.to > at) repo.putWindow({ ...w, to: at });
        windows = repo.windows();
        refresh();
        return { ended: true };
      },
    },
    expireHistoryNow,
    dispose: () => {
      if (timer) clearInterval(timer);
      if (historyTimer) clearInterval(historyTimer);
      return Promise.resolve();
    },
  };
}
