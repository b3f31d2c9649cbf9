// Places actions: read the tree (inventory.locations), open the form to add a site, room,
// row or cabinet under a parent or to edit one, save it through inventory.putLocation (the
// core checks it as an import would), delete one through inventory.deleteLocation
// confirmed by its typed name (the core refuses a place that still holds anything). After a
// change the tree, the overview and the open room or cabinet are read again.
import type { LocationKind } from '../../../src-shared/domain';
import { getClient } from '../client';
import { loadOverview, refreshOpenView } from '../fleet/actions';
import { toShownError } from '../shown-error';
import { patch, useAppStore } from '../store';
import { newPlaceForm, placeFormOf, placeRecordOf, placeRefusalOf, type PlaceFormField } from './place-form';
import { nextPosition, placeRecordIn } from './place-tree';
import type { PlaceFormState, PlaceRef, PlacesState } from './slice';

const state = () => useAppStore.getState().places;
const patchPlaces = (p: Partial<PlacesState> | ((s: PlacesState) => Partial<PlacesState>)) => patch('places', p);
const patchForm = (p: Partial<PlaceFormState>) => patchPlaces((s) => ({ form: s.form ? { ...s.form, ...p } : null }));

export async function loadPlaces(): Promise<void> {
  try {
    const tree = await getClient().call('inventory.locations', undefined);
    patchPlaces({ tree, treeError: null });
  } catch (err) {
    patchPlaces({ treeError: toShownError(err) });
  }
}

/** Everything that shows places: the tree, the overview, the open room or cabinet. */
function reloadAfterChange(): void {
  void loadPlaces();
  void loadOverview();
  refreshOpenView();
}

function openForm(form: Omit<PlaceFormState, 'saving' | 'local' | 'error' | 'refusal'>): void {
  patchPlaces({ saved: null, deleted: null, form: { ...form, saving: false, local: {}, error: null, refusal: null } });
}

/** A new place of a kind under a parent (a site has none); a cabinet goes to the row's next position. */
export function openAddPlace(kind: LocationKind, parentId = ''): void {
  const tree = state().tree;
  const position = kind === 'cabinet' && tree && parentId ? nextPosition(tree, parentId) : 1;
  openForm({ mode: 'add', kind, values: newPlaceForm(kind, parentId, position) });
  if (!tree) void loadPlaces();
}

export function openEditPlace(kind: LocationKind, id: string): void {
  const tree = state().tree;
  const record = tree ? placeRecordIn(tree, kind, id) : null;
  if (record) openForm({ mode: 'edit', kind, values: placeFormOf(record) });
}

export function setPlaceFormField(field: PlaceFormField, value: string): void {
  const f = state().form;
  if (f) patchForm({ values: { ...f.values, [field]: value } });
}

export function closePlaceForm(): void {
  patchPlaces({ form: null });
}

export async function savePlace(): Promise<void> {
  const f = state().form;
  if (!f || f.saving) return;
  const built = placeRecordOf(f.kind, f.values);
  if (!built.record) {
    patchForm({ local: built.problems, error: null, refusal: null });
    return;
  }
  patchForm({ saving: true, local: {}, error: null, refusal: null });
  try {
    const place = await getClient().call('inventory.putLocation', { location: built.record });
    patchPlaces({ form: null, saved: { kind: place.kind, id: place.id, name: place.name, mode: f.mode } });
    reloadAfterChange();
  } catch (err) {
    const error = toShownError(err);
    patchForm({ saving: false, error, refusal: placeRefusalOf(error) });
  }
}

export function askDeletePlace(place: PlaceRef | null): void {
  patchPlaces({ deleting: place, deleteError: null, deleted: null, saved: null });
}

export async function deletePlace(typed: string): Promise<void> {
  const d = state().deleting;
  if (!d || state().deleteBusy) return;
  patchPlaces({ deleteBusy: true, deleteError: null });
  try {
    await getClient().call('inventory.deleteLocation', { kind: d.kind, id: d.id, confirmName: typed });
    patchPlaces({ deleteBusy: false, deleting: null, deleted: d });
    reloadAfterChange();
  } catch (err) {
    patchPlaces({ deleteBusy: false, deleteError: toShownError(err) });
  }
}
