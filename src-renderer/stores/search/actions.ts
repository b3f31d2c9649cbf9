// Search actions: typing is debounced into one search.devices call per pause; an answer
// for a query no longer in the box is dropped; arrows choose, Enter opens the device page.
import { getClient } from '../client';
import { navigate } from '../fleet/actions';
import { claimSearchHit } from '../room3d/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { initialSearch, type SearchState } from './slice';

/** Quiet time after the last keystroke before the core is asked. */
export const SEARCH_DEBOUNCE_MS = 150;
/** Shorter queries are not sent: a single character matches half the fleet. */
export const SEARCH_MIN_CHARS = 2;
export const SEARCH_LIMIT = 10;

const search = () => useAppStore.getState().search;
const patchSearch = (p: Partial<SearchState> | ((s: SearchState) => Partial<SearchState>)) => patch('search', p);

let timer: ReturnType<typeof setTimeout> | null = null;
let seq = 0;

/** The box's text changed: show the results, ask the core once typing pauses. */
export function setSearchQuery(query: string): void {
  if (timer) clearTimeout(timer);
  timer = null;
  const q = query.trim();
  const ask = q.length >= SEARCH_MIN_CHARS;
  seq++; // any answer still on its way is for an older text
  patchSearch({ query, open: true, active: 0, loading: ask, error: null, ...(ask ? {} : { hits: null, answeredQuery: null }) });
  if (!ask) return;
  timer = setTimeout(() => {
    timer = null;
    void runSearch(q);
  }, SEARCH_DEBOUNCE_MS);
}

/** Asks the core now (the debounce calls it; so do tests). */
export async function runSearch(q: string): Promise<void> {
  const mine = ++seq;
  patchSearch({ loading: true });
  try {
    const hits = await getClient().call('search.devices', { q, limit: SEARCH_LIMIT });
    if (mine !== seq) return;
    patchSearch({ hits, answeredQuery: q, loading: false, error: null, active: 0 });
  } catch (err) {
    if (mine !== seq) return;
    patchSearch({ hits: null, answeredQuery: q, loading: false, error: toShownError(err) });
  }
}

/** Arrow keys: move the choice, wrapping at either end. */
export function moveSearchChoice(delta: number): void {
  patchSearch((s) => {
    const n = s.hits?.length ?? 0;
    return n === 0 ? { open: true } : { open: true, active: (((s.active + delta) % n) + n) % n };
  });
}

export function openSearch(): void {
  if (search().query.trim() !== '') patchSearch({ open: true });
}

export function closeSearch(): void {
  patchSearch({ open: false });
}

/** Enter or a click: the chosen device's page. The box is cleared for the next search. */
export function openSearchHit(index = search().active): void {
  const hit = search().hits?.[index];
  if (!hit) return;
  clearSearch();
  // In a 3D room holding the device, the camera flies to its cabinet instead.
  if (claimSearchHit(hit)) return;
  navigate({ view: 'device', deviceId: hit.deviceId });
}

export function clearSearch(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  seq++;
  useAppStore.setState({ search: initialSearch });
}
