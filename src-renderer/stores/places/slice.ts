// Sites, rooms, rows and cabinets from forms: the places tree (inventory.locations), the
// open place form with the core's refusal by field, and the delete being confirmed.
import type { StateCreator } from 'zustand';
import type { LocationKind, LocationTree } from '../../../src-shared/domain';
import type { ShownError } from '../shown-error';
import type { AppState } from '../store';
import type { PlaceFormField, PlaceFormValues, PlaceLocalProblem, PlaceRefusal } from './place-form';

export interface PlaceFormState {
  mode: 'add' | 'edit';
  kind: LocationKind;
  values: PlaceFormValues;
  saving: boolean;
  local: Partial<Record<PlaceFormField, PlaceLocalProblem>>;
  error: ShownError | null;
  refusal: PlaceRefusal | null;
}

export interface PlaceRef {
  kind: LocationKind;
  id: string;
  name: string;
}

export interface PlacesState {
  tree: LocationTree | null;
  treeError: ShownError | null;
  form: PlaceFormState | null;
  /** The place last saved or deleted (a confirmation line). */
  saved: (PlaceRef & { mode: 'add' | 'edit' }) | null;
  deleted: PlaceRef | null;
  deleting: PlaceRef | null;
  deleteBusy: boolean;
  deleteError: ShownError | null;
}

export interface PlacesSlice {
  places: PlacesState;
}

export const initialPlaces: PlacesState = {
  tree: null,
  treeError: null,
  form: null,
  saved: null,
  deleted: null,
  deleting: null,
  deleteBusy: false,
  deleteError: null,
};

export const createPlacesSlice: StateCreator<AppState, [], [], PlacesSlice> = () => ({ places: initialPlaces });
