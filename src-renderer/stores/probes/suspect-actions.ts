// The matrix view's suspects and DNS panels' actions, writing the probes slice: the localiser's
// ranked suspects over the window the matrix shows (ending at the scrubbed minute, or the newest
// one: then asked again on every stored probe minute; at least the localiser's own five minutes,
// since one minute holds too few probes per pair to tell a lossy link from chance), the DNS catchment per resolver (asked again per
// minute), a suspect opened to its evidence, and "show in room" for the top suspect: the 3D room
// of what it stands for, its device landed on, the room told which suspect to highlight.
import type { Disposable } from '../../../src-shared/api';
import type { ProbeSuspect } from '../../../src-shared/domain/probe';
import { getClient } from '../client';
import { navigate } from '../fleet/actions';
import { setRoomProbeSuspect, topSuspectOf } from '../room3d/suspect-actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import type { ProbesState } from './slice';
import { suspectRoomTarget } from './suspects';

const get = () => useAppStore.getState().probes;
const set = (p: Partial<ProbesState> | ((s: ProbesState) => Partial<ProbesState>)) => patch('probes', p);
const MINUTE = 60_000;
/** The shortest window the suspects are judged over: the core's own (its probe.suspect events use it). */
export const SUSPECT_MIN_MINUTES = 5;

let locSeq = 0;
let dnsSeq = 0;

/** The window the matrix shows: ending at the scrubbed minute (or the newest), as long as the matrix's window but at least SUSPECT_MIN_MINUTES. */
export function localiseArgs(p: Pick<ProbesState, 'request' | 'matrix'>): { at?: number; minutes: number } {
  const m = p.matrix;
  const minutes = Math.max(SUSPECT_MIN_MINUTES, m ? Math.round((m.to - m.from) / MINUTE) : 1);
  const at = p.request?.at ?? null;
  return at !== null ? { at, minutes } : { minutes };
}

export async function loadLocalisation(): Promise<void> {
  const mine = ++locSeq;
  try {
    const localisation = await getClient().call('probes.localise', localiseArgs(get()));
    if (mine !== locSeq) return;
    // The open suspect stays open while the localiser still names it.
    set((s) => ({ localisation, localisationError: null, openSuspect: localisation.suspects.some((x) => x.component.id === s.openSuspect) ? s.openSuspect : null }));
  } catch (err) {
    if (mine === locSeq) set({ localisationError: toShownError(err) });
  }
}

export async function loadDns(): Promise<void> {
  const mine = ++dnsSeq;
  try {
    const dns = await getClient().call('probes.dns', undefined);
    if (mine === dnsSeq) set({ dns, dnsAt: Date.now(), dnsError: null });
  } catch (err) {
    if (mine === dnsSeq) set({ dnsError: toShownError(err) });
  }
}

/**
 * Follows the suspects and the DNS catchment while the matrix view is open: both now, both on
 * every stored minute (the suspects only while the scrubber is at the newest minute), the
 * suspects again when the scrubber moves, both again after a reconnect.
 */
export function openSuspects(): Disposable {
  const sub = getClient().on('onDidProbeMinute', () => {
    if ((get().request?.at ?? null) === null) void loadLocalisation();
    void loadDns();
  });
  const unsubscribe = useAppStore.subscribe((s, p) => {
    const at = s.probes.request?.at ?? null;
    const was = p.probes.request?.at ?? null;
    if (at !== was) void loadLocalisation();
    if (p.session.phase === 'reconnecting' && s.session.phase === 'ready') {
      void loadLocalisation();
      void loadDns();
    }
  });
  void loadLocalisation();
  void loadDns();
  return { dispose: () => (sub.dispose(), unsubscribe()) };
}

/** Opens a suspect's evidence pairs (another one closes); the open one again closes it. */
export function toggleSuspect(componentId: string): void {
  set((s) => ({ openSuspect: s.openSuspect === componentId ? null : componentId }));
}

/** The 3D room of what the suspect stands for, with it highlighted; false when the core named no room for it. */
export function showSuspectInRoom(s: ProbeSuspect): boolean {
  const loc = get().localisation;
  const target = loc ? suspectRoomTarget(loc, s) : null;
  if (!loc || !target) return false;
  setRoomProbeSuspect(topSuspectOf({ suspects: [s], places: loc.places }));
  navigate({ view: 'room3d', roomId: target.roomId, cabinetId: null, deviceId: target.deviceId });
  return true;
}
