// Places (sites, rooms, rows, cabinets) selectors at module scope.
import type { AppState } from '../store';

export const selectPlaceTree = (s: AppState) => s.places.tree;
export const selectPlaceTreeError = (s: AppState) => s.places.treeError;
export const selectPlaceForm = (s: AppState) => s.places.form;
export const selectPlaceSaved = (s: AppState) => s.places.saved;
export const selectPlaceDeleted = (s: AppState) => s.places.deleted;
export const selectPlaceDeleting = (s: AppState) => s.places.deleting;
export const selectPlaceDeleteBusy = (s: AppState) => s.places.deleteBusy;
export const selectPlaceDeleteError = (s: AppState) => s.places.deleteError;
