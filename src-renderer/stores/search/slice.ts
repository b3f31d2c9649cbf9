// The header's device search: what is typed, whether the results are open, the hits for
// the last query the core answered, and which one the arrow keys have chosen.
import type { StateCreator } from 'zustand';
import type { DeviceSearchHit } from '../../../src-shared/domain/search';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';

export interface SearchState {
  query: string;
  open: boolean;
  /** A search for `query` is in flight (or waiting out the debounce). */
  loading: boolean;
  /** The core's answer for `answeredQuery`; null before the first answer for this query. */
  hits: readonly DeviceSearchHit[] | null;
  answeredQuery: string | null;
  /** Index into hits chosen with the arrow keys. */
  active: number;
  error: ShownError | null;
}

export interface SearchSlice {
  search: SearchState;
}

export const initialSearch: SearchState = {
  query: '',
  open: false,
  loading: false,
  hits: null,
  answeredQuery: null,
  active: 0,
  error: null,
};

export const createSearchSlice: StateCreator<AppState, [], [], SearchSlice> = () => ({ search: initialSearch });
