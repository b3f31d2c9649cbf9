// Search selectors at module scope.
import type { AppState } from '../store';

export const selectSearchQuery = (s: AppState) => s.search.query;
export const selectSearchOpen = (s: AppState) => s.search.open;
export const selectSearchLoading = (s: AppState) => s.search.loading;
export const selectSearchHits = (s: AppState) => s.search.hits;
export const selectSearchAnswered = (s: AppState) => s.search.answeredQuery;
export const selectSearchActive = (s: AppState) => s.search.active;
export const selectSearchError = (s: AppState) => s.search.error;
