// Alarms actions, writing the app store's alarms slice (through patch): the firing alarms kept
// live while signed in (onDidChangeAlarms bumps seq and reads them again; views watching
// alarms refetch on seq; root alarms that start firing are kept for the shell's notice), the alarms view's list, one alarm's history, the acknowledgement
// with its required comment, and the open device page's alarms. The core checks every role.
import type { CoreClient, Disposable } from '../../../src-shared/api';
import type { Alarm } from '../../../src-shared/domain/alarm';
import { getClient, hasClient } from '../client';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import type { AlarmsState } from './slice';

const al = () => useAppStore.getState().alarms;
export const patchAlarms = (p: Partial<AlarmsState> | ((s: AlarmsState) => Partial<AlarmsState>)) => patch('alarms', p);

let firingSeq = 0;
/** The root alarms firing at the last answer (null: none yet this session, so nothing is announced). */
let knownRoots: Set<string> | null = null;

/** Unmasked firing alarms not grouped under another of them. */
function rootsOf(firing: readonly Alarm[]): Alarm[] {
  const shown = firing.filter((a) => !a.masked);
  const ids = new Set(shown.map((a) => a.id));
  return shown.filter((a) => !a.rootId || !ids.has(a.rootId));
}

/** The firing alarms, for the badge and the room's colours; roots new since the last answer are announced. */
export async function loadFiring(): Promise<void> {
  if (!hasClient()) return;
  const mine = ++firingSeq;
  try {
    const firing = await getClient().call('alarms.list', { state: 'firing' });
    if (mine !== firingSeq) return;
    const roots = rootsOf(firing);
    const before = knownRoots;
    knownRoots = new Set(roots.map((a) => a.id));
    const now = knownRoots;
    const arrived = before ? roots.filter((a) => !before.has(a.id)) : [];
    patchAlarms((s) => ({ firing, fresh: [...s.fresh.filter((a) => now.has(a.id) && !arrived.some((n) => n.id === a.id)), ...arrived].slice(-20) }));
  } catch {
    // The badge keeps its last count; the alarms view shows the error of its own list.
  }
}

/** Alarms moved: every watcher refetches. */
export function alarmsChanged(): void {
  patchAlarms((s) => ({ seq: s.seq + 1 }));
  void loadFiring();
}

/** Follows onDidChangeAlarms for the whole session (attached with the other live feeds). */
export function attachAlarmsLive(client: CoreClient): Disposable {
  knownRoots = null;
  void loadFiring();
  return client.on('onDidChangeAlarms', alarmsChanged);
}

/** The new alarms were seen (the notice dismissed, or the alarms view opened). */
export function dismissFresh(): void {
  if (al().fresh.length > 0) patchAlarms({ fresh: [] });
}

let listSeq = 0;

/** The alarms view's list: every alarm not resolved. */
export async function loadAlarmList(): Promise<void> {
  const mine = ++listSeq;
  try {
    const all = await getClient().call('alarms.list', undefined);
    if (mine === listSeq) patchAlarms({ list: all.filter((a) => a.state !== 'resolved'), listError: null });
  } catch (err) {
    if (mine === listSeq) patchAlarms({ listError: toShownError(err) });
  }
}

/** Opens (or closes, when it is open) one alarm's history panel. */
export function toggleHistory(alarmId: string): void {
  if (al().history?.alarmId === alarmId) return patchAlarms({ history: null });
  patchAlarms({ history: { alarmId, rows: null, error: null } });
  void loadHistory(alarmId);
}

export async function loadHistory(alarmId: string): Promise<void> {
  try {
    const rows = await getClient().call('alarms.history', { alarmId, limit: 50 });
    patchAlarms((s) => (s.history?.alarmId === alarmId ? { history: { alarmId, rows, error: null } } : {}));
  } catch (err) {
    patchAlarms((s) => (s.history?.alarmId === alarmId ? { history: { alarmId, rows: s.history.rows, error: toShownError(err) } } : {}));
  }
}

export function openAck(alarmId: string): void {
  patchAlarms({ ack: { alarmId, busy: false, error: null } });
}

export function closeAck(): void {
  patchAlarms({ ack: null });
}

/** Acknowledges the open dialog's alarm with the comment (required; the view checks it is not empty). */
export async function acknowledge(comment: string): Promise<boolean> {
  const ack = al().ack;
  const text = comment.trim();
  if (!ack || ack.busy || text === '') return false;
  patchAlarms({ ack: { ...ack, busy: true, error: null } });
  try {
    const alarm = await getClient().call('alarms.acknowledge', { alarmId: ack.alarmId, comment: text });
    patchAlarms((s) => ({ ack: null, list: replaceIn(s.list, alarm), device: s.device ? { ...s.device, list: replaceIn(s.device.list, alarm) } : null }));
    if (al().history?.alarmId === alarm.id) void loadHistory(alarm.id);
    return true;
  } catch (err) {
    patchAlarms((s) => (s.ack?.alarmId === ack.alarmId ? { ack: { ...ack, busy: false, error: toShownError(err) } } : {}));
    return false;
  }
}

function replaceIn(list: Alarm[] | null, alarm: Alarm): Alarm[] | null {
  return list ? list.map((a) => (a.id === alarm.id ? alarm : a)) : list;
}

let deviceSeq = 0;

/** The device page's alarms (every state, newest first). */
export async function loadDeviceAlarms(deviceId: string): Promise<void> {
  const mine = ++deviceSeq;
  if (al().device?.deviceId !== deviceId) patchAlarms({ device: { deviceId, list: null, error: null } });
  try {
    const list = await getClient().call('alarms.list', { objectId: deviceId });
    const sorted = [...list].sort((a, b) => b.lastSeen - a.lastSeen);
    if (mine === deviceSeq) patchAlarms({ device: { deviceId, list: sorted, error: null } });
  } catch (err) {
    if (mine === deviceSeq) patchAlarms((s) => ({ device: { deviceId, list: s.device?.list ?? null, error: toShownError(err) } }));
  }
}
