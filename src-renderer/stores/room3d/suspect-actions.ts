// The 3D room's part of the probe matrix: the localiser's current top suspect (probes.localise
// over the core's own window, the newest five minutes, as the probe.suspect event is judged),
// asked when a room opens, on every stored probe minute and on each probe.suspect fleet event,
// written to the room3d slice (the scene recolours on colourSeq). The matrix's "show in room"
// seeds it with the suspect it shows, so the room highlights it before its own answer comes.
import type { Disposable } from '../../../src-shared/api';
import type { ProbeLocalisation } from '../../../src-shared/domain/probe';
import { getClient } from '../client';
import { placeName } from '../probes/suspects';
import { patch, useAppStore } from '../store';
import type { RoomProbeSuspect } from './slice';

/** The window the room's suspect is judged over (the core's probe.suspect event uses the same). */
export const ROOM_SUSPECT_MINUTES = 5;

let seq = 0;

/** The top suspect of a localisation as the room shows it; null when it names none. */
export function topSuspectOf(loc: Pick<ProbeLocalisation, 'suspects' | 'places'>): RoomProbeSuspect | null {
  const top = loc.suspects[0];
  if (!top) return null;
  return { component: top.component, name: placeName(loc, top.component.objectId), votes: top.votes, badPairs: top.badPairs };
}

/** Sets the suspect the room highlights (the same component twice changes nothing). */
export function setRoomProbeSuspect(s: RoomProbeSuspect | null): void {
  const had = useAppStore.getState().room3d.probeSuspect;
  if (had === s || (had && s && had.component.id === s.component.id && had.name === s.name && had.badPairs === s.badPairs && had.votes === s.votes)) return;
  patch('room3d', (r) => ({ probeSuspect: s, colourSeq: r.colourSeq + 1 }));
}

/** Asks the localiser now; an answer to an older request is dropped, a failure keeps what is shown. */
export async function loadRoomProbeSuspect(): Promise<void> {
  const mine = ++seq;
  try {
    const loc = await getClient().call('probes.localise', { minutes: ROOM_SUSPECT_MINUTES });
    if (mine === seq) setRoomProbeSuspect(topSuspectOf(loc));
  } catch {
    // No probe matrix on this core, or it failed once: the room goes on without a highlight change.
  }
}

/** Follows the top suspect while the room is open: now, per probe minute, per probe.suspect event. */
export function followRoomProbeSuspect(): Disposable {
  const client = getClient();
  const minute = client.on('onDidProbeMinute', () => void loadRoomProbeSuspect());
  const events = client.on('onDidReceiveFleetEvent', (list) => {
    if (list.some((e) => e.code === 'probe.suspect')) void loadRoomProbeSuspect();
  });
  void loadRoomProbeSuspect();
  return { dispose: () => (minute.dispose(), events.dispose()) };
}
